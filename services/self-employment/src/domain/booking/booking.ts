// A booking of a service for a person (or a team) at a site: who, what, when, with which operator, room
// and lab equipment, and what became of it (confirmed, cancelled early or late, no-show, delivered).
// `sequence` is the ICS SEQUENCE (0 at booking, +1 on each reschedule and on the cancellation);
// `version` is the aggregate's version, bumped by the store on every write. Every change appends to
// the history; nothing recorded is overwritten.
import { InvalidStateError, Issues } from "@lto/errors";
import { isOnGrid } from "../availability/claims.js";
import { quarterHours, realMinutes } from "../path/rules.js";
import { DELIVERY_MODES, type DeliveryMode, type ServiceType } from "../service-types.js";
import type { Site } from "../sites.js";

export const BOOKING_STATES = ["confirmed", "cancelled", "no_show", "delivered"] as const;
export type BookingStatus = (typeof BOOKING_STATES)[number];

/** Who booked: staff of the site on the person's behalf, or the person themself (the portal). */
export type BookerKind = "person" | "staff";
/** Who cancelled: the person, staff, or the system (e.g. a waitlist offer lapsing, a site closing). */
export type CancellerKind = "person" | "staff" | "system";
export const CANCELLER_KINDS: readonly CancellerKind[] = ["person", "staff", "system"];

export interface BookingCancellation {
  at: Date;
  by: string;
  byKind: CancellerKind;
  /** Inside the service type's cancellation notice before the start. */
  late: boolean;
  reason?: string;
}

export interface BookingNoShow {
  at: Date;
  by: string;
}

export type BookingChange =
  "booked" | "rescheduled" | "cancelled" | "no_show" | "delivered" | "delivery_voided";

/** Where and when a booking was before a reschedule. */
export interface BookingPlace {
  start: Date;
  end: Date;
  operatorId: string;
  roomId?: string;
}

export interface BookingHistoryEntry {
  at: Date;
  by: string;
  what: BookingChange;
  /** The ICS sequence after the change. */
  sequence: number;
  /** rescheduled: where and when it was. */
  from?: BookingPlace;
  reason?: string;
  /** cancelled: inside the notice period. */
  late?: boolean;
}

export interface Booking {
  id: string;
  /** The person's pseudonymous id, or the team id of a team's path. */
  personId: string;
  pathId: string;
  serviceCode: string;
  site: string;
  operatorId: string;
  /** The room (a lab when equipment is booked); absent for a remote service. */
  roomId?: string;
  equipmentIds: string[];
  mode: DeliveryMode;
  start: Date;
  /** start + the service's duration, in real time. */
  end: Date;
  /** The funders' hours of the interval (whole quarter hours). */
  hours: number;
  /** Group services: the session shared by the bookings of one (service, operator, start). */
  groupSession?: string;
  /** Group services: the seat number (1..seats) this booking holds. */
  seat?: number;
  /** The path's funder when booked: the booking events report its hours to it. */
  funder: string;
  status: BookingStatus;
  sequence: number;
  bookedBy: string;
  bookedByKind: BookerKind;
  bookedAt: Date;
  /** Staff booked although the path's order was not met: why. */
  overrideReason?: string;
  cancellation?: BookingCancellation;
  noShow?: BookingNoShow;
  deliveredAt?: Date;
  history: BookingHistoryEntry[];
  version: number;
}

/** What the caller chose; the rest (end, hours, group session, status) is derived. */
export interface NewBookingInput {
  id: string;
  personId: string;
  pathId: string;
  serviceCode: string;
  site: string;
  operatorId: string;
  roomId?: string;
  equipmentIds?: string[];
  mode: DeliveryMode;
  start: Date;
  /** Group services: the seat the booking claimed (1..seats). */
  seat?: number;
  /** The path's funder. */
  funder: string;
  bookedBy: string;
  bookedByKind: BookerKind;
  overrideReason?: string;
}

export const MAX_BOOKING_REASON = 500;
export const MAX_EQUIPMENT_PER_BOOKING = 10;
const MINUTE = 60_000;

function isDate(d: unknown): d is Date {
  return d instanceof Date && !Number.isNaN(d.getTime());
}

function nonEmpty(issues: Issues, field: string, value: unknown): void {
  issues.check(typeof value === "string" && value.trim().length > 0, field, "is required");
}

function checkReasonText(issues: Issues, field: string, reason: unknown): void {
  issues.check(
    typeof reason === "string" && reason.trim().length > 0 && reason.length <= MAX_BOOKING_REASON,
    field,
    `say why, in 1 to ${MAX_BOOKING_REASON} characters`,
  );
}

