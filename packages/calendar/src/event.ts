// What a calendar says, before any file format: events a calendar app keeps in step by UID and
// SEQUENCE, gathered in feeds. Pure: no I/O, no clock, no randomness, so a domain room may import it.
import { ROME, wallClockOf } from "@lto/civil-time";

/** Every event of the programme happens in Rome; calendars carry its civil time and its rules. */
export const CALENDAR_ZONE = ROME;
export type CalendarZone = typeof CALENDAR_ZONE;

/** A civil wall-clock time in Rome, "YYYY-MM-DDTHH:mm:ss" (no offset: the zone says which). */
export type LocalDateTime = string;

export type CalendarEventStatus = "CONFIRMED" | "CANCELLED";

/** Who organises an event (ORGANIZER): the address replies and changes come from. */
export interface CalendarOrganizer {
  name: string;
  email: string;
}

/** Who is invited (ATTENDEE); `rsvp` asks their app for an answer. */
export interface CalendarAttendee {
  email: string;
  name?: string;
  rsvp?: boolean;
}

export interface CalendarEvent {
  /** Stable for the life of an event: a calendar app updates the event it already has. */
  uid: string;
  /** Increased by the owner's domain on every significant change (see `nextSequence`); rendered as is. */
  sequence: number;
  /** UTC instants: the truth about when the event happens and how long it really lasts. */
  start: Date;
  end: Date;
  /** The same instants on Rome's wall clock, as people read them (derived: see `calendarEvent`). */
  startLocal: LocalDateTime;
  endLocal: LocalDateTime;
  timeZone: CalendarZone;
  summary: string;
  description?: string;
  location?: string;
  url?: string;
  status: CalendarEventStatus;
  lastModified: Date;
  organizer?: CalendarOrganizer;
  attendees?: CalendarAttendee[];
}

export interface CalendarFeed {
  name: string;
  description?: string;
  events: CalendarEvent[];
}

/** What a caller supplies; the wall-clock fields and the zone are derived from the instants. */
export type CalendarEventInput = Omit<CalendarEvent, "startLocal" | "endLocal" | "timeZone">;

/** A UID: the owner's id for the event at the owner's domain (RFC 5545 wants a globally unique right side). */
export function eventUid(id: string, domain: string): string {
  return `${id}@${domain}`;
}

const UID = /^[A-Za-z0-9._~-]+@[A-Za-z0-9.-]+$/;
const CONTROL = /[\u0000-\u001f\u007f]/; // eslint-disable-line no-control-regex
// iCalendar TEXT may hold tabs and new lines (escaped), no other control character (RFC 5545 3.3.11).
const TEXT_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/; // eslint-disable-line no-control-regex
// An address goes into a mailto: URI as it is: no spaces, quotes, brackets or iCalendar separators.
const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

function textIssues(fields: Record<string, string | undefined>): string[] {
  return Object.entries(fields)
    .filter(([, value]) => value !== undefined && TEXT_CONTROL.test(value))
    .map(([field]) => `${field} must not contain control characters`);
}

function partyIssues(field: string, party: { name?: string; email: string }): string[] {
  const issues: string[] = [];
  if (!EMAIL.test(party.email)) issues.push(`${field} e-mail "${party.email}" is not an e-mail address`);
  // A name is a quoted parameter (CN): no control character, not even a new line.
  if (party.name !== undefined && CONTROL.test(party.name))
    issues.push(`${field} name must not contain control characters`);
  return issues;
}

/** Why an event cannot be published as it is (empty when it can). */
export function calendarEventIssues(event: CalendarEvent): string[] {
  const issues: string[] = [];
  // A UID goes into the file as it is: only characters that no iCalendar reader escapes or splits on.
  if (!UID.test(event.uid))
    issues.push(`uid "${event.uid}" must be "<id>@<domain>" in letters, digits, ._~-`);
  if (!Number.isSafeInteger(event.sequence) || event.sequence < 0) {
    issues.push(`sequence ${event.sequence} must be a whole number from 0`);
  }
  const start = event.start.getTime();
  const end = event.end.getTime();
  if (Number.isNaN(start) || Number.isNaN(end)) issues.push("start and end must be valid instants");
  else {
    if (end <= start) issues.push("end must be after start");
    if (event.startLocal !== wallClockOf(event.start)) issues.push("startLocal must be start in Rome");
    if (event.endLocal !== wallClockOf(event.end)) issues.push("endLocal must be end in Rome");
  }
  if (event.timeZone !== CALENDAR_ZONE) issues.push(`timeZone must be ${CALENDAR_ZONE}`);
  if (!event.summary.trim()) issues.push("summary must not be empty");
  const { summary, description, location } = event;
  issues.push(...textIssues({ summary, description, location }));
  if (event.url !== undefined && !isHttpUrl(event.url)) issues.push(`url "${event.url}" must be http(s)`);
  if (event.status !== "CONFIRMED" && event.status !== "CANCELLED") {
    issues.push(`status must be CONFIRMED or CANCELLED`);
  }
  if (Number.isNaN(event.lastModified.getTime())) issues.push("lastModified must be a valid instant");
  if (event.organizer) {
    if (!event.organizer.name.trim()) issues.push("organizer name must not be empty");
    issues.push(...partyIssues("organizer", event.organizer));
  }
  const invited = new Set<string>();
  for (const attendee of event.attendees ?? []) {
    issues.push(...partyIssues("attendee", attendee));
    const address = attendee.email.toLowerCase();
    if (invited.has(address)) issues.push(`attendee ${attendee.email} appears twice`);
    invited.add(address);
  }
  return issues;
}

