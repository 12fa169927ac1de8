// The document write guard on the real store, with two clients standing for two processes (each has
// its own connection pool and its own guard, so nothing in-process helps them).
import { getInfra, testDbName } from "@lto/testkit";
import { MongoClient, type Collection, type Db } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentWriteGuard, isFerretDb, leaseGuard, type DocumentWriteGuard } from "../src/lease.js";

interface Counter {
  _id: string;
  n: number;
  version: number;
}

const dbName = testDbName("lease");
let clients: MongoClient[];
let dbs: Db[];
let guards: DocumentWriteGuard[];
let onFerretDb: boolean;

beforeAll(async () => {
  const { mongoUrl } = await getInfra();
  clients = await Promise.all([0, 1].map(() => new MongoClient(mongoUrl).connect()));
  dbs = clients.map((c) => c.db(dbName));
  onFerretDb = await isFerretDb(dbs[0]!);
  // Leases even on MongoDB here, so the mechanism itself is what is tested on any server.
  guards = dbs.map((db) => leaseGuard(db, { ttlMs: 2_000 }));
});

afterAll(async () => {
  await dbs?.[0]?.dropDatabase();
  await Promise.all((clients ?? []).map((c) => c.close()));
});

const counters = (i: number): Collection<Counter> => dbs[i % 2]!.collection<Counter>("counters");

describe("document write guard", () => {
  it("is a lease on FerretDB and nothing on MongoDB (decided by the server's buildInfo)", async () => {
    const guard = await documentWriteGuard(dbs[0]!);
    expect(guard.kind).toBe(onFerretDb ? "lease" : "none");
  });

  it("50 racing $inc from two clients all count", async () => {
    const id = "inc";
    await counters(0).insertOne({ _id: id, n: 0, version: 1 });
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        guards[i % 2]!.run("counters", id, () => counters(i).updateOne({ _id: id }, { $inc: { n: 1 } })),
      ),
    );
    expect((await counters(0).findOne({ _id: id }))?.n).toBe(50);
  });

  it("20 racing versioned updates from two clients have exactly one winner", async () => {
    const id = "versioned";
    await counters(0).insertOne({ _id: id, n: 0, version: 1 });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        guards[i % 2]!.run("counters", id, () =>
          counters(i).updateOne({ _id: id, version: 1 }, { $set: { n: i }, $inc: { version: 1 } }),
        ),
      ),
    );
    expect(results.filter((r) => r.modifiedCount === 1)).toHaveLength(1);
    expect((await counters(0).findOne({ _id: id }))?.version).toBe(2);
  });

  it("takes over the lease of a holder that died (its `until` has passed)", async () => {
    const id = "orphaned";
    await counters(0).insertOne({ _id: id, n: 0, version: 1 });
    await dbs[0]!
      .collection("_leases")
      .insertOne({ _id: `counters:${id}` as never, owner: "dead", until: new Date(Date.now() - 1) });
    await guards[1]!.run("counters", id, () => counters(1).updateOne({ _id: id }, { $inc: { n: 1 } }));
    expect((await counters(0).findOne({ _id: id }))?.n).toBe(1);
    expect(await dbs[0]!.collection("_leases").countDocuments({ _id: `counters:${id}` as never })).toBe(0);
  });

  it("waits for a live holder in another process and then writes", async () => {
    const id = "held";
    await counters(0).insertOne({ _id: id, n: 0, version: 1 });
    let releaseHolder!: () => void;
    const holderInside = new Promise<void>((inside) => {
      void guards[0]!.run("counters", id, async () => {
        inside();
        await new Promise<void>((r) => (releaseHolder = r));
        await counters(0).updateOne({ _id: id }, { $set: { n: 10 } });
      });
    });
    await holderInside;
    const order: string[] = [];
    const waiter = guards[1]!.run("counters", id, async () => {
      order.push("waiter");
      await counters(1).updateOne({ _id: id }, { $inc: { n: 1 } });
    });
    // Give the waiter many round trips' worth of chances to get in while the lease is held.
    for (let i = 0; i < 20; i++) await counters(1).findOne({ _id: id });
    order.push("holder releases");
    releaseHolder();
    await waiter;
    expect(order).toEqual(["holder releases", "waiter"]);
    expect((await counters(0).findOne({ _id: id }))?.n).toBe(11);
  });
});