/** The session the bookings of a group service share: the same service, operator and start. */
export function groupSessionId(serviceCode: string, operatorId: string, start: Date): string {
  return `${serviceCode}:${operatorId}@${start.toISOString()}`;
}

/** The end of a service starting at `start`: its duration in real time (also across a clock change). */
export function bookingEnd(start: Date, type: Pick<ServiceType, "durationMinutes">): Date {
  return new Date(start.getTime() + type.durationMinutes * MINUTE);
}

/**
 * Where a booking may take place: the mode the service offers, a room of the site for an in-person
 * service (large enough for a group; the lab the equipment stands in), nothing physical for a remote one.
 * Shared by newBooking and rescheduleBooking.
 */
function checkPlace(
  issues: Issues,
  input: { mode: unknown; roomId?: unknown; equipmentIds: unknown },
  type: ServiceType,
  site: Site,
): void {
  const modeKnown = (DELIVERY_MODES as readonly unknown[]).includes(input.mode);
  issues.check(modeKnown, "mode", `must be one of ${DELIVERY_MODES.join(", ")}`);
  if (modeKnown && !type.modes.includes(input.mode as DeliveryMode))
    issues.add("mode", `${type.code} is offered ${type.modes.join(" or ")} only`);
  const equipment = Array.isArray(input.equipmentIds) ? (input.equipmentIds as unknown[]) : undefined;
  if (!equipment) issues.add("equipmentIds", "must be a list of equipment item ids");
  else if (equipment.length > MAX_EQUIPMENT_PER_BOOKING)
    issues.add("equipmentIds", `at most ${MAX_EQUIPMENT_PER_BOOKING} items per booking`);
  const room = input.roomId;
  if (input.mode === "remote") {
    issues.check(room === undefined, "roomId", "a remote service takes no room: leave it out");
    issues.check(!equipment?.length, "equipmentIds", "a remote service takes no lab equipment");
    return;
  }
  if (input.mode !== "in_person") return;
  let chosen: Site["rooms"][number] | undefined;
  if (room === undefined) issues.add("roomId", "an in-person service needs a room of the site");
  else if (typeof room !== "string" || !(chosen = site.rooms.find((r) => r.id === room)))
    issues.add("roomId", `is not a room of ${site.id}`);
  else if (type.format.kind === "group" && chosen.seats < type.format.seats)
    issues.add(
      "roomId",
      `${chosen.name} seats ${chosen.seats}; ${type.code} is a group of ${type.format.seats}: choose a larger room`,
    );
  const seen = new Set<string>();
  equipment?.forEach((id, i) => {
    const item = typeof id === "string" ? site.equipment.find((e) => e.id === id) : undefined;
    if (!item) return issues.add(`equipmentIds.${i}`, `is not an equipment item of ${site.id}`);
    if (seen.has(item.id)) return issues.add(`equipmentIds.${i}`, "is listed twice");
    seen.add(item.id);
    if (chosen && item.labId !== chosen.id)
      issues.add(`equipmentIds.${i}`, `stands in ${item.labId}: book that lab as the room`);
  });
}

function checkStart(issues: Issues, field: string, start: unknown): void {
  if (!isDate(start)) issues.add(field, "must be a date and time");
  else if (!isOnGrid(start))
    issues.add(field, "must be on a 5-minute boundary (a start the availability offers)");
}

/**
 * A new booking, confirmed, sequence 0, version 1; every field checked against the service type and
 * the site (400 naming every bad field). Whether the slot is free, the path's order and caps and the
 * equipment credentials are the booking use case's to check, not this.
 */
