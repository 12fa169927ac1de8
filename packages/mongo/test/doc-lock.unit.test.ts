import { describe, expect, it } from "vitest";
import type { Collection } from "mongodb";
import { docLockKey, lockedCollection, takesDocLocks, withDocLock } from "../src/index.js";

describe("document lock", () => {
  it("runs the holders of one key one at a time, in arrival order", async () => {
    const order: string[] = [];
    const slow = (name: string, ms: number) =>
      withDocLock("db.c:1", async () => {
        order.push(`${name} in`);
        await new Promise((r) => setTimeout(r, ms));
        order.push(`${name} out`);
      });
    await Promise.all([slow("a", 20), slow("b", 1), withDocLock("db.c:2", async () => order.push("other"))]);
    expect(order.indexOf("a out")).toBeLessThan(order.indexOf("b in"));
    expect(order.indexOf("other")).toBeLessThan(order.indexOf("a out"));
  });

  it("marks locked collections so a caller that locks itself does not wait on its own lock", async () => {
    const calls: unknown[] = [];
    const raw = {
      dbName: "db",
      collectionName: "c",
      updateOne: async (filter: unknown) => calls.push(filter),
    } as unknown as Collection;
    const locked = lockedCollection(raw);
    expect(takesDocLocks(locked)).toBe(true);
    expect(takesDocLocks(raw)).toBe(false);
    expect(docLockKey(raw, "x")).toBe("db.c:x");
    // The proxy takes the same lock the relay would: held elsewhere, the update waits for it.
    let release!: () => void;
    const held = withDocLock("db.c:x", () => new Promise<void>((r) => (release = r)));
    const update = locked.updateOne({ _id: "x" } as never, { $set: { a: 1 } });
    await new Promise((r) => setTimeout(r, 10));
    expect(calls).toHaveLength(0);
    release();
    await Promise.all([held, update]);
    expect(calls).toHaveLength(1);
  });
});
