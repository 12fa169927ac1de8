import { availabilityUseCases } from "./availability.js";
import { calendarFeedUseCases } from "./calendar-feeds.js";
import { labHoldUseCases } from "./lab-holds.js";
import { bookingUseCases } from "./bookings.js";
import { bookingChangesAndWaitlist } from "./waitlist.js";
import { operatorUseCases } from "./operators.js";
import { pathUseCases } from "./paths.js";
import { personLoginUseCases } from "./person-logins.js";
import { personUseCases } from "./persons.js";
import type { Ports } from "./ports.js";
import { referenceUseCases } from "./reference.js";
import { reminderUseCases } from "./reminders.js";

export function createApp(ports: Ports) {
  return {
    reference: referenceUseCases(),
    operators: operatorUseCases(ports),
    persons: personUseCases(ports),
    availability: availabilityUseCases(ports),
    paths: pathUseCases(ports),
    reminders: reminderUseCases(ports),
    calendarFeeds: calendarFeedUseCases(ports),
    labs: labHoldUseCases(ports),
    logins: personLoginUseCases(ports),
    bookings: bookingUseCases(ports),
    ...bookingChangesAndWaitlist(ports),
  };
}

export type SelfEmploymentApp = ReturnType<typeof createApp>;
export type * from "./ports.js";
export type { Viewer } from "./access.js";
export type { IdeaAdoptedFact, PathView } from "./paths.js";
export type { BookingNoticeFact } from "./reminders.js";
export type * from "./lab-holds.js";
