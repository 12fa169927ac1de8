// Enrolment events as the protobuf events of the contract, keyed by the session (as the contract's codecs
// say), so one session's seat decisions stay in order; each carries its enrolment's version.
import {
  EnrolmentConfirmedEvent,
  EnrolmentWaitlistedEvent,
  EnrolmentWithdrawnEvent,
  SeatOfferedEvent,
} from "@lto/contracts";
import { pendingEvent, type PendingEvent } from "@lto/messaging";
import type { EnrolmentEvent } from "../domain/index.js";
import { toProtoArea, toProtoCompetence } from "./mapping.js";

export function enrolmentPendingEvents(events: EnrolmentEvent[], version: number): PendingEvent[] {
  return events.map((event) => {
    const { enrolment, at, by } = event;
    const common = {
      enrolmentId: enrolment.id,
      sessionId: enrolment.sessionId,
      courseId: enrolment.courseId,
      site: enrolment.site,
      personId: enrolment.personId,
      occurredAt: at.toISOString(),
      actorSubject: by,
      version,
    };
    switch (event.type) {
      case "EnrolmentConfirmed":
        return pendingEvent(
          EnrolmentConfirmedEvent,
          enrolment.sessionId,
          EnrolmentConfirmedEvent.create({
            ...common,
            economicAreas: event.course.areas.map(toProtoArea),
            competences: event.course.competences.map(toProtoCompetence),
            hours: event.hours,
            enrolledBy: enrolment.enrolledBy === enrolment.personId ? "" : enrolment.enrolledBy,
            freeSeats: event.freeSeats,
          }),
          { time: at },
        );
      case "EnrolmentWaitlisted":
        return pendingEvent(
          EnrolmentWaitlistedEvent,
          enrolment.sessionId,
          EnrolmentWaitlistedEvent.create({ ...common, position: event.position }),
          { time: at },
        );
      case "SeatOffered":
        return pendingEvent(
          SeatOfferedEvent,
          enrolment.sessionId,
          SeatOfferedEvent.create({ ...common, expiresAt: enrolment.offerExpiresAt!.toISOString() }),
          { time: at },
        );
      case "EnrolmentWithdrawn":
        return pendingEvent(
          EnrolmentWithdrawnEvent,
          enrolment.sessionId,
          EnrolmentWithdrawnEvent.create({ ...common, reason: event.reason, seatFreed: event.seatFreed }),
          { time: at },
        );
    }
  });
}
