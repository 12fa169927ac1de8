// The labour and self-employment service types as data (data/service-types.json): duration, format,
// modes, the operator profile, hours per person, the slot rules and the path order (`requires`).
// The ten services Regione Lombardia funds (DOMAIN.md) plus `consulenza_autoimpiego`, the
// self-employment counselling of measure 7.1, kept as its own type so that business-plan support can
// require it before it (both are measure 7.1; the counselling comes first).
import data from "./data/service-types.json" with { type: "json" };
import type { SlotRules } from "./availability/schedule.js";

export const DELIVERY_MODES = ["in_person", "remote"] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];

/** The operator profiles services need and operators hold. */
export const OPERATOR_PROFILES = [
  "orientatore",
  "psicologo_orientamento",
  "formatore",
  "coach",
  "tutor_lavoro",
  "consulente_autoimpiego",
] as const;
export type OperatorProfile = (typeof OPERATOR_PROFILES)[number];

export type ServiceFormat = { kind: "individual" } | { kind: "group"; seats: number };

export interface ServiceType {
  code: string;
  nameIt: string;
  /** The Lombardy measure code it is reported under ("1-A", "7.1", ...). */
  measure: string;
  durationMinutes: number;
  format: ServiceFormat;
  modes: DeliveryMode[];
  operatorProfile: OperatorProfile;
  minHoursPerPerson: number;
  maxHoursPerPerson: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  minNoticeMinutes: number;
  horizonDays: number;
  /** A cancellation later than this many hours before the start is recorded as late. */
  cancellationNoticeHours: number;
  /** Codes of the services that must come first in a person's path. */
  requires: string[];
}

/** The service that comes first of all. */
export const RECEPTION = "accoglienza";
/** The path definition that comes before every specialised service. */
export const PATH_DEFINITION = "definizione_percorso";
/** The intake services that need only reception before them; every other service is specialised. */
export const INTAKE_SERVICES: readonly string[] = [RECEPTION, "colloquio_specialistico", PATH_DEFINITION];

/** Every way the list breaks the rules; empty when it is sound (checked by the unit tests and at load). */
export function serviceTypeProblems(types: readonly ServiceType[]): string[] {
  const problems: string[] = [];
  const byCode = new Map(types.map((t) => [t.code, t]));
  if (byCode.size !== types.length) problems.push("codes are not unique");
  for (const t of types) {
    if (!/^[a-z][a-z_]*$/.test(t.code)) problems.push(`${t.code}: code is not a lower-case slug`);
    if (!(OPERATOR_PROFILES as readonly string[]).includes(t.operatorProfile))
      problems.push(`${t.code}: unknown operator profile ${t.operatorProfile}`);
    if (t.modes.length === 0 || t.modes.some((m) => !(DELIVERY_MODES as readonly string[]).includes(m)))
      problems.push(`${t.code}: modes must be in_person and/or remote`);
    if (!(t.durationMinutes > 0 && t.durationMinutes % 15 === 0))
      problems.push(`${t.code}: duration must be a positive multiple of 15 minutes`);
    if (!(t.minHoursPerPerson > 0 && t.minHoursPerPerson <= t.maxHoursPerPerson))
      problems.push(`${t.code}: hours per person must be 0 < min <= max`);
    if (t.durationMinutes / 60 > t.maxHoursPerPerson)
      problems.push(`${t.code}: one session is longer than the cap per person`);
    if (t.format.kind === "group" && !(Number.isInteger(t.format.seats) && t.format.seats >= 2))
      problems.push(`${t.code}: a group service needs at least 2 seats`);
    for (const n of [
      t.bufferBeforeMinutes,
      t.bufferAfterMinutes,
      t.minNoticeMinutes,
      t.cancellationNoticeHours,
    ])
      if (!(Number.isInteger(n) && n >= 0)) problems.push(`${t.code}: buffers and notices are whole, >= 0`);
    if (!(Number.isInteger(t.horizonDays) && t.horizonDays >= 1))
      problems.push(`${t.code}: horizon >= 1 day`);
    for (const r of t.requires) if (!byCode.has(r)) problems.push(`${t.code}: requires unknown service ${r}`);
  }
  // Reception first of all, the path definition before every specialised service, no cycles.
  const reception = byCode.get(RECEPTION);
  if (!reception) problems.push(`${RECEPTION} is missing`);
  else if (reception.requires.length) problems.push(`${RECEPTION} must require nothing`);
  for (const t of types) {
    if (t.code === RECEPTION) continue;
    const before = prerequisitesOf(t.code, types);
    if (before === "cycle") {
      problems.push(`${t.code}: its prerequisites form a cycle`);
      continue;
    }
    if (!before.includes(RECEPTION)) problems.push(`${t.code}: does not come after ${RECEPTION}`);
    if (!INTAKE_SERVICES.includes(t.code) && !before.includes(PATH_DEFINITION))
      problems.push(`${t.code}: a specialised service must come after ${PATH_DEFINITION}`);
  }
  return problems;
}

/** Every code that must come before `code`, transitively (closest first), or "cycle". */
export function prerequisitesOf(
  code: string,
  types: readonly ServiceType[] = SERVICE_TYPES,
): string[] | "cycle" {
  const byCode = new Map(types.map((t) => [t.code, t]));
  const seen: string[] = [];
  const visit = (c: string, trail: string[]): boolean => {
    for (const r of byCode.get(c)?.requires ?? []) {
      if (trail.includes(r)) return false;
      if (!seen.includes(r)) seen.push(r);
      if (!visit(r, [...trail, r])) return false;
    }
    return true;
  };
  return visit(code, [code]) ? seen : "cycle";
}

export const SERVICE_TYPES: readonly ServiceType[] = data.serviceTypes as ServiceType[];

{
  const problems = serviceTypeProblems(SERVICE_TYPES);
  if (problems.length) throw new Error(`data/service-types.json is not sound: ${problems.join("; ")}`);
}

export const SERVICE_TYPE_CODES: readonly string[] = SERVICE_TYPES.map((t) => t.code);

export function serviceType(code: string): ServiceType | undefined {
  return SERVICE_TYPES.find((t) => t.code === code);
}

/** What the availability engine asks of a slot for this service type. */
export function slotRulesOf(type: ServiceType): SlotRules {
  return {
    durationMinutes: type.durationMinutes,
    bufferBeforeMinutes: type.bufferBeforeMinutes,
    bufferAfterMinutes: type.bufferAfterMinutes,
    minNoticeMinutes: type.minNoticeMinutes,
    horizonDays: type.horizonDays,
    operatorProfile: type.operatorProfile,
  };
}

/** Seats of one slot: 1 for an individual service. */
export function seatsOf(type: ServiceType): number {
  return type.format.kind === "group" ? type.format.seats : 1;
}
