// Attendance, completion and credential events as the protobuf events of the contract, for the outbox:
// attendance and completion keyed by the session, credential events by the credential.
import {
  AttendanceRecordedEvent,
  CourseCompletedEvent,
  CredentialIssuedEvent,
  CredentialRevokedEvent,
  type catalogueEventsV1,
} from "@lto/contracts";
import { pendingEvent, type PendingEvent } from "@lto/messaging";
import {
  hoursOf,
  type AttendanceEvent,
  type AttendanceStatus,
  type CompletionEvent,
  type CredentialEvent,
  type Outcome,
} from "../domain/index.js";
import { toProtoArea, toProtoCompetence } from "./mapping.js";

function toProtoAttendance(status: AttendanceStatus): catalogueEventsV1.AttendanceStatus {
  return `ATTENDANCE_STATUS_${status.toUpperCase()}` as catalogueEventsV1.AttendanceStatus;
}

function toProtoOutcome(outcome: Outcome): catalogueEventsV1.CompletionOutcome {
  return `COMPLETION_OUTCOME_${outcome.toUpperCase()}` as catalogueEventsV1.CompletionOutcome;
}

export function attendancePendingEvents(events: AttendanceEvent[], version: number): PendingEvent[] {
  return events.map(({ session, meetingId, entry, by, at }) =>
    pendingEvent(
      AttendanceRecordedEvent,
      session.id,
      AttendanceRecordedEvent.create({
        sessionId: session.id,
        meetingId,
        courseId: session.courseId,
        site: session.site,
        personId: entry.personId,
        status: toProtoAttendance(entry.status),
        lateMinutes: entry.lateMinutes ?? 0,
        correction: entry.correction,
        occurredAt: at.toISOString(),
        actorSubject: by,
        version,
      }),
      { time: at },
    ),
  );
}

export function completionPendingEvents(events: CompletionEvent[], version: number): PendingEvent[] {
  return events.map(({ session, course, outcome, by, at }) =>
    pendingEvent(
      CourseCompletedEvent,
      session.id,
      CourseCompletedEvent.create({
        enrolmentId: outcome.enrolmentId,
        sessionId: session.id,
        courseId: session.courseId,
        site: session.site,
        personId: outcome.personId,
        outcome: toProtoOutcome(outcome.outcome),
        attendedHours: hoursOf(outcome.attendedMinutes),
        hours: hoursOf(outcome.totalMinutes),
        economicAreas: course.areas.map(toProtoArea),
        competences: course.competences.map(toProtoCompetence),
        occurredAt: at.toISOString(),
        actorSubject: by,
        version,
      }),
      { time: at },
    ),
  );
}

export function credentialPendingEvents(events: CredentialEvent[], version: number): PendingEvent[] {
  return events.map((event) => {
    const { credential, by, at } = event;
    switch (event.type) {
      case "CredentialIssued":
        return pendingEvent(
          CredentialIssuedEvent,
          credential.id,
          CredentialIssuedEvent.create({
            credentialId: credential.id,
            personId: credential.personId,
            courseId: credential.courseId,
            sessionId: credential.sessionId,
            site: credential.site,
            competences: credential.competences.map(toProtoCompetence),
            economicAreas: event.course.areas.map(toProtoArea),
            hours: credential.hours,
            occurredAt: at.toISOString(),
            actorSubject: by,
            version,
          }),
          { time: at },
        );
      case "CredentialRevoked":
        return pendingEvent(
          CredentialRevokedEvent,
          credential.id,
          CredentialRevokedEvent.create({
            credentialId: credential.id,
            personId: credential.personId,
            courseId: credential.courseId,
            reason: event.reason,
            occurredAt: at.toISOString(),
            actorSubject: by,
            version,
          }),
          { time: at },
        );
    }
  });
}
