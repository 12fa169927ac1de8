// What the reports are made of, as plain data: a person's timesheet (the evidence pack's lines, which the
// report work turns into CSV and PDF) and hours planned / booked / delivered summed per site, service,
// operator, month and funder. Months and days are Rome's: a service at 23:30 on 31 March is March's.
import { romeDate, zonedDateTimeOf, type LocalDate, type LocalTime } from "@lto/civil-time";
import { currentRevision, deliveryStatus } from "./delivery.js";
import { holderId, type ConfirmingSide, type Path } from "./path.js";
import { OUTCOMES, type OutcomeCode, type ServiceRef } from "./rules.js";

/** The Rome month of an instant, "YYYY-MM". */
export function romeMonth(instant: Date): string {
  return romeDate(instant).slice(0, 7);
}

export interface TimesheetLine {
  pathId: string;
  /** The person's id, or the team's. */
  holderId: string;
  deliveryId: string;
  bookingId?: string;
  /** The Rome day the service began. */
  date: LocalDate;
  serviceCode: string;
  serviceNameIt: string;
  site: string;
  operatorId: string;
  funder: string;
  /** Rome wall-clock times; `endDate` differs from `date` only for a sitting past midnight. */
  start: LocalTime;
  end: LocalTime;
  endDate: LocalDate;
  startAt: Date;
  endAt: Date;
  minutes: number;
  hours: number;
  outcome: OutcomeCode;
  outcomeIt: string;
  notes: string;
  /** The revision shown (the current one); `corrected` when it is not the first. */
  revision: number;
  corrected: boolean;
  /** Signed by both sides: the operator's record and the person's side's confirmation of it. */
  signed: boolean;
  confirmedBy?: string;
  confirmedAs?: ConfirmingSide;
  confirmedAt?: Date;
}

/**
 * A person's timesheet: one line per delivery (voided ones left out), its current revision, in the
 * order the services happened. A line corrected since it was signed shows `signed: false` until the
 * person's side confirms the correction.
 */
export function timesheet(path: Path, catalogue: readonly ServiceRef[] = []): TimesheetLine[] {
  return path.deliveries
    .filter((d) => deliveryStatus(d) !== "voided")
    .map((d) => {
      const r = currentRevision(d);
      const from = zonedDateTimeOf(r.start);
      const to = zonedDateTimeOf(r.end);
      return {
        pathId: path.id,
        holderId: holderId(path.holder),
        deliveryId: d.id,
        ...(d.bookingId !== undefined ? { bookingId: d.bookingId } : {}),
        date: from.date,
        serviceCode: d.serviceCode,
        serviceNameIt: catalogue.find((s) => s.code === d.serviceCode)?.nameIt ?? d.serviceCode,
        site: d.site,
        operatorId: d.operatorId,
        funder: d.funder,
        start: from.time,
        end: to.time,
        endDate: to.date,
        startAt: r.start,
        endAt: r.end,
        minutes: r.minutes,
        hours: r.hours,
        outcome: r.outcome,
        outcomeIt: OUTCOMES[r.outcome],
        notes: r.notes,
        revision: r.n,
        corrected: r.n > 1,
        signed: r.confirmation !== undefined,
        ...(r.confirmation
          ? { confirmedBy: r.confirmation.by, confirmedAs: r.confirmation.as, confirmedAt: r.confirmation.at }
          : {}),
      };
    })
    .sort((a, b) => a.startAt.getTime() - b.startAt.getTime() || (a.deliveryId < b.deliveryId ? -1 : 1));
}

/** Hours of a personal plan: no operator and no month (a plan is not yet in the calendar). */
export interface PlanRow {
  site: string;
  serviceCode: string;
  funder: string;
  hours: number;
}

/** Hours booked and still due, or delivered: in the calendar, with an operator. */
export interface CalendarRow {
  site: string;
  serviceCode: string;
  operatorId: string;
  funder: string;
  start: Date;
  hours: number;
}

export interface DeliveryRow extends CalendarRow {
  /** Signed by both sides. */
  signed: boolean;
}

export interface ReportRows {
  planned: PlanRow[];
  booked: CalendarRow[];
  delivered: DeliveryRow[];
}

/** The rows of the paths for the reports: plans, bookings still due, and deliveries (not voided). */
export function reportRows(paths: readonly Path[]): ReportRows {
  const rows: ReportRows = { planned: [], booked: [], delivered: [] };
  for (const path of paths) {
    for (const p of path.plan)
      rows.planned.push({ site: path.site, serviceCode: p.serviceCode, funder: path.funder, hours: p.hours });
    for (const b of path.bookings)
      if (b.status === "booked")
        rows.booked.push({
          site: b.site,
          serviceCode: b.serviceCode,
          operatorId: b.operatorId,
          funder: path.funder,
          start: b.start,
          hours: b.hours,
        });
    for (const d of path.deliveries) {
      if (d.voided) continue;
      const r = currentRevision(d);
      rows.delivered.push({
        site: d.site,
        serviceCode: d.serviceCode,
        operatorId: d.operatorId,
        funder: d.funder,
        start: r.start,
        hours: r.hours,
        signed: r.confirmation !== undefined,
      });
    }
  }
  return rows;
}

export const REPORT_DIMENSIONS = ["site", "serviceCode", "operatorId", "month", "funder"] as const;
export type ReportDimension = (typeof REPORT_DIMENSIONS)[number];

/**
 * One line of a report: its key (the dimensions asked for; null where a row has no such value, as a
 * plan has no operator and no month) and the hours summed.
 */
export interface ReportLine {
  key: Partial<Record<ReportDimension, string | null>>;
  plannedHours: number;
  bookedHours: number;
  deliveredHours: number;
  /** Of the delivered hours, those on timesheet lines signed by both sides. */
  signedHours: number;
  deliveries: number;
}

type AnyRow = Partial<PlanRow & CalendarRow>;

function valueOf(row: AnyRow, dimension: ReportDimension): string | null {
  if (dimension === "month") return row.start ? romeMonth(row.start) : null;
  return row[dimension] ?? null;
}

/**
 * Sums the rows per combination of `dimensions` (none: one grand total line). Calendar rows fall in the
 * Rome month they start in. Lines come sorted by their key, with null ("not in the calendar") last.
 */
export function summariseHours(rows: ReportRows, dimensions: readonly ReportDimension[]): ReportLine[] {
  const lines = new Map<string, ReportLine>();
  const lineOf = (row: AnyRow): ReportLine => {
    const key = Object.fromEntries(dimensions.map((d) => [d, valueOf(row, d)])) as ReportLine["key"];
    const id = JSON.stringify(dimensions.map((d) => key[d]));
    let line = lines.get(id);
    if (!line) {
      line = { key, plannedHours: 0, bookedHours: 0, deliveredHours: 0, signedHours: 0, deliveries: 0 };
      lines.set(id, line);
    }
    return line;
  };
  for (const row of rows.planned) lineOf(row).plannedHours += row.hours;
  for (const row of rows.booked) lineOf(row).bookedHours += row.hours;
  for (const row of rows.delivered) {
    const line = lineOf(row);
    line.deliveredHours += row.hours;
    line.deliveries += 1;
    if (row.signed) line.signedHours += row.hours;
  }
  const compare = (a: ReportLine, b: ReportLine): number => {
    for (const d of dimensions) {
      const x = a.key[d] ?? null;
      const y = b.key[d] ?? null;
      if (x === y) continue;
      if (x === null) return 1;
      if (y === null) return -1;
      return x < y ? -1 : 1;
    }
    return 0;
  };
  return [...lines.values()].sort(compare);
}
