// Delivery records: what the operator says happened (actual start and end, the hours that follow, the
// outcome, notes), confirmed by the person's side (the person, or the school referent of a minor or a
// team). A confirmed revision is a timesheet line signed by both sides. A correction is a new revision
// that needs its own confirmation; earlier revisions and their signatures stay as they were.
import { InvalidStateError, Issues } from "@lto/errors";
import { hoursUsage, type HoursWarning } from "./checks.js";
import {
  appendChange,
  checkReason,
  confirmingSide,
  isValidDate,
  MAX_NOTE,
  requireOpen,
  type ConfirmingSide,
  type Delivery,
  type DeliveryFacts,
  type DeliveryRevision,
  type DeliveryStatus,
  type Path,
  type PathBooking,
  type PathHistoryEntry,
} from "./path.js";
import {
  formatHours,
  isOutcomeCode,
  quarterHours,
  realMinutes,
  serviceName,
  type OutcomeCode,
  type ServiceRule,
} from "./rules.js";

/** A delivery is one sitting: longer than this is a typing mistake, not a service. */
export const MAX_DELIVERY_MINUTES = 10 * 60;

export interface NewDelivery {
  id: string;
  /** The booking it fulfils (same service and site; another operator may stand in); absent for a walk-in. */
  bookingId?: string;
  serviceCode: string;
  site: string;
  operatorId: string;
  start: Date;
  end: Date;
  outcome: OutcomeCode;
  notes?: string;
}

export interface DeliveryResult {
  path: Path;
  entry: PathHistoryEntry;
  delivery: Delivery;
  warnings: HoursWarning[];
}

export function currentRevision(delivery: Pick<Delivery, "revisions">): DeliveryRevision {
  return delivery.revisions.at(-1)!;
}

export function deliveryStatus(delivery: Pick<Delivery, "revisions" | "voided">): DeliveryStatus {
  if (delivery.voided) return "voided";
  return currentRevision(delivery).confirmation ? "confirmed" : "awaiting_confirmation";
}

function findDelivery(path: Path, deliveryId: string): Delivery {
  const delivery = path.deliveries.find((d) => d.id === deliveryId);
  if (!delivery) {
    const issues = new Issues();
    issues.add("deliveryId", `${deliveryId} is not a delivery of this path`);
    issues.throwIfAny("No such delivery on the path");
  }
  return delivery!;
}

/** Checks the facts and derives minutes and hours from the real interval. */
function facts(
  input: { start: unknown; end: unknown; outcome: unknown; notes?: unknown },
  now: Date,
  issues: Issues,
): DeliveryFacts | undefined {
  issues.check(isValidDate(input.start), "start", "must be a date and time");
  issues.check(isValidDate(input.end), "end", "must be a date and time");
  issues.check(
    typeof input.outcome === "string" && isOutcomeCode(input.outcome),
    "outcome",
    "is not an outcome of the list (e.g. servizio_svolto, cv_prodotto, business_plan_redatto, ritirato)",
  );
  issues.check(
    input.notes === undefined || (typeof input.notes === "string" && input.notes.length <= MAX_NOTE),
    "notes",
    `at most ${MAX_NOTE} characters`,
  );
  if (!isValidDate(input.start) || !isValidDate(input.end)) return undefined;
  const minutes = realMinutes(input.start, input.end);
  issues.check(input.end <= now, "end", "is in the future: record a delivery once it has happened");
  issues.check(
    minutes >= 15,
    "end",
    "must be at least 15 minutes after the start (for a person who did not come, mark the booking a no-show)",
  );
  issues.check(
    minutes <= MAX_DELIVERY_MINUTES,
    "end",
    `a delivery lasts at most ${MAX_DELIVERY_MINUTES / 60} hours; record each sitting on its own`,
  );
  return {
    start: input.start,
    end: input.end,
    minutes,
    hours: quarterHours(minutes),
    outcome: input.outcome as OutcomeCode,
    notes: typeof input.notes === "string" ? input.notes : "",
  };
}

/**
 * The operator records a delivery: awaiting the person's side's confirmation. With a booking, the
 * booking becomes delivered (its booked hours give way to the delivered ones). A delivery is a fact: it
 * is recorded even when it takes the service past its cap, with a warning (funders will not pay the
 * hours beyond it).
 */
