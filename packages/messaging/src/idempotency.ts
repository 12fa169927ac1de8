// Idempotent handling for at-least-once delivery. Two shapes:
// - the effect is an update of one document: the event id is recorded in that same update
//   (`applyOnce`, or `processedFilter` + `dedupeUpdate` by hand), so effect and record cannot part;
// - the effect is an upsert (naturally repeatable): `ProcessedEvents` records handled ids in their own
//   collection, `_id = <group>:<eventId>`, so repeats are skipped cheaply.
// FerretDB 1.24 silently ignores `$slice` (and `$position`) in `$push`, so the `_processed` list is
// bounded by a separate `$pop` after the effect, never by `$slice`; losing only the oldest ids is the
// same trade-off `$slice` would make.
import type { Schema } from "mongoose";
import { docLockKey, takesDocLocks, withDocLock } from "@lto/mongo";

export const PROCESSED_FIELD = "_processed";

/** Event ids kept per document by default (the newest ones). */
export const DEFAULT_PROCESSED_KEEP = 200;

/** Filter part that matches only documents that have not yet recorded `eventId`. */
export function processedFilter(eventId: string): Record<string, unknown> {
  return { [PROCESSED_FIELD]: { $ne: eventId } };
}

/** Adds `$push: { _processed: eventId }` to an update (top-level plain fields move under `$set`). */
export function dedupeUpdate(eventId: string, update: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const plain: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(update)) {
    if (k.startsWith("$")) out[k] = v;
    else plain[k] = v;
  }
  if (Object.keys(plain).length > 0) out.$set = { ...((out.$set as object | undefined) ?? {}), ...plain };
  const push = { ...((out.$push as Record<string, unknown> | undefined) ?? {}) };
  if (PROCESSED_FIELD in push)
    throw new Error(`dedupeUpdate: the update already pushes to ${PROCESSED_FIELD}`);
  push[PROCESSED_FIELD] = eventId;
  out.$push = push;
  return out;
}

/** Mongoose plugin declaring `_processed` (strict mode would otherwise drop the `$push`). */
export function processedPlugin(schema: Schema): void {
  schema.add({ [PROCESSED_FIELD]: { type: [String], default: undefined } });
}

type Awaitable<T> = PromiseLike<T> | T;

/** A mongoose model or a native collection: what applyOnce needs of either. */
export interface ApplyTarget {
  findOneAndUpdate(filter: never, update: never, options: never): Awaitable<unknown>;
  findOne(filter: never): Awaitable<unknown>;
  updateOne(filter: never, update: never): Awaitable<unknown>;
}

export interface ApplyOnceOptions {
  /** Create the document when the filter matches none (the filter must name its unique key, e.g. _id). */
  upsert?: boolean;
  /** How many recent event ids the document remembers (default 200). */
  keep?: number;
}

function isDuplicateKey(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 11000;
}

interface ModelLike {
  modelName: string;
  schema: { path(p: string): unknown };
  db: { name: string };
  collection: { collectionName: string };
}

function isPlainId(id: unknown): boolean {
  return (
    id !== undefined &&
    (typeof id !== "object" || id === null || !Object.keys(id).some((k) => k.startsWith("$")))
  );
}

/**
 * Applies `update` to the document matching `filter` unless that document already recorded `eventId`,
 * recording it in the SAME update. Returns true when the effect was applied, false when the event had
 * been applied before (or no document matches and upsert is off).
 */
