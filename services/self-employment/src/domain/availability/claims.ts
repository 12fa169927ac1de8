// The keys a booking claims in the store so that two bookings of one resource (an operator, a room, an
// equipment item) can never both be written when they overlap: each booking claims every unit of a fixed
// UTC grid its real-time interval touches, and a unique index on (resource, unit) refuses the second.
// Two overlapping intervals share the unit holding any instant they share, so they always clash; two
// intervals that only touch ([a, b) and [b, c)) share no unit when b is on the grid (see isOnGrid).
import type { BusyInterval } from "./schedule.js";

const MINUTE = 60_000;
export const DEFAULT_UNIT_MINUTES = 5;
/** A claim longer than this many units is a mistake (a week of 5-minute units is 2,016). */
export const MAX_CLAIM_UNITS = 10_000;

function unitMs(unitMinutes: number): number {
  if (!Number.isInteger(unitMinutes) || unitMinutes <= 0)
    throw new RangeError(`unitMinutes must be a whole number above 0, not ${unitMinutes}`);
  return unitMinutes * MINUTE;
}

/** The start instants (ISO strings) of the grid units covering the real-time interval [start, end). */
export function claimUnits(interval: BusyInterval, unitMinutes: number = DEFAULT_UNIT_MINUTES): string[] {
  const unit = unitMs(unitMinutes);
  const start = interval.start.getTime();
  const end = interval.end.getTime();
  if (Number.isNaN(start) || Number.isNaN(end))
    throw new RangeError("the interval's start and end must be instants");
  if (end <= start) throw new RangeError("the interval must end after it starts");
  const first = Math.floor(start / unit) * unit;
  const count = Math.ceil((end - first) / unit);
  if (count > MAX_CLAIM_UNITS)
    throw new RangeError(
      `the interval covers ${count} units of ${unitMinutes} minutes, more than ${MAX_CLAIM_UNITS}`,
    );
  return Array.from({ length: count }, (_, i) => new Date(first + i * unit).toISOString());
}

/** True when the instant is a unit boundary of the grid (so an interval ending there claims no more). */
export function isOnGrid(instant: Date, unitMinutes: number = DEFAULT_UNIT_MINUTES): boolean {
  const at = instant.getTime();
  return !Number.isNaN(at) && at % unitMs(unitMinutes) === 0;
}
