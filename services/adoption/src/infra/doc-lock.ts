// FINDING (FerretDB 1.24, SQLite backend): concurrent updates of the SAME document can be lost
// silently: both report modifiedCount 1 but the later write is computed from a stale read, even
// when the filter carries the version. The outbox relay's `$pullAll` racing a state change of the
// same document is enough to lose that state change. Inserts with a unique key are safe.
//
// So, within this process, every update of one document is serialized: the collections handed to
// the repositories and to the outbox relay take a per-document lock on updateOne/replaceOne when
// the filter names the `_id`. MongoDB 8 (production) does not need it and is not slowed by it.
import type { Collection, Document } from "mongodb";

const tails = new Map<string, Promise<void>>();

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

export function lockedCollection<D extends Document>(col: Collection<D>): Collection<D> {
  return new Proxy(col, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== "function") return value;
      if (typeof prop !== "string" || !LOCKED.has(prop))
        return (value as (...a: unknown[]) => unknown).bind(target);
      return (filter: { _id?: unknown }, ...rest: unknown[]) => {
        const call = () => (value as (...a: unknown[]) => Promise<unknown>).call(target, filter, ...rest);
        const id = filter?._id;
        return typeof id === "string" ? withDocLock(`${target.collectionName}:${id}`, call) : call();
      };
    },
  });
}
