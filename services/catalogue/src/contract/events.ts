// The service's domain events as the protobuf events of its contract, ready for the outbox: course
// events keyed by the course, session events by the session, each carrying the version it is stored at.
import {
  CourseArchivedEvent,
  CoursePublishedEvent,
  SessionCancelledEvent,
  SessionRescheduledEvent,
  SessionScheduledEvent,
} from "@lto/contracts";
import { pendingEvent, type PendingEvent } from "@lto/messaging";
import { sessionHours, type CourseEvent, type SessionEvent } from "../domain/index.js";
import { toProtoArea, toProtoCompetence, toProtoCourse, toProtoMeeting, toProtoSession } from "./mapping.js";

export function coursePendingEvents(events: CourseEvent[], version: number): PendingEvent[] {
  return events.map((event) => {
    const { course, at, by } = event;
    const common = { courseId: course.id, occurredAt: at.toISOString(), actorSubject: by, version };
    switch (event.type) {
      case "CoursePublished":
        return pendingEvent(
          CoursePublishedEvent,
          course.id,
          CoursePublishedEvent.create({ ...common, course: toProtoCourse(course, version) }),
          { time: at },
        );
      case "CourseArchived":
        return pendingEvent(
          CourseArchivedEvent,
          course.id,
          CourseArchivedEvent.create({
            ...common,
            sites: [...course.sites],
            economicAreas: course.areas.map(toProtoArea),
            competences: course.competences.map(toProtoCompetence),
          }),
          { time: at },
        );
    }
  });
}

export function sessionPendingEvents(events: SessionEvent[], version: number): PendingEvent[] {
  return events.map((event) => {
    const { session, at, by } = event;
    const common = {
      sessionId: session.id,
      courseId: session.courseId,
      site: session.site,
      occurredAt: at.toISOString(),
      actorSubject: by,
      version,
    };
    switch (event.type) {
      case "SessionScheduled":
        return pendingEvent(
          SessionScheduledEvent,
          session.id,
          SessionScheduledEvent.create({
            ...common,
            session: toProtoSession(session, version),
            economicAreas: event.course.areas.map(toProtoArea),
            competences: event.course.competences.map(toProtoCompetence),
            hours: sessionHours(session),
          }),
          { time: at },
        );
      case "SessionRescheduled":
        return pendingEvent(
          SessionRescheduledEvent,
          session.id,
          SessionRescheduledEvent.create({
            ...common,
            meeting: toProtoMeeting(event.meeting),
            previousStartsAt: event.previous.startsAt.toISOString(),
            previousEndsAt: event.previous.endsAt.toISOString(),
            hours: sessionHours(session),
          }),
          { time: at },
        );
      case "SessionCancelled":
        return pendingEvent(
          SessionCancelledEvent,
          session.id,
          SessionCancelledEvent.create({
            ...common,
            reason: event.reason,
            enrolledPersonIds: event.enrolled,
            waitingPersonIds: event.waiting,
          }),
          { time: at },
        );
    }
  });
}
