// The service's database on the platform's aggregate store: operators and persons, each with its
// indexes (plain, compound and unique only: FerretDB).
import type { AggregateCollection, AggregateStore } from "@lto/store";
import type { CalendarFeedLink, ClaimReleaseRecord } from "../app/index.js";
import {
  holderId,
  labConflictKey,
  type Booking,
  type BookingReminderState,
  type CalendarEntry,
  type CourseSessionHolds,
  type LabConflict,
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
  /** Per booking, the version its reminders applied and its calendar SEQUENCE. */
  bookingReminders: AggregateCollection<BookingReminderState>;
  // --- calendar feeds ---
  /** The feeds' read model: one entry per booking (its version the booking's). */
  calendarEntries: AggregateCollection<CalendarEntry>;
  /** Feed links by `<kind>:<owner id>`: only the hash of each secret token. */
  calendarFeedLinks: AggregateCollection<CalendarFeedLink>;
  /** The key feed tokens are derived from, when the service made its own (outside production). */
  calendarFeedKeys: AggregateCollection<CalendarFeedKey>;
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
      indexes: [
        { key: { codiceFiscale: 1 }, unique: true },
        { key: { site: 1, _id: -1 } },
        { key: { learnerSubject: 1 } },
      ],
      optional: ["email", "phone", "guardianConsent", "referent", "learnerSubject"],
    }),
    // --- paths ---
    paths: store.aggregates<Path>({
      name: "paths",
      entity: "path",
      derived: { fields: ["holderId"], of: (p) => ({ holderId: holderId(p.holder) }) },
      indexes: [
        { key: { holderId: 1 }, unique: true },
        { key: { site: 1, _id: -1 } },
        // the claim sweeper finds the path of a booking that was never written by its id
        { key: { "bookings.bookingId": 1 } },
      ],
      optional: ["closure"],
    }),
    // --- reminders ---
    bookingReminders: store.aggregates<BookingReminderState>({
      name: "booking_reminders",
      entity: "booking reminder",
    }),
    // --- calendar feeds ---
    calendarEntries: store.aggregates<CalendarEntry>({
      name: "calendar_entries",
      entity: "calendar entry",
      indexes: [{ key: { operatorId: 1, end: 1 } }, { key: { personId: 1, end: 1 } }],
      optional: ["roomId"],
    }),
    calendarFeedLinks: store.aggregates<CalendarFeedLink>({
      name: "calendar_feed_links",
      entity: "calendar feed link",
    }),
    calendarFeedKeys: store.aggregates<CalendarFeedKey>({ name: "calendar_feed_keys", entity: "feed key" }),
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

// --- calendar feeds ---

/** The secret feed tokens are derived from, generated once by the service when no setting names one. */
export interface CalendarFeedKey {
  id: string;
  key: string;
  createdAt: Date;
  version: number;
}

// --- labs held by catalogue course meetings ---
export interface LabHoldCollections {
  /** One record per catalogue session: its meetings and the room units each holds. */
  courseHolds: AggregateCollection<CourseSessionHolds>;
  /** A course meeting that found its room booked: open until staff or the catalogue resolve it. */
  labConflicts: AggregateCollection<LabConflict>;
}

export function labHoldCollections(store: AggregateStore): LabHoldCollections {
  return {
    courseHolds: store.aggregates<CourseSessionHolds>({
      name: "course_session_holds",
      entity: "course session",
    }),
    labConflicts: store.aggregates<LabConflict>({
      name: "lab_conflicts",
      entity: "lab conflict",
      // One conflict per version of a meeting, whatever the redeliveries.
      derived: { fields: ["meetingKey"], of: (c) => ({ meetingKey: labConflictKey(c) }) },
      indexes: [
        { key: { meetingKey: 1 }, unique: true },
        { key: { site: 1, _id: -1 } },
        { key: { site: 1, status: 1, _id: -1 } },
        { key: { sessionId: 1 } },
      ],
      optional: ["resolution"],
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
