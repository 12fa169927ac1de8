// The claim ledger on the real store, with two stores on one database standing for two instances of a
// service: 1,000 identical claims have one winner and leave nothing of the losers; overlapping claims
// never share a key; release, settle and the sweeper's query touch only the claims they name.
import { getInfra, testDbName } from "@lto/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AggregateStore, type ClaimHolder, type ClaimLedger, type ClaimOutcome } from "../src/index.js";

const dbName = testDbName("claims");
let stores: AggregateStore[];
let ledgers: ClaimLedger<{ number?: number }>[];

beforeAll(async () => {
  const { mongoUrl } = await getInfra();
  stores = await Promise.all([0, 1].map(() => AggregateStore.open({ url: mongoUrl, dbName })));
  ledgers = stores.map((s) => s.claims<{ number?: number }>({ name: "claims" }));
  await stores[0]!.ensureIndexes();
  await stores[1]!.ensureIndexes(); // a second start on existing indexes
});

afterAll(async () => {
  await stores?.[0]?.connection.dropDatabase();
  await Promise.all((stores ?? []).map((s) => s.close()));
});

let seq = 0;
/** A fresh attempt of a holder. */
const holder = (holderId: string, at = new Date()): ClaimHolder => ({
  holderId,
  claim: `${holderId}/attempt-${++seq}`,
  at,
});
/** Keys `<prefix>:u01`.. of one test (zero-padded: string order is numeric order). */
const keys = (prefix: string, from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `${prefix}:u${String(from + i).padStart(2, "0")}`);
const ledger = (i: number) => ledgers[i % 2]!;
const docsOf = (prefix: string) =>
  ledgers[0]!.collection
    .find({ _id: { $gte: `${prefix}:`, $lt: `${prefix};` } })
    .sort({ _id: 1 })
    .toArray();

