// The waitlist of a service type at a site: people waiting for a slot to free up, first come first
// served. When a booking is cancelled its slot is offered to the first person in line whose preferences
// it meets, for a limited time (the offer holds the slot meanwhile); the person accepts (a booking),
// declines, or lets it lapse, and then the slot goes to the next in line. Pure rules: the app stores
// entries and offers and holds the slot's claims.
import { zonedDateTimeOf, isLocalTime, type LocalTime } from "@lto/civil-time";
import { InvalidStateError, Issues } from "@lto/errors";
import type { Weekday } from "../availability/schedule.js";

const HOUR = 3_600_000;
const MINUTE = 60_000;

/** What a person will take: weekdays (ISO, 1 = Monday), a Rome wall-clock window, an operator. Absent = any. */
export interface WaitlistPreferences {
  days?: Weekday[];
  /** The slot starts at or after this time (Europe/Rome). */
  from?: LocalTime;
  /** The slot ends at or before this time (Europe/Rome). */
  to?: LocalTime;
  operatorId?: string;
}

/** waiting: in line; booked: an offer was accepted; left: taken off the list (by them or staff). */
export const WAITLIST_ENTRY_STATUSES = ["waiting", "booked", "left"] as const;
export type WaitlistEntryStatus = (typeof WAITLIST_ENTRY_STATUSES)[number];

export interface WaitlistEntry {
  id: string;
  serviceCode: string;
  site: string;
  personId: string;
  preferences: WaitlistPreferences;
  /** The place in line: earlier joins come first (ties by id). */
  joinedAt: Date;
  joinedBy: string;
  status: WaitlistEntryStatus;
  /** booked: the booking the accepted offer made. */
  bookingId?: string;
  /** left: when, by whom, why. */
  left?: { at: Date; by: string; reason?: string };
  version: number;
}

/** A slot freed by a cancellation, as the waitlist offers it. */
export interface FreedSlot {
  serviceCode: string;
  site: string;
  operatorId: string;
  start: Date;
  end: Date;
  roomId?: string;
  equipmentIds?: string[];
  mode?: "in_person" | "remote";
  /** A group service: the session and the seat the cancelled booking held. */
  groupSession?: string;
  seat?: number;
}

export const OFFER_STATUSES = ["pending", "accepted", "declined", "lapsed", "withdrawn"] as const;
/** withdrawn: the person left the list while the offer was pending. */
export type OfferStatus = (typeof OFFER_STATUSES)[number];

export interface WaitlistOffer {
  id: string;
  entryId: string;
  personId: string;
  serviceCode: string;
  site: string;
  slot: FreedSlot;
  /** The cancelled booking that freed the slot. */
  sourceBookingId: string;
  offeredAt: Date;
  /** Accept before this instant; then the offer lapses and the slot goes to the next in line. */
  expiresAt: Date;
  /** Entries offered this slot before (declined or lapsed), skipped when it goes on. */
  passedOver: string[];
  status: OfferStatus;
  decidedAt?: Date;
  decidedBy?: string;
  /** accepted: the booking made (with the offer's id). */
  bookingId?: string;
  /** accepted: when the booking was seen written (an acceptance without it is given up by the job). */
  bookedAt?: Date;
  /** Declined, lapsed or withdrawn, and the slot since given back and offered on (to the next or nobody). */
  forwardedAt?: Date;
  version: number;
}

export interface NewEntryInput {
  id: string;
  serviceCode: string;
  site: string;
  personId: string;
  preferences?: WaitlistPreferences;
}

function nonEmpty(value: unknown): boolean {
  return typeof value === "string" && value.trim().length > 0;
}

