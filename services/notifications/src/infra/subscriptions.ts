// Every event this service consumes, and what it does with it: the one place to look. The contract
// room turns each wire message into a fact (or parks one that breaks its contract on the DLQ).
import {
  AccountActivatedEvent,
  AccountDisabledEvent,
  AdoptionOfferedEvent,
  BookingCancelledEvent,
  BookingRescheduledEvent,
  DeliveryLoggedEvent,
  EnrolmentConfirmedEvent,
  EnrolmentWaitlistedEvent,
  EnrolmentWithdrawnEvent,
  HoldLapsedEvent,
  IdeaAdoptedEvent,
  IdeaHeldEvent,
  OfferDeclinedEvent,
  SeatOfferedEvent,
  SessionCancelledEvent,
} from "@lto/contracts";
import { on, type Subscriptions } from "@lto/messaging";
import type { NotificationsApp } from "../app/index.js";
import {
  accountActivatedFact,
  accountDisabledFact,
  adoptionOfferedFact,
  bookingCancelledFact,
  bookingRescheduledFact,
  deliveryLoggedFact,
  enrolmentFact,
  holdLapsedFact,
  ideaAdoptedFact,
  ideaHeldFact,
  offerDeclinedFact,
  seatOfferedFact,
  sessionCancelledFact,
} from "../contract/index.js";

/** The app's event handlers on the topics (a rebuild passes its own, folding in memory). */
export function subscriptions(app: Pick<NotificationsApp, "events">): Subscriptions {
  const { events } = app;
  return [
    // adoption: schools are told of offers, companies of their answers and of holds about to lapse
    on(AdoptionOfferedEvent, (e) => events.notify(adoptionOfferedFact(e), e.id)),
    on(OfferDeclinedEvent, (e) => events.notify(offerDeclinedFact(e), e.id)),
    on(IdeaAdoptedEvent, (e) => events.notify(ideaAdoptedFact(e), e.id)),
    on(DeliveryLoggedEvent, (e) => events.notify(deliveryLoggedFact(e), e.id)),
    on(IdeaHeldEvent, (e) => events.ideaHeld(ideaHeldFact(e), e.id)),
    on(HoldLapsedEvent, (e) => events.holdLapsed(holdLapsedFact(e), e.id)),
    // catalogue: learners (a school's students through the school) of seats and cancelled sessions
    // (and the sessions' rosters, so that a cancellation tells everyone enrolled)
    on(EnrolmentConfirmedEvent, (e) => events.enrolment(enrolmentFact(e, true), e.id)),
    on(EnrolmentWaitlistedEvent, (e) => events.enrolment(enrolmentFact(e, true), e.id)),
    on(EnrolmentWithdrawnEvent, (e) => events.enrolment(enrolmentFact(e, false), e.id)),
    on(SeatOfferedEvent, (e) => events.notify(seatOfferedFact(e), e.id)),
    on(SessionCancelledEvent, (e) => events.sessionCancelled(sessionCancelledFact(e), e.id)),
    // self-employment: the person (a minor's school referent) of moved and cancelled bookings
    on(BookingRescheduledEvent, (e) => events.notify(bookingRescheduledFact(e), e.id)),
    on(BookingCancelledEvent, (e) => events.notify(bookingCancelledFact(e), e.id)),
    // gateway: the address book
    on(AccountActivatedEvent, (e) => events.accountActivated(accountActivatedFact(e), e.id)),
    on(AccountDisabledEvent, (e) => {
      const f = accountDisabledFact(e);
      return events.accountDisabled(f.subject, f.version, e.id);
    }),
  ];
}
