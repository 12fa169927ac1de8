// Talent profiles: an adult learner shows chosen credentials to verified companies, who search them and
// ask for contact. Pure rules: who is an adult, what a profile shows, how a contact request moves on.
import type { LocalDate } from "@lto/civil-time";

export const ADULT_AGE = 18;

/** Whole years between a birth date and a day (both civil dates, Europe/Rome). */
export function ageOn(birthDate: LocalDate, today: LocalDate): number {
  const [by, bm, bd] = birthDate.split("-").map(Number) as [number, number, number];
  const [ty, tm, td] = today.split("-").map(Number) as [number, number, number];
  const birthdayPassed = tm > bm || (tm === bm && td >= bd);
  return ty - by - (birthdayPassed ? 0 : 1);
}

export function isAdultOn(birthDate: LocalDate, today: LocalDate): boolean {
  return ageOn(birthDate, today) >= ADULT_AGE;
}

/** One competence a shown credential aligns to. */
export interface TalentSkill {
  framework: string;
  frameworkVersion: string;
  competence: string;
  level: number;
}

/** A credential as a profile shows it: what and when and where, never who. */
export interface TalentEntry {
  credentialId: string;
  courseTitle: string;
  site: string;
  issuedAt: Date;
  competences: TalentSkill[];
}

/**
 * The keys a search matches: a competence at a level, with and without the framework version, so
 * "3.4 at level 4 or more" works on one version or across versions.
 */
export function skillKeys(entries: readonly TalentEntry[]): string[] {
  const keys = new Set<string>();
  for (const e of entries)
    for (const c of e.competences) {
      keys.add(`${c.framework}|${c.competence}|${c.level}`);
      keys.add(`${c.framework}@${c.frameworkVersion}|${c.competence}|${c.level}`);
    }
  return [...keys];
}

/** The keys that satisfy "competence at `minLevel` or above" (levels run 1..8). */
export function wantedSkillKeys(q: {
  framework: string;
  frameworkVersion?: string;
  competence: string;
  minLevel: number;
}): string[] {
  const prefix = q.frameworkVersion ? `${q.framework}@${q.frameworkVersion}` : q.framework;
  const keys: string[] = [];
  for (let level = q.minLevel; level <= 8; level++) keys.push(`${prefix}|${q.competence}|${level}`);
  return keys;
}

export const CONTACT_STATES = ["pending", "accepted", "declined", "closed"] as const;
export type ContactState = (typeof CONTACT_STATES)[number];

/** Why a contact request cannot be decided now, or undefined when it can. */
export function contactDecisionRefusal(state: ContactState): string | undefined {
  if (state === "pending") return undefined;
  if (state === "closed") return "This request was closed when the profile was withdrawn";
  return `This request is already ${state}`;
}
