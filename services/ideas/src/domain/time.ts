// Calendar days and school years in Europe/Rome, where every deadline of the programme lives.

export const ROME = "Europe/Rome";

/** A calendar day in Europe/Rome, "YYYY-MM-DD". */
export type LocalDate = string;
/** A school year, "2026/27". */
export type SchoolYear = string;

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const SCHOOL_YEAR = /^(\d{4})\/(\d{2})$/;

const romeWallClock = new Intl.DateTimeFormat("en-US", {
  timeZone: ROME,
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

function wallClockParts(instant: number): Record<string, number> {
  const parts: Record<string, number> = {};
  for (const part of romeWallClock.formatToParts(new Date(instant))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return parts;
}

/** How far Rome's wall clock is ahead of UTC at an instant (1 h in winter, 2 h in summer). */
function romeOffsetMs(instant: number): number {
  const p = wallClockParts(instant);
  const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return wall - Math.floor(instant / 1000) * 1000;
}

export function isLocalDate(value: string): boolean {
  const match = LOCAL_DATE.exec(value);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** The instant a day begins in Rome: 00:00 local, whatever the daylight-saving offset of that day. */
export function startOfRomeDay(day: LocalDate): Date {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d);
  // The offset at the wall-clock-as-UTC guess can differ from the real one near a change: correct once.
  const guess = wall - romeOffsetMs(wall);
  return new Date(wall - romeOffsetMs(guess));
}

export function romeDate(instant: Date): LocalDate {
  const p = wallClockParts(instant.getTime());
  return `${p.year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
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
