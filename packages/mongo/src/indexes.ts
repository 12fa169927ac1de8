// The one way indexes are created, for mongoose models and native collections alike. FerretDB 1.24.2
// panics and drops the connection when `createIndexes` names several indexes that all exist already
// (every start after the first, every restart after a crash, every projection rebuild), so indexes
// are compared with listIndexes first and only the missing ones are created, one per command.
import type { Document } from "mongodb";

/** A plain, compound or unique index (the kinds both MongoDB 8 and FerretDB 1.24 support). */
export interface IndexSpec {
  key: Record<string, 1 | -1>;
  unique?: boolean;
  /** Default: the server's own name (`field_1_other_-1`). */
  name?: string;
}

/** What ensureCollectionIndexes needs of a collection (native driver or mongoose's collection). */
export interface IndexedCollection {
  readonly collectionName: string;
  createIndex(key: IndexSpec["key"], options: { unique?: boolean; name?: string }): Promise<string>;
  listIndexes(): { toArray(): Promise<Document[]> };
}

const sameKey = (a: Record<string, unknown>, b: Record<string, unknown>) =>
  JSON.stringify(Object.entries(a)) === JSON.stringify(Object.entries(b));

async function existingIndexes(col: IndexedCollection): Promise<Document[]> {
  try {
    return await col.listIndexes().toArray();
  } catch (err) {
    // NamespaceNotFound: the collection does not exist yet, so neither does any index.
    if ((err as { code?: unknown }).code === 26) return [];
    throw err;
  }
}

/**
 * Creates those of `specs` that `col` does not have yet (same key in the same order), one at a time.
 * Idempotent, and safe to run at every start. An index with the same key but another uniqueness
 * fails with a message saying what to drop, as MongoDB would refuse to create it anyway.
 * Returns the names of the indexes it created.
 */
export async function ensureCollectionIndexes(
  col: IndexedCollection,
  specs: readonly IndexSpec[],
): Promise<string[]> {
  const existing = await existingIndexes(col);
  const created: string[] = [];
  for (const spec of specs) {
    const found = existing.find((ix) => sameKey(ix.key as Record<string, unknown>, spec.key));
    if (found) {
      if (Boolean(found.unique) !== Boolean(spec.unique)) {
        throw new Error(
          `${col.collectionName}: index ${String(found.name)} on ${JSON.stringify(spec.key)} exists ` +
            `${found.unique ? "as" : "not as"} a unique index, but the code declares it ` +
            `${spec.unique ? "unique" : "not unique"}; drop that index and start again`,
        );
      }
      continue;
    }
    const name = await col.createIndex(spec.key, {
      ...(spec.unique ? { unique: true } : {}),
      ...(spec.name ? { name: spec.name } : {}),
    });
    created.push(name);
    existing.push({ key: spec.key, unique: spec.unique, name });
  }
  return created;
}