export async function applyOnce(
  target: ApplyTarget,
  filter: object,
  eventId: string,
  update: object,
  opts: ApplyOnceOptions = {},
): Promise<boolean> {
  const keep = opts.keep ?? DEFAULT_PROCESSED_KEEP;
  const t = target as unknown as {
    findOneAndUpdate(f: object, u: object, o: object): Awaitable<unknown>;
    findOne(f: object): Awaitable<unknown>;
    updateOne(f: object, u: object): Awaitable<unknown>;
  };
  const model =
    typeof (target as unknown as ModelLike).modelName === "string"
      ? (target as unknown as ModelLike)
      : undefined;
  if (model && !model.schema.path(PROCESSED_FIELD)) {
    throw new Error(
      `applyOnce: model ${model.modelName} has no ${PROCESSED_FIELD} path; add processedPlugin to its schema`,
    );
  }
  const options = model
    ? { returnDocument: "after", upsert: opts.upsert ?? false, lean: true }
    : { returnDocument: "after", upsert: opts.upsert ?? false };
  // FerretDB 1.24 loses one of two racing updates of a document: when the filter names the document,
  // the update takes the platform's per-document lock (see @lto/mongo doc-lock).
  const keyOf = (id: unknown) =>
    !isPlainId(id)
      ? undefined
      : model
        ? docLockKey({ dbName: model.db.name, collectionName: model.collection.collectionName }, id)
        : docLockKey(target as unknown as { dbName?: string; collectionName: string }, id);
  const locked = <R>(key: string | undefined, fn: () => Promise<R>): Promise<R> =>
    key && !takesDocLocks(target) ? withDocLock(key, fn) : fn();

  let doc: { _id?: unknown; [PROCESSED_FIELD]?: unknown } | null;
  try {
    doc = await locked(
      keyOf((filter as { _id?: unknown })._id),
      async () =>
        (await t.findOneAndUpdate(
          { ...filter, ...processedFilter(eventId) },
          dedupeUpdate(eventId, update),
          options,
        )) as typeof doc,
    );
  } catch (err) {
    // An upsert whose document exists and already has the id collides on the unique key: confirm by
    // reading rather than trusting the error code alone.
    if (opts.upsert && isDuplicateKey(err) && (await t.findOne({ ...filter, [PROCESSED_FIELD]: eventId })))
      return false;
    throw err;
  }
  if (!doc) return false;
  const seen = doc[PROCESSED_FIELD];
  const excess = Array.isArray(seen) ? seen.length - keep : 0;
  const docId = doc._id;
  for (let i = 0; i < excess; i++) {
    await locked(keyOf(docId), async () =>
      t.updateOne(
        { _id: docId, [`${PROCESSED_FIELD}.${keep}`]: { $exists: true } },
        { $pop: { [PROCESSED_FIELD]: -1 } },
      ),
    );
  }
  return true;
}

/** What ProcessedEvents needs of a collection (native driver or mongoose connection collection). */
interface ProcessedCollection {
  insertOne(doc: object): Promise<unknown>;
  findOne(filter: object): Promise<unknown>;
  deleteOne(filter: object): Promise<unknown>;
  deleteMany(filter: object): Promise<{ deletedCount?: number }>;
  createIndex(spec: object): Promise<unknown>;
}

/** A native Db or a mongoose Connection. */
export interface CollectionProvider {
  collection(name: string): unknown;
}

/**
 * Processed event ids of one consumer group in their own collection (`_id = <group>:<eventId>`), for
 * handlers whose effect is an upsert. No TTL index (FerretDB has none): `sweep` deletes old records.
 */
export class ProcessedEvents {
  private readonly coll: ProcessedCollection;

  constructor(
    db: CollectionProvider,
    readonly group: string,
    collectionName = "processed_events",
  ) {
    this.coll = db.collection(collectionName) as ProcessedCollection;
  }

  private key(eventId: string): string {
    return `${this.group}:${eventId}`;
  }

  /** The index sweep() uses (call from the service's explicit index creation). */
  async ensureIndexes(): Promise<void> {
    await this.coll.createIndex({ at: 1 });
  }

  async has(eventId: string): Promise<boolean> {
    return (await this.coll.findOne({ _id: this.key(eventId) })) !== null;
  }

  /** Records the id; true for the first writer, false when it was already recorded. */
  async claim(eventId: string): Promise<boolean> {
    try {
      await this.coll.insertOne({ _id: this.key(eventId), group: this.group, eventId, at: new Date() });
      return true;
    } catch (err) {
      if (isDuplicateKey(err) && (await this.has(eventId))) return false;
      throw err;
    }
  }

  /** Forgets the id (e.g. when the effect after a claim failed). */
  async release(eventId: string): Promise<void> {
    await this.coll.deleteOne({ _id: this.key(eventId) });
  }

  /**
   * Runs `effect` unless the id is recorded, then records it; true when it ran. The effect comes first
   * so a crash in between repeats it rather than losing it: it must be an upsert or otherwise
   * repeatable. Returns false for an id already recorded.
   */
  async once(eventId: string, effect: () => Promise<void>): Promise<boolean> {
    if (await this.has(eventId)) return false;
    await effect();
    await this.claim(eventId);
    return true;
  }

  /** Deletes records older than `before`; returns how many. */
  async sweep(before: Date): Promise<number> {
    const r = await this.coll.deleteMany({ group: this.group, at: { $lt: before } });
    return r.deletedCount ?? 0;
  }
}
