// Civil dates and times in Europe/Rome, where every deadline and every meeting of the programme lives:
// calendar days, school years, and wall-clock times turned into UTC instants that stay right on the
// two days a year the clocks change. Pure (Intl only, no I/O, no framework): a domain may import it.

export const ROME = "Europe/Rome";

/** A calendar day, "YYYY-MM-DD". */
export type LocalDate = string;
/** A wall-clock time of day, "HH:MM" (24 h). */
export type LocalTime = string;
/** A school year, "2026/27". */
export type SchoolYear = string;

/** A civil date and time in a named time zone, as people say it ("Monday 12 at 14:30 in Rome"). */
export interface ZonedDateTime {
  date: LocalDate;
  time: LocalTime;
  zone: string;
}

/** Why a civil time has no single instant; `reason` lets callers word their own error. */
export type CivilTimeProblem = "invalid" | "nonexistent" | "ambiguous";

export class CivilTimeError extends RangeError {
  constructor(
    readonly reason: CivilTimeProblem,
    message: string,
  ) {
    super(message);
    this.name = "CivilTimeError";
  }
}

/**
 * What a wall-clock time that happens twice (the hour the clocks go back) means:
 * `earlier` the first occurrence (still summer time), as RFC 5545 §3.3.5 reads such a DATE-TIME, so a
 * calendar feed and the stored instant agree; `later` the second; `reject` refuses it.
 */
export type Disambiguation = "earlier" | "later" | "reject";

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const SCHOOL_YEAR = /^(\d{4})\/(\d{2})$/;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClockFormat(zone: string): Intl.DateTimeFormat {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(zone, format);
  }
  return format;
}

