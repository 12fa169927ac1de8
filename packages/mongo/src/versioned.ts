// Optimistic concurrency: every versioned document has a numeric `version`; an update names the
// version it was based on (from If-Match) and succeeds only if nobody changed the document since.
import { NotFoundError, PreconditionFailedError } from "@lto/errors";
import type { Model, Types, UpdateQuery } from "mongoose";
import { docLockKey, withDocLock } from "./doc-lock.js";

export const VERSION_FIELD = "version";

function asOperatorUpdate<T>(update: UpdateQuery<T>): Record<string, Record<string, unknown>> {
  const keys = Object.keys(update);
  // A plain object means "$set these fields", as in mongoose.
  if (keys.length > 0 && keys.every((k) => !k.startsWith("$"))) return { $set: { ...update } };
  return { ...(update as Record<string, Record<string, unknown>>) };
}

/**
 * Applies `update` to document `id` if its version is still `expectedVersion`, incrementing the
 * version in the same atomic update. Returns the updated document (plain object).
 * Throws NotFoundError when the document does not exist, PreconditionFailedError when it moved on.
 */
export async function updateVersioned<T>(
  model: Model<T>,
  id: string | Types.ObjectId,
  expectedVersion: number,
  update: UpdateQuery<T>,
  opts: { entity?: string } = {},
): Promise<T> {
  const ops = asOperatorUpdate(update);
  for (const [op, fields] of Object.entries(ops)) {
    if (fields && typeof fields === "object" && VERSION_FIELD in fields) {
      throw new Error(`updateVersioned: ${op}.${VERSION_FIELD} is managed by updateVersioned itself`);
    }
  }
  ops.$inc = { ...ops.$inc, [VERSION_FIELD]: 1 };
  // No projection here: FerretDB does not support one on findOneAndUpdate.
  // The document lock makes the version check hold on FerretDB too (see doc-lock.ts).
  const updated = await withDocLock(
    docLockKey({ dbName: model.db.name, collectionName: model.collection.collectionName }, id),
    () =>
      model
        .findOneAndUpdate({ _id: id, [VERSION_FIELD]: expectedVersion } as never, ops as UpdateQuery<T>, {
          returnDocument: "after",
        })
        .lean<T>()
        .exec(),
  );
  if (updated) return updated;

  const entity = opts.entity ?? model.modelName;
  const current = await model.findById(id, { [VERSION_FIELD]: 1 }).lean<{ version?: number }>();
  if (!current) throw new NotFoundError(entity, String(id));
  throw new PreconditionFailedError(
    `The ${entity} was changed since you read it (your version ${expectedVersion}, current ${current.version}); ` +
      "fetch it again and retry with its current ETag in If-Match",
    { details: { currentVersion: current.version } },
  );
}
