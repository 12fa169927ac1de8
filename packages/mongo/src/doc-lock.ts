// FerretDB 1.24 (SQLite backend) can lose a concurrent update of the SAME document: two updates
// both report a match, and the later one is computed from a stale read, even when its filter names
// the version. An outbox relay's `$pullAll` racing a state change is enough to lose the change, and
// two optimistic writers of one version can both "win". Inserts with a unique key are safe.
//
// So, within one process, every update of one document is serialized through this lock: the
// repositories, `updateVersioned` and the outbox relay all take it, keyed by database, collection
// and `_id`. MongoDB 8 (compose, cluster) needs none of this and is barely slowed by it; with
// FerretDB, run one replica per service.
import type { Collection, Document } from "mongodb";

const tails = new Map<string, Promise<void>>();

/** The lock key of one document: the same for a native collection and a mongoose model's. */
export function docLockKey(collection: { dbName?: string; collectionName: string }, id: unknown): string {
  return `${collection.dbName ?? ""}.${collection.collectionName}:${String(id)}`;
}

/** Runs `fn` after every earlier holder of `key` in this process has finished. */
export async function withDocLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const prev = tails.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((r) => (release = r));
  const tail = prev.then(() => mine);
  tails.set(key, tail);
  await prev;
  try {
    return await fn();
  } finally {
    release();
    if (tails.get(key) === tail) tails.delete(key);
  }
}

const LOCKED = new Set(["updateOne", "replaceOne", "findOneAndUpdate", "findOneAndReplace"]);

const LOCKED_MARK = Symbol.for("lto.lockedCollection");

/** True for a collection made by lockedCollection: its updates take the lock already (not reentrant). */
export function takesDocLocks(col: object): boolean {
  return (col as Record<symbol, unknown>)[LOCKED_MARK] === true;
}

/** A collection whose single-document updates by `_id` take the document's lock. */
export function lockedCollection<D extends Document>(col: Collection<D>): Collection<D> {
  return new Proxy(col, {
    get(target, prop, receiver) {
      if (prop === LOCKED_MARK) return true;
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== "function") return value;
      if (typeof prop !== "string" || !LOCKED.has(prop))
        return (value as (...a: unknown[]) => unknown).bind(target);
      return (filter: { _id?: unknown }, ...rest: unknown[]) => {
        const call = () => (value as (...a: unknown[]) => Promise<unknown>).call(target, filter, ...rest);
        const id = filter?._id;
        return id !== undefined && (typeof id !== "object" || id === null || !isOperator(id))
          ? withDocLock(docLockKey(target, id), call)
          : call();
      };
    },
  });
}

function isOperator(v: object): boolean {
  return Object.keys(v).some((k) => k.startsWith("$"));
}
