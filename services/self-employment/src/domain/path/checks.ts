// The two rules a booking on a path must pass: the order of services (rules that are data on the service
// types: reception before anything, a defined path before specialised services, counselling before the
// business plan) and the hour cap per person. Both answer with what staff need to hear, not a code.
import { ValidationError } from "@lto/errors";
import { zonedDateTimeOf } from "@lto/civil-time";
import { plannedHours, type Path } from "./path.js";
import { formatHours, isQuarterHours, serviceName, type ServiceRef, type ServiceRule } from "./rules.js";

export type OrderCheck = { ok: true } | { ok: false; missing: ServiceRef[]; message: string };

/** "2026-03-30 at 10:00" (Rome), as a message shows a booking's time. */
function romeWhen(instant: Date): string {
  const z = zonedDateTimeOf(instant);
  return `${z.date} at ${z.time}`;
}

function joinNames(names: string[]): string {
  return names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

/**
 * Whether `service` may be booked to start at `at` on the path. Each code it requires (directly: the
 * data names the chain) is met when
 * - a delivery of it is recorded (confirmed or not: the signature does not change what happened), or
 * - it is booked (not cancelled, not a no-show) to END at or before `at`: the person will have had it
 *   by then. If that booking is later cancelled, the later one stands (see `bookingsOutOfOrder`), or
 * - staff waived that rule for this service on this path before (an override is recorded once per
 *   rule, with who, when and why; it is not asked again for the next booking of the same service).
 * `catalogue` gives the Italian names of the required services for the message (codes otherwise).
 */
export function checkOrder(
  path: Pick<Path, "bookings" | "deliveries" | "overrides">,
  service: Pick<ServiceRule, "code" | "nameIt" | "requires">,
  at: Date,
  catalogue: readonly ServiceRef[] = [],
): OrderCheck {
  const unmet = [...new Set(service.requires)].filter(
    (code) => code !== service.code && !requirementMet(path, service.code, code, at),
  );
  if (unmet.length === 0) return { ok: true };
  const missing = unmet.map((code) => ({
    code,
    nameIt: catalogue.find((s) => s.code === code)?.nameIt ?? code,
  }));
  const names = unmet.map((code) => serviceName(code, catalogue));
  const tooLate = unmet.flatMap((code) => {
    const later = path.bookings
      .filter((b) => b.serviceCode === code && b.status === "booked" && b.end > at)
      .sort((a, b) => a.end.getTime() - b.end.getTime())[0];
    return later ? [`${serviceName(code, catalogue)} is booked only for ${romeWhen(later.start)}`] : [];
  });
  const message =
    `${joinNames(names)} must come first: ${unmet.length > 1 ? "they are" : "it is"} not yet delivered nor ` +
    `booked to end before this ${serviceName(service.code, [service])} starts` +
    (tooLate.length ? ` (${tooLate.join("; ")})` : "") +
    `. Book ${joinNames(names)} first, or book later; staff may book anyway by giving the reason for the exception`;
  return { ok: false, missing, message };
}

function requirementMet(
  path: Pick<Path, "bookings" | "deliveries" | "overrides">,
  serviceCode: string,
  required: string,
  at: Date,
): boolean {
  if (path.deliveries.some((d) => d.serviceCode === required && !d.voided)) return true;
  if (path.bookings.some((b) => b.serviceCode === required && b.status === "booked" && b.end <= at))
    return true;
  return path.overrides.some((o) => o.serviceCode === serviceCode && o.waived.includes(required));
}

/**
 * Booked services whose order is no longer met (their prerequisite booking was cancelled, marked a
 * no-show or moved after them), so staff can be told; they are not cancelled automatically.
 */
export function bookingsOutOfOrder(
  path: Pick<Path, "bookings" | "deliveries" | "overrides">,
  rules: readonly Pick<ServiceRule, "code" | "nameIt" | "requires">[],
): { bookingId: string; missing: ServiceRef[] }[] {
  return path.bookings.flatMap((b) => {
    if (b.status !== "booked") return [];
    const rule = rules.find((r) => r.code === b.serviceCode);
    if (!rule) return [];
    const others = { ...path, bookings: path.bookings.filter((o) => o.bookingId !== b.bookingId) };
    const check = checkOrder(others, rule, b.start, rules);
    return check.ok ? [] : [{ bookingId: b.bookingId, missing: check.missing }];
  });
}

export interface HoursUsage {
  /** Hours of bookings still due (not cancelled, not no-shows, not yet delivered). */
  bookedHours: number;
  /** Hours of the deliveries recorded (not voided), by their current revision. */
  deliveredHours: number;
  /** booked + delivered: what counts towards the cap. */
  usedHours: number;
  capHours: number;
  remainingHours: number;
  /** The personal plan's hours for the service (0 when not planned). */
  plannedHours: number;
}

/**
 * The hours of a service a person has used against its cap: booked (still due) plus delivered.
 * Cancelled bookings, late cancellations and no-shows do not count: the cap guards the hours a funder
 * pays for, and funders pay only delivered hours (a late cancellation is recorded, and reported, but it
 * does not eat the person's hours).
 */
export function hoursUsage(
  path: Pick<Path, "bookings" | "deliveries" | "plan">,
  service: Pick<ServiceRule, "code" | "maxHoursPerPerson">,
): HoursUsage {
  const bookedHours = sum(
    path.bookings.filter((b) => b.serviceCode === service.code && b.status === "booked").map((b) => b.hours),
  );
  const deliveredHours = sum(
    path.deliveries
      .filter((d) => d.serviceCode === service.code && !d.voided)
      .map((d) => d.revisions.at(-1)!.hours),
  );
  const usedHours = bookedHours + deliveredHours;
  return {
    bookedHours,
    deliveredHours,
    usedHours,
    capHours: service.maxHoursPerPerson,
    remainingHours: Math.max(0, service.maxHoursPerPerson - usedHours),
    plannedHours: plannedHours(path, service.code),
  };
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** The share of the cap from which a booking carries a warning. */
export const CAP_WARNING_SHARE = 0.8;

export interface HoursWarning {
  code: "cap_near" | "plan_exceeded" | "cap_exceeded";
  message: string;
}

export type HoursCheck = HoursUsage & { requestedHours: number } & (
    { ok: true; warnings: HoursWarning[] } | { ok: false; message: string }
  );

/**
 * Whether `requestedHours` more of the service fit under its cap per person. Refused when booked +
 * delivered + requested would pass the cap, naming the hours that remain; accepted with a warning when
 * they reach 80% of it or more (counted after this booking), and when they pass the hours the personal
 * plan gives the service (the plan should be updated; it does not refuse).
 */
export function checkHours(
  path: Pick<Path, "bookings" | "deliveries" | "plan">,
  service: Pick<ServiceRule, "code" | "nameIt" | "maxHoursPerPerson">,
  requestedHours: number,
): HoursCheck {
  if (!isQuarterHours(requestedHours) || requestedHours <= 0)
    throw new ValidationError("The hours requested are not valid", [
      { path: "hours", message: "must be more than 0, in quarter hours (0.25, 0.5 ...)" },
    ]);
  const usage = hoursUsage(path, service);
  const name = serviceName(service.code, [service]);
  const after = usage.usedHours + requestedHours;
  if (after > usage.capHours) {
    const remaining =
      usage.remainingHours > 0 ? `only ${formatHours(usage.remainingHours)} remain` : "no hours remain";
    return {
      ...usage,
      requestedHours,
      ok: false,
      message:
        `${name} allows ${formatHours(usage.capHours)} per person and ${formatHours(usage.usedHours)} are already ` +
        `booked or delivered (${formatHours(usage.bookedHours)} booked, ${formatHours(usage.deliveredHours)} ` +
        `delivered): ${remaining}, and this booking needs ${formatHours(requestedHours)}` +
        (usage.remainingHours > 0
          ? `; book a shorter service of at most ${formatHours(usage.remainingHours)}`
          : ""),
    };
  }
  const warnings: HoursWarning[] = [];
  if (after >= CAP_WARNING_SHARE * usage.capHours)
    warnings.push({
      code: "cap_near",
      message:
        `with this booking ${formatHours(after)} of the ${formatHours(usage.capHours)} of ${name} per person are ` +
        `used (${Math.round((after / usage.capHours) * 100)}%): ${formatHours(usage.capHours - after)} remain`,
    });
  if (usage.plannedHours > 0 && after > usage.plannedHours)
    warnings.push({
      code: "plan_exceeded",
      message:
        `the personal plan gives ${name} ${formatHours(usage.plannedHours)} and this booking brings it to ` +
        `${formatHours(after)}; update the plan`,
    });
  return { ...usage, requestedHours, ok: true, warnings };
}
