// Every event the self-employment service consumes, and what it does with it: the one place to look.
// The contract room turns each wire message into an app fact (or parks one that breaks its contract on
// the DLQ).
import {
  BookingCancelledEvent,
  BookingConfirmedEvent,
  BookingRescheduledEvent,
  IdeaAdoptedEvent,
} from "@lto/contracts";
import { on, type Subscriptions } from "@lto/messaging";
import type { SelfEmploymentApp } from "../app/index.js";
import {
  bookingCancelledFact,
  bookingConfirmedFact,
  bookingRescheduledFact,
  ideaAdoptedFact,
} from "../contract/index.js";

export function subscriptions(app: SelfEmploymentApp): Subscriptions {
  return [
    on(IdeaAdoptedEvent, (e) => app.paths.ideaEvents.ideaAdopted(ideaAdoptedFact(e))),
    // the service's own booking events: reminders and notices by e-mail
    on(BookingConfirmedEvent, (e) => app.reminders.bookingConfirmed(bookingConfirmedFact(e))),
    on(BookingRescheduledEvent, (e) => app.reminders.bookingRescheduled(bookingRescheduledFact(e))),
    on(BookingCancelledEvent, (e) => app.reminders.bookingCancelled(bookingCancelledFact(e))),
  ];
}
