/** Every problem with an input, collected before failing (the platform's one collector). */
export { Issues } from "@lto/errors";

// Calendar days in Rome come from the platform's civil-time package (one implementation for all services).
export { isLocalDate as isCalendarDate, romeDate } from "@lto/civil-time";

/** Calendar days from `from` to `to`, both counted ("2026-06-08".."2026-06-08" is 1 day). */
export function daysSpanned(from: string, to: string): number {
  const utc = (d: string) =>
    Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)));
  return Math.round((utc(to) - utc(from)) / 86_400_000) + 1;
}

/** Hours in quarter-hour steps, more than 0 and at most `max`. */
export function isQuarterHours(value: number, max: number): boolean {
  return Number.isFinite(value) && value > 0 && value <= max && Number.isInteger(value * 4);
}

/** Pseudonyms as the ideas service gives them (letters, digits, spaces, - _ ' .). */
export const PSEUDONYM = /^[\p{L}\p{N}][\p{L}\p{N} _'.-]{0,59}$/u;
