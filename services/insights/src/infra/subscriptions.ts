// Every event the figures consume, and the fact each becomes: the one place to look.
import {
  AdoptionCompletedEvent,
  AdoptionEndedEvent,
  BookingCancelledEvent,
  BookingConfirmedEvent,
  BookingRescheduledEvent,
  CallCreatedEvent,
  CallUpdatedEvent,
  CommitmentDeliveredEvent,
  CourseCompletedEvent,
  CoursePublishedEvent,
  CredentialIssuedEvent,
  CredentialRevokedEvent,
  EnrolmentConfirmedEvent,
  EnrolmentWithdrawnEvent,
  IdeaAdoptedEvent,
  IdeaChangesRequestedEvent,
  IdeaPublishedEvent,
  IdeaRejectedEvent,
  IdeaSubmittedEvent,
  IdeaWithdrawnEvent,
  NoShowRecordedEvent,
  ServiceDeliveredEvent,
} from "@lto/contracts";
import { on, type Subscriptions } from "@lto/messaging";
import type { Projection } from "../app/index.js";
import * as c from "../contract/index.js";

export function subscriptions(p: Projection): Subscriptions {
  return [
    on(CallCreatedEvent, (e) => p.record(c.callFact(e.data), e.id)),
    on(CallUpdatedEvent, (e) => p.record(c.callFact(e.data), e.id)),
    on(IdeaSubmittedEvent, (e) => p.record(c.ideaSubmittedFact(e.data), e.id)),
    on(IdeaPublishedEvent, (e) => p.record(c.ideaPublishedFact(e.data), e.id)),
    on(IdeaRejectedEvent, (e) => p.record(c.ideaStateFact(e.data, "rejected"), e.id)),
    on(IdeaWithdrawnEvent, (e) => p.record(c.ideaStateFact(e.data, "withdrawn"), e.id)),
    on(IdeaChangesRequestedEvent, (e) => p.record(c.ideaStateFact(e.data, "draft"), e.id)),
    on(IdeaAdoptedEvent, (e) => p.record(c.ideaAdoptedFact(e.data), e.id)),
    on(AdoptionEndedEvent, (e) => p.record(c.adoptionClosedFact(e.data, "ended"), e.id)),
    on(AdoptionCompletedEvent, (e) => p.record(c.adoptionClosedFact(e.data, "completed"), e.id)),
    on(CommitmentDeliveredEvent, (e) => p.record(c.commitmentDeliveredFact(e.data), e.id)),
    on(CoursePublishedEvent, (e) => p.record(c.coursePublishedFact(e.data), e.id)),
    on(EnrolmentConfirmedEvent, (e) => p.record(c.enrolmentConfirmedFact(e.data), e.id)),
    on(EnrolmentWithdrawnEvent, (e) => p.record(c.enrolmentWithdrawnFact(e.data), e.id)),
    on(CourseCompletedEvent, (e) => p.record(c.courseCompletedFact(e.data), e.id)),
    on(CredentialIssuedEvent, (e) => p.record(c.credentialIssuedFact(e.data), e.id)),
    on(CredentialRevokedEvent, (e) => p.record(c.credentialRevokedFact(e.data), e.id)),
    on(BookingConfirmedEvent, (e) => p.record(c.bookingFact(e.data, "booked"), e.id)),
    on(BookingRescheduledEvent, (e) => p.record(c.bookingFact(e.data, "booked"), e.id)),
    on(BookingCancelledEvent, (e) => p.record(c.bookingFact(e.data, "cancelled"), e.id)),
    on(NoShowRecordedEvent, (e) => p.record(c.bookingFact(e.data, "no_show"), e.id)),
    on(ServiceDeliveredEvent, (e) => p.record(c.serviceDeliveredFact(e.data), e.id)),
  ];
}
