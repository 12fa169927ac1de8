// The catalogue's session events (SessionScheduled, SessionRescheduled, SessionCancelled) as the app's
// facts about course meetings, or parked on the DLQ when they break the contract.
import type { catalogueEventsV1, catalogueV1 } from "@lto/contracts";
import { assertContract, type ReceivedEvent } from "@lto/messaging";
import type { SessionCancelledFact, SessionRescheduledFact, SessionScheduledFact } from "../app/index.js";
import type { MeetingFact } from "../domain/index.js";

function instant(value: string | undefined, field: string, problems: string[]): Date {
  const at = value ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime())) problems.push(`${field} is not a date`);
  return at;
}

function meetingFact(m: catalogueV1.Meeting, field: string, problems: string[]): MeetingFact {
  if (!m.id) problems.push(`${field}.id is empty`);
  const start = instant(m.startsAt, `${field}.starts_at`, problems);
  const end = instant(m.endsAt, `${field}.ends_at`, problems);
  const known = !Number.isNaN(start.getTime()) && !Number.isNaN(end.getTime());
  if (known && !(end > start)) problems.push(`${field} ends before it starts`);
  return { meetingId: m.id, room: m.room, start, end, sequence: m.sequence, cancelled: m.cancelled };
}

function sessionFact(
  e: ReceivedEvent<{
    sessionId: string;
    courseId: string;
    site: string;
    version: number;
    occurredAt?: string;
  }>,
  problems: string[],
) {
  const m = e.data;
  if (!m.sessionId) problems.push("session_id is empty");
  if (!m.site) problems.push("site is empty");
  if (!(m.version > 0)) problems.push("version is not above 0");
  return {
    sessionId: m.sessionId,
    courseId: m.courseId,
    site: m.site,
    version: m.version,
    at: m.occurredAt && !Number.isNaN(Date.parse(m.occurredAt)) ? new Date(m.occurredAt) : e.time,
  };
}

export function sessionScheduledFact(
  e: ReceivedEvent<catalogueEventsV1.SessionScheduled>,
): SessionScheduledFact {
  const problems: string[] = [];
  const fact = sessionFact(e, problems);
  const meetings = (e.data.session?.meetings ?? []).map((m, i) =>
    meetingFact(m, `session.meetings[${i}]`, problems),
  );
  assertContract(e, problems);
  return { ...fact, meetings };
}

export function sessionRescheduledFact(
  e: ReceivedEvent<catalogueEventsV1.SessionRescheduled>,
): SessionRescheduledFact {
  const problems: string[] = [];
  const fact = sessionFact(e, problems);
  if (!e.data.meeting) problems.push("meeting is missing");
  const meeting = meetingFact(e.data.meeting ?? ({} as catalogueV1.Meeting), "meeting", problems);
  assertContract(e, problems);
  return { ...fact, meeting };
}

export function sessionCancelledFact(
  e: ReceivedEvent<catalogueEventsV1.SessionCancelled>,
): SessionCancelledFact {
  const problems: string[] = [];
  const fact = sessionFact(e, problems);
  assertContract(e, problems);
  return fact;
}