export function recordDelivery(
  path: Path,
  input: NewDelivery,
  by: string,
  now: Date,
  service?: Pick<ServiceRule, "code" | "nameIt" | "maxHoursPerPerson">,
): DeliveryResult {
  requireOpen(path, "record a delivery on");
  const issues = new Issues();
  issues.check(typeof input.id === "string" && input.id.length > 0, "id", "is required");
  issues.check(!path.deliveries.some((d) => d.id === input.id), "id", "is recorded on the path already");
  issues.check(
    typeof input.serviceCode === "string" && input.serviceCode.length > 0,
    "serviceCode",
    "is required",
  );
  issues.check(typeof input.site === "string" && input.site.length > 0, "site", "is required");
  issues.check(
    typeof input.operatorId === "string" && input.operatorId.length > 0,
    "operatorId",
    "is required",
  );
  let booking: PathBooking | undefined;
  if (input.bookingId !== undefined) {
    booking = path.bookings.find((b) => b.bookingId === input.bookingId);
    if (!booking) issues.add("bookingId", `${input.bookingId} is not a booking of this path`);
    else {
      issues.check(
        booking.serviceCode === input.serviceCode,
        "serviceCode",
        `the booking is of ${booking.serviceCode}`,
      );
      issues.check(booking.site === input.site, "site", `the booking is at ${booking.site}`);
    }
  }
  const recorded = facts(input, now, issues);
  issues.throwIfAny("The delivery cannot be recorded");
  if (booking && booking.status !== "booked")
    throw new InvalidStateError("booking", booking.status, "record the delivery of", {
      because:
        booking.status === "delivered"
          ? "its delivery is recorded already; correct that record instead"
          : `it is ${booking.status.replace("_", " ")}; record the delivery without the booking if the service did happen`,
    });
  const delivery: Delivery = {
    id: input.id,
    ...(input.bookingId !== undefined ? { bookingId: input.bookingId } : {}),
    serviceCode: input.serviceCode,
    site: input.site,
    operatorId: input.operatorId,
    funder: path.funder,
    revisions: [{ ...recorded!, n: 1, at: now, by }],
  };
  const bookings = booking
    ? path.bookings.map((b) =>
        b.bookingId === booking.bookingId ? { ...b, status: "delivered" as const } : b,
      )
    : path.bookings;
  const entry: PathHistoryEntry = {
    at: now,
    by,
    what: "delivered",
    serviceCode: input.serviceCode,
    deliveryId: input.id,
    hours: recorded!.hours,
    revision: 1,
    ...(input.bookingId !== undefined ? { bookingId: input.bookingId } : {}),
  };
  const next = appendChange(path, { bookings, deliveries: [...path.deliveries, delivery] }, entry);
  const warnings: HoursWarning[] = [];
  if (service && service.code === input.serviceCode) {
    const usage = hoursUsage(next, service);
    if (usage.usedHours > usage.capHours)
      warnings.push({
        code: "cap_exceeded",
        message:
          `${serviceName(service.code, [service])} now has ${formatHours(usage.usedHours)} booked or delivered, ` +
          `past its ${formatHours(usage.capHours)} per person: funders will not pay the hours beyond it`,
      });
  }
  return { path: next, entry, delivery, warnings };
}

/** The delivery recorded for a booking and not voided, if any (a booking is delivered once). */
export function deliveryOfBooking(path: Pick<Path, "deliveries">, bookingId: string): Delivery | undefined {
  return path.deliveries.find((d) => d.bookingId === bookingId && !d.voided);
}

/**
 * A delivery of a booking recorded again (a retried request, a double click): the one recorded when
 * its figures are the same, so the retry records nothing twice; 409 when they differ (the booking is
 * delivered once: correct that record instead). Undefined when the booking has no delivery yet.
 */
export function repeatedDelivery(
  path: Pick<Path, "deliveries">,
  input: Omit<NewDelivery, "id">,
): Delivery | undefined {
  if (input.bookingId === undefined) return undefined;
  const recorded = deliveryOfBooking(path, input.bookingId);
  if (!recorded) return undefined;
  const r = currentRevision(recorded);
  const same =
    recorded.serviceCode === input.serviceCode &&
    recorded.site === input.site &&
    recorded.operatorId === input.operatorId &&
    isValidDate(input.start) &&
    isValidDate(input.end) &&
    r.start.getTime() === input.start.getTime() &&
    r.end.getTime() === input.end.getTime() &&
    r.outcome === input.outcome &&
    r.notes === (input.notes ?? "");
  if (same) return recorded;
  throw new InvalidStateError("booking", "delivered", "record the delivery of", {
    reason: "delivered_otherwise",
    because: `its delivery is recorded already (${recorded.id}, ${formatHours(r.hours)}, ${r.outcome}) with other figures; correct that record instead`,
    details: { deliveryId: recorded.id },
  });
}

export interface DeliveryCorrection {
  start?: Date;
  end?: Date;
  outcome?: OutcomeCode;
  notes?: string;
}

/**
 * Corrects a delivery with a reason: a new revision (hours derived again), awaiting a new confirmation
 * even when the previous one was signed. Allowed on a closed path: it corrects a fact of the past.
 */
