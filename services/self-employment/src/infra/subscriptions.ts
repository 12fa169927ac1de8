// Every event the self-employment service consumes, and what it does with it: the one place to look.
// The contract room turns each wire message into an app fact (or parks one that breaks its contract on
// the DLQ).
import {
  BookingCancelledEvent,
  BookingConfirmedEvent,
  BookingRescheduledEvent,
  IdeaAdoptedEvent,
  NoShowRecordedEvent,
} from "@lto/contracts";
import { on, type Subscriptions } from "@lto/messaging";
import type { SelfEmploymentApp } from "../app/index.js";
import { bookingFact, ideaAdoptedFact } from "../contract/index.js";

export function subscriptions(app: SelfEmploymentApp): Subscriptions {
  const feeds = app.calendarFeeds;
  return [
    on(IdeaAdoptedEvent, (e) => app.paths.ideaEvents.ideaAdopted(ideaAdoptedFact(e))),
    // The calendar feeds' read model of the service's own bookings (applied by version, once).
    on(BookingConfirmedEvent, async (e) => void (await feeds.applyBookingEvent(bookingFact("confirmed", e)))),
    on(
      BookingRescheduledEvent,
      async (e) => void (await feeds.applyBookingEvent(bookingFact("rescheduled", e))),
    ),
    on(BookingCancelledEvent, async (e) => void (await feeds.applyBookingEvent(bookingFact("cancelled", e)))),
    on(NoShowRecordedEvent, async (e) => void (await feeds.applyBookingEvent(bookingFact("no_show", e)))),
  ];
}