export function newBooking(input: NewBookingInput, type: ServiceType, site: Site, now: Date): Booking {
  const issues = new Issues();
  nonEmpty(issues, "id", input.id);
  nonEmpty(issues, "personId", input.personId);
  nonEmpty(issues, "pathId", input.pathId);
  issues.check(input.serviceCode === type.code, "serviceCode", `must be ${type.code}`);
  issues.check(input.site === site.id, "site", `must be ${site.id}`);
  nonEmpty(issues, "operatorId", input.operatorId);
  const equipmentIds = input.equipmentIds ?? [];
  checkPlace(issues, { mode: input.mode, roomId: input.roomId, equipmentIds }, type, site);
  checkStart(issues, "start", input.start);
  if (type.format.kind === "group")
    issues.check(
      Number.isInteger(input.seat) && input.seat! >= 1 && input.seat! <= type.format.seats,
      "seat",
      `must be a seat number from 1 to ${type.format.seats}`,
    );
  else issues.check(input.seat === undefined, "seat", `${type.code} is individual: it has no seats`);
  nonEmpty(issues, "funder", input.funder);
  nonEmpty(issues, "bookedBy", input.bookedBy);
  issues.check(
    input.bookedByKind === "person" || input.bookedByKind === "staff",
    "bookedByKind",
    "must be person or staff",
  );
  if (input.overrideReason !== undefined) {
    checkReasonText(issues, "overrideReason", input.overrideReason);
    issues.check(
      input.bookedByKind === "staff",
      "overrideReason",
      "only staff may book out of the path's order",
    );
  }
  issues.check(isDate(now), "now", "must be a date and time");
  issues.throwIfAny("The booking has invalid fields");

  const end = bookingEnd(input.start, type);
  return {
    id: input.id,
    personId: input.personId,
    pathId: input.pathId,
    serviceCode: type.code,
    site: site.id,
    operatorId: input.operatorId,
    ...(input.roomId !== undefined ? { roomId: input.roomId } : {}),
    equipmentIds: [...equipmentIds],
    mode: input.mode,
    start: input.start,
    end,
    hours: quarterHours(realMinutes(input.start, end)),
    ...(type.format.kind === "group"
      ? { groupSession: groupSessionId(type.code, input.operatorId, input.start), seat: input.seat! }
      : {}),
    funder: input.funder,
    status: "confirmed",
    sequence: 0,
    bookedBy: input.bookedBy,
    bookedByKind: input.bookedByKind,
    bookedAt: now,
    ...(input.overrideReason !== undefined ? { overrideReason: input.overrideReason } : {}),
    history: [{ at: now, by: input.bookedBy, what: "booked", sequence: 0 }],
    version: 1,
  };
}

function requireConfirmed(booking: Booking, attempted: string): void {
  if (booking.status !== "confirmed")
    throw new InvalidStateError("booking", booking.status, attempted, {
      because: `it is ${booking.status.replace("_", "-")} already`,
    });
}

function nonEmptyBy(by: string): void {
  const issues = new Issues();
  nonEmpty(issues, "by", by);
  issues.throwIfAny("Say who makes the change");
}

/** Where a booking moves: a new start, and possibly another operator or room (or seat of the new group). */
export interface BookingMove {
  start: Date;
  operatorId?: string;
  /** The new room; undefined keeps the current one. */
  roomId?: string;
  equipmentIds?: string[];
  /** Group services: the seat claimed in the new session. */
  seat?: number;
}

/**
 * Moves a confirmed booking to a new slot (the caller has claimed it), sequence + 1. Refused when it is
 * not confirmed or has started (409); the new place is checked as a new booking's (400).
 */
export function rescheduleBooking(
  booking: Booking,
  to: BookingMove,
  type: ServiceType,
  site: Site,
  by: string,
  now: Date,
  reason?: string,
): Booking {
  requireConfirmed(booking, "reschedule");
  if (now >= booking.start)
    throw new InvalidStateError("booking", booking.status, "reschedule", {
      reason: "started",
      because: "it has started already; record what happened instead (delivered or no-show)",
    });
  const issues = new Issues();
  nonEmpty(issues, "by", by);
  issues.check(type.code === booking.serviceCode, "serviceCode", `the booking is of ${booking.serviceCode}`);
  issues.check(site.id === booking.site, "site", `the booking is at ${booking.site}`);
  const operatorId = to.operatorId ?? booking.operatorId;
  nonEmpty(issues, "operatorId", operatorId);
  const roomId = to.roomId ?? booking.roomId;
  const equipmentIds = to.equipmentIds ?? booking.equipmentIds;
  checkPlace(issues, { mode: booking.mode, roomId, equipmentIds }, type, site);
  checkStart(issues, "start", to.start);
  if (isDate(to.start)) issues.check(to.start > now, "start", "must be in the future");
  if (type.format.kind === "group")
    issues.check(
      Number.isInteger(to.seat) && to.seat! >= 1 && to.seat! <= type.format.seats,
      "seat",
      `must be a seat number from 1 to ${type.format.seats}`,
    );
  if (reason !== undefined) checkReasonText(issues, "reason", reason);
  issues.throwIfAny("The booking cannot be moved there");
  if (
    to.start.getTime() === booking.start.getTime() &&
    operatorId === booking.operatorId &&
    roomId === booking.roomId &&
    sameItems(equipmentIds, booking.equipmentIds)
  )
    throw new InvalidStateError("booking", booking.status, "reschedule", {
      reason: "same_slot",
      because: "it is in that slot already",
    });

  const sequence = booking.sequence + 1;
  const end = bookingEnd(to.start, type);
  const from: BookingPlace = {
    start: booking.start,
    end: booking.end,
    operatorId: booking.operatorId,
    ...(booking.roomId !== undefined ? { roomId: booking.roomId } : {}),
  };
  const { roomId: _oldRoom, groupSession: _g, seat: _s, ...rest } = booking;
  return {
    ...rest,
    operatorId,
    ...(roomId !== undefined ? { roomId } : {}),
    equipmentIds: [...equipmentIds],
    start: to.start,
    end,
    hours: quarterHours(realMinutes(to.start, end)),
    ...(type.format.kind === "group"
      ? { groupSession: groupSessionId(type.code, operatorId, to.start), seat: to.seat! }
      : {}),
    sequence,
    history: [
      ...booking.history,
      {
        at: now,
        by,
        what: "rescheduled",
        sequence,
        from,
        ...(reason !== undefined ? { reason } : {}),
      },
    ],
  };
}

