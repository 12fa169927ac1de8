// The calendars the catalogue publishes: a session's meetings, and a person's (the meetings they train
// and those of the sessions they are enrolled in), as feeds of events a calendar app keeps in step by
// UID (the meeting's id) and SEQUENCE (the meeting's sequence). Pure: the model and its rules are
// the platform's (@lto/calendar); what a meeting says in a calendar is the catalogue's.
import { calendarEvent, eventUid, type CalendarEvent, type CalendarFeed } from "@lto/calendar";
import type { Course } from "./course.js";
import type { Meeting, Session } from "./session.js";

/** The right-hand side of every UID, so ours never collide with other calendars' in an app. */
export const CALENDAR_UID_DOMAIN = "catalogue.lto-mantova.it";

/** The UID of a meeting: its id at the catalogue's domain. */
export function meetingUid(meetingId: string): string {
  return eventUid(meetingId, CALENDAR_UID_DOMAIN);
}

/** A session with the course it runs, as much of it as a calendar shows. */
export interface SessionWithCourse {
  session: Session;
  course: Pick<Course, "id" | "titleIt">;
}

/**
 * A meeting is cancelled in calendars when it is, or when its whole session is: the session domain
 * increases the sequence of every meeting it cancels, so apps take the change.
 */
function meetingEvent({ session, course }: SessionWithCourse, meeting: Meeting): CalendarEvent {
  const cancelled = meeting.cancelled || session.state === "cancelled";
  return calendarEvent({
    uid: meetingUid(meeting.id),
    sequence: meeting.sequence,
    start: meeting.startsAt,
    end: meeting.endsAt,
    summary: cancelled ? `ANNULLATO: ${course.titleIt}` : course.titleIt,
    description: [
      `Formatore: ${meeting.trainer}`,
      `Sessione ${session.id} (${session.site})`,
      ...(session.state === "cancelled" && session.cancellationReason
        ? [`Sessione annullata: ${session.cancellationReason}`]
        : []),
    ].join("\n"),
    location: `${meeting.room}, ${session.site}`,
    status: cancelled ? "CANCELLED" : "CONFIRMED",
    lastModified: session.updatedAt,
  });
}

/** Every meeting of a session, the cancelled ones included (so apps remove them). */
export function sessionEvents(source: SessionWithCourse): CalendarEvent[] {
  return source.session.meetings.map((m) => meetingEvent(source, m));
}

export function sessionCalendar(source: SessionWithCourse): CalendarFeed {
  return {
    name: `${source.course.titleIt} (${source.session.site})`,
    description: `Gli incontri della sessione ${source.session.id}, ora di Roma`,
    events: sessionEvents(source),
  };
}

/** Whether `personId` trains this meeting (named by their subject, not their name). */
export function trains(meeting: Meeting, personId: string): boolean {
  return meeting.trainerId === personId;
}

/**
 * A person's calendar: every meeting of the sessions they are enrolled in, and the meetings they train
 * elsewhere; each meeting once, in time order.
 */
export function personalCalendar(
  personId: string,
  enrolled: readonly SessionWithCourse[],
  training: readonly SessionWithCourse[],
): CalendarFeed {
  const events = new Map<string, CalendarEvent>();
  for (const source of enrolled)
    for (const meeting of source.session.meetings) events.set(meeting.id, meetingEvent(source, meeting));
  for (const source of training)
    for (const meeting of source.session.meetings.filter((m) => trains(m, personId)))
      events.set(meeting.id, meetingEvent(source, meeting));
  return {
    name: "LTO Mantova: i miei corsi",
    description: "Gli incontri dei corsi che segui e di quelli in cui insegni, ora di Roma",
    events: [...events.values()].sort((a, b) => a.start.getTime() - b.start.getTime()),
  };
}
