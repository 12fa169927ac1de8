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
import {
  bookingCancelledFact,
  bookingConfirmedFact,
  bookingFact,
  bookingRescheduledFact,
  ideaAdoptedFact,
} from "../contract/index.js";

export function subscriptions(app: SelfEmploymentApp): Subscriptions {
  const feeds = app.calendarFeeds;
  const reminders = app.reminders;
  // The service's own booking events feed two read sides, each applying an event once by the booking's
  // version: the calendar feeds and the e-mails. One handler per event type; a redelivery after one of
  // them failed finds the other already applied and changes nothing there.
  return [
    on(IdeaAdoptedEvent, (e) => app.paths.ideaEvents.ideaAdopted(ideaAdoptedFact(e))),
    on(BookingConfirmedEvent, async (e) => {
      await feeds.applyBookingEvent(bookingFact("confirmed", e));
      await reminders.bookingConfirmed(bookingConfirmedFact(e));
    }),
    on(BookingRescheduledEvent, async (e) => {
      await feeds.applyBookingEvent(bookingFact("rescheduled", e));
      await reminders.bookingRescheduled(bookingRescheduledFact(e));
    }),
    on(BookingCancelledEvent, async (e) => {
      await feeds.applyBookingEvent(bookingFact("cancelled", e));
      await reminders.bookingCancelled(bookingCancelledFact(e));
    }),
    on(NoShowRecordedEvent, async (e) => void (await feeds.applyBookingEvent(bookingFact("no_show", e)))),
  ];
}
