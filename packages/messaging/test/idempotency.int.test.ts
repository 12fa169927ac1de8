// The idempotency helpers on the real store (FerretDB 1.24 or MongoDB): the event id recorded in the
// same update as the effect, a bounded memory of ids without $slice, and the processed-events collection.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Schema } from "mongoose";
import { connectTestDb, type TestDb } from "@lto/testkit";
import { ProcessedEvents, applyOnce } from "../src/index.js";
import { counterModel } from "./helpers.js";

let db: TestDb;
let Counter: ReturnType<typeof counterModel>;

beforeAll(async () => {
  db = await connectTestDb({ prefix: "messaging_idem" });
  Counter = counterModel(db.connection);
});
afterAll(async () => {
  await db?.close();
});

describe("applyOnce", () => {
  it("applies an event once, recording its id in the same update", async () => {
    await Counter.create({ _id: "s1", submitted: 0 });
    expect(await applyOnce(Counter, { _id: "s1" }, "e1", { $inc: { submitted: 1 } })).toBe(true);
    expect(await applyOnce(Counter, { _id: "s1" }, "e1", { $inc: { submitted: 1 } })).toBe(false);
    expect(await applyOnce(Counter, { _id: "s1" }, "e2", { $inc: { submitted: 1 } })).toBe(true);
    expect(await Counter.findById("s1").lean()).toMatchObject({ submitted: 2, _processed: ["e1", "e2"] });
  });

  it("upserts the document on first sight and still dedupes (the duplicate key is confirmed by reading)", async () => {
    expect(await applyOnce(Counter, { _id: "s2" }, "e1", { $inc: { submitted: 1 } }, { upsert: true })).toBe(
      true,
    );
    expect(await applyOnce(Counter, { _id: "s2" }, "e1", { $inc: { submitted: 1 } }, { upsert: true })).toBe(
      false,
    );
    expect(await Counter.findById("s2").lean()).toMatchObject({ submitted: 1, _processed: ["e1"] });
  });

  it("concurrent events on one document all apply (the document lock; FerretDB 1.24 would lose some)", async () => {
    await Counter.create({ _id: "s4", submitted: 0 });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        applyOnce(Counter, { _id: "s4" }, `e${i}`, { $inc: { submitted: 1 } }),
      ),
    );
    expect(results.every(Boolean)).toBe(true);
    const doc = await Counter.findById("s4").lean();
    expect(doc?.submitted).toBe(20);
    expect(doc?._processed).toHaveLength(20);
  });

  it("returns false when no document matches and upsert is off", async () => {
    expect(await applyOnce(Counter, { _id: "nobody" }, "e1", { $inc: { submitted: 1 } })).toBe(false);
  });

  it("keeps only the newest ids (bounded with $pop; FerretDB ignores $slice)", async () => {
    await Counter.create({ _id: "s3", submitted: 0 });
    for (let i = 1; i <= 7; i++) {
      expect(await applyOnce(Counter, { _id: "s3" }, `e${i}`, { $inc: { submitted: 1 } }, { keep: 3 })).toBe(
        true,
      );
    }
    expect(await Counter.findById("s3").lean()).toMatchObject({
      submitted: 7,
      _processed: ["e5", "e6", "e7"],
    });
  });

  it("works on a native collection too", async () => {
    const coll = db.connection.db!.collection<{ _id: string; n: number }>("native_counters");
    await coll.insertOne({ _id: "x", n: 0 });
    expect(await applyOnce(coll, { _id: "x" }, "e1", { $inc: { n: 1 } })).toBe(true);
    expect(await applyOnce(coll, { _id: "x" }, "e1", { $inc: { n: 1 } })).toBe(false);
    expect(await coll.findOne({ _id: "x" })).toEqual({ _id: "x", n: 1, _processed: ["e1"] });
  });

  it("refuses a model whose schema lacks _processed (strict mode would drop the record silently)", async () => {
    const Plain = db.connection.model("Plain", new Schema({ _id: String, n: Number }), "plain");
    await expect(applyOnce(Plain, { _id: "p" }, "e1", { $inc: { n: 1 } })).rejects.toThrow(/processedPlugin/);
  });
});

describe("ProcessedEvents", () => {
  it("first writer wins, once() runs an upsert effect a single time, sweep forgets old ids", async () => {
    const processed = new ProcessedEvents(db.connection, "group-a");
    const other = new ProcessedEvents(db.connection, "group-b");
    await processed.ensureIndexes();
    expect(await processed.claim("e1")).toBe(true);
    expect(await processed.claim("e1")).toBe(false);
    expect(await other.claim("e1")).toBe(true); // groups are independent

    let runs = 0;
    const effect = async () => {
      runs += 1;
      await db.connection
        .db!.collection("projection")
        .updateOne({ _id: "i1" as never }, { $set: { title: "t" } }, { upsert: true });
    };
    expect(await processed.once("e2", effect)).toBe(true);
    expect(await processed.once("e2", effect)).toBe(false);
    expect(runs).toBe(1);

    await processed.release("e1");
    expect(await processed.has("e1")).toBe(false);
    expect(await processed.sweep(new Date(Date.now() + 1000))).toBe(1); // e2
    expect(await other.has("e1")).toBe(true);
  });
});
