// Bookings as the path records them: the booking work claims the slot and feeds the booking in here,
// where the order rules and the hour cap are checked against the same version of the path. What becomes
// of a booking (cancelled, late, no-show, moved) changes its status; the history says who and when.
import { InvalidStateError, Issues } from "@lto/errors";
import { checkHours, checkOrder, type HoursCheck, type HoursWarning } from "./checks.js";
import {
  appendChange,
  checkReason,
  isValidDate,
  requireOpen,
  type OrderOverride,
  type Path,
  type PathBooking,
  type PathHistoryEntry,
} from "./path.js";
import { quarterHours, realMinutes, serviceName, type ServiceRef, type ServiceRule } from "./rules.js";

export interface NewPathBooking {
  bookingId: string;
  site: string;
  operatorId: string;
  start: Date;
  end: Date;
}

export interface BookOptions {
  /** Staff book although the order is not met: the reason is recorded with who and which rules. */
  override?: { reason: string };
  /** Service names for the messages (the required services'). */
  catalogue?: readonly ServiceRef[];
}

export interface BookingResult {
  path: Path;
  /** The entries appended: the override (when one was needed), then the booking. */
  entries: PathHistoryEntry[];
  booking: PathBooking;
  warnings: HoursWarning[];
}

function validateInterval(issues: Issues, start: unknown, end: unknown): void {
  issues.check(isValidDate(start), "start", "must be a date and time");
  issues.check(isValidDate(end), "end", "must be a date and time");
  if (isValidDate(start) && isValidDate(end))
    issues.check(
      quarterHours(realMinutes(start, end)) > 0,
      "end",
      "must be at least 15 minutes after the start",
    );
}

function findBooking(path: Path, bookingId: string): PathBooking {
  const booking = path.bookings.find((b) => b.bookingId === bookingId);
  if (!booking) {
    const issues = new Issues();
    issues.add("bookingId", `${bookingId} is not a booking of this path`);
    issues.throwIfAny("No such booking on the path");
  }
  return booking!;
}

function requireBooked(path: Path, booking: PathBooking, attempted: string): void {
  if (booking.status !== "booked")
    throw new InvalidStateError("booking", booking.status, attempted, {
      because: `it is ${booking.status.replace("_", " ")} already`,
    });
}

function orderRefusal(path: Path, service: ServiceRef, message: string, missing: ServiceRef[]): never {
  throw new InvalidStateError("path", path.status, `book ${serviceName(service.code, [service])} on`, {
    reason: "order_not_met",
    because: message,
    details: { mustComeFirst: missing.map((m) => m.code) },
  });
}

function capRefusal(path: Path, service: ServiceRef, check: Extract<HoursCheck, { ok: false }>): never {
  throw new InvalidStateError("path", path.status, `book ${serviceName(service.code, [service])} on`, {
    reason: "hours_cap_reached",
    because: check.message,
    details: {
      capHours: check.capHours,
      usedHours: check.usedHours,
      remainingHours: check.remainingHours,
      requestedHours: check.requestedHours,
    },
  });
}

/**
 * Records a booking of `service` on the path, after its order and hour rules: refused (409, naming what
 * must come first / the hours that remain) unless met; an order rule may be waived by staff with a
 * reason (recorded as an override). Hours are the booking's real length in funders' quarter hours.
 */
export function bookOnPath(
  path: Path,
  booking: NewPathBooking,
  service: ServiceRule,
  by: string,
  now: Date,
  options: BookOptions = {},
): BookingResult {
  requireOpen(path, `book ${serviceName(service.code, [service])} on`);
  const issues = new Issues();
  issues.check(
    typeof booking.bookingId === "string" && booking.bookingId.length > 0,
    "bookingId",
    "is required",
  );
  issues.check(
    !path.bookings.some((b) => b.bookingId === booking.bookingId),
    "bookingId",
    "is on the path already",
  );
  issues.check(typeof booking.site === "string" && booking.site.length > 0, "site", "is required");
  issues.check(
    typeof booking.operatorId === "string" && booking.operatorId.length > 0,
    "operatorId",
    "is required",
  );
  validateInterval(issues, booking.start, booking.end);
  if (options.override) checkReason(issues, "overrideReason", options.override.reason);
  issues.throwIfAny("The booking cannot be recorded on the path");

  const entries: PathHistoryEntry[] = [];
  const overrides: OrderOverride[] = [];
  const order = checkOrder(path, service, booking.start, options.catalogue);
  if (!order.ok) {
    if (!options.override) orderRefusal(path, service, order.message, order.missing);
    const waived = order.missing.map((m) => m.code);
    overrides.push({
      at: now,
      by,
      reason: options.override.reason,
      serviceCode: service.code,
      waived,
      bookingId: booking.bookingId,
    });
    entries.push({
      at: now,
      by,
      what: "order_overridden",
      serviceCode: service.code,
      bookingId: booking.bookingId,
      waived,
      reason: options.override.reason,
    });
  }
  const hours = quarterHours(realMinutes(booking.start, booking.end));
  const cap = checkHours(path, service, hours);
  if (!cap.ok) capRefusal(path, service, cap);
  const added: PathBooking = { ...booking, serviceCode: service.code, hours, status: "booked" };
  entries.push({
    at: now,
    by,
    what: "booked",
    serviceCode: service.code,
    bookingId: booking.bookingId,
    hours,
  });
  return {
    path: appendChange(
      path,
      { bookings: [...path.bookings, added], overrides: [...path.overrides, ...overrides] },
      ...entries,
    ),
    entries,
    booking: added,
    warnings: cap.ok ? cap.warnings : [],
  };
}

