// Operators: the people who deliver the services, their profiles, working plans per weekday and site,
// breaks, exceptions (leave, extra days) and a daily cap. The shapes are availability's
// (availability/schedule.ts); this checks them and returns the new state.
import { Issues } from "@lto/errors";
import { isLocalDate, isLocalTime } from "@lto/civil-time";
import type {
  OperatorSchedule,
  PlanException,
  TimeRange,
  WorkingPlanEntry,
} from "./availability/schedule.js";
import { OPERATOR_PROFILES } from "./service-types.js";
import { isKnownSite } from "./sites.js";

export interface Operator extends OperatorSchedule {
  /** Same as operatorId (the aggregate's id). */
  id: string;
  name: string;
  /** The sites the operator works at; staff of every one of them manage the operator. */
  sites: string[];
  email?: string;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export interface OperatorInput {
  name: string;
  sites: string[];
  profiles: string[];
  email?: string;
  plan: WorkingPlanEntry[];
  exceptions: PlanException[];
  dailyCap?: number;
}

export const MAX_PLAN_ENTRIES = 60;
export const MAX_EXCEPTIONS = 400;

function checkRange(issues: Issues, range: TimeRange, path: string): boolean {
  const startOk = isLocalTime(range.start);
  const endOk = isLocalTime(range.end);
  issues.check(startOk, `${path}.start`, "must be a time HH:MM");
  issues.check(endOk, `${path}.end`, "must be a time HH:MM");
  if (startOk && endOk) issues.check(range.start < range.end, `${path}.end`, "must be after the start");
  return startOk && endOk && range.start < range.end;
}

const inside = (inner: TimeRange, outer: TimeRange) => inner.start >= outer.start && inner.end <= outer.end;
const overlaps = (a: TimeRange, b: TimeRange) => a.start < b.end && b.start < a.end;

function checkPlan(issues: Issues, plan: readonly WorkingPlanEntry[], sites: readonly string[]): void {
  issues.check(plan.length <= MAX_PLAN_ENTRIES, "plan", `at most ${MAX_PLAN_ENTRIES} entries`);
  plan.forEach((entry, i) => {
    const at = `plan.${i}`;
    issues.check(
      Number.isInteger(entry.weekday) && entry.weekday >= 1 && entry.weekday <= 7,
      `${at}.weekday`,
      "must be 1 (Monday) to 7 (Sunday)",
    );
    issues.check(sites.includes(entry.site), `${at}.site`, "must be one of the operator's sites");
    const hoursOk = checkRange(issues, entry.hours, `${at}.hours`);
    entry.breaks.forEach((b, j) => {
      if (checkRange(issues, b, `${at}.breaks.${j}`) && hoursOk)
        issues.check(inside(b, entry.hours), `${at}.breaks.${j}`, "must lie inside the working hours");
    });
    if (entry.validFrom !== undefined)
      issues.check(isLocalDate(entry.validFrom), `${at}.validFrom`, "must be a date YYYY-MM-DD");
    if (entry.validTo !== undefined)
      issues.check(isLocalDate(entry.validTo), `${at}.validTo`, "must be a date YYYY-MM-DD");
    if (entry.validFrom && entry.validTo && isLocalDate(entry.validFrom) && isLocalDate(entry.validTo))
      issues.check(entry.validFrom <= entry.validTo, `${at}.validTo`, "must not be before validFrom");
    // One person is in one place at a time: two entries of one weekday whose validity meets must not overlap.
    plan.slice(0, i).forEach((other, j) => {
      const sameDays =
        other.weekday === entry.weekday &&
        (other.validTo ?? "9999") >= (entry.validFrom ?? "0000") &&
        (entry.validTo ?? "9999") >= (other.validFrom ?? "0000");
      if (sameDays && hoursOk && overlaps(other.hours, entry.hours))
        issues.add(`${at}.hours`, `overlaps plan.${j} on the same weekday`);
    });
  });
}

function checkExceptions(
  issues: Issues,
  exceptions: readonly PlanException[],
  sites: readonly string[],
): void {
  issues.check(exceptions.length <= MAX_EXCEPTIONS, "exceptions", `at most ${MAX_EXCEPTIONS} exceptions`);
  exceptions.forEach((e, i) => {
    const at = `exceptions.${i}`;
    issues.check(isLocalDate(e.date), `${at}.date`, "must be a date YYYY-MM-DD that exists");
    if (e.kind === "extra") {
      issues.check(sites.includes(e.site), `${at}.site`, "must be one of the operator's sites");
      checkRange(issues, e.hours, `${at}.hours`);
    } else if (e.hours) checkRange(issues, e.hours, `${at}.hours`);
  });
}

function checkOperator(input: OperatorInput): void {
  const issues = new Issues();
  issues.check(input.name.trim().length >= 2, "name", "must have at least 2 characters");
  issues.check(input.sites.length > 0, "sites", "name at least one site");
  input.sites.forEach((s, i) => issues.check(isKnownSite(s), `sites.${i}`, "is not a site of the LTO"));
  issues.check(new Set(input.sites).size === input.sites.length, "sites", "must not repeat a site");
  issues.check(input.profiles.length > 0, "profiles", `name at least one of ${OPERATOR_PROFILES.join(", ")}`);
  input.profiles.forEach((p, i) =>
    issues.check(
      (OPERATOR_PROFILES as readonly string[]).includes(p),
      `profiles.${i}`,
      "is not a known profile",
    ),
  );
  if (input.dailyCap !== undefined)
    issues.check(
      Number.isInteger(input.dailyCap) && input.dailyCap >= 1,
      "dailyCap",
      "must be a whole number >= 1",
    );
  checkPlan(issues, input.plan, input.sites);
  checkExceptions(issues, input.exceptions, input.sites);
  issues.throwIfAny("The operator has invalid fields");
}

export function createOperator(input: OperatorInput, id: string, now: Date): Operator {
  checkOperator(input);
  const { dailyCap, email, ...rest } = input;
  return {
    ...rest,
    id,
    operatorId: id,
    ...(dailyCap === undefined ? {} : { dailyCap }),
    ...(email === undefined ? {} : { email }),
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}

/** A new working plan (and daily cap: none when left out). */
export function replacePlan(
  operator: Operator,
  change: { plan: WorkingPlanEntry[]; dailyCap?: number },
  now: Date,
): Operator {
  const { dailyCap: _old, ...rest } = operator;
  const next = {
    ...rest,
    plan: change.plan,
    ...(change.dailyCap === undefined ? {} : { dailyCap: change.dailyCap }),
  };
  checkOperator(next);
  return { ...next, updatedAt: now };
}

export function replaceExceptions(operator: Operator, exceptions: PlanException[], now: Date): Operator {
  const next = { ...operator, exceptions };
  checkOperator(next);
  return { ...next, updatedAt: now };
}
