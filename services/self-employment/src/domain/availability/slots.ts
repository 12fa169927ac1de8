// The free slots of one service type at one site: computed in real time (UTC instants) from working plans
// written in Europe/Rome wall-clock time, so the two days a year the clocks change are right.
//
// Edge rules:
// - A plan time T on day D (hours, breaks, leave hours, extra hours) means the FIRST instant of D at which
//   the Rome wall clock reads T or later. So a time in the spring gap (02:00-02:59 on the last Sunday of
//   March, which does not exist) means the instant the clocks jump (03:00 summer time), and a time passed
//   twice (02:00-02:59 on the last Sunday of October) means its first occurrence (summer time, as
//   RFC 5545 and zonedToInstant's default read it). A stretch lying wholly in the gap is empty, one
//   straddling the gap is an hour shorter in real time, one straddling the October hour an hour longer.
// - A working stretch is the union of the plan lines of that weekday and site (within validFrom/validTo)
//   and the `extra` hours of that day at that site, overlapping or touching pieces merged.
// - Starts are every stepMinutes of REAL time from the start of each stretch: after the spring gap they
//   keep their real-time rhythm (with steps dividing 60 they stay on the same wall-clock quarter hours);
//   in October the repeated hour is offered twice, told apart by offset and `occurrence`.
// - The service [start, start + duration) must lie inside one stretch and overlap no break (of any plan
//   line that applies) and no leave hours; breaks and leave remove starts but do not move the grid.
// - Buffers only keep other bookings away: [start - bufferBefore, end + bufferAfter) must overlap no busy
//   interval of the operator; they may reach outside the stretch or into a break (the operator's own time).
// - A closed day (holidays policy) has no slots; a start earlier than now + minNotice is dropped; days after
//   today (Rome) + horizonDays are not computed; an operator at dailyCap bookings on a day is not offered.
import {
  addDays,
  firstInstantAtOrAfter,
  isLocalDate,
  romeDate,
  wallClockOf,
  zoneOffsetMs,
  zonedToInstant,
  type LocalDate,
  type LocalTime,
} from "@lto/civil-time";
import { DEFAULT_CLOSED_DAYS, isClosedDay, type ClosedDays } from "./holidays.js";
import type { BusyInterval, OperatorSchedule, SlotRules, TimeRange, Weekday } from "./schedule.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
export const DEFAULT_STEP_MINUTES = 15;

export interface AvailabilityQuery {
  rules: SlotRules;
  site: string;
  /** First and last civil day (Europe/Rome) asked for, inclusive. */
  from: LocalDate;
  to: LocalDate;
  /** Candidate operators; those not holding rules.operatorProfile are ignored. */
  operators: readonly OperatorSchedule[];
  /** Per operator id: what is already taken (bookings with their own buffers, held slots). */
  busy?: Readonly<Record<string, readonly BusyInterval[]>>;
  /** Per operator id and civil day: bookings already made (for dailyCap). */
  bookingsPerDay?: Readonly<Record<string, Readonly<Record<LocalDate, number>>>>;
  /** The site's closed days (default: Italian public holidays and Sant'Anselmo). */
  closedDays?: ClosedDays;
  now: Date;
}

/**
 * An instant as Rome's wall clock shows it. `occurrence` is set only when that time happens twice that day
 * (the hour the clocks go back): `zonedToInstant({date, time}, occurrence ?? "reject")` gives the instant back.
 */
export interface WallClock {
  date: LocalDate;
  time: LocalTime;
  /** UTC offset, "+01:00" (winter) or "+02:00" (summer). */
  offset: string;
  occurrence?: "earlier" | "later";
}

export interface Slot {
  start: Date;
  /** start + durationMinutes of real time. */
  end: Date;
  /** The civil day (Europe/Rome) of the working stretch the slot lies in. */
  date: LocalDate;
  startLocal: WallClock;
  endLocal: WallClock;
  /** The operators free for exactly this slot, by id in ascending order. */
  operatorIds: string[];
}

interface Span {
  start: number;
  end: number;
}

