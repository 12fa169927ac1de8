// The shapes availability is computed from: what the operators' working plans, the service types and
// the bookings say, in Europe/Rome civil time. Shared by the reference data (operators, service types),
// the availability engine and the booking claims; pure data, no behaviour.
import type { LocalDate, LocalTime } from "@lto/civil-time";

/** ISO weekday: 1 = Monday ... 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** A stretch of one civil day, `start` < `end` ("09:00" to "13:00"), in Europe/Rome. */
export interface TimeRange {
  start: LocalTime;
  end: LocalTime;
}

/** One line of an operator's working plan: on this weekday, at this site, these hours. */
export interface WorkingPlanEntry {
  weekday: Weekday;
  site: string;
  hours: TimeRange;
  /** Breaks inside the hours (lunch), never bookable. */
  breaks: TimeRange[];
  /** The plan holds from this day (inclusive), when set. */
  validFrom?: LocalDate;
  /** The plan holds until this day (inclusive), when set. */
  validTo?: LocalDate;
}

/**
 * A change to the plan on one day: `leave` closes the operator (all day, or only `hours`); `extra` opens
 * `hours` at `site` on a day the plan does not (or adds to it).
 */
export type PlanException =
  | { kind: "leave"; date: LocalDate; hours?: TimeRange; reason?: string }
  | { kind: "extra"; date: LocalDate; site: string; hours: TimeRange };

export interface OperatorSchedule {
  operatorId: string;
  /** The operator profiles held (what service types need, e.g. "orientatore", "consulente_autoimpiego"). */
  profiles: string[];
  plan: WorkingPlanEntry[];
  exceptions: PlanException[];
  /** At most this many bookings of this operator on one day (any service), when set. */
  dailyCap?: number;
}

/** What a service type asks of a slot. */
export interface SlotRules {
  /** Real minutes the service lasts (a 60-minute service lasts 60 minutes on the day the clocks change). */
  durationMinutes: number;
  /** Minutes kept free before and after, for the operator (and the room). */
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  /** A slot starts at least this many minutes after now. */
  minNoticeMinutes: number;
  /** A slot starts at most this many days after today (Europe/Rome). */
  horizonDays: number;
  /** Candidate starts every this many minutes from the start of each working stretch (default: 15). */
  stepMinutes?: number;
  /** The operator profile the service needs. */
  operatorProfile: string;
}

/** An interval of real time, [start, end), already taken (a booking with its buffers, a held slot). */
export interface BusyInterval {
  start: Date;
  end: Date;
}
