// What the path needs to know of a service type, the funders' hour arithmetic and the coded outcomes.
// The service types themselves are reference data owned elsewhere: the path takes the rule fields it
// uses structurally, so any record carrying them will do.

/** The rule fields of a service type that a person's path applies. */
export interface ServiceRule {
  code: string;
  /** The Italian name staff know the service by ("Accoglienza", "Business plan"). */
  nameIt: string;
  /** Codes of the services that must come first (delivered, or booked to end before this one starts). */
  requires: string[];
  /** When set, a plan that gives the service any hours gives it at least this many (bookings may be shorter). */
  minHoursPerPerson?: number;
  /** Hours of this service one person may have, booked and delivered together. */
  maxHoursPerPerson: number;
}

/** A service type as messages name it: its code and its Italian name. */
export type ServiceRef = Pick<ServiceRule, "code" | "nameIt">;

/** How a message names a service: its Italian name in quotes, or its code when the name is unknown. */
export function serviceName(code: string, catalogue: readonly ServiceRef[] = []): string {
  const known = catalogue.find((s) => s.code === code);
  return `"${known?.nameIt ?? code}"`;
}

const MINUTE = 60_000;

/** Whole real minutes between two instants (seconds dropped): the clock change does not stretch them. */
export function realMinutes(start: Date, end: Date): number {
  return Math.floor((end.getTime() - start.getTime()) / MINUTE);
}

/**
 * The hours a funder recognises for `minutes` of service: whole quarter hours, rounded DOWN. A check
 * against the timesheet's start and end times then never finds more hours claimed than happened
 * (50 minutes are 0.75 h, 59 minutes too, 60 minutes 1 h).
 */
export function quarterHours(minutes: number): number {
  return Math.floor(Math.max(0, minutes) / 15) / 4;
}

/** True for a non-negative number of hours in quarter hours (0, 0.25, 1.5 ...). */
export function isQuarterHours(hours: number): boolean {
  return Number.isFinite(hours) && hours >= 0 && Number.isInteger(hours * 4);
}

/** Hours as staff read them: "1.5 h", "0.25 h". */
export function formatHours(hours: number): string {
  return `${Number(hours.toFixed(2))} h`;
}

/**
 * The outcomes a delivery records (a coded list, as the funders' forms): what the service produced or
 * where the person went. Labels are the Italian wording of the timesheet.
 */
export const OUTCOMES = {
  servizio_svolto: "Servizio svolto, percorso in corso",
  pip_sottoscritto: "Patto di servizio e piano personalizzato sottoscritti",
  cv_prodotto: "CV prodotto",
  scheda_competenze: "Scheda delle competenze redatta",
  progetto_professionale: "Progetto professionale definito",
  business_plan_redatto: "Business plan redatto",
  progetto_tirocinio: "Progetto di tirocinio redatto",
  tirocinio_avviato: "Tirocinio avviato",
  assunto: "Assunto",
  impresa_avviata: "Impresa avviata",
  rinvio_ad_altro_servizio: "Inviato ad altro servizio",
  ritirato: "Ritirato dal percorso",
} as const satisfies Record<string, string>;
export type OutcomeCode = keyof typeof OUTCOMES;
export const OUTCOME_CODES = Object.keys(OUTCOMES) as OutcomeCode[];

export function isOutcomeCode(value: string): value is OutcomeCode {
  return Object.hasOwn(OUTCOMES, value);
}
