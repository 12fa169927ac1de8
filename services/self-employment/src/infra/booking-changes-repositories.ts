// The records of keys a booking is to give back (see app/booking-changes.ts), on an aggregate
// collection of their own: written before the booking's change, deleted once the keys are back.
import type { ClaimReleaseRecord, ClaimReleases } from "../app/index.js";
import type { SelfEmploymentCollections } from "./store.js";

export function claimReleases(records: SelfEmploymentCollections["claimReleases"]): ClaimReleases {
  return {
    async record(r) {
      await records.insert({ ...r, version: 1 });
    },
    async done(id) {
      await records.deleteMany({ _id: id });
    },
    olderThan: async (before, limit) =>
      (await records.find({ at: { $lte: before } }, limit, { at: 1 })).map(
        ({ id, holderId, keys, at }): ClaimReleaseRecord => ({ id, holderId, keys, at }),
      ),
  };
}
