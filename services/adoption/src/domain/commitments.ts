import type { Issues } from "./validation.js";
import { daysSpanned, isCalendarDate } from "./validation.js";

export interface InternshipPromise {
  places: number;
  /** Period of the internships (tirocini), calendar dates "YYYY-MM-DD", inclusive. */
  startsOn: string;
  endsOn: string;
}

export interface EquipmentPromise {
  item: string;
  quantity: number;
}

/** What a company promises when it offers to adopt an idea. */
export interface Commitments {
  mentoringHours: number;
  internships: InternshipPromise[];
  fundingCents: number;
  equipment: EquipmentPromise[];
}

export const MAX_MENTORING_HOURS = 2000;
export const MAX_FUNDING_CENTS = 100_000_000; // 1 million euro
/** An internship promised now starts within two years and lasts at most a year (tirocini run months). */
export const MAX_INTERNSHIP_LEAD_DAYS = 730;
export const MAX_INTERNSHIP_DAYS = 366;

/**
 * The problems of what a company promises, under `base`. `today` (Europe/Rome, "YYYY-MM-DD") bounds the
 * internship periods: a promise starts today or later, not years ahead, and is not open-ended.
 */
export function checkCommitments(c: Commitments, issues: Issues, today: string, base = "commitments"): void {
  issues.check(
    Number.isInteger(c.mentoringHours) && c.mentoringHours >= 0 && c.mentoringHours <= MAX_MENTORING_HOURS,
    `${base}.mentoringHours`,
    `must be a whole number of hours from 0 to ${MAX_MENTORING_HOURS}`,
  );
  issues.check(
    Number.isInteger(c.fundingCents) && c.fundingCents >= 0 && c.fundingCents <= MAX_FUNDING_CENTS,
    `${base}.fundingCents`,
    "must be a whole number of euro cents from 0 to 100000000",
  );
  c.internships.forEach((p, i) => {
    const at = `${base}.internships.${i}`;
    issues.check(
      Number.isInteger(p.places) && p.places >= 1 && p.places <= 50,
      `${at}.places`,
      "must be 1 to 50",
    );
    const datesOk = isCalendarDate(p.startsOn) && isCalendarDate(p.endsOn);
    issues.check(isCalendarDate(p.startsOn), `${at}.startsOn`, "must be a date YYYY-MM-DD");
    issues.check(isCalendarDate(p.endsOn), `${at}.endsOn`, "must be a date YYYY-MM-DD");
    if (!datesOk) return;
    issues.check(p.startsOn >= today, `${at}.startsOn`, `must be today (${today}) or later`);
    issues.check(
      daysSpanned(today, p.startsOn) <= MAX_INTERNSHIP_LEAD_DAYS,
      `${at}.startsOn`,
      `must be within ${MAX_INTERNSHIP_LEAD_DAYS} days from today (${today})`,
    );
    if (p.startsOn > p.endsOn) issues.add(`${at}.endsOn`, "must not be before startsOn");
    else
      issues.check(
        daysSpanned(p.startsOn, p.endsOn) <= MAX_INTERNSHIP_DAYS,
        `${at}.endsOn`,
        `an internship period lasts at most ${MAX_INTERNSHIP_DAYS} days`,
      );
  });
  const items = new Set<string>();
  c.equipment.forEach((e, i) => {
    const at = `${base}.equipment.${i}`;
    const item = e.item.trim();
    issues.check(item.length >= 2 && item.length <= 120, `${at}.item`, "must be 2 to 120 characters");
    issues.check(!items.has(item.toLowerCase()), `${at}.item`, "is listed twice; add up the quantities");
    items.add(item.toLowerCase());
    issues.check(
      Number.isInteger(e.quantity) && e.quantity >= 1 && e.quantity <= 1000,
      `${at}.quantity`,
      "must be 1 to 1000",
    );
  });
  const promisesSomething =
    c.mentoringHours > 0 || c.fundingCents > 0 || c.internships.length > 0 || c.equipment.length > 0;
  issues.check(
    promisesSomething,
    base,
    "an offer must commit to at least one of mentoring, internships, funding or equipment",
  );
}

export function internshipPlaces(c: Commitments): number {
  return c.internships.reduce((n, p) => n + p.places, 0);
}
