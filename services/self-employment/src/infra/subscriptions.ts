// Every event the self-employment service consumes, and what it does with it: the one place to look.
// The contract room turns each wire message into an app fact (or parks one that breaks its contract on
// the DLQ).
import {
  BookingCancelledEvent,
  BookingConfirmedEvent,
  BookingRescheduledEvent,
  IdeaAdoptedEvent,
  NoShowRecordedEvent,
  SessionCancelledEvent,
  SessionRescheduledEvent,
  ServiceDeliveredEvent,
  SessionScheduledEvent,
} from "@lto/contracts";
import { on, type Subscriptions } from "@lto/messaging";
import type { Logger } from "@lto/telemetry";
import type { LabConflict } from "../domain/index.js";
import type { SelfEmploymentApp } from "../app/index.js";
import {
  bookingCancelledFact,
  bookingConfirmedFact,
  bookingFact,
  bookingRescheduledFact,
  deliveredBookingId,
  freedBookingFact,
  ideaAdoptedFact,
  noShowRecordedFact,
  sessionCancelledFact,
  sessionRescheduledFact,
  sessionScheduledFact,
} from "../contract/index.js";

export function subscriptions(app: SelfEmploymentApp, logger?: Logger): Subscriptions {
  const feeds = app.calendarFeeds;
  const reminders = app.reminders;
  // The service's own booking events feed the calendar feeds and the e-mails (each applying an event
  // once by the booking's version), catch the path up after a crash, and offer freed slots to the
  // waitlist. One handler per event type; a redelivery after one step failed finds the steps before it
  // already applied, and they change nothing.
  return [
    ...adoptionSubscriptions(app.paths.ideaEvents),
    on(BookingConfirmedEvent, async (e) => {
      await feeds.applyBookingEvent(bookingFact("confirmed", e));
      await reminders.bookingConfirmed(bookingConfirmedFact(e));
    }),
    on(BookingRescheduledEvent, async (e) => {
      await feeds.applyBookingEvent(bookingFact("rescheduled", e));
      await reminders.bookingRescheduled(bookingRescheduledFact(e));
    }),
    on(BookingCancelledEvent, async (e) => {
      const freed = freedBookingFact(e);
      // The path records a cancellation a crash kept it from recording.
      await app.bookingChanges.pathCatchUp(freed.bookingId);
      await feeds.applyBookingEvent(bookingFact("cancelled", e));
      await reminders.bookingCancelled(bookingCancelledFact(e));
      // The freed slot goes to the first in line of its waitlist.
      await app.waitlist.bookingCancelled(freed);
    }),
    on(NoShowRecordedEvent, async (e) => {
      await app.bookingChanges.pathCatchUp(noShowRecordedFact(e).bookingId);
      await feeds.applyBookingEvent(bookingFact("no_show", e));
    }),
    // The booking records a delivery of it that a crash kept it from recording.
    on(ServiceDeliveredEvent, async (e) => {
      const bookingId = deliveredBookingId(e);
      if (bookingId) await app.paths.bookingFollowsPath(bookingId);
    }),
    ...labHoldSubscriptions(app.labs.sessionEvents, logger),
  ];
}

// The copies of other services' facts (the rebuild replays these alone: infra/rebuild.ts).

/** An adopted idea opens its team's path. */
export function adoptionSubscriptions(ideaEvents: SelfEmploymentApp["paths"]["ideaEvents"]): Subscriptions {
  return [on(IdeaAdoptedEvent, (e) => ideaEvents.ideaAdopted(ideaAdoptedFact(e)))];
}

/** The catalogue's course meetings hold the labs they meet in; a lab found booked is logged for staff. */
export function labHoldSubscriptions(
  labs: SelfEmploymentApp["labs"]["sessionEvents"],
  logger?: Logger,
): Subscriptions {
  const report = (conflicts: LabConflict[]) => {
    for (const c of conflicts)
      logger?.warn(
        { labConflict: c.id, site: c.site, room: c.roomId, session: c.sessionId, heldBy: c.heldBy },
        "a course meeting's lab is booked already: lab conflict recorded for the site's staff",
      );
  };
  return [
    on(SessionScheduledEvent, async (e) => report(await labs.sessionScheduled(sessionScheduledFact(e)))),
    on(SessionRescheduledEvent, async (e) =>
      report(await labs.sessionRescheduled(sessionRescheduledFact(e))),
    ),
    on(SessionCancelledEvent, async (e) => report(await labs.sessionCancelled(sessionCancelledFact(e)))),
  ];
}