export interface BookingChangeResult {
  path: Path;
  entry: PathHistoryEntry;
  booking: PathBooking;
}

function withBooking(path: Path, booking: PathBooking, entry: PathHistoryEntry): BookingChangeResult {
  const bookings = path.bookings.map((b) => (b.bookingId === booking.bookingId ? booking : b));
  return { path: appendChange(path, { bookings }, entry), entry, booking };
}

/**
 * A booking cancelled: `late` when the booking work found the service type's notice period passed.
 * Neither kind counts towards the cap; a late one stays visible (status late_cancelled) for reports.
 */
export function cancelOnPath(
  path: Path,
  bookingId: string,
  late: boolean,
  by: string,
  now: Date,
  reason?: string,
): BookingChangeResult {
  const booking = findBooking(path, bookingId);
  requireBooked(path, booking, "cancel");
  const entry: PathHistoryEntry = {
    at: now,
    by,
    what: late ? "booking_cancelled_late" : "booking_cancelled",
    serviceCode: booking.serviceCode,
    bookingId,
    hours: booking.hours,
    ...(reason !== undefined ? { reason } : {}),
  };
  return withBooking(path, { ...booking, status: late ? "late_cancelled" : "cancelled" }, entry);
}

/** The person did not come: marked once the booking has started. */
export function noShowOnPath(path: Path, bookingId: string, by: string, now: Date): BookingChangeResult {
  const booking = findBooking(path, bookingId);
  requireBooked(path, booking, "mark a no-show for");
  if (now < booking.start)
    throw new InvalidStateError("booking", booking.status, "mark a no-show for", {
      reason: "not_started",
      because: "it has not started yet; cancel it instead if the person will not come",
    });
  const entry: PathHistoryEntry = {
    at: now,
    by,
    what: "no_show",
    serviceCode: booking.serviceCode,
    bookingId,
    hours: booking.hours,
  };
  return withBooking(path, { ...booking, status: "no_show" }, entry);
}

/**
 * A booking moved to a new interval (and possibly operator or site): the order and the cap are checked
 * again as if it were booked anew (its old hours no longer count); an earlier override still holds.
 */
export function rescheduleOnPath(
  path: Path,
  bookingId: string,
  to: Pick<NewPathBooking, "start" | "end"> & Partial<Pick<NewPathBooking, "site" | "operatorId">>,
  service: ServiceRule,
  by: string,
  now: Date,
  options: Pick<BookOptions, "catalogue"> = {},
): BookingChangeResult & { warnings: HoursWarning[] } {
  requireOpen(path, "reschedule a booking of");
  const booking = findBooking(path, bookingId);
  requireBooked(path, booking, "reschedule");
  const issues = new Issues();
  issues.check(
    service.code === booking.serviceCode,
    "serviceCode",
    `the booking is of ${booking.serviceCode}`,
  );
  validateInterval(issues, to.start, to.end);
  issues.throwIfAny("The booking cannot be moved");
  const without = { ...path, bookings: path.bookings.filter((b) => b.bookingId !== bookingId) };
  const order = checkOrder(without, service, to.start, options.catalogue);
  if (!order.ok) orderRefusal(path, service, order.message, order.missing);
  const hours = quarterHours(realMinutes(to.start, to.end));
  const cap = checkHours(without, service, hours);
  if (!cap.ok) capRefusal(path, service, cap);
  const moved: PathBooking = {
    ...booking,
    start: to.start,
    end: to.end,
    hours,
    ...(to.site ? { site: to.site } : {}),
    ...(to.operatorId ? { operatorId: to.operatorId } : {}),
  };
  const entry: PathHistoryEntry = {
    at: now,
    by,
    what: "booking_rescheduled",
    serviceCode: booking.serviceCode,
    bookingId,
    hours,
    previousHours: booking.hours,
  };
  return { ...withBooking(path, moved, entry), warnings: cap.warnings };
}
