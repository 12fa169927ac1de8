// A person's path (percorso) at the LTO, as Lombardy's labour services keep it: who took the person in
// charge and why, the personal plan (planned hours per service, PIP-like), the services proposed, the
// bookings and deliveries that feed the hour counts, the order rules waived, and whether the path is
// open. One aggregate per path holder, so the order rules and the hour caps are checked against one
// version of the whole (two simultaneous bookings cannot both take the last hours). Every change returns
// the new state and the history entry it appended; nothing recorded is ever overwritten.
import { InvalidStateError, Issues } from "@lto/errors";
import type { InternshipCommitment } from "./internships.js";
import {
  formatHours,
  isOutcomeCode,
  isQuarterHours,
  serviceName,
  type OutcomeCode,
  type ServiceRule,
} from "./rules.js";

export const PATH_STATUSES = ["open", "closed"] as const;
export type PathStatus = (typeof PATH_STATUSES)[number];

/**
 * Whose path it is: a person (a minor's deliveries are confirmed by their school referent), or a team
 * whose idea was adopted, acting through its school referent (students stay pseudonymous).
 */
export type PathHolder =
  { kind: "person"; personId: string; minor: boolean } | { kind: "team"; teamId: string; schoolId: string };

/** Why the path was opened: the person came to a site (reception), or their team's idea was adopted. */
export type PathOrigin =
  | { kind: "reception" }
  | { kind: "adoption"; ideaId: string; teamId: string; adoptionId?: string; referent: string };

export interface PlannedHours {
  serviceCode: string;
  hours: number;
}

export const BOOKING_STATUSES = ["booked", "cancelled", "late_cancelled", "no_show", "delivered"] as const;
/**
 * What became of a booking, as the path counts it: only `booked` hours count towards the cap besides the
 * delivered ones; cancelled, late-cancelled and no-show hours were never delivered (funders pay none).
 */
export type PathBookingStatus = (typeof BOOKING_STATUSES)[number];

/** A booking as the path sees it: the booking work feeds these in. */
export interface PathBooking {
  bookingId: string;
  serviceCode: string;
  site: string;
  operatorId: string;
  start: Date;
  end: Date;
  /** Hours the booking takes of the cap: its real length in funders' quarter hours. */
  hours: number;
  status: PathBookingStatus;
}

/** Who signs a delivery for the person's side: the adult person, or the school referent of a minor. */
export type ConfirmingSide = "person" | "referent";

export interface DeliveryConfirmation {
  by: string;
  as: ConfirmingSide;
  at: Date;
}

/** What the operator records of a delivery; hours are derived from the real interval. */
export interface DeliveryFacts {
  start: Date;
  end: Date;
  /** Real whole minutes between start and end. */
  minutes: number;
  /** The funders' hours: whole quarter hours of `minutes`, rounded down. */
  hours: number;
  outcome: OutcomeCode;
  notes: string;
}

/**
 * One version of a delivery's facts. The first is the operator's record; each correction adds one.
 * A revision confirmed by the person's side is a signed timesheet line; a correction is a new,
 * unconfirmed revision (the signature of the old one stays on it).
 */
export interface DeliveryRevision extends DeliveryFacts {
  n: number;
  at: Date;
  by: string;
  /** Why it was corrected (all revisions after the first). */
  reason?: string;
  confirmation?: DeliveryConfirmation;
}

export interface Delivery {
  id: string;
  /** The booking it fulfils; absent for a service given without one (a walk-in reception). */
  bookingId?: string;
  serviceCode: string;
  site: string;
  operatorId: string;
  /** The path's funder when it was delivered: the hours are reported to it. */
  funder: string;
  revisions: DeliveryRevision[];
  /** Recorded by mistake (wrong person, never happened): kept, but counts nowhere. */
  voided?: { at: Date; by: string; reason: string };
}

export type DeliveryStatus = "awaiting_confirmation" | "confirmed" | "voided";

/** An order rule waived by staff: `serviceCode` was booked without `waived` coming first. */
export interface OrderOverride {
  at: Date;
  by: string;
  reason: string;
  serviceCode: string;
  /** The codes that should have come first. */
  waived: string[];
  bookingId: string;
}

export type PathChange =
  | "opened"
  | "plan_set"
  | "services_proposed"
  | "funder_set"
  | "booked"
  | "order_overridden"
  | "booking_cancelled"
  | "booking_cancelled_late"
  | "no_show"
  | "booking_rescheduled"
  | "delivered"
  | "delivery_corrected"
  | "delivery_confirmed"
  | "delivery_voided"
  | "closed"
  | "reopened";

export interface PathHistoryEntry {
  at: Date;
  by: string;
  what: PathChange;
  serviceCode?: string;
  /** plan_set: the planned hours before and after; booked/delivered: the hours. */
  hours?: number;
  previousHours?: number;
  bookingId?: string;
  deliveryId?: string;
  /** delivery_corrected / delivery_confirmed: the revision concerned. */
  revision?: number;
  /** order_overridden: the codes waived. */
  waived?: string[];
  /** services_proposed: the codes. */
  services?: string[];
  funder?: string;
  reason?: string;
}

