// The one claim ledger of every timed resource of the service (operators', rooms', equipment's 5-minute
// units, group-session seats): bookings and the labs held for course meetings claim in it, and
// availability reads it, so whatever claims a unit makes it busy for all of them.
import type { AggregateStore, ClaimLedger } from "@lto/store";

export const SLOT_CLAIMS = "slot_claims";

export function slotClaims(store: AggregateStore): ClaimLedger {
  return store.claims({ name: SLOT_CLAIMS });
}
