// Writes to one document serialised across every process that uses the store.
//
// FerretDB 1.24 (both backends) applies an update by reading the document, changing it in Go and
// writing it back by `_id`: two racing updates of one document can both "match" and one is lost, even
// with the version in the filter. What it does atomically is a unique-key insert. So a writer first
// takes a lease on the document by inserting `{ _id: "<collection>:<id>", owner, until }` into a leases
// collection (E11000 = someone holds it: back off and retry), writes, and deletes its lease. A lease
// whose `until` has passed belongs to a dead holder and is taken over. Within one process, writers of
// one document queue first (no point racing our own inserts).
//
// MongoDB applies a filtered update atomically, so there the version filter is enough and no lease is
// written: `documentWriteGuard(db)` picks the guard from what the server says it is, at connect time.
import { randomUUID } from "node:crypto";
import { UnavailableError } from "@lto/errors";
import type { Collection, Db } from "mongodb";
import { isDuplicateKeyError } from "./connection.js";

/** Runs one write of one document with every other writer of that document (any process) kept out. */
export interface DocumentWriteGuard {
  readonly kind: "lease" | "none";
  run<T>(collection: string, id: string, write: () => Promise<T>): Promise<T>;
}

interface LeaseDoc {
  _id: string;
  owner: string;
  until: Date;
}

export interface LeaseOptions {
  /** Collection of the leases (default `_leases`). */
  collection?: string;
  /** A holder silent for this long is presumed dead and its lease taken over (default 10 s). */
  ttlMs?: number;
  /** Give up waiting after this long with a 503 the client may retry (default 15 s). */
  waitMs?: number;
}

/** True when the server is FerretDB (its buildInfo says so). */
export async function isFerretDb(db: Db): Promise<boolean> {
  const info = await db.admin().command({ buildInfo: 1 });
  return typeof info.ferretdbVersion === "string";
}

/** The guard this store needs: leases on FerretDB, nothing on MongoDB. */
export async function documentWriteGuard(db: Db, opts: LeaseOptions = {}): Promise<DocumentWriteGuard> {
  return (await isFerretDb(db)) ? leaseGuard(db, opts) : noGuard;
}

export const noGuard: DocumentWriteGuard = {
  kind: "none",
  run: (_collection, _id, write) => write(),
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Serialises writes per document with leases in `db` (see the top of this file). */
export function leaseGuard(db: Db, opts: LeaseOptions = {}): DocumentWriteGuard {
  const leases: Collection<LeaseDoc> = db.collection<LeaseDoc>(opts.collection ?? "_leases");
  const ttlMs = opts.ttlMs ?? 10_000;
  const waitMs = opts.waitMs ?? 15_000;
  const queues = new Map<string, Promise<void>>();

  async function acquire(key: string): Promise<string> {
    const owner = randomUUID();
    const deadline = Date.now() + waitMs;
    for (let attempt = 0; ; attempt++) {
      const now = new Date();
      try {
        await leases.insertOne({ _id: key, owner, until: new Date(now.getTime() + ttlMs) });
        return owner;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
      }
      const held = await leases.findOne({ _id: key });
      if (held && held.until.getTime() < now.getTime()) {
        // The holder died mid-write: its lease is void. Only that exact lease is removed.
        await leases.deleteOne({ _id: key, owner: held.owner });
        continue;
      }
      if (Date.now() > deadline) {
        throw new UnavailableError("The record is busy with other changes; retry in a moment", 1);
      }
      // Random backoff, growing to ~50 ms: contenders spread out instead of retrying in step.
      await sleep(Math.random() * Math.min(50, 2 ** Math.min(attempt, 6)));
    }
  }

  async function leased<T>(key: string, write: () => Promise<T>): Promise<T> {
    const owner = await acquire(key);
    try {
      return await write();
    } finally {
      await leases.deleteOne({ _id: key, owner }).catch(() => undefined); // expires by itself otherwise
    }
  }

  return {
    kind: "lease",
    async run(collection, id, write) {
      const key = `${collection}:${id}`;
      // Queue behind this process's earlier writers of the same document first.
      const previous = queues.get(key) ?? Promise.resolve();
      let release!: () => void;
      const mine = new Promise<void>((resolve) => (release = resolve));
      const tail = previous.then(() => mine);
      queues.set(key, tail);
      await previous;
      try {
        return await leased(key, write);
      } finally {
        release();
        if (queues.get(key) === tail) queues.delete(key);
      }
    },
  };
}