describe("claim ledger on the real store", () => {
  it("1,000 concurrent claims of the same 14 keys over two instances: one winner, its 14 claims, nothing of the losers", async () => {
    const wanted = keys("same", 1, 14);
    const holders = Array.from({ length: 1000 }, (_, i) => holder(`booking-${i}`));
    // Each contender lists the keys in another order: the ledger sorts them.
    const outcomes = await Promise.all(
      holders.map((h, i) =>
        ledger(i).claimAll(i % 3 ? wanted : [...wanted].reverse(), h, () => ({ group: "same" })),
      ),
    );
    const winners = holders.filter((_, i) => outcomes[i]!.ok);
    expect(winners).toHaveLength(1);
    // Every loser clashed on the lowest key, so none inserted anything.
    expect(outcomes.filter((o) => !o.ok)).toEqual(
      Array.from({ length: 999 }, () => ({ ok: false, taken: wanted[0] })),
    );
    const docs = await docsOf("same");
    expect(docs.map((d) => d._id)).toEqual(wanted);
    expect(new Set(docs.map((d) => d.claim))).toEqual(new Set([winners[0]!.claim]));
    expect(docs.every((d) => d.holderId === winners[0]!.holderId && d.settled === false)).toBe(true);
    expect(await ledgers[1]!.countGroup("same")).toBe(14);
  }, 180_000);

  it("overlapping claims racing over two instances never share a key, leave no leftovers, and someone wins", async () => {
    // A needs u01-u04, B u03-u06, C u06-u09: B overlaps both, A and C may both win.
    const sets = { A: keys("overlap", 1, 4), B: keys("overlap", 3, 6), C: keys("overlap", 6, 9) };
    const contenders = (["A", "B", "C"] as const).flatMap((kind) =>
      Array.from({ length: 60 }, (_, i) => ({ kind, h: holder(`${kind}-${i}`) })),
    );
    contenders.sort(() => Math.random() - 0.5);
    const outcomes = await Promise.all(contenders.map((c, i) => ledger(i).claimAll(sets[c.kind], c.h)));
    const winners = contenders.filter((_, i) => outcomes[i]!.ok);
    expect(winners.length).toBeGreaterThanOrEqual(1);
    const won = winners.flatMap((w) => sets[w.kind]);
    expect(new Set(won).size).toBe(won.length); // no key in two winners' sets
    const docs = await docsOf("overlap");
    expect(docs.map((d) => d._id)).toEqual([...won].sort());
    for (const w of winners)
      expect(docs.filter((d) => d.claim === w.h.claim).map((d) => d._id)).toEqual(sets[w.kind]);
    // Each loser names one of its own keys as the one it found taken.
    contenders.forEach((c, i) => {
      const o = outcomes[i]!;
      if (!o.ok) expect(sets[c.kind]).toContain((o as Extract<ClaimOutcome, { ok: false }>).taken);
    });
  }, 120_000);

  it("gives back what it inserted on a clash, names the first taken key (in ascending order), keeps extra fields", async () => {
    const blocker = holder("blocker");
    expect(await ledgers[0]!.claimAll(keys("partial", 3, 3), blocker)).toEqual({ ok: true });
    const h = holder("late");
    expect(
      await ledgers[1]!.claimAll(keys("partial", 1, 5).reverse(), h, (key) => ({
        group: "partial",
        number: Number(key.slice(-2)),
      })),
    ).toEqual({ ok: false, taken: "partial:u03" });
    expect((await docsOf("partial")).map((d) => d._id)).toEqual(["partial:u03"]);
    // Once free, the same keys are claimed with their group and extra fields.
    await ledgers[0]!.release(keys("partial", 3, 3), { claim: blocker.claim });
    expect(
      await ledgers[1]!.claimAll(keys("partial", 1, 2), h, (key) => ({
        group: "partial",
        number: Number(key.slice(-2)),
      })),
    ).toEqual({ ok: true });
    expect(await ledgers[0]!.ofGroup("partial")).toEqual([
      expect.objectContaining({ key: "partial:u01", number: 1, holderId: "late", claim: h.claim }),
      expect.objectContaining({ key: "partial:u02", number: 2, settled: false, claimedAt: h.at }),
    ]);
    expect((await ledgers[0]!.holdersOf(["partial:u02", "partial:u09"])).map((c) => c.key)).toEqual([
      "partial:u02",
    ]);
    await expect(
      ledgers[0]!.claimAll(["partial:x"], holder("bad"), () => ({ settled: true }) as never),
    ).rejects.toThrow(/settled/);
    await expect(ledgers[0]!.claimAll([], holder("none"))).rejects.toThrow(RangeError);
  });

  it("treats a clash with its own claim token as its own (the same attempt run again after a crash)", async () => {
    const h = holder("rerun");
    expect(await ledgers[0]!.claimAll(keys("rerun", 1, 3), h)).toEqual({ ok: true });
    expect(await ledgers[1]!.claimAll(keys("rerun", 1, 4), h)).toEqual({ ok: true });
    // Another attempt of the same holder is not the same attempt.
    expect(await ledgers[1]!.claimAll(keys("rerun", 1, 1), holder("rerun"))).toEqual({
      ok: false,
      taken: "rerun:u01",
    });
    expect((await docsOf("rerun")).map((d) => d.claim)).toEqual([h.claim, h.claim, h.claim, h.claim]);
  });

  it("releases by claim only that attempt's keys, by holder any of its attempts, never someone else's", async () => {
    const first = holder("holder-r");
    const second = { ...holder("holder-r"), claim: "holder-r/other" };
    const other = holder("other-r");
    await ledgers[0]!.claimAll(keys("release", 1, 2), first);
    await ledgers[0]!.claimAll(keys("release", 3, 3), second);
    await ledgers[0]!.claimAll(keys("release", 4, 4), other);
    const all = keys("release", 1, 4);
    expect(await ledgers[1]!.release(all, { claim: first.claim })).toBe(2);
    expect((await docsOf("release")).map((d) => d._id)).toEqual(["release:u03", "release:u04"]);
    expect(await ledgers[1]!.release(all, { claim: first.claim })).toBe(0);
    expect(await ledgers[1]!.release(all, { holderId: "holder-r" })).toBe(1);
    expect((await docsOf("release")).map((d) => d.holderId)).toEqual(["other-r"]);
  });

  it("reads the claims of a key range [from, to) in key order, at most the limit", async () => {
    await ledger(0).claimAll(keys("range", 1, 6), holder("range-a"));
    await ledger(1).claimAll(keys("rangeb", 1, 2), holder("range-b"));
    const read = await ledger(1).inRange("range:u02", "range:u05");
    expect(read.map((c) => [c.key, c.holderId])).toEqual([
      ["range:u02", "range-a"],
      ["range:u03", "range-a"],
      ["range:u04", "range-a"],
    ]);
    expect((await ledger(0).inRange("range:", "range;", 2)).map((c) => c.key)).toEqual([
      "range:u01",
      "range:u02",
    ]);
    expect(await ledger(0).inRange("range:u05", "range:u05")).toEqual([]);
  });

  it("a rebuild's bulk writes: scans a key range in pages, removes a holder prefix's claims, inserts claims as given", async () => {
    const at = new Date("2030-01-01T10:00:00Z");
    await ledger(0).claimAll(keys("bulk", 1, 3), holder("kept-1", at));
    await ledger(0).claimAll(keys("bulk", 4, 5), holder("gone-1", at));
    await ledger(1).claimAll(keys("bulkx", 1, 1), holder("gone-2", at));
    const pages: string[][] = [];
    for await (const page of ledger(1).scanRange("bulk:", "bulk;", 2)) pages.push(page.map((c) => c.key));
    expect(pages).toEqual([keys("bulk", 1, 2), keys("bulk", 3, 4), keys("bulk", 5, 5)]);

    expect(await ledger(0).removeHoldersStartingWith("gone-")).toBe(3);
    expect((await docsOf("bulk")).map((d) => d.holderId)).toEqual(["kept-1", "kept-1", "kept-1"]);
    expect(await docsOf("bulkx")).toEqual([]);

    const claim = (key: string) => ({ key, holderId: "back", claim: "back#1", claimedAt: at, settled: true });
    // A taken key is refused (the others are written): the caller names what clashed.
    expect(await ledger(1).insertMany([claim("bulk:u03"), claim("bulk:u04"), claim("bulk:u05")])).toEqual([
      "bulk:u03",
    ]);
    expect(await ledger(0).get("bulk:u04")).toEqual({ ...claim("bulk:u04"), key: "bulk:u04" });
    expect((await ledger(0).get("bulk:u03"))?.holderId).toBe("kept-1");
    await expect(ledger(0).removeHoldersStartingWith("")).rejects.toThrow(RangeError);
    // A prefix is matched as text, not as a pattern.
    expect(await ledger(0).removeHoldersStartingWith("kept.")).toBe(0);
  });

  it("settles only the named attempt's claims; the sweeper's query finds old unsettled claims, oldest first", async () => {
    const old = new Date(Date.now() - 3_600_000);
    const crashed = holder("crashed", old);
    const older = holder("older", new Date(old.getTime() - 60_000));
    const done = holder("done", old);
    const fresh = holder("fresh");
    await ledgers[0]!.claimAll(keys("sweep", 1, 2), crashed);
    await ledgers[0]!.claimAll(keys("sweep", 3, 3), older);
    await ledgers[0]!.claimAll(keys("sweep", 4, 5), done);
    await ledgers[0]!.claimAll(keys("sweep", 6, 6), fresh);
    expect(await ledgers[1]!.settle(keys("sweep", 4, 5), crashed.claim)).toBe(0);
    expect(await ledgers[1]!.settle(keys("sweep", 4, 5), done.claim)).toBe(2);
    expect(await ledgers[1]!.settle(keys("sweep", 4, 5), done.claim)).toBe(0); // already settled

    const grace = new Date(Date.now() - 60_000);
    const found = (await ledgers[1]!.unsettled(grace, 100)).filter((c) => c.key.startsWith("sweep:"));
    expect(found.map((c) => c.key)).toEqual(["sweep:u03", "sweep:u01", "sweep:u02"]);
    expect((await ledgers[1]!.unsettled(grace, 1)).map((c) => c.key)).toHaveLength(1);

    // The sweeper releases by claim token: a newer claim of a swept key is never touched.
    for (const c of found.filter((c) => c.holderId === "crashed"))
      expect(await ledgers[0]!.release([c.key], { claim: c.claim })).toBe(1);
    const next = holder("next");
    expect(await ledgers[0]!.claimAll(keys("sweep", 1, 1), next)).toEqual({ ok: true });
    expect(await ledgers[1]!.release(keys("sweep", 1, 1), { claim: crashed.claim })).toBe(0);
    expect((await ledgers[0]!.get("sweep:u01"))?.claim).toBe(next.claim);
  });

  it("two instances releasing the same claim while a third claims the key: the new claim always survives", async () => {
    for (let round = 0; round < 25; round++) {
      const key = `relay:${round}`;
      const stale = holder(`stale-${round}`);
      expect(await ledgers[0]!.claimAll([key], stale)).toEqual({ ok: true });
      const next = holder(`next-${round}`);
      const claimUntilFree = async () => {
        for (;;) {
          if ((await ledgers[round % 2]!.claimAll([key], next)).ok) return;
          await new Promise((r) => setTimeout(r, 1));
        }
      };
      await Promise.all([
        ledgers[0]!.release([key], { claim: stale.claim }),
        ledgers[1]!.release([key], { claim: stale.claim }),
        claimUntilFree(),
        ledgers[0]!.settle([key], stale.claim),
      ]);
      // Whatever interleaving: the key ends held by the new claim, as it was inserted.
      const held = await ledgers[1]!.get(key);
      expect(held).toMatchObject({ claim: next.claim, settled: false });
    }
  }, 120_000);
});
