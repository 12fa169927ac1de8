// What a store written by an earlier version needs before this one serves it. Each step is idempotent
// (it finds nothing to do on a store made since) and runs at every start, before the service answers.
import type { ClaimLedger } from "@lto/store";
import type { SeatFields } from "./store.js";

/**
 * Seats became claims of the store's claim ledger (2026-11-25): a seat written before names its session
 * `sessionId` and its enrolment `enrolmentId`, which the ledger calls `group` and `holderId`. Renamed
 * in place, so such a store counts, releases and sweeps its seats again. Returns how many it renamed.
 */
export async function upgradeSeatDocuments(seats: ClaimLedger<SeatFields>): Promise<number> {
  const old = await seats.collection
    .find({ group: { $exists: false }, sessionId: { $exists: true } })
    .toArray();
  for (const doc of old) {
    const { sessionId, enrolmentId } = doc as unknown as { sessionId: string; enrolmentId: string };
    // Two instances starting together write the same values: no guard needed.
    await seats.collection.updateOne(
      { _id: doc._id, group: { $exists: false } },
      {
        $set: { group: sessionId, holderId: enrolmentId },
        $unset: { sessionId: "", enrolmentId: "", version: "" },
      },
    );
  }
  return old.length;
}
