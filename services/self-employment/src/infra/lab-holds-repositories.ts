// The labs held for catalogue course meetings: the room units in the shared claim ledger, the
// per-session records and the lab conflicts on their aggregate collections.
import type { ClaimLedger } from "@lto/store";
import type {
  CourseSessionHoldRepository,
  HeldKey,
  LabConflictRepository,
  RoomLedger,
} from "../app/index.js";
import type { LabHoldCollections } from "./store.js";

export function roomLedger(ledger: ClaimLedger): RoomLedger {
  return {
    async hold(keys, holder) {
      if (!keys.length) return [];
      // Mostly the room is free: one all-or-nothing claim; otherwise key by key, keeping what is free.
      const all = await ledger.claimAll(keys, holder);
      const lost: string[] = [];
      if (!all.ok) for (const key of keys) if (!(await ledger.claimAll([key], holder)).ok) lost.push(key);
      const mine = keys.filter((k) => !lost.includes(k));
      if (mine.length) await ledger.settle(mine, holder.claim);
      const taken: HeldKey[] = (await ledger.holdersOf(lost))
        .filter((c) => c.holderId !== holder.holderId)
        .map((c) => ({ key: c.key, holderId: c.holderId }));
      return taken;
    },
    async release(keys, holderId) {
      if (keys.length) await ledger.release(keys, { holderId });
    },
  };
}

export function courseHoldRepository(
  courseHolds: LabHoldCollections["courseHolds"],
): CourseSessionHoldRepository {
  return {
    get: (id) => courseHolds.get(id),
    insert: (record) => courseHolds.insert(record),
    updateIf: (record, expectedVersion) => courseHolds.updateIf(record, expectedVersion),
  };
}

export function labConflictRepository(
  labConflicts: LabHoldCollections["labConflicts"],
): LabConflictRepository {
  return {
    get: (id) => labConflicts.get(id),
    insert: (c) => labConflicts.insert(c),
    update: (c) => labConflicts.update(c, c.version),
    openOfSession: (sessionId) => labConflicts.find({ sessionId, status: "open" }),
    listBySite: (site, { status, cursor, limit }) =>
      labConflicts.page({ site, ...(status ? { status } : {}) }, { limit, ...(cursor ? { cursor } : {}) }),
  };
}
