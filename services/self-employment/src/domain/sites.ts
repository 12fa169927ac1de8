// The sites services are booked at, as data (data/sites.json): the LTO's site in each district of the
// province (the ids of @lto/reference, what staff tokens carry) and the municipal Informagiovani desks
// that joined, each with its rooms, labs and lab equipment.
import { isLocalDate } from "@lto/civil-time";
import { DISTRICTS, SITES as LTO_SITES, type District } from "@lto/reference";
import type { ClosedDays } from "./availability/holidays.js";
import data from "./data/sites.json" with { type: "json" };

export const EQUIPMENT_KINDS = ["3d_printer", "laser_cutter", "cnc", "vr_kit"] as const;
export type EquipmentKind = (typeof EQUIPMENT_KINDS)[number];

/** A credential a person must hold to use an item: a competence at a minimum level of a framework version. */
export interface CredentialRequirement {
  framework: string;
  version: string;
  competence: string;
  minimumLevel: number;
}

export interface Room {
  id: string;
  name: string;
  kind: "room" | "lab";
  seats: number;
}

export interface Equipment {
  id: string;
  name: string;
  kind: EquipmentKind;
  /** The lab it stands in. */
  labId: string;
  requiresCredential?: CredentialRequirement;
}

export interface Site {
  id: string;
  kind: "lto" | "informagiovani";
  name: string;
  municipality: string;
  district: District;
  rooms: Room[];
  equipment: Equipment[];
  /**
   * How the site's closed days differ from the default (the Italian public holidays and Mantova's
   * patron saint): a municipal desk outside Mantova opens on Sant'Anselmo.
   */
  closedDays?: Pick<ClosedDays, "nationalHolidays" | "patronSaint">;
}

/** Every way the list breaks the rules; empty when it is sound. */
export function siteProblems(sites: readonly Site[]): string[] {
  const problems: string[] = [];
  const ids = sites.flatMap((s) => [s.id, ...s.rooms.map((r) => r.id), ...s.equipment.map((e) => e.id)]);
  if (new Set(ids).size !== ids.length) problems.push("site, room and equipment ids are not unique");
  for (const lto of LTO_SITES)
    if (!sites.some((s) => s.id === lto && s.kind === "lto")) problems.push(`${lto} is missing`);
  for (const s of sites) {
    if (!(DISTRICTS as readonly string[]).includes(s.district)) problems.push(`${s.id}: unknown district`);
    for (const r of s.rooms)
      if (!(Number.isInteger(r.seats) && r.seats >= 1)) problems.push(`${r.id}: seats must be >= 1`);
    for (const e of s.equipment) {
      if (!s.rooms.some((r) => r.id === e.labId && r.kind === "lab"))
        problems.push(`${e.id}: its lab ${e.labId} is not a lab of ${s.id}`);
      if (!(EQUIPMENT_KINDS as readonly string[]).includes(e.kind)) problems.push(`${e.id}: unknown kind`);
      const c = e.requiresCredential;
      if (
        c &&
        !(c.framework && c.version && c.competence && Number.isInteger(c.minimumLevel) && c.minimumLevel >= 1)
      )
        problems.push(`${e.id}: a required credential names framework, version, competence and a level >= 1`);
    }
  }
  return problems;
}

export const SITES: readonly Site[] = data.sites as Site[];

{
  const problems = siteProblems(SITES);
  if (problems.length) throw new Error(`data/sites.json is not sound: ${problems.join("; ")}`);
}

export const SITE_IDS: readonly string[] = SITES.map((s) => s.id);

export function siteById(id: string): Site | undefined {
  return SITES.find((s) => s.id === id);
}

export function isKnownSite(id: string): boolean {
  return SITE_IDS.includes(id);
}

/**
 * A site's closed-days policy for availability over `years`: its own rule, plus the days every site
 * closes by the service's settings (EXTRA_CLOSED_DAYS: "MM-DD" every year, "YYYY-MM-DD" once).
 */
export function closedDaysOf(
  site: Site,
  extraClosedDays: readonly string[],
  years: readonly number[],
): ClosedDays {
  const closed = extraClosedDays.flatMap((day) =>
    day.length === 10
      ? [{ date: day, name: "Chiusura" }]
      : years.map((year) => ({ date: `${year}-${day}`, name: "Chiusura" })),
  );
  return {
    ...site.closedDays,
    ...(closed.length ? { closed: closed.filter((c) => isLocalDate(c.date)) } : {}),
  };
}
