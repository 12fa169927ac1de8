// Idempotent consumers on the real store (FerretDB 1.24 or MongoDB): the applied event's id recorded in
// the same update as its effect, a bounded memory of ids without $slice, and concurrent events on one
// document all applied.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDbName } from "@lto/testkit";
import { PROCESSED_KEEP, type AggregateCollection, type AggregateStore } from "../src/index.js";
import { COUNTERS, countOnce, openStore, type SchoolCounter } from "./helpers.js";

let store: AggregateStore;
let counters: AggregateCollection<SchoolCounter>;

beforeAll(async () => {
  store = await openStore(testDbName("store_idem"));
  counters = store.aggregates<SchoolCounter>(COUNTERS);
  await store.ensureIndexes();
});
afterAll(async () => {
  await store?.connection.dropDatabase();
  await store?.close();
});

const counter = (id: string): SchoolCounter => ({ id, version: 1, submitted: 0, lastTitle: "" });

/** The applied event ids as stored. */
async function applied(id: string): Promise<unknown> {
  return (await store.connection.db!.collection("school_counters").findOne({ _id: id as never }))?._processed;
}

/** One more submission counted by `eventId`, at the version read just before. */
async function inc(id: string, eventId: string) {
  const cur = (await counters.get(id))!;
  return counters.updateIf({ ...cur, submitted: cur.submitted + 1 }, cur.version, {
    processedEventId: eventId,
  });
}

const submittedEvent = (eventId: string, schoolId: string) => ({
  id: eventId,
  data: { schoolId, title: `t-${eventId}` } as Parameters<typeof countOnce>[1]["data"],
});

describe("consumed events applied once", () => {
  it("applies an event once, recording its id in the same update", async () => {
    await counters.insert(counter("s1"));
    expect(await inc("s1", "e1")).toMatchObject({ submitted: 1, version: 2 });
    expect(await inc("s1", "e1")).toBeUndefined();
    expect(await inc("s1", "e2")).toMatchObject({ submitted: 2, version: 3 });
    expect(await counters.get("s1")).toMatchObject({ submitted: 2 });
    expect(await applied("s1")).toEqual(["e1", "e2"]);
  });

  it("creates the document on first sight and still dedupes (the insert records the event id)", async () => {
    expect(await countOnce(counters, submittedEvent("e1", "s2"))).toBe(true);
    expect(await countOnce(counters, submittedEvent("e1", "s2"))).toBe(false);
    expect(await counters.get("s2")).toMatchObject({ submitted: 1 });
    expect(await applied("s2")).toEqual(["e1"]);
  });

  it("concurrent events on one document all apply (FerretDB 1.24 alone would lose some)", async () => {
    await counters.insert(counter("s4"));
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => countOnce(counters, submittedEvent(`e${i}`, "s4"))),
    );
    expect(results.every(Boolean)).toBe(true);
    expect((await counters.get("s4"))?.submitted).toBe(20);
    expect(await applied("s4")).toHaveLength(20);
  });

  it("applies nothing when no document matches", async () => {
    expect(await counters.updateIf(counter("nobody"), 1, { processedEventId: "e1" })).toBeUndefined();
    expect(await counters.markProcessed("nobody", "e1")).toBe(false);
    expect(await counters.get("nobody")).toBeUndefined();
  });

  it("keeps only the newest ids (bounded with $pop; FerretDB ignores $slice)", async () => {
    await counters.insert(counter("s3"));
    const total = PROCESSED_KEEP + 3;
    for (let i = 1; i <= total; i++) expect(await inc("s3", `e${i}`)).toBeDefined();
    expect(await counters.get("s3")).toMatchObject({ submitted: total });
    const ids = (await applied("s3")) as string[];
    expect(ids).toHaveLength(PROCESSED_KEEP);
    expect(ids[0]).toBe("e4");
    expect(ids.at(-1)).toBe(`e${total}`);
    expect(await counters.hasProcessed("s3", `e${total}`)).toBe(true);
    expect(await counters.hasProcessed("s3", "e3")).toBe(false);
  });
});