/** An event from its instants, with Rome's wall clock filled in; throws when it is not publishable. */
export function calendarEvent(input: CalendarEventInput): CalendarEvent {
  const valid = !Number.isNaN(input.start.getTime()) && !Number.isNaN(input.end.getTime());
  const event: CalendarEvent = {
    ...input,
    startLocal: valid ? wallClockOf(input.start) : "",
    endLocal: valid ? wallClockOf(input.end) : "",
    timeZone: CALENDAR_ZONE,
  };
  const issues = calendarEventIssues(event);
  if (issues.length > 0) throw new Error(`calendar event ${input.uid}: ${issues.join("; ")}`);
  return event;
}

/** Why a feed cannot be published as it is: its own problems, then each event's, by UID. */
export function calendarFeedIssues(feed: CalendarFeed): string[] {
  const issues: string[] = [];
  if (!feed.name.trim()) issues.push("name must not be empty");
  issues.push(...textIssues({ name: feed.name, description: feed.description }));
  const seen = new Set<string>();
  for (const event of feed.events) {
    if (seen.has(event.uid)) issues.push(`uid ${event.uid} appears twice`);
    seen.add(event.uid);
    for (const issue of calendarEventIssues(event)) issues.push(`${event.uid}: ${issue}`);
  }
  return issues;
}

/**
 * Why an event cannot be sent as an iTIP message (RFC 5546) attached to an e-mail: REQUEST and CANCEL
 * need an ORGANIZER and at least one ATTENDEE, or mail clients show a file, not an invitation.
 */
export function calendarMessageIssues(event: CalendarEvent): string[] {
  const issues = calendarEventIssues(event);
  if (!event.organizer) issues.push("a message needs an organizer");
  if (!event.attendees?.length) issues.push("a message needs at least one attendee");
  return issues;
}

// SEQUENCE (RFC 5545 3.8.7.4, RFC 5546 2.1.4): the organizer increases it on every significant
// revision, and apps drop a copy whose sequence is not higher than the one they hold. Significant
// here: when it happens, where, and whether it happens at all.

/** Whether `after` changes what an attendee must act on: start, end, place or status. */
export function isSignificantChange(
  before: Pick<CalendarEvent, "start" | "end" | "location" | "status">,
  after: Pick<CalendarEvent, "start" | "end" | "location" | "status">,
): boolean {
  return (
    before.start.getTime() !== after.start.getTime() ||
    before.end.getTime() !== after.end.getTime() ||
    (before.location ?? "") !== (after.location ?? "") ||
    before.status !== after.status
  );
}

/** The SEQUENCE for a new version of `before`: one more when the change is significant. */
export function nextSequence(
  before: Pick<CalendarEvent, "sequence" | "start" | "end" | "location" | "status">,
  after: Pick<CalendarEvent, "start" | "end" | "location" | "status">,
): number {
  return before.sequence + (isSignificantChange(before, after) ? 1 : 0);
}

/** The event cancelled at `at`: STATUS:CANCELLED and SEQUENCE one more; an event cancelled already stays as it is. */
export function cancelledEvent(event: CalendarEvent, at: Date): CalendarEvent {
  if (event.status === "CANCELLED") return event;
  return calendarEvent({
    ...event,
    status: "CANCELLED",
    sequence: event.sequence + 1,
    lastModified: at,
  });
}

/** Why `after` cannot replace `before` in the apps that hold it (empty when it can). */
export function revisionIssues(before: CalendarEvent, after: CalendarEvent): string[] {
  const issues: string[] = [];
  if (after.uid !== before.uid) issues.push(`uid ${after.uid} must stay ${before.uid}`);
  if (after.sequence < before.sequence)
    issues.push(`sequence ${after.sequence} must not go back from ${before.sequence}`);
  else if (isSignificantChange(before, after) && after.sequence === before.sequence)
    issues.push(`sequence must increase from ${before.sequence}: the time, place or status changed`);
  if (before.status === "CANCELLED" && after.status !== "CANCELLED")
    issues.push("a cancelled event cannot come back: give the new one a new uid");
  return issues;
}

function isHttpUrl(value: string): boolean {
  if (CONTROL.test(value)) return false;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}