function checkPreferences(issues: Issues, prefs: WaitlistPreferences): void {
  if (prefs.days !== undefined) {
    if (!Array.isArray(prefs.days) || prefs.days.length === 0)
      issues.add(
        "preferences.days",
        "must list at least one weekday (1 = Monday ... 7 = Sunday), or be left out",
      );
    else {
      prefs.days.forEach((d, i) =>
        issues.check(
          Number.isInteger(d) && d >= 1 && d <= 7,
          `preferences.days.${i}`,
          "must be a weekday number, 1 = Monday ... 7 = Sunday",
        ),
      );
      issues.check(new Set(prefs.days).size === prefs.days.length, "preferences.days", "lists a day twice");
    }
  }
  const from = prefs.from;
  const to = prefs.to;
  if (from !== undefined) issues.check(isTime(from), "preferences.from", "must be a time HH:MM");
  if (to !== undefined) issues.check(isTime(to), "preferences.to", "must be a time HH:MM");
  if (isTime(from) && isTime(to)) issues.check(from < to, "preferences.to", "must be after preferences.from");
  if (prefs.operatorId !== undefined)
    issues.check(
      nonEmpty(prefs.operatorId),
      "preferences.operatorId",
      "must be an operator id, or be left out",
    );
}

function isTime(value: unknown): value is LocalTime {
  return typeof value === "string" && isLocalTime(value);
}

/**
 * A person joins the waitlist of a service at a site. `current` is the person's entry still waiting on
 * that list, if any: joining twice is refused (409), leave first to change preferences.
 */
export function joinWaitlist(
  input: NewEntryInput,
  current: WaitlistEntry | undefined,
  by: string,
  now: Date,
): WaitlistEntry {
  const issues = new Issues();
  issues.check(nonEmpty(input.id), "id", "is required");
  issues.check(nonEmpty(input.serviceCode), "serviceCode", "is required");
  issues.check(nonEmpty(input.site), "site", "is required");
  issues.check(nonEmpty(input.personId), "personId", "is required");
  const preferences = input.preferences ?? {};
  checkPreferences(issues, preferences);
  issues.throwIfAny("The waitlist entry is not valid");
  if (current && current.status === "waiting") alreadyWaiting(current);
  return {
    id: input.id,
    serviceCode: input.serviceCode,
    site: input.site,
    personId: input.personId,
    preferences: cleanPreferences(preferences),
    joinedAt: now,
    joinedBy: by,
    status: "waiting",
    version: 1,
  };
}

/** The refusal of a second entry on one list (also when a racing join wins in the store). */
export function alreadyWaiting(current: Pick<WaitlistEntry, "id" | "serviceCode" | "site">): never {
  throw new InvalidStateError("waitlist entry", "waiting", "join the waitlist with another", {
    reason: "already_waiting",
    because: `the person is on the waitlist of ${current.serviceCode} at ${current.site} already (entry ${current.id}); leave it first to change the preferences`,
    details: { entryId: current.id },
  });
}

function cleanPreferences(p: WaitlistPreferences): WaitlistPreferences {
  return {
    ...(p.days ? { days: [...p.days].sort((a, b) => a - b) } : {}),
    ...(p.from ? { from: p.from } : {}),
    ...(p.to ? { to: p.to } : {}),
    ...(p.operatorId ? { operatorId: p.operatorId } : {}),
  };
}

/** The person (or staff) takes the entry off the list; an entry booked or left already cannot leave. */
export function leaveWaitlist(entry: WaitlistEntry, by: string, now: Date, reason?: string): WaitlistEntry {
  if (entry.status !== "waiting")
    throw new InvalidStateError("waitlist entry", entry.status, "leave the waitlist with", {
      because:
        entry.status === "left"
          ? "it has left the list already"
          : "its offer was accepted: cancel the booking instead",
    });
  return { ...entry, status: "left", left: { at: now, by, ...(reason ? { reason } : {}) } };
}

