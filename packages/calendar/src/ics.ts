// Calendars as RFC 5545 text, written by ical-generator: a subscribed feed (METHOD:PUBLISH) and an
// iTIP message for one event (RFC 5546: METHOD:REQUEST or CANCEL) to attach to an e-mail. Events are
// written in Rome's local time with TZID and a VTIMEZONE, so an app shows the civil time people agreed
// on and, across a daylight-saving change, the real length of the event.
import { isAmbiguousWallTime } from "@lto/civil-time";
import { getVtimezoneComponent } from "@touch4it/ical-timezones";
import {
  ICalAttendeeRole,
  ICalAttendeeStatus,
  ICalCalendar,
  ICalCalendarMethod,
  ICalEventStatus,
} from "ical-generator";
import { DateTime } from "luxon";
import {
  CALENDAR_ZONE,
  calendarFeedIssues,
  calendarMessageIssues,
  type CalendarEvent,
  type CalendarFeed,
} from "./event.js";

export const ICS_CONTENT_TYPE = "text/calendar; charset=utf-8";

/** The content type of an iTIP attachment: mail clients read the method from it too (RFC 6047). */
export function icsMessageContentType(method: CalendarMessageMethod): string {
  return `text/calendar; charset=utf-8; method=${method}`;
}

export type CalendarMessageMethod = "REQUEST" | "CANCEL";

export interface MessageOptions {
  /** When this copy is produced: DTSTAMP of every event (RFC 5545 with METHOD). */
  generatedAt: Date;
  /** Which product writes it, in PRODID "-//LTO Mantova//<product>//IT". */
  product: string;
}

export interface RenderOptions extends MessageOptions {
  /** How often subscribed apps should fetch the feed again, in seconds (default one hour). */
  refreshSeconds?: number;
}

/** The feed as an iCalendar object (METHOD:PUBLISH); throws when the feed breaks its own rules. */
export function renderCalendar(feed: CalendarFeed, options: RenderOptions): string {
  const issues = calendarFeedIssues(feed);
  if (issues.length > 0) throw new Error(`calendar feed "${feed.name}": ${issues.join("; ")}`);

  const calendar = new ICalCalendar({
    ...calendarBase(options),
    method: ICalCalendarMethod.PUBLISH,
    // The library writes NAME and X-WR-CALDESC unescaped, unlike event text: escape them here.
    name: escapeText(feed.name),
    ...(feed.description ? { description: escapeText(feed.description) } : {}),
    ttl: options.refreshSeconds ?? 3600,
  });
  calendar.x("X-WR-TIMEZONE", CALENDAR_ZONE);
  for (const event of feed.events) addEvent(calendar, event, options.generatedAt);
  return calendar.toString();
}

/** The iTIP method an event is sent with: REQUEST while it is on (new or changed), CANCEL once cancelled. */
export function calendarMessageMethod(event: Pick<CalendarEvent, "status">): CalendarMessageMethod {
  return event.status === "CANCELLED" ? "CANCEL" : "REQUEST";
}

/**
 * One event as an iTIP message to attach to an e-mail: METHOD:REQUEST for a new or changed event,
 * METHOD:CANCEL (with STATUS:CANCELLED) for a cancelled one; the app matches it to the copy it holds by
 * UID and takes it when its SEQUENCE is higher. Throws when the event breaks the rules of a message.
 */
export function renderCalendarMessage(event: CalendarEvent, options: MessageOptions): string {
  const issues = calendarMessageIssues(event);
  if (issues.length > 0) throw new Error(`calendar message ${event.uid}: ${issues.join("; ")}`);
  const method = calendarMessageMethod(event);
  const calendar = new ICalCalendar({
    ...calendarBase(options),
    method: method === "CANCEL" ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
  });
  addEvent(calendar, event, options.generatedAt);
  return calendar.toString();
}

function calendarBase(options: MessageOptions) {
  return {
    prodId: { company: "LTO Mantova", product: options.product, language: "IT" },
    // No calendar-wide zone name: the library would then write DTSTAMP and LAST-MODIFIED as local
    // times without TZID. Each event names the zone; the generator adds its VTIMEZONE once.
    timezone: { name: null, generator: getVtimezoneComponent },
  };
}

function addEvent(calendar: ICalCalendar, event: CalendarEvent, generatedAt: Date): void {
  // 02:xx on the night clocks go back is ambiguous as a local time, and apps resolve it differently:
  // such an event is written in UTC, which every app shows at the right time.
  const inRomeTime = !isAmbiguousWallTime(event.start) && !isAmbiguousWallTime(event.end);
  const at = (instant: Date) =>
    inRomeTime ? DateTime.fromJSDate(instant, { zone: CALENDAR_ZONE }) : instant;
  const cancelled = event.status === "CANCELLED";
  calendar.createEvent({
    id: event.uid,
    sequence: event.sequence,
    stamp: generatedAt,
    start: at(event.start),
    end: at(event.end),
    ...(inRomeTime ? { timezone: CALENDAR_ZONE } : {}),
    summary: event.summary,
    ...(event.description ? { description: event.description } : {}),
    ...(event.location ? { location: event.location } : {}),
    ...(event.url ? { url: event.url } : {}),
    status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    lastModified: event.lastModified,
    ...(event.organizer ? { organizer: { ...event.organizer } } : {}),
    attendees: (event.attendees ?? []).map((attendee) => ({
      email: attendee.email,
      ...(attendee.name ? { name: attendee.name } : {}),
      role: ICalAttendeeRole.REQ,
      // A cancellation asks nothing; an invitation waits for the answer it asks for.
      ...(cancelled ? {} : { status: ICalAttendeeStatus.NEEDSACTION }),
      ...(attendee.rsvp !== undefined && !cancelled ? { rsvp: attendee.rsvp } : {}),
    })),
  });
}

/** TEXT escaping of RFC 5545 3.3.11, as the library applies to event properties. */
function escapeText(value: string): string {
  return value.replace(/[\\;,]/g, (match) => `\\${match}`).replace(/\r\n|\r|\n/g, "\\n");
}
