// The sponsor's internship commitments on an adopted team's path: when the company that adopted the
// idea promises internships (tirocini), the team's path records the commitment (which company, how
// many places, the period) and proposes the internship tutoring (tutoring_tirocinio) with planned
// hours, so staff book tutoring slots for it. IdeaAdopted names places and a period, no hours: the
// planned hours are a setting's hours per place, capped by the service type's maximum per person.
import type { Path } from "./path.js";
import { proposeServices, setPlannedHours } from "./path.js";
import type { ServiceRule } from "./rules.js";

export const TUTORING_SERVICE = "tutoring_tirocinio";

/** An internship commitment of the adoption that opened the path. */
export interface InternshipCommitment {
  adoptionId: string;
  /** The commitment's id in the adoption ("internships"). */
  commitmentId: string;
  companyId: string;
  companyName: string;
  description: string;
  places: number;
  /** The internship period, Europe/Rome calendar dates (both included); empty when not given. */
  periodStart: string;
  periodEnd: string;
  recordedAt: Date;
}

/** The tutoring hours planned for `places`: `hoursPerPlace` each, whole quarter hours, at most the cap. */
export function tutoringHours(places: number, hoursPerPlace: number, rule: ServiceRule): number {
  const wanted = Math.floor(places * hoursPerPlace * 4) / 4;
  const hours = Math.min(wanted, rule.maxHoursPerPerson);
  return rule.minHoursPerPerson !== undefined && hours > 0 && hours < rule.minHoursPerPerson ? 0 : hours;
}

const same = (a: InternshipCommitment, b: InternshipCommitment) =>
  a.adoptionId === b.adoptionId && a.commitmentId === b.commitmentId;

/**
 * The path with the commitments it does not record yet: tutoring proposed, its planned hours raised to
 * what all the recorded places call for (never lowered: staff may have planned more), the commitments
 * kept. The same path when nothing is new, or when the path is closed (a closed path takes no plan).
 */
export function recordInternshipCommitments(
  path: Path,
  commitments: readonly InternshipCommitment[],
  rule: ServiceRule,
  hoursPerPlace: number,
  by: string,
  now: Date,
): Path {
  const known = path.internships ?? [];
  const fresh = commitments.filter((c) => c.places > 0 && !known.some((k) => same(k, c)));
  if (!fresh.length || path.status !== "open") return path;
  const internships = [...known, ...fresh];
  let next = path.proposed.includes(rule.code) ? path : proposeServices(path, [rule.code], by, now).path;
  const planned = path.plan.find((p) => p.serviceCode === rule.code)?.hours ?? 0;
  const hours = tutoringHours(
    internships.reduce((sum, c) => sum + c.places, 0),
    hoursPerPlace,
    rule,
  );
  if (hours > planned) {
    const companies = [...new Set(fresh.map((c) => c.companyName || c.companyId))].join(", ");
    next = setPlannedHours(next, rule, hours, by, now, `internship commitment of ${companies}`).path;
  }
  return { ...next, internships };
}