/** Line order: earlier joins first, ties by id (ids are time-ordered). */
export function lineOrder(a: WaitlistEntry, b: WaitlistEntry): number {
  const t = a.joinedAt.getTime() - b.joinedAt.getTime();
  return t !== 0 ? t : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** ISO weekday (1 = Monday) of a civil date. */
function weekdayOf(date: string): Weekday {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return (day === 0 ? 7 : day) as Weekday;
}

/** Whether the slot meets the entry's preferences (its weekday and window in Rome, its operator). */
export function slotSuits(prefs: WaitlistPreferences, slot: FreedSlot): boolean {
  const start = zonedDateTimeOf(slot.start);
  const end = zonedDateTimeOf(slot.end);
  if (prefs.days && !prefs.days.includes(weekdayOf(start.date))) return false;
  if (prefs.from && start.time < prefs.from) return false;
  // A slot ending on a later civil day than it starts is past any window of one day.
  if (prefs.to && (end.date !== start.date || end.time > prefs.to)) return false;
  if (prefs.operatorId && prefs.operatorId !== slot.operatorId) return false;
  return true;
}

/**
 * The entry the slot goes to: the first in line still waiting on that service's list at that site, not
 * passed over for this slot, not holding another pending offer, whose preferences the slot meets.
 */
export function firstEligible(
  entries: readonly WaitlistEntry[],
  slot: FreedSlot,
  skip: { passedOver?: readonly string[]; holdingOffer?: readonly string[] } = {},
): WaitlistEntry | undefined {
  const passed = new Set(skip.passedOver ?? []);
  const holding = new Set(skip.holdingOffer ?? []);
  return [...entries]
    .sort(lineOrder)
    .find(
      (e) =>
        e.status === "waiting" &&
        e.serviceCode === slot.serviceCode &&
        e.site === slot.site &&
        !passed.has(e.id) &&
        !holding.has(e.id) &&
        slotSuits(e.preferences, slot),
    );
}

export interface OfferTiming {
  /** How long an offer stays open (WAITLIST_OFFER_HOURS). */
  offerHours: number;
  /** The service type's minimum notice: a slot cannot be booked later than its start minus this. */
  minNoticeMinutes: number;
}

/**
 * When an offer made now lapses: `offerHours` from now, but never past the last moment the slot can be
 * booked (its start minus the service's minimum notice). Undefined when that moment has passed: the
 * slot is too close to offer.
 */
export function offerDeadline(now: Date, slotStart: Date, timing: OfferTiming): Date | undefined {
  const lastBookable = slotStart.getTime() - timing.minNoticeMinutes * MINUTE;
  const deadline = Math.min(now.getTime() + timing.offerHours * HOUR, lastBookable);
  return deadline > now.getTime() ? new Date(deadline) : undefined;
}

export interface OfferInput {
  id: string;
  slot: FreedSlot;
  sourceBookingId: string;
  /** Entries offered this slot before. */
  passedOver?: readonly string[];
}

/** The slot offered to `entry` (chosen with firstEligible), or undefined when it is too close to offer. */
export function makeOffer(
  entry: WaitlistEntry,
  input: OfferInput,
  timing: OfferTiming,
  now: Date,
): WaitlistOffer | undefined {
  if (entry.status !== "waiting")
    throw new InvalidStateError("waitlist entry", entry.status, "offer a slot to", {
      because: "only an entry waiting in line gets offers",
    });
  const expiresAt = offerDeadline(now, input.slot.start, timing);
  if (!expiresAt) return undefined;
  return {
    id: input.id,
    entryId: entry.id,
    personId: entry.personId,
    serviceCode: input.slot.serviceCode,
    site: input.slot.site,
    slot: input.slot,
    sourceBookingId: input.sourceBookingId,
    offeredAt: now,
    expiresAt,
    passedOver: [...(input.passedOver ?? [])],
    status: "pending",
    version: 1,
  };
}

function requirePending(offer: WaitlistOffer, attempted: string, now: Date): void {
  if (offer.status !== "pending")
    throw new InvalidStateError("offer", offer.status, attempted, {
      because: `it was ${offer.status} already`,
    });
  if (now >= offer.expiresAt)
    throw new InvalidStateError("offer", offer.status, attempted, {
      reason: "expired",
      because: `it expired at ${offer.expiresAt.toISOString()}; the slot goes to the next in line`,
    });
}

/**
 * The person takes the slot, before the booking is written (so the offer can no longer lapse under it):
 * the offer is accepted with the id the booking will have. Refused once it ended or expired.
 */
export function acceptOffer(offer: WaitlistOffer, bookingId: string, by: string, now: Date): WaitlistOffer {
  requirePending(offer, "accept", now);
  return { ...offer, status: "accepted", decidedAt: now, decidedBy: by, bookingId };
}

/** The entry whose offer was accepted leaves the line, booked. */
export function entryBooked(entry: WaitlistEntry, bookingId: string): WaitlistEntry {
  if (entry.status !== "waiting")
    throw new InvalidStateError("waitlist entry", entry.status, "book from", {
      because: `it is ${entry.status} already`,
    });
  return { ...entry, status: "booked", bookingId };
}

/** The person does not want this slot: they keep their place in line; the slot goes to the next. */
export function declineOffer(offer: WaitlistOffer, by: string, now: Date): WaitlistOffer {
  requirePending(offer, "decline", now);
  return { ...offer, status: "declined", decidedAt: now, decidedBy: by };
}

/** Whether the offer is pending past its deadline (the periodic job lapses it). */
export function hasLapsed(offer: WaitlistOffer, now: Date): boolean {
  return offer.status === "pending" && now >= offer.expiresAt;
}

/** The offer ran out unanswered: the person keeps their place; the slot goes to the next. */
export function lapseOffer(offer: WaitlistOffer, now: Date): WaitlistOffer {
  if (!hasLapsed(offer, now))
    throw new InvalidStateError("offer", offer.status, "lapse", {
      because:
        offer.status === "pending"
          ? `it runs until ${offer.expiresAt.toISOString()}`
          : `it is ${offer.status}`,
    });
  return { ...offer, status: "lapsed", decidedAt: now, decidedBy: "system" };
}

/** The person left the list while offered: the offer ends and the slot goes to the next. */
export function withdrawOffer(offer: WaitlistOffer, by: string, now: Date): WaitlistOffer {
  if (offer.status !== "pending")
    throw new InvalidStateError("offer", offer.status, "withdraw", { because: `it is ${offer.status}` });
  return { ...offer, status: "withdrawn", decidedAt: now, decidedBy: by };
}

/** Who the slot was offered to so far, for the next offer of it: this offer's passed-over and its entry. */
export function passedOverAfter(offer: WaitlistOffer): string[] {
  return [...offer.passedOver, offer.entryId];
}

/** Declined, lapsed or withdrawn: the slot is to be given back and offered to the next in line. */
export function needsForwarding(offer: WaitlistOffer): boolean {
  return (
    (offer.status === "declined" || offer.status === "lapsed" || offer.status === "withdrawn") &&
    offer.forwardedAt === undefined
  );
}

/** The slot of an ended offer was given back and offered on. */
export function markForwarded(offer: WaitlistOffer, now: Date): WaitlistOffer {
  if (!needsForwarding(offer))
    throw new InvalidStateError("offer", offer.status, "forward the slot of", {
      because: offer.forwardedAt ? "its slot went on already" : `it is ${offer.status}`,
    });
  return { ...offer, forwardedAt: now };
}

/** The booking of an accepted offer is written. */
export function offerBooked(offer: WaitlistOffer, now: Date): WaitlistOffer {
  if (offer.status !== "accepted")
    throw new InvalidStateError("offer", offer.status, "record the booking of", {
      because: `it is ${offer.status}`,
    });
  return offer.bookedAt ? offer : { ...offer, bookedAt: now };
}

/**
 * An acceptance whose booking was never written (the process died in between): the offer counts as
 * lapsed, so its slot goes back and on to the next in line.
 */
export function abandonAcceptance(offer: WaitlistOffer, now: Date): WaitlistOffer {
  if (offer.status !== "accepted" || offer.bookedAt)
    throw new InvalidStateError("offer", offer.status, "give up the acceptance of", {
      because: offer.bookedAt ? "its booking is written" : `it is ${offer.status}`,
    });
  const { bookingId: _booking, ...rest } = offer;
  return { ...rest, status: "lapsed", decidedAt: now, decidedBy: "system" };
}
