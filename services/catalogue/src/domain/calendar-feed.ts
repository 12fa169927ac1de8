// What a calendar feed says, before any file format: the meetings of a session, or of one learner or
// trainer, as events a calendar app keeps in step by UID and SEQUENCE. Pure: no I/O, no clock.
import { createHash, timingSafeEqual } from "node:crypto";
import { ROME, wallClockOf } from "@lto/civil-time";

/** Every meeting of the programme happens in Rome; feeds carry its civil time and its rules. */
export const CALENDAR_ZONE = ROME;
export type CalendarZone = typeof CALENDAR_ZONE;

/** The right-hand side of every UID, so ours never collide with other calendars' in an app. */
export const CALENDAR_UID_DOMAIN = "catalogue.lto-mantova.it";

/** A civil wall-clock time in Rome, "YYYY-MM-DDTHH:mm:ss" (no offset: the zone says which). */
export type LocalDateTime = string;

export type CalendarEventStatus = "CONFIRMED" | "CANCELLED";

export interface CalendarEvent {
  /** Stable for the life of a meeting: a calendar app updates the event it already has. */
  uid: string;
  /** Bumped by the session domain when the meeting moves or is cancelled; rendered as is. */
  sequence: number;
  /** UTC instants: the truth about when the meeting happens and how long it really lasts. */
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
}

export interface CalendarFeed {
  name: string;
  description?: string;
  events: CalendarEvent[];
}

/** What a caller supplies; the wall-clock fields and the zone are derived from the instants. */
export type CalendarEventInput = Omit<CalendarEvent, "startLocal" | "endLocal" | "timeZone">;

/** The UID of a meeting: its id at our domain (RFC 5545 recommends a globally unique right side). */
export function meetingUid(meetingId: string): string {
  return `${meetingId}@${CALENDAR_UID_DOMAIN}`;
}

const UID = /^[A-Za-z0-9._~-]+@[A-Za-z0-9.-]+$/;
const CONTROL = /[\u0000-\u001f\u007f]/; // eslint-disable-line no-control-regex
// iCalendar TEXT may hold tabs and new lines (escaped), no other control character (RFC 5545 3.3.11).
const TEXT_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/; // eslint-disable-line no-control-regex

function textIssues(fields: Record<string, string | undefined>): string[] {
  return Object.entries(fields)
    .filter(([, value]) => value !== undefined && TEXT_CONTROL.test(value))
    .map(([field]) => `${field} must not contain control characters`);
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

function isHttpUrl(value: string): boolean {
  if (CONTROL.test(value)) return false;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

// Secret feed URLs. A personal feed is read by calendar apps that cannot sign in, so its URL carries a
// secret token: 32 random bytes (256 bits) in base64url. Only the token's SHA-256 is stored, so a copy
// of the database does not open anyone's calendar; rotating stores a new hash and the old URL is 404.

/** The length of a token of 32 bytes in unpadded base64url. */
export const FEED_TOKEN_LENGTH = 43;
const FEED_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** Whether a URL segment can be a feed token at all (anything else is 404 without a lookup). */
export function isFeedTokenShape(token: string): boolean {
  return FEED_TOKEN.test(token);
}

/** What is stored for a token: its SHA-256, hex. */
export function feedTokenHash(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Whether two stored hashes are equal, in time that does not depend on where they differ. */
export function sameFeedTokenHash(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Whether a presented token is the one whose hash is stored. */
export function feedTokenMatches(token: string, storedHash: string): boolean {
  return isFeedTokenShape(token) && sameFeedTokenHash(feedTokenHash(token), storedHash);
}