/** The free slots of one service type at one site over [from, to], sorted by start. Pure. */
export function availableSlots(query: AvailabilityQuery): Slot[] {
  const { rules, site, now } = query;
  const step = checkRules(rules);
  for (const [field, value] of [
    ["from", query.from],
    ["to", query.to],
  ] as const)
    if (!isLocalDate(value)) throw new RangeError(`${field} ${value} is not a calendar date YYYY-MM-DD`);
  if (Number.isNaN(now.getTime())) throw new RangeError("now is not a valid instant");

  const today = romeDate(now);
  const first = query.from > today ? query.from : today;
  const horizon = addDays(today, rules.horizonDays);
  const last = query.to < horizon ? query.to : horizon;
  const earliestStart = now.getTime() + rules.minNoticeMinutes * MINUTE;
  const duration = rules.durationMinutes * MINUTE;
  const before = rules.bufferBeforeMinutes * MINUTE;
  const after = rules.bufferAfterMinutes * MINUTE;
  const operators = query.operators.filter((op) => op.profiles.includes(rules.operatorProfile));

  const busyOf = new Map(
    operators.map((op) => [
      op.operatorId,
      (query.busy?.[op.operatorId] ?? []).map((b) => ({ start: b.start.getTime(), end: b.end.getTime() })),
    ]),
  );
  const instants = new Map<string, number>(); // operators share their plan times: convert each once
  const slots = new Map<number, Set<string>>();
  for (let date = first; date <= last; date = addDays(date, 1)) {
    if (isClosedDay(date, query.closedDays ?? DEFAULT_CLOSED_DAYS)) continue;
    for (const op of operators) {
      const booked = query.bookingsPerDay?.[op.operatorId]?.[date] ?? 0;
      if (op.dailyCap !== undefined && booked >= op.dailyCap) continue;
      const day = operatorDay(op, date, site, instants);
      const busy = busyOf.get(op.operatorId)!;
      for (const stretch of day.stretches) {
        for (let start = stretch.start; start + duration <= stretch.end; start += step * MINUTE) {
          if (start < earliestStart) continue;
          const service = { start, end: start + duration };
          if (day.blocked.some((b) => overlaps(b, service))) continue;
          const guarded = { start: start - before, end: start + duration + after };
          if (busy.some((b) => overlaps(b, guarded))) continue;
          const free = slots.get(start) ?? new Set<string>();
          free.add(op.operatorId);
          slots.set(start, free);
        }
      }
    }
  }

  return [...slots.entries()]
    .sort(([a], [b]) => a - b)
    .map(([start, ids]) => {
      const startLocal = romeWallClock(new Date(start));
      return {
        start: new Date(start),
        end: new Date(start + duration),
        date: startLocal.date,
        startLocal,
        endLocal: romeWallClock(new Date(start + duration)),
        operatorIds: [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
      };
    });
}

/** One operator's day at one site: the working stretches and the spans inside them never bookable. */
export function operatorDay(
  op: OperatorSchedule,
  date: LocalDate,
  site: string,
  instants = new Map<string, number>(),
): { stretches: Span[]; blocked: Span[] } {
  const at = (time: LocalTime) => {
    let instant = instants.get(`${date}T${time}`);
    if (instant === undefined) {
      instant = firstInstantAtOrAfter({ date, time }).getTime();
      instants.set(`${date}T${time}`, instant);
    }
    return instant;
  };
  const span = (range: TimeRange): Span => ({ start: at(range.start), end: at(range.end) });
  const exceptions = op.exceptions.filter((e) => e.date === date);
  if (exceptions.some((e) => e.kind === "leave" && !e.hours)) return { stretches: [], blocked: [] };
  const weekday = weekdayOf(date);
  const lines = op.plan.filter(
    (line) =>
      line.weekday === weekday &&
      line.site === site &&
      (!line.validFrom || line.validFrom <= date) &&
      (!line.validTo || date <= line.validTo),
  );
  const hours: TimeRange[] = lines.map((line) => line.hours);
  const blocked: Span[] = lines.flatMap((line) => line.breaks.map(span));
  for (const e of exceptions) {
    if (e.kind === "extra" && e.site === site) hours.push(e.hours);
    if (e.kind === "leave" && e.hours) blocked.push(span(e.hours));
  }
  return {
    stretches: merge(hours.map(span)),
    blocked: blocked.filter((b) => b.start < b.end),
  };
}

/** How Rome's wall clock shows an instant (to the minute), with its offset and, if repeated, which one. */
export function romeWallClock(instant: Date): WallClock {
  const wall = wallClockOf(instant);
  const local: WallClock = {
    date: wall.slice(0, 10),
    time: wall.slice(11, 16),
    offset: formatOffset(zoneOffsetMs(instant.getTime())),
  };
  // A wall time repeats only within an hour or so of the clocks going back: skip the check elsewhere.
  const at = instant.getTime();
  if (zoneOffsetMs(at - 3 * HOUR) === zoneOffsetMs(at + 3 * HOUR)) return local;
  const civil = { date: local.date, time: local.time };
  const earlier = zonedToInstant(civil, "earlier").getTime();
  const later = zonedToInstant(civil, "later").getTime();
  if (earlier !== later) local.occurrence = Math.abs(at - earlier) < MINUTE ? "earlier" : "later";
  return local;
}

function checkRules(rules: SlotRules): number {
  const step = rules.stepMinutes ?? DEFAULT_STEP_MINUTES;
  const positive = { durationMinutes: rules.durationMinutes, stepMinutes: step };
  const nonNegative = {
    bufferBeforeMinutes: rules.bufferBeforeMinutes,
    bufferAfterMinutes: rules.bufferAfterMinutes,
    minNoticeMinutes: rules.minNoticeMinutes,
    horizonDays: rules.horizonDays,
  };
  for (const [name, value] of Object.entries(positive))
    if (!Number.isInteger(value) || value <= 0)
      throw new RangeError(`${name} must be a whole number above 0`);
  for (const [name, value] of Object.entries(nonNegative))
    if (!Number.isInteger(value) || value < 0)
      throw new RangeError(`${name} must be a whole number, 0 or more`);
  return step;
}

function merge(spans: Span[]): Span[] {
  const merged: Span[] = [];
  for (const span of spans.filter((s) => s.start < s.end).sort((a, b) => a.start - b.start)) {
    const last = merged.at(-1);
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  return merged;
}

function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

function weekdayOf(date: LocalDate): Weekday {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return (new Date(Date.UTC(y, m - 1, d)).getUTCDay() || 7) as Weekday;
}

function formatOffset(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / MINUTE);
  const hh = String(Math.floor(minutes / 60)).padStart(2, "0");
  const mm = String(minutes % 60).padStart(2, "0");
  return `${ms < 0 ? "-" : "+"}${hh}:${mm}`;
}
