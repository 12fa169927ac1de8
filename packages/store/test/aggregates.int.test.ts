// The aggregate store on the real store: what services rely on, including two stores on one database
// standing for two instances of a service.
import { NotFoundError, PreconditionFailedError, ValidationError } from "@lto/errors";
import { IdeaSubmittedEvent } from "@lto/contracts";
import { idempotentRequestToken, platformIds, runIdempotentRequest } from "@lto/http-kit";
import { pendingEvent } from "@lto/messaging";
import { getInfra, testDbName } from "@lto/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AggregateStore, PROCESSED_KEEP, type AggregateCollection } from "../src/index.js";

interface Idea {
  id: string;
  version: number;
  schoolId: string;
  title: string;
  state: string;
  answer?: string;
  likes: number;
}

const dbName = testDbName("store");
let stores: AggregateStore[];
let ideas: AggregateCollection<Idea>[];

const spec = {
  name: "ideas",
  indexes: [{ key: { schoolId: 1, _id: -1 } }, { key: { slot: 1 }, unique: true }],
  derived: {
    fields: ["words", "slot"],
    of: (i: Idea) => ({ words: i.title.toLowerCase().split(/\s+/), slot: `${i.schoolId}:${i.title}` }),
  },
  optional: ["answer"],
} as const;

const idea = (id: string, over: Partial<Idea> = {}): Idea => ({
  id,
  version: 1,
  schoolId: "school-1",
  title: `Idea ${id}`,
  state: "draft",
  likes: 0,
  ...over,
});

const event = (id: string) =>
  pendingEvent(IdeaSubmittedEvent, id, IdeaSubmittedEvent.create({ ideaId: id, title: "t" }));

beforeAll(async () => {
  const { mongoUrl } = await getInfra();
  stores = await Promise.all([0, 1].map(() => AggregateStore.open({ url: mongoUrl, dbName })));
  ideas = stores.map((s) => s.aggregates<Idea>(spec));
  await stores[0]!.ensureIndexes();
  await stores[1]!.ensureIndexes(); // a second start on existing indexes
});

afterAll(async () => {
  await stores?.[0]?.connection.dropDatabase();
  await Promise.all((stores ?? []).map((s) => s.close()));
});

