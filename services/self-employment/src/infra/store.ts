// The service's database on the platform's aggregate store: operators and persons, each with its
// indexes (plain, compound and unique only: FerretDB).
import type { AggregateCollection, AggregateStore, ClaimLedger } from "@lto/store";
import type { ClaimReleaseRecord } from "../app/index.js";
import {
  holderId,
  type Booking,
  type Operator,
  type Path,
  type Person,
  type WaitlistEntry,
  type WaitlistOffer,
} from "../domain/index.js";

export interface SelfEmploymentCollections {
  operators: AggregateCollection<Operator>;
  /** One document per person; the codice fiscale is unique, so racing registrations make one person. */
  persons: AggregateCollection<Person>;
  /** One path per holder (person or team): `holderId` is unique. */
  paths: AggregateCollection<Path>;
  // --- waitlist ---
  /** Entries of the waitlists: a person waits at most once on one list (`waitingKey` is unique). */
  waitlist: AggregateCollection<WaitlistEntry>;
  /** Offers of freed slots: one per round of a freed slot (`round` is unique). */
  waitlistOffers: AggregateCollection<WaitlistOffer>;
  // --- booking changes ---
  /** Keys a booking is to give back once its change is written (swept when a crash interrupted it). */
  claimReleases: AggregateCollection<ClaimReleaseRecord & { version: number }>;
}

/** Registers the service's aggregate collections on `store` (before its relay is created). */
export function selfEmploymentCollections(store: AggregateStore): SelfEmploymentCollections {
  return {
    operators: store.aggregates<Operator>({
      name: "operators",
      entity: "operator",
      indexes: [{ key: { sites: 1, _id: -1 } }],
      optional: ["email", "dailyCap"],
    }),
    persons: store.aggregates<Person>({
      name: "persons",
      entity: "person",
      indexes: [{ key: { codiceFiscale: 1 }, unique: true }, { key: { site: 1, _id: -1 } }],
      optional: ["email", "phone", "guardianConsent", "learnerSubject"],
    }),
    // --- paths ---
    paths: store.aggregates<Path>({
      name: "paths",
      entity: "path",
      derived: { fields: ["holderId"], of: (p) => ({ holderId: holderId(p.holder) }) },
      indexes: [{ key: { holderId: 1 }, unique: true }, { key: { site: 1, _id: -1 } }],
      optional: ["closure"],
    }),
    // --- waitlist ---
    waitlist: store.aggregates<WaitlistEntry>({
      name: "waitlist",
      entity: "waitlist entry",
      derived: {
        fields: ["waitingKey"],
        // Only a waiting entry holds the person's place on the list; others keep a key of their own.
        of: (e) => ({
          waitingKey:
            e.status === "waiting" ? `${e.serviceCode}|${e.site}|${e.personId}` : `${e.status}|${e.id}`,
        }),
      },
      indexes: [
        { key: { waitingKey: 1 }, unique: true },
        { key: { serviceCode: 1, site: 1, status: 1, joinedAt: 1, _id: 1 } },
      ],
      optional: ["bookingId", "left"],
    }),
    waitlistOffers: store.aggregates<WaitlistOffer>({
      name: "waitlist_offers",
      entity: "offer",
      derived: {
        fields: ["round"],
        // The n-th offer of the slot a cancelled booking freed: a redelivered event makes no second one.
        of: (o) => ({ round: `${o.sourceBookingId}#${o.passedOver.length}` }),
      },
      indexes: [
        { key: { round: 1 }, unique: true },
        { key: { entryId: 1, status: 1 } },
        { key: { status: 1, expiresAt: 1 } },
      ],
      optional: ["decidedAt", "decidedBy", "bookingId", "bookedAt", "forwardedAt"],
    }),
    // --- booking changes ---
    claimReleases: store.aggregates<ClaimReleaseRecord & { version: number }>({
      name: "claim_releases",
      entity: "claim release",
      indexes: [{ key: { at: 1 } }],
    }),
  };
}

// --- bookings ---

/** The booking aggregates: by site, operator and person over time, and a group session's bookings. */
export function bookingCollection(store: AggregateStore): AggregateCollection<Booking> {
  return store.aggregates<Booking>({
    name: "bookings",
    entity: "booking",
    indexes: [
      { key: { site: 1, start: 1, _id: 1 } },
      { key: { operatorId: 1, start: 1 } },
      { key: { personId: 1, start: 1 } },
      { key: { groupSession: 1 } },
    ],
    optional: ["roomId", "groupSession", "seat", "overrideReason", "cancellation", "noShow", "deliveredAt"],
  });
}

/** A group session's claims carry its room. */
export type SlotClaimFields = { roomId?: string };

/** The slot ledger: every timed resource's 5-minute units and group seats (see domain/booking/claims.ts). */
export function slotClaimLedger(store: AggregateStore): ClaimLedger<SlotClaimFields> {
  return store.claims<SlotClaimFields>({ name: "slot_claims" });
}
