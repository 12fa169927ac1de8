/**
 * @lto/store: the one way services persist state with events. An aggregate's state, its version (the
 * ETag), the events it caused (the outbox) and the ids of the events it applied (idempotent consumers)
 * are written in ONE document update; the relay publishes the events. See README.md.
 */
export { AggregateStore, type OpenStoreOptions, type RelayOptions } from "./store.js";
export {
  AggregateCollection,
  PROCESSED_KEEP,
  type Aggregate,
  type AggregateSpec,
  type Document,
  type Filter,
  type PageOrder,
  type PageRequest,
  type UpdateOptions,
  type WriteOptions,
} from "./aggregates.js";
export {
  ClaimLedger,
  type Claim,
  type ClaimCore,
  type ClaimDescription,
  type ClaimFields,
  type ClaimHolder,
  type ClaimLedgerSpec,
  type ClaimOutcome,
  type ClaimRelease,
} from "./claims.js";
export { sharedFreshRead } from "./shared-read.js";