describe("aggregate store", () => {
  it("stores state with its events and reads back the state only", async () => {
    expect(await ideas[0]!.insert(idea("i-1", { answer: "yes" }), { events: [event("i-1")] })).toBe(true);
    expect(await ideas[0]!.get("i-1")).toEqual(idea("i-1", { answer: "yes" }));
    const raw = await stores[0]!.connection.db!.collection("ideas").findOne({ _id: "i-1" as never });
    expect(raw).toMatchObject({ _pending: true, slot: "school-1:Idea i-1", words: ["idea", "i-1"] });
    expect(raw?._outbox).toHaveLength(1);
  });

  it("refuses a second aggregate on a taken unique slot (false, nothing stored)", async () => {
    expect(await ideas[0]!.insert(idea("i-2", { title: "Idea i-1" }))).toBe(false);
    expect(await ideas[0]!.get("i-2")).toBeUndefined();
  });

  it("writes the next version, removes dropped optional fields, and answers 412 / 404 as clients expect", async () => {
    const next = await ideas[0]!.update({ ...idea("i-1"), state: "submitted" }, 1);
    expect(next).toMatchObject({ version: 2, state: "submitted" });
    expect(await ideas[0]!.get("i-1")).toEqual({ ...idea("i-1"), state: "submitted", version: 2 });
    const stale = await ideas[1]!.update({ ...idea("i-1"), state: "x" }, 1).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(PreconditionFailedError);
    expect((stale as PreconditionFailedError).details).toEqual({ currentVersion: 2 });
    expect((await ideas[0]!.get("i-1"))?.state).toBe("submitted"); // the stale write changed nothing
    await expect(ideas[1]!.update(idea("missing"), 1)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("updateIf with an expectation that no longer holds writes nothing", async () => {
    expect(await ideas[0]!.updateIf({ ...idea("i-1"), state: "y" }, 2, { expect: { state: "draft" } })).toBe(
      undefined,
    );
    expect((await ideas[0]!.get("i-1"))?.state).toBe("submitted");
  });

  it("applies a consumed event once, and a known fact without a version bump", async () => {
    const current = (await ideas[0]!.get("i-1"))!;
    const applied = await ideas[0]!.updateIf({ ...current, likes: 1 }, current.version, {
      processedEventId: "ev-1",
    });
    expect(applied?.version).toBe(current.version + 1);
    // A redelivery: the same event again is refused by the store itself.
    expect(
      await ideas[1]!.updateIf({ ...applied!, likes: 2 }, applied!.version, { processedEventId: "ev-1" }),
    ).toBe(undefined);
    expect(await ideas[0]!.hasProcessed("i-1", "ev-1")).toBe(true);
    // A fact the aggregate already knows: recorded, version (ETag) untouched.
    expect(await ideas[0]!.markProcessed("i-1", "ev-2")).toBe(true);
    expect(await ideas[0]!.markProcessed("i-1", "ev-2")).toBe(false);
    expect((await ideas[0]!.get("i-1"))?.version).toBe(applied!.version);
  });

  it("inserts a document with the many events it applied at once (a replay folded in memory)", async () => {
    const ids = Array.from({ length: PROCESSED_KEEP + 2 }, (_, i) => `fold-${i}`);
    expect(await ideas[0]!.insert(idea("i-fold"), { processedEventIds: ids })).toBe(true);
    expect(await ideas[0]!.hasProcessed("i-fold", `fold-${PROCESSED_KEEP + 1}`)).toBe(true);
    expect(await ideas[0]!.hasProcessed("i-fold", "fold-1")).toBe(false); // only the newest are kept
    expect(await ideas[1]!.markProcessed("i-fold", `fold-${PROCESSED_KEEP}`)).toBe(false);
  });

  it("inserts many in bulk exactly as one by one, names the ones a unique index refused, and scans them", async () => {
    const raw = stores[0]!.connection.db!.collection("ideas");
    await ideas[0]!.insert(idea("bulk-one"), { processedEventIds: ["e-1"] });
    await ideas[0]!.insert(idea("bulk-taken"));
    const many = Array.from({ length: 2_500 }, (_, i) => ({ aggregate: idea(`bulk-${i}`) }));
    const refused = await ideas[1]!.insertMany([
      { aggregate: idea("bulk-one-twin", { title: "Idea bulk-one-twin" }), processedEventIds: ["e-1"] },
      { aggregate: idea("bulk-taken", { title: "another title" }) }, // its id is taken
      { aggregate: idea("bulk-slot", { title: "Idea bulk-one" }) }, // its unique slot is taken
      ...many,
    ]);
    expect(refused.sort()).toEqual(["bulk-slot", "bulk-taken"]);
    expect(await ideas[0]!.count({ _id: { $regex: "^bulk-[0-9]+$" } })).toBe(2_500);
    const pages: Idea[][] = [];
    for await (const page of ideas[0]!.scan({ _id: { $regex: "^bulk-[0-9]+$" } }, 1_000)) pages.push(page);
    expect(pages.map((p) => p.length)).toEqual([1_000, 1_000, 500]); // one query, read a batch at a time
    expect(new Set(pages.flat().map((i) => i.id)).size).toBe(2_500);
    expect((await ideas[0]!.get("bulk-taken"))?.title).toBe("Idea bulk-taken");
    const [one, twin] = await Promise.all(
      ["bulk-one", "bulk-one-twin"].map((id) => raw.findOne({ _id: id as never })),
    );
    const { _id: _a, slot: _s1, words: _w1, title: _t1, ...oneRest } = one!;
    const { _id: _b, slot: _s2, words: _w2, title: _t2, ...twinRest } = twin!;
    expect(twinRest).toStrictEqual(oneRest); // the same internal fields: outbox, applied ids
    expect(await ideas[0]!.hasProcessed("bulk-one-twin", "e-1")).toBe(true);
  });

  it("remembers only the newest applied event ids", async () => {
    await ideas[0]!.insert(idea("i-keep"));
    for (let i = 0; i < PROCESSED_KEEP + 3; i++) await ideas[0]!.markProcessed("i-keep", `e-${i}`);
    const raw = await stores[0]!.connection.db!.collection("ideas").findOne({ _id: "i-keep" as never });
    expect(raw?._processed).toHaveLength(PROCESSED_KEEP);
    expect(raw?._processed[PROCESSED_KEEP - 1]).toBe(`e-${PROCESSED_KEEP + 2}`);
  });

  it("pages newest first with its own cursor, and refuses one it did not issue (400)", async () => {
    for (let i = 0; i < 5; i++) await ideas[0]!.insert(idea(`p-${i}`, { schoolId: "school-p" }));
    const first = await ideas[0]!.page({ schoolId: "school-p" }, { limit: 3 });
    expect(first.items.map((i) => i.id)).toEqual(["p-4", "p-3", "p-2"]);
    const second = await ideas[1]!.page({ schoolId: "school-p" }, { limit: 3, cursor: first.nextCursor! });
    expect(second.items.map((i) => i.id)).toEqual(["p-1", "p-0"]);
    expect(second.nextCursor).toBeUndefined();
    for (const bad of ["MQ", "bnVsbA", "eyIkZ3QiOiIifQ", "eyJpZCI6eyIkZ3QiOiIifX0"]) {
      await expect(ideas[0]!.page({}, { limit: 3, cursor: bad })).rejects.toBeInstanceOf(ValidationError);
    }
  });

  it("pages in a field's order with the id breaking ties, and refuses a cursor of another order (400)", async () => {
    const at = (day: number) => new Date(Date.UTC(2026, 0, day));
    for (const [id, likes] of [
      ["o-1", 5],
      ["o-2", 1],
      ["o-3", 5],
      ["o-4", 3],
      ["o-5", 1],
    ] as const)
      await ideas[0]!.insert(idea(id, { schoolId: "school-o", likes, title: `o ${id}` }));
    const walk = async (order: { field: string; direction: 1 | -1 }) => {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const p = await ideas[1]!.page(
          { schoolId: "school-o" },
          { limit: 2, ...(cursor ? { cursor } : {}) },
          order,
        );
        seen.push(...p.items.map((i) => i.id));
        cursor = p.nextCursor;
      } while (cursor);
      return seen;
    };
    expect(await walk({ field: "likes", direction: 1 })).toEqual(["o-2", "o-5", "o-4", "o-1", "o-3"]);
    expect(await walk({ field: "likes", direction: -1 })).toEqual(["o-3", "o-1", "o-4", "o-5", "o-2"]);
    // dates resume as dates
    const dated = stores[0]!.aggregates<{ id: string; version: number; at: Date }>({ name: "dated" });
    for (const [id, day] of [
      ["d-1", 3],
      ["d-2", 1],
      ["d-3", 2],
    ] as const)
      await dated.insert({ id, version: 1, at: at(day) });
    const first = await dated.page({}, { limit: 2 }, { field: "at", direction: 1 });
    expect(first.items.map((d) => d.id)).toEqual(["d-2", "d-3"]);
    const second = await dated.page(
      {},
      { limit: 2, cursor: first.nextCursor! },
      { field: "at", direction: 1 },
    );
    expect(second.items.map((d) => d.id)).toEqual(["d-1"]);
    expect(second.nextCursor).toBeUndefined();
    // an id-order cursor is not a position of this order, nor the reverse
    const byId = await ideas[0]!.page({ schoolId: "school-o" }, { limit: 2 });
    await expect(
      ideas[0]!.page({}, { limit: 2, cursor: byId.nextCursor! }, { field: "likes", direction: 1 }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(ideas[0]!.page({}, { limit: 2, cursor: first.nextCursor! })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });

  it("answers a short $in (one query per value on FerretDB's index) like MongoDB: merged in order, each match once", async () => {
    const tagged = stores[0]!.aggregates<{
      id: string;
      version: number;
      key: string;
      tags: string[];
      at: Date;
    }>({
      name: "tagged",
      indexes: [{ key: { key: 1, at: -1, _id: -1 } }, { key: { tags: 1 } }],
    });
    await tagged.ensureIndexes([]);
    const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 9, minute));
    const rows = [
      ["t-1", "a", ["x"], 1],
      ["t-2", "b", ["x", "y"], 2],
      ["t-3", "a", ["y"], 3],
      ["t-4", "c", ["x"], 4],
      ["t-5", "b", ["y"], 3],
      ["t-6", "a", ["z"], 6],
    ] as const;
    for (const [id, key, tags, minute] of rows)
      await tagged.insert({ id, version: 1, key, tags: [...tags], at: at(minute) });

    const ids = (list: { id: string }[]) => list.map((t) => t.id);
    expect(ids(await tagged.find({ key: { $in: ["a", "b"] } }, 10, { at: -1, _id: -1 }))).toEqual([
      "t-6",
      "t-5",
      "t-3",
      "t-2",
      "t-1",
    ]);
    expect(ids(await tagged.find({ key: { $in: ["a", "b"] } }, 2, { at: -1, _id: -1 }))).toEqual([
      "t-6",
      "t-5",
    ]);
    // an array field: t-2 matches both values and comes once
    expect(ids(await tagged.find({ tags: { $in: ["x", "y"] } }, 10, { _id: 1 }))).toEqual([
      "t-1",
      "t-2",
      "t-3",
      "t-4",
      "t-5",
    ]);
    expect(ids(await tagged.getMany(["t-4", "t-1", "t-1", "nope"])).sort()).toEqual(["t-1", "t-4"]);

    // pages of an $in, in a field's order and by id, resume where they stopped
    const walk = async (order?: { field: string; direction: 1 | -1 }) => {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const p = await tagged.page(
          { key: { $in: ["a", "b"] } },
          { limit: 2, ...(cursor ? { cursor } : {}) },
          order,
        );
        seen.push(...ids(p.items));
        cursor = p.nextCursor;
      } while (cursor);
      return seen;
    };
    expect(await walk({ field: "at", direction: -1 })).toEqual(["t-6", "t-5", "t-3", "t-2", "t-1"]);
    expect(await walk({ field: "at", direction: 1 })).toEqual(["t-1", "t-2", "t-3", "t-5", "t-6"]);
    expect(await walk()).toEqual(["t-6", "t-5", "t-3", "t-2", "t-1"]);
  });

  it("a read model keeps its source's version (nextVersion), sorts as asked, and drops what it rebuilt", async () => {
    await ideas[0]!.insert(idea("v-1", { schoolId: "school-v", version: 7, likes: 2 }));
    await ideas[0]!.insert(idea("v-2", { schoolId: "school-v", version: 3, likes: 9 }));
    // a snapshot of version 9 replaces version 7 (not 8); a marker write keeps the version
    const snapshot = await ideas[1]!.updateIf({ ...idea("v-1", { schoolId: "school-v" }), likes: 3 }, 7, {
      nextVersion: 9,
    });
    expect(snapshot?.version).toBe(9);
    expect(await ideas[0]!.updateIf({ ...snapshot!, answer: "m" }, 9, { nextVersion: 9 })).toMatchObject({
      version: 9,
      answer: "m",
    });
    expect((await ideas[0]!.get("v-1"))?.version).toBe(9);
    const byLikes = await ideas[0]!.find({ schoolId: "school-v" }, 10, { likes: -1 });
    expect(byLikes.map((i) => i.id)).toEqual(["v-2", "v-1"]);
    expect(await ideas[0]!.deleteMany({ schoolId: "school-v" })).toBe(2);
    expect(await ideas[0]!.count({ schoolId: "school-v" })).toBe(0);
  });

  it("two instances racing versioned writes of one aggregate: exactly one wins each version", async () => {
    await ideas[0]!.insert(idea("race"));
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => ideas[i % 2]!.updateIf({ ...idea("race"), likes: i }, 1)),
    );
    expect(results.filter((r) => r !== undefined)).toHaveLength(1);
    // And 40 read-modify-write increments through both lose nothing.
    const bump = async (i: number) => {
      for (;;) {
        const cur = (await ideas[i % 2]!.get("race"))!;
        if (await ideas[i % 2]!.updateIf({ ...cur, likes: cur.likes + 1 }, cur.version)) return;
      }
    };
    const before = (await ideas[0]!.get("race"))!.likes;
    await Promise.all(Array.from({ length: 40 }, (_, i) => bump(i)));
    expect((await ideas[0]!.get("race"))!.likes).toBe(before + 40);
  });

  it("a re-run of an idempotent request finds its own insert (true, nothing written twice); others' clash", async () => {
    const firstClaimedAt = new Date(Date.now() - 60_000);
    const request = (key: string) => ({ token: idempotentRequestToken("u1", key, "hash"), firstClaimedAt });
    // One run of the request: the id from the platform's generator, the insert with its event.
    const create = (store: number, key: string) =>
      runIdempotentRequest(request(key), async () => {
        const id = platformIds.newId();
        const inserted = await ideas[store]!.insert(idea(id, { title: `created by ${key}` }), {
          events: [event(id)],
        });
        return { id, inserted };
      });
    const first = await create(0, "k1");
    expect(first.inserted).toBe(true);
    // Its process died before completing the key; the retry runs on the other instance.
    const rerun = await create(1, "k1");
    expect(rerun).toEqual(first);
    const raw = stores[0]!.connection.db!.collection("ideas");
    expect(await raw.countDocuments({ title: "created by k1" })).toBe(1);
    const stored = await raw.findOne({ _id: first.id as never });
    expect(stored?._outbox).toHaveLength(1); // the re-run's event was not added
    expect(await ideas[0]!.get(first.id)).toEqual(idea(first.id, { title: "created by k1" }));

    // Another request (or none) clashing on the same id or slot is refused as ever.
    const other = await runIdempotentRequest(request("k2"), () =>
      ideas[0]!.insert(idea(first.id, { title: "created by k1" })),
    );
    expect(other).toBe(false);
    expect(await ideas[0]!.insert(idea(first.id, { title: "created by k1" }))).toBe(false);
    // The same request making a document on a slot another one holds is refused too.
    const slotTaken = await runIdempotentRequest(request("k3"), () =>
      ideas[0]!.insert(idea(platformIds.newId(), { title: "created by k1" })),
    );
    expect(slotTaken).toBe(false);
  });
});
