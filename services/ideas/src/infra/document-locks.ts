// FerretDB 1.24 (SQLite backend) applies concurrent updates of one document as read-modify-write
// without isolation: one of two racing updates is silently lost, version filter or not (see the
// store test). So every write this process makes to an existing document - the repositories' and
// the outbox relay's removal of published events - runs one at a time per document. MongoDB needs
// none of this; it costs one promise chain per busy document.
import type { mongo } from "mongoose";
import type { OutboxCollection } from "@lto/messaging";

export class DocumentLocks {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, write: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const tail = previous.then(() => new Promise<void>((resolve) => (release = resolve)));
    this.tails.set(key, tail);
    await previous;
    try {
      return await write();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}

/** The collection as the outbox relay sees it, its removals taking the same per-document locks. */
export function lockedOutboxCollection(collection: mongo.Collection, locks: DocumentLocks): OutboxCollection {
  return {
    collectionName: collection.collectionName,
    find: (filter, options) => collection.find(filter, options),
    aggregate: (pipeline) => collection.aggregate(pipeline as mongo.Document[]),
    updateOne: (filter, update) =>
      locks.run(`${collection.collectionName}:${String((filter as { _id?: unknown })._id)}`, () =>
        collection.updateOne(filter, update as mongo.UpdateFilter<mongo.Document>),
      ),
  };
}
