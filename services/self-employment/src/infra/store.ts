// The service's database on the platform's aggregate store: operators and persons, each with its
// indexes (plain, compound and unique only: FerretDB).
import type { AggregateCollection, AggregateStore } from "@lto/store";
import { holderId, type Operator, type Path, type Person } from "../domain/index.js";
import type { BookingReminderState } from "../domain/index.js";

export interface SelfEmploymentCollections {
  operators: AggregateCollection<Operator>;
  /** One document per person; the codice fiscale is unique, so racing registrations make one person. */
  persons: AggregateCollection<Person>;
  /** One path per holder (person or team): `holderId` is unique. */
  paths: AggregateCollection<Path>;
  /** Per booking, the version its reminders applied and its calendar SEQUENCE. */
  bookingReminders: AggregateCollection<BookingReminderState>;
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
      optional: ["email", "phone", "guardianConsent", "referent", "learnerSubject"],
    }),
    // --- paths ---
    paths: store.aggregates<Path>({
      name: "paths",
      entity: "path",
      derived: { fields: ["holderId"], of: (p) => ({ holderId: holderId(p.holder) }) },
      indexes: [{ key: { holderId: 1 }, unique: true }, { key: { site: 1, _id: -1 } }],
      optional: ["closure"],
    }),
    // --- reminders ---
    bookingReminders: store.aggregates<BookingReminderState>({
      name: "booking_reminders",
      entity: "booking reminder",
    }),
  };
}