export function correctDelivery(
  path: Path,
  deliveryId: string,
  changes: DeliveryCorrection,
  reason: string,
  by: string,
  now: Date,
): { path: Path; entry: PathHistoryEntry; delivery: Delivery } {
  const delivery = findDelivery(path, deliveryId);
  if (delivery.voided)
    throw new InvalidStateError("delivery", "voided", "correct", {
      because: "it was voided; record the service again if it did happen",
    });
  const last = currentRevision(delivery);
  const issues = new Issues();
  checkReason(issues, "reason", reason);
  const revised = facts(
    {
      start: changes.start ?? last.start,
      end: changes.end ?? last.end,
      outcome: changes.outcome ?? last.outcome,
      notes: changes.notes ?? last.notes,
    },
    // A correction may only move the end up to now, as a record would.
    now,
    issues,
  );
  if (revised)
    issues.check(
      revised.start.getTime() !== last.start.getTime() ||
        revised.end.getTime() !== last.end.getTime() ||
        revised.outcome !== last.outcome ||
        revised.notes !== last.notes,
      "",
      "the correction changes nothing: give a new start, end, outcome or notes",
    );
  issues.throwIfAny("The correction is not valid");
  const revision: DeliveryRevision = { ...revised!, n: last.n + 1, at: now, by, reason };
  const corrected: Delivery = { ...delivery, revisions: [...delivery.revisions, revision] };
  const entry: PathHistoryEntry = {
    at: now,
    by,
    what: "delivery_corrected",
    serviceCode: delivery.serviceCode,
    deliveryId,
    hours: revision.hours,
    previousHours: last.hours,
    revision: revision.n,
    reason,
  };
  const deliveries = path.deliveries.map((d) => (d.id === deliveryId ? corrected : d));
  return { path: appendChange(path, { deliveries }, entry), entry, delivery: corrected };
}

/**
 * The person's side confirms the current revision: the adult person themself, or the school referent
 * for a minor or a team. The operator who delivered it, or who wrote this revision, cannot sign for the
 * other side: a timesheet is signed by two different people.
 */
export function confirmDelivery(
  path: Path,
  deliveryId: string,
  confirmer: { by: string; as: ConfirmingSide },
  now: Date,
): { path: Path; entry: PathHistoryEntry; delivery: Delivery } {
  const delivery = findDelivery(path, deliveryId);
  const status = deliveryStatus(delivery);
  if (status !== "awaiting_confirmation")
    throw new InvalidStateError("delivery", status, "confirm", {
      because: status === "voided" ? "it was voided" : "this version of it is confirmed already",
    });
  const side = confirmingSide(path);
  if (confirmer.as !== side)
    throw new InvalidStateError("delivery", status, "confirm", {
      reason: "wrong_side",
      because:
        side === "referent"
          ? "the person is a minor (or a team): their school referent confirms"
          : "the person is an adult: they confirm it themself",
    });
  const last = currentRevision(delivery);
  if (confirmer.by === delivery.operatorId || confirmer.by === last.by)
    throw new InvalidStateError("delivery", status, "confirm", {
      reason: "same_person",
      because: "who delivered or recorded it cannot also sign for the person; the person's side confirms",
    });
  const signed: DeliveryRevision = { ...last, confirmation: { by: confirmer.by, as: confirmer.as, at: now } };
  const confirmed: Delivery = { ...delivery, revisions: [...delivery.revisions.slice(0, -1), signed] };
  const entry: PathHistoryEntry = {
    at: now,
    by: confirmer.by,
    what: "delivery_confirmed",
    serviceCode: delivery.serviceCode,
    deliveryId,
    hours: last.hours,
    revision: last.n,
  };
  const deliveries = path.deliveries.map((d) => (d.id === deliveryId ? confirmed : d));
  return { path: appendChange(path, { deliveries }, entry), entry, delivery: confirmed };
}

/**
 * A delivery recorded by mistake (wrong person, never happened) is voided with a reason: it stays on the
 * path, counts nowhere, and its booking (if any) is due again (to be recorded, cancelled or marked a
 * no-show).
 */
export function voidDelivery(
  path: Path,
  deliveryId: string,
  reason: string,
  by: string,
  now: Date,
): { path: Path; entry: PathHistoryEntry; delivery: Delivery } {
  const delivery = findDelivery(path, deliveryId);
  if (delivery.voided) throw new InvalidStateError("delivery", "voided", "void");
  const issues = new Issues();
  checkReason(issues, "reason", reason);
  issues.throwIfAny("The delivery cannot be voided");
  const voided: Delivery = { ...delivery, voided: { at: now, by, reason } };
  const bookings = path.bookings.map((b) =>
    b.bookingId === delivery.bookingId ? { ...b, status: "booked" as const } : b,
  );
  const entry: PathHistoryEntry = {
    at: now,
    by,
    what: "delivery_voided",
    serviceCode: delivery.serviceCode,
    deliveryId,
    hours: currentRevision(delivery).hours,
    reason,
    ...(delivery.bookingId !== undefined ? { bookingId: delivery.bookingId } : {}),
  };
  const deliveries = path.deliveries.map((d) => (d.id === deliveryId ? voided : d));
  return { path: appendChange(path, { bookings, deliveries }, entry), entry, delivery: voided };
}
