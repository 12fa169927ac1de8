// The calendar feeds' read model (pure): one entry per booking, kept from the service's own booking
// events, and what an entry says in an operator's or a person's calendar. An entry applies an event
// only when the event's version (the booking's) is newer than the one it holds: a redelivered or older
// event changes nothing. SEQUENCE is the booking's, as its events carry it (0 when confirmed, one more on
// every reschedule and on the cancellation): an event skipped (parked, or before this consumer's start)
// cannot put it out of step. The UID is the booking id, so apps update the copy they hold.
import {
  calendarEvent,
  eventUid,
  type CalendarAttendee,
  type CalendarEvent,
  type CalendarFeed,
  type CalendarOrganizer,
} from "@lto/calendar";
import type { DeliveryMode } from "./service-types.js";

/** The right-hand side of every UID of this service's calendars. */
export const CALENDAR_UID_DOMAIN = "self-employment.lto-mantova.it";

export function bookingUid(bookingId: string): string {
  return eventUid(bookingId, CALENDAR_UID_DOMAIN);
}

export type CalendarEntryStatus = "confirmed" | "cancelled" | "no_show";

/** Where and when a booking takes place, as its events carry it. */
export interface EntrySlot {
  site: string;
  operatorId: string;
  roomId?: string;
  equipmentIds: string[];
  mode: DeliveryMode;
  start: Date;
  end: Date;
}

export interface CalendarEntry extends EntrySlot {
  /** The booking's id. */
  id: string;
  /** The person's pseudonymous id (a team's id for a team's path). */
  personId: string;
  serviceCode: string;
  status: CalendarEntryStatus;
  sequence: number;
  /** The booking's version of the last event applied. */
  version: number;
  /** When the last applied change happened (LAST-MODIFIED; for a cancellation: when it was cancelled). */
  changedAt: Date;
}

/** A booking event as the feeds read it (the contract room maps the protobuf events to these). */
export interface BookingFact {
  kind: "confirmed" | "rescheduled" | "cancelled" | "no_show";
  bookingId: string;
  personId: string;
  serviceCode: string;
  slot: EntrySlot;
  version: number;
  /**
   * The booking's SEQUENCE after the change, as the event carries it; absent from an event written
   * before events carried it, and then counted from the entry (see `applyBookingFact`).
   */
  sequence?: number;
  at: Date;
}

const STATUS: Record<BookingFact["kind"], CalendarEntryStatus> = {
  confirmed: "confirmed",
  rescheduled: "confirmed",
  cancelled: "cancelled",
  no_show: "no_show",
};

/**
 * How much an event without its SEQUENCE (written before events carried it) raises the entry's: when it
 * happens or whether it happens at all changed. Counting goes wrong once an event is skipped, so it is
 * only the fallback for those older events.
 */
function sequenceStep(fact: BookingFact, entry: CalendarEntry | undefined): number {
  if (fact.kind === "rescheduled") return 1;
  if (fact.kind === "cancelled") return entry?.status === "cancelled" ? 0 : 1;
  return 0;
}

/**
 * The entry after `fact`, or undefined when the fact changes nothing: it is not newer than the entry
 * (redelivered, or overtaken), or the booking is cancelled already (a cancelled event never comes back).
 * SEQUENCE is the event's; an older event without it counts on from the entry (without an entry, its
 * confirmation never seen, it starts one with the SEQUENCE it implies at least).
 */
export function applyBookingFact(
  entry: CalendarEntry | undefined,
  fact: BookingFact,
): CalendarEntry | undefined {
  if (entry && (fact.version <= entry.version || entry.status === "cancelled")) return undefined;
  const { roomId, ...slot } = fact.slot;
  return {
    id: fact.bookingId,
    personId: fact.personId,
    serviceCode: fact.serviceCode,
    ...slot,
    ...(roomId ? { roomId } : {}),
    status: STATUS[fact.kind],
    sequence: fact.sequence ?? (entry?.sequence ?? 0) + sequenceStep(fact, entry),
    version: fact.version,
    changedAt: fact.at,
  };
}

export interface FeedWindow {
  /** How long a cancelled booking stays in the feeds (STATUS:CANCELLED), so subscribed apps remove it. */
  cancelledDays: number;
  /** How far back past bookings are listed. */
  pastDays: number;
}

const DAY = 86_400_000;

/** Whether the entry is listed in a feed produced at `now`. */
export function inFeed(entry: CalendarEntry, now: Date, window: FeedWindow): boolean {
  if (entry.end.getTime() < now.getTime() - window.pastDays * DAY) return false;
  return (
    entry.status !== "cancelled" || entry.changedAt.getTime() >= now.getTime() - window.cancelledDays * DAY
  );
}

/** Who reads a feed: an operator sees whom they meet by name only; a person sees their own bookings. */
export type FeedAudience = "operator" | "person";

/** The names an entry is shown with, resolved by the app (reference data, operators, persons). */
export interface EntryNames {
  /** The service type's Italian name. */
  service: string;
  site: string;
  room?: string;
  operator?: string;
  /** Given and family name of the person (or the team's label): in the operator's feed only. */
  person?: string;
}

export function entryEvent(entry: CalendarEntry, audience: FeedAudience, names: EntryNames): CalendarEvent {
  const cancelled = entry.status === "cancelled";
  const title = audience === "operator" && names.person ? `${names.service}: ${names.person}` : names.service;
  const location =
    entry.mode === "remote"
      ? `A distanza (${names.site})`
      : [names.room, names.site].filter(Boolean).join(", ");
  const description = [
    ...(audience === "person" && names.operator ? [`Operatore: ${names.operator}`] : []),
    ...(entry.status === "no_show" ? ["Assenza registrata"] : []),
    ...(cancelled ? ["Appuntamento annullato"] : []),
  ].join("\n");
  return calendarEvent({
    uid: bookingUid(entry.id),
    sequence: entry.sequence,
    start: entry.start,
    end: entry.end,
    summary: cancelled ? `ANNULLATO: ${title}` : title,
    ...(description ? { description } : {}),
    location,
    status: cancelled ? "CANCELLED" : "CONFIRMED",
    lastModified: entry.changedAt,
  });
}

/**
 * The booking as an invitation to the person (an iTIP message: REQUEST while it is on, CANCEL once
 * cancelled), from its organizer; the person's app matches it to the copy it holds by UID and SEQUENCE.
 */
export function entryInvitation(
  entry: CalendarEntry,
  names: EntryNames,
  parties: { organizer: CalendarOrganizer; attendee: CalendarAttendee },
): CalendarEvent {
  const event = entryEvent(entry, "person", names);
  return calendarEvent({ ...event, organizer: parties.organizer, attendees: [parties.attendee] });
}

/** A feed: its entries as events in time order. */
export function entriesCalendar(name: string, description: string, events: CalendarEvent[]): CalendarFeed {
  return { name, description, events: [...events].sort((a, b) => a.start.getTime() - b.start.getTime()) };
}