export interface Path {
  id: string;
  holder: PathHolder;
  /** The site that took the person in charge: its staff manage the path. */
  site: string;
  origin: PathOrigin;
  openedBy: string;
  /** The programme or measure paying for the services (e.g. "dote_unica_lavoro", "lto_diffuso"). */
  funder: string;
  status: PathStatus;
  plan: PlannedHours[];
  /** Service codes proposed to the person (for an adopted team: counselling and business plan). */
  proposed: string[];
  bookings: PathBooking[];
  deliveries: Delivery[];
  overrides: OrderOverride[];
  /** The last closing, while closed: why, and the final outcome when there is one. */
  closure?: { at: Date; by: string; reason: string; outcome?: OutcomeCode };
  history: PathHistoryEntry[];
  createdAt: Date;
  updatedAt: Date;
  version: number;
  /** An adopted team's internship commitments of its sponsor (see internships.ts). */
  internships?: InternshipCommitment[];
}

/** A change's result: the new state and the entry it appended to the history. */
export interface PathChangeResult {
  path: Path;
  entry: PathHistoryEntry;
}

export interface OpenPathInput {
  id: string;
  holder: PathHolder;
  site: string;
  origin: PathOrigin;
  funder: string;
  /** Services proposed from the start (an adopted team's counselling and business plan). */
  proposed?: string[];
}

export const MAX_NOTE = 2000;
export const MAX_REASON = 500;

export function isValidDate(d: unknown): d is Date {
  return d instanceof Date && !Number.isNaN(d.getTime());
}

export function checkReason(issues: Issues, field: string, reason: unknown): void {
  issues.check(
    typeof reason === "string" && reason.trim().length > 0 && reason.length <= MAX_REASON,
    field,
    `say why, in 1 to ${MAX_REASON} characters`,
  );
}

function nonEmpty(issues: Issues, field: string, value: unknown): void {
  issues.check(typeof value === "string" && value.trim().length > 0, field, "is required");
}

/** The side that confirms the person's deliveries: the school referent for a minor or a team. */
export function confirmingSide(path: Pick<Path, "holder">): ConfirmingSide {
  return path.holder.kind === "person" && !path.holder.minor ? "person" : "referent";
}

/** The id the path is found by: the person's id, or the team's. */
export function holderId(holder: PathHolder): string {
  return holder.kind === "person" ? holder.personId : holder.teamId;
}

export function openPath(input: OpenPathInput, by: string, now: Date): PathChangeResult {
  const issues = new Issues();
  nonEmpty(issues, "id", input.id);
  nonEmpty(issues, "site", input.site);
  nonEmpty(issues, "funder", input.funder);
  if (input.holder.kind === "person") nonEmpty(issues, "holder.personId", input.holder.personId);
  else {
    nonEmpty(issues, "holder.teamId", input.holder.teamId);
    nonEmpty(issues, "holder.schoolId", input.holder.schoolId);
  }
  if (input.origin.kind === "adoption") {
    nonEmpty(issues, "origin.ideaId", input.origin.ideaId);
    nonEmpty(issues, "origin.teamId", input.origin.teamId);
    nonEmpty(issues, "origin.referent", input.origin.referent);
    issues.check(
      input.holder.kind === "team" && input.holder.teamId === input.origin.teamId,
      "origin.teamId",
      "an adopted idea opens the path of the team that built it: use the same team id as the holder",
    );
  }
  const proposed = [...new Set(input.proposed ?? [])];
  proposed.forEach((code, i) => nonEmpty(issues, `proposed.${i}`, code));
  issues.throwIfAny("The path cannot be opened");
  const entry: PathHistoryEntry = {
    at: now,
    by,
    what: "opened",
    reason: input.origin.kind === "reception" ? "reception" : `idea ${input.origin.ideaId} adopted`,
    ...(proposed.length ? { services: proposed } : {}),
  };
  return {
    path: {
      id: input.id,
      holder: input.holder,
      site: input.site,
      origin: input.origin,
      openedBy: by,
      funder: input.funder,
      status: "open",
      plan: [],
      proposed,
      bookings: [],
      deliveries: [],
      overrides: [],
      history: [entry],
      createdAt: now,
      updatedAt: now,
      version: 1,
    },
    entry,
  };
}

/** The path with `changes` applied and `entries` (one change may append several) added to its history. */
export function appendChange(path: Path, changes: Partial<Path>, ...entries: PathHistoryEntry[]): Path {
  return { ...path, ...changes, history: [...path.history, ...entries], updatedAt: entries.at(-1)!.at };
}

export function requireOpen(path: Path, attempted: string): void {
  if (path.status !== "open")
    throw new InvalidStateError("path", path.status, attempted, {
      reason: "path_closed",
      because: "the path is closed; reopen it first (staff, with a reason)",
    });
}