function sameItems(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join("\n") === [...b].sort().join("\n");
}

/** True when a cancellation at `now` falls inside the service type's notice period before the start. */
export function isLateCancellation(
  booking: Pick<Booking, "start">,
  type: Pick<ServiceType, "cancellationNoticeHours">,
  now: Date,
): boolean {
  return booking.start.getTime() - now.getTime() < type.cancellationNoticeHours * 60 * MINUTE;
}

/**
 * Cancels a confirmed booking that has not started, sequence + 1; `late` when inside the service type's
 * `cancellationNoticeHours` before the start. The caller frees its claims.
 */
export function cancelBooking(
  booking: Booking,
  type: Pick<ServiceType, "code" | "cancellationNoticeHours">,
  by: string,
  byKind: CancellerKind,
  now: Date,
  reason?: string,
): Booking {
  requireConfirmed(booking, "cancel");
  if (now >= booking.start)
    throw new InvalidStateError("booking", booking.status, "cancel", {
      reason: "started",
      because: "it has started already; mark a no-show if the person did not come",
    });
  const issues = new Issues();
  nonEmpty(issues, "by", by);
  issues.check(CANCELLER_KINDS.includes(byKind), "byKind", `must be one of ${CANCELLER_KINDS.join(", ")}`);
  issues.check(type.code === booking.serviceCode, "serviceCode", `the booking is of ${booking.serviceCode}`);
  if (reason !== undefined) checkReasonText(issues, "reason", reason);
  issues.throwIfAny("The booking cannot be cancelled so");
  const late = isLateCancellation(booking, type, now);
  const sequence = booking.sequence + 1;
  return {
    ...booking,
    status: "cancelled",
    sequence,
    cancellation: { at: now, by, byKind, late, ...(reason !== undefined ? { reason } : {}) },
    history: [
      ...booking.history,
      { at: now, by, what: "cancelled", sequence, late, ...(reason !== undefined ? { reason } : {}) },
    ],
  };
}

/** The person did not come: only once the start has passed, and only for a confirmed booking. */
export function markNoShow(booking: Booking, by: string, now: Date): Booking {
  requireConfirmed(booking, "mark a no-show for");
  if (now < booking.start)
    throw new InvalidStateError("booking", booking.status, "mark a no-show for", {
      reason: "not_started",
      because: "it has not started yet; cancel it instead if the person will not come",
    });
  nonEmptyBy(by);
  return {
    ...booking,
    status: "no_show",
    noShow: { at: now, by },
    history: [...booking.history, { at: now, by, what: "no_show", sequence: booking.sequence }],
  };
}

/** The service took place (the delivery is recorded on the path): only once it has started. */
export function markDelivered(booking: Booking, by: string, now: Date): Booking {
  requireConfirmed(booking, "mark as delivered");
  if (now < booking.start)
    throw new InvalidStateError("booking", booking.status, "mark as delivered", {
      reason: "not_started",
      because: "it has not started yet",
    });
  nonEmptyBy(by);
  return {
    ...booking,
    status: "delivered",
    deliveredAt: now,
    history: [...booking.history, { at: now, by, what: "delivered", sequence: booking.sequence }],
  };
}

/**
 * The delivery recorded for a delivered booking was voided (recorded by mistake): the booking is
 * confirmed again, so the right record (another delivery, a no-show) can follow. History keeps both.
 */
export function undoDelivered(booking: Booking, by: string, now: Date, reason: string): Booking {
  if (booking.status !== "delivered")
    throw new InvalidStateError("booking", booking.status, "void the delivery of", {
      because: `it is ${booking.status.replace("_", "-")}, not delivered`,
    });
  nonEmptyBy(by);
  const { deliveredAt: _d, ...rest } = booking;
  return {
    ...rest,
    status: "confirmed",
    history: [
      ...booking.history,
      { at: now, by, what: "delivery_voided", sequence: booking.sequence, reason },
    ],
  };
}