function wallClockParts(instant: number, zone: string): Record<string, number> {
  const parts: Record<string, number> = {};
  for (const part of wallClockFormat(zone).formatToParts(new Date(instant))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return parts;
}

/** The zone's wall clock at an instant, read as if it were UTC (milliseconds, whole seconds). */
function wallClockAsUtc(instant: number, zone: string): number {
  const p = wallClockParts(instant, zone);
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
}

/** How far the zone's wall clock is ahead of UTC at an instant (in Rome 1 h in winter, 2 h in summer). */
export function zoneOffsetMs(instant: number, zone: string = ROME): number {
  return wallClockAsUtc(instant, zone) - Math.floor(instant / 1000) * 1000;
}

export function isLocalDate(value: string): boolean {
  const match = LOCAL_DATE.exec(value);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

export function isLocalTime(value: string): boolean {
  return LOCAL_TIME.test(value);
}

/** True when the zone is one this runtime knows (an IANA name such as "Europe/Rome"). */
export function isTimeZone(zone: string): boolean {
  try {
    wallClockFormat(zone);
    return true;
  } catch {
    return false;
  }
}

/** The instant a day begins in Rome: 00:00 local, whatever the daylight-saving offset of that day. */
export function startOfRomeDay(day: LocalDate): Date {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d);
  // The offset at the wall-clock-as-UTC guess can differ from the real one near a change: correct once.
  const guess = wall - zoneOffsetMs(wall);
  return new Date(wall - zoneOffsetMs(guess));
}

/** The Rome calendar day of an instant. */
export function romeDate(instant: Date): LocalDate {
  return zonedDateTimeOf(instant).date;
}

/** The civil date and time (to the minute) of an instant in a zone. */
export function zonedDateTimeOf(instant: Date, zone: string = ROME): ZonedDateTime {
  const p = wallClockParts(instant.getTime(), zone);
  const two = (n: number | undefined) => String(n).padStart(2, "0");
  return {
    date: `${p.year}-${two(p.month)}-${two(p.day)}`,
    time: `${two(p.hour)}:${two(p.minute)}`,
    zone,
  };
}

/** A zone's wall clock at an instant to the second, "YYYY-MM-DDTHH:mm:ss" (no offset: the zone says which). */
export function wallClockOf(instant: Date, zone: string = ROME): string {
  return new Date(wallClockAsUtc(instant.getTime(), zone)).toISOString().slice(0, 19);
}

/**
 * True when the instant's wall-clock time happens twice in the zone: in Rome 02:xx on the last Sunday
 * of October, before or after the clocks go back. Readers of such a local time without an offset
 * disagree on which one is meant (RFC 5545 says the first; ical.js, as Thunderbird, takes the second).
 */
export function isAmbiguousWallTime(instant: Date, zone: string = ROME): boolean {
  const at = instant.getTime();
  const wall = wallClockAsUtc(at, zone);
  // Clocks change at most once a day: offsets a day apart tell whether they went back around `at`.
  const justWentBack = zoneOffsetMs(at - 86_400_000, zone) - zoneOffsetMs(at, zone);
  const willGoBack = zoneOffsetMs(at, zone) - zoneOffsetMs(at + 86_400_000, zone);
  return (
    (justWentBack > 0 && wallClockAsUtc(at - justWentBack, zone) === wall) ||
    (willGoBack > 0 && wallClockAsUtc(at + willGoBack, zone) === wall)
  );
}

/**
 * The UTC instant of a civil date and time in a zone (Europe/Rome unless named). A time the clocks
 * skip (02:00-02:59 on the last Sunday of March in Rome) does not exist and is refused; a time they
 * pass twice (02:00-02:59 on the last Sunday of October) takes `ambiguous` (default `earlier`).
 * Throws CivilTimeError naming the problem.
 */
export function zonedToInstant(
  civil: { date: LocalDate; time: LocalTime; zone?: string },
  ambiguous: Disambiguation = "earlier",
): Date {
  const zone = civil.zone ?? ROME;
  if (!isLocalDate(civil.date))
    throw new CivilTimeError("invalid", `${civil.date} is not a calendar date YYYY-MM-DD`);
  if (!isLocalTime(civil.time)) throw new CivilTimeError("invalid", `${civil.time} is not a time HH:MM`);
  if (!isTimeZone(zone)) throw new CivilTimeError("invalid", `${zone} is not a known time zone`);
  const [y, mo, d] = civil.date.split("-").map(Number) as [number, number, number];
  const [h, mi] = civil.time.split(":").map(Number) as [number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  // Any change of offset near this wall time lies between the offsets a few hours either side; each
  // offset gives one candidate, which is right only if the zone's clock reads `wall` at it.
  const offsets = new Set([zoneOffsetMs(wall - 6 * HOUR, zone), zoneOffsetMs(wall + 6 * HOUR, zone)]);
  const candidates = [...offsets]
    .map((offset) => wall - offset)
    .filter((instant) => wallClockAsUtc(instant, zone) === wall)
    .sort((a, b) => a - b);
  if (candidates.length === 0)
    throw new CivilTimeError(
      "nonexistent",
      `${civil.date} ${civil.time} does not exist in ${zone}: the clocks skip that hour for daylight saving time; choose a time outside it`,
    );
  if (candidates.length > 1 && ambiguous === "reject")
    throw new CivilTimeError(
      "ambiguous",
      `${civil.date} ${civil.time} happens twice in ${zone}: the clocks go back that hour; choose a time outside it`,
    );
  return new Date(ambiguous === "later" ? candidates.at(-1)! : candidates[0]!);
}

/**
 * The first instant of `date` at which the zone's wall clock reads `time` or later: the time itself,
 * its first occurrence when the clocks go back, the instant the clocks jump when it falls in the spring
 * gap (02:30 on the last Sunday of March in Rome gives the jump at 03:00). For working hours, which
 * must mean something on every day.
 */
export function firstInstantAtOrAfter(civil: { date: LocalDate; time: LocalTime; zone?: string }): Date {
  const zone = civil.zone ?? ROME;
  try {
    return zonedToInstant(civil, "earlier");
  } catch (err) {
    if (!(err instanceof CivilTimeError) || err.reason !== "nonexistent") throw err;
  }
  const [y, mo, d] = civil.date.split("-").map(Number) as [number, number, number];
  const [h, mi] = civil.time.split(":").map(Number) as [number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  const wallAt = (instant: number) => instant + zoneOffsetMs(instant, zone);
  // Before the jump the clock reads less than `wall`, after it more: search the minute it jumps.
  let lo = wall - zoneOffsetMs(wall + 6 * HOUR, zone);
  let hi = wall - zoneOffsetMs(wall - 6 * HOUR, zone);
  while (hi - lo > MINUTE) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
    if (wallAt(mid) >= wall) hi = mid;
    else lo = mid;
  }
  return new Date(hi);
}

/**
 * The real minutes elapsed between two civil times of one day in a zone: 01:30-03:30 on the last
 * Sunday of October lasts 180 minutes, on the last Sunday of March 60 (and 02:30 there is refused).
 * Throws CivilTimeError when either time has no instant or the end is not after the start.
 */
export function elapsedMinutes(
  date: LocalDate,
  start: LocalTime,
  end: LocalTime,
  zone: string = ROME,
  ambiguous: Disambiguation = "earlier",
): number {
  const from = zonedToInstant({ date, time: start, zone }, ambiguous);
  const to = zonedToInstant({ date, time: end, zone }, ambiguous);
  const minutes = (to.getTime() - from.getTime()) / MINUTE;
  if (minutes <= 0) throw new CivilTimeError("invalid", `the end ${end} is not after the start ${start}`);
  return minutes;
}

/** The calendar day `days` after (or before, if negative) `day`. */
export function addDays(day: LocalDate, days: number): LocalDate {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The last Sunday of a month (1-12): in the EU, summer time begins on March's and ends on October's. */
export function lastSundayOf(year: number, month: number): LocalDate {
  const last = new Date(Date.UTC(year, month, 0));
  last.setUTCDate(last.getUTCDate() - last.getUTCDay());
  return last.toISOString().slice(0, 10);
}

export function isSchoolYear(value: string): boolean {
  const match = SCHOOL_YEAR.exec(value);
  return !!match && (Number(match[1]) + 1) % 100 === Number(match[2]);
}

export function schoolYearStart(year: SchoolYear): number {
  return Number(year.slice(0, 4));
}

/** Italian school years run from 1 September to 31 August. */
export function schoolYearOf(instant: Date): SchoolYear {
  const [y, m] = romeDate(instant).split("-").map(Number) as [number, number];
  const start = m >= 9 ? y : y - 1;
  return `${start}/${String((start + 1) % 100).padStart(2, "0")}`;
}

/** The first and last calendar day of a school year (1 September - 31 August). */
export function schoolYearDays(year: SchoolYear): { first: LocalDate; last: LocalDate } {
  const start = schoolYearStart(year);
  return { first: `${start}-09-01`, last: `${start + 1}-08-31` };
}
