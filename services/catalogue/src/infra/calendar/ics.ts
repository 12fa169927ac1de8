// A calendar feed as RFC 5545 text, written by ical-generator. Meetings are written in Rome's local
// time with TZID and a VTIMEZONE, so an app shows the civil time people agreed on and, across a
// daylight-saving change, the real length of the meeting.
import { isAmbiguousWallTime } from "@lto/civil-time";
import { getVtimezoneComponent } from "@touch4it/ical-timezones";
import { ICalCalendar, ICalCalendarMethod, ICalEventStatus } from "ical-generator";
import { DateTime } from "luxon";
import {
  CALENDAR_ZONE,
  calendarFeedIssues,
  type CalendarEvent,
  type CalendarFeed,
} from "../../domain/calendar-feed.js";

export const ICS_CONTENT_TYPE = "text/calendar; charset=utf-8";

export interface RenderOptions {
  /** When this copy of the feed is produced: DTSTAMP of every event (RFC 5545 with METHOD). */
  generatedAt: Date;
  /** How often subscribed apps should fetch the feed again, in seconds (default one hour). */
  refreshSeconds?: number;
}

/** The feed as an iCalendar object (METHOD:PUBLISH); throws when the feed breaks its own rules. */
export function renderCalendar(feed: CalendarFeed, options: RenderOptions): string {
  const issues = calendarFeedIssues(feed);
  if (issues.length > 0) throw new Error(`calendar feed "${feed.name}": ${issues.join("; ")}`);

  const calendar = new ICalCalendar({
    prodId: { company: "LTO Mantova", product: "Catalogue", language: "IT" },
    method: ICalCalendarMethod.PUBLISH,
    // The library writes NAME and X-WR-CALDESC unescaped, unlike event text: escape them here.
    name: escapeText(feed.name),
    ...(feed.description ? { description: escapeText(feed.description) } : {}),
    // No calendar-wide zone name: the library would then write DTSTAMP and LAST-MODIFIED as local
    // times without TZID. Each event names the zone; the generator adds its VTIMEZONE once.
    timezone: { name: null, generator: getVtimezoneComponent },
    ttl: options.refreshSeconds ?? 3600,
  });
  calendar.x("X-WR-TIMEZONE", CALENDAR_ZONE);
  for (const event of feed.events) addEvent(calendar, event, options.generatedAt);
  return calendar.toString();
}

function addEvent(calendar: ICalCalendar, event: CalendarEvent, generatedAt: Date): void {
  // 02:xx on the night clocks go back is ambiguous as a local time, and apps resolve it differently:
  // such a meeting is written in UTC, which every app shows at the right time.
  const inRomeTime = !isAmbiguousWallTime(event.start) && !isAmbiguousWallTime(event.end);
  const at = (instant: Date) =>
    inRomeTime ? DateTime.fromJSDate(instant, { zone: CALENDAR_ZONE }) : instant;
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
    status: event.status === "CANCELLED" ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    lastModified: event.lastModified,
  });
}

/** TEXT escaping of RFC 5545 3.3.11, as the library applies to event properties. */
function escapeText(value: string): string {
  return value.replace(/[\\;,]/g, (match) => `\\${match}`).replace(/\r\n|\r|\n/g, "\\n");
}
