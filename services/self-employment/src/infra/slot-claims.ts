// The one claim ledger of every timed resource of the service (operators', rooms', equipment's 5-minute
// units, group-session seats; see domain/booking/claims.ts): bookings and the labs held for course
// meetings claim in it, and availability reads it, so whatever claims a unit makes it busy for all.
import type { AggregateStore, ClaimLedger } from "@lto/store";

export const SLOT_CLAIMS = "slot_claims";

/** A group session's claims carry its room. */
export type SlotClaimFields = { roomId?: string };

export function slotClaims(store: AggregateStore): ClaimLedger<SlotClaimFields> {
  return store.claims<SlotClaimFields>({ name: SLOT_CLAIMS });
}