/** Planned hours of a service on the path (0 when not planned). */
export function plannedHours(path: Pick<Path, "plan">, serviceCode: string): number {
  return path.plan.find((p) => p.serviceCode === serviceCode)?.hours ?? 0;
}

/**
 * Sets the planned hours of one service (0 takes it out of the plan): quarter hours, within the
 * service's minimum and maximum per person. The history keeps the previous figure.
 */
export function setPlannedHours(
  path: Path,
  service: ServiceRule,
  hours: number,
  by: string,
  now: Date,
  reason?: string,
): PathChangeResult {
  requireOpen(path, "change the plan of");
  const issues = new Issues();
  const name = serviceName(service.code, [service]);
  issues.check(isQuarterHours(hours), "hours", "must be 0 or more hours in quarter hours (0.25, 0.5 ...)");
  if (isQuarterHours(hours) && hours > 0) {
    issues.check(
      hours <= service.maxHoursPerPerson,
      "hours",
      `${name} allows at most ${formatHours(service.maxHoursPerPerson)} per person`,
    );
    if (service.minHoursPerPerson !== undefined)
      issues.check(
        hours >= service.minHoursPerPerson,
        "hours",
        `${name} is planned for at least ${formatHours(service.minHoursPerPerson)} per person (0 takes it out of the plan)`,
      );
  }
  if (reason !== undefined) checkReason(issues, "reason", reason);
  issues.throwIfAny("The planned hours are not valid");
  const previous = plannedHours(path, service.code);
  const plan = path.plan.filter((p) => p.serviceCode !== service.code);
  if (hours > 0) plan.push({ serviceCode: service.code, hours });
  const entry: PathHistoryEntry = {
    at: now,
    by,
    what: "plan_set",
    serviceCode: service.code,
    hours,
    previousHours: previous,
    ...(reason !== undefined ? { reason } : {}),
  };
  return { path: appendChange(path, { plan }, entry), entry };
}

/** Adds proposed services (already proposed ones are kept once). */
export function proposeServices(
  path: Path,
  codes: readonly string[],
  by: string,
  now: Date,
): PathChangeResult {
  requireOpen(path, "propose services on");
  const issues = new Issues();
  issues.check(codes.length > 0, "services", "name at least one service to propose");
  codes.forEach((c, i) => nonEmpty(issues, `services.${i}`, c));
  issues.throwIfAny("The proposal is not valid");
  const fresh = [...new Set(codes)].filter((c) => !path.proposed.includes(c));
  const entry: PathHistoryEntry = { at: now, by, what: "services_proposed", services: fresh };
  return { path: appendChange(path, { proposed: [...path.proposed, ...fresh] }, entry), entry };
}

/** Changes the funder of the path's services from now on (reports count each delivery's own funder). */
export function setFunder(
  path: Path,
  funder: string,
  reason: string,
  by: string,
  now: Date,
): PathChangeResult {
  requireOpen(path, "change the funder of");
  const issues = new Issues();
  nonEmpty(issues, "funder", funder);
  checkReason(issues, "reason", reason);
  issues.throwIfAny("The funder is not valid");
  const entry: PathHistoryEntry = { at: now, by, what: "funder_set", funder, reason };
  return { path: appendChange(path, { funder }, entry), entry };
}

/**
 * Closes the path (the person left, found work, the plan is done). Booked services must be cancelled
 * first, so no booking is left behind on a closed path; deliveries may still be confirmed or corrected.
 */
export function closePath(
  path: Path,
  reason: string,
  by: string,
  now: Date,
  outcome?: OutcomeCode,
): PathChangeResult {
  requireOpen(path, "close");
  const issues = new Issues();
  checkReason(issues, "reason", reason);
  if (outcome !== undefined)
    issues.check(isOutcomeCode(outcome), "outcome", "is not an outcome of the list (e.g. assunto, ritirato)");
  issues.throwIfAny("The path cannot be closed");
  const booked = path.bookings.filter((b) => b.status === "booked");
  if (booked.length)
    throw new InvalidStateError("path", path.status, "close", {
      reason: "bookings_open",
      because: `${booked.length} booked service(s) are still due; cancel them (or record their delivery) first`,
      details: { bookings: booked.map((b) => b.bookingId) },
    });
  const entry: PathHistoryEntry = { at: now, by, what: "closed", reason };
  return {
    path: appendChange(
      path,
      { status: "closed", closure: { at: now, by, reason, ...(outcome ? { outcome } : {}) } },
      entry,
    ),
    entry,
  };
}

/** Reopens a closed path, with the reason (the person came back); the closing stays in the history. */
export function reopenPath(path: Path, reason: string, by: string, now: Date): PathChangeResult {
  if (path.status !== "closed") throw new InvalidStateError("path", path.status, "reopen");
  const issues = new Issues();
  checkReason(issues, "reason", reason);
  issues.throwIfAny("The path cannot be reopened");
  const entry: PathHistoryEntry = { at: now, by, what: "reopened", reason };
  const { closure: _closure, ...rest } = path;
  return { path: appendChange({ ...rest, status: "open" }, {}, entry), entry };
}
