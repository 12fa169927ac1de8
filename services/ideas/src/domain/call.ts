import { InvalidStateError } from "@lto/errors";
import type { Actor } from "./actor.js";
import { isLocalDate, isSchoolYear, startOfRomeDay, type LocalDate, type SchoolYear } from "./time.js";
import { isSite, SITES, type Site } from "@lto/reference";
import { Issues } from "./validation.js";

/** `open`: ideas come bottom-up from schools; `challenge`: a sponsor company poses the problem. */
export type CallModel = "open" | "challenge";
export const CALL_PHASES = ["upcoming", "submission", "evaluation", "adoption", "closed"] as const;
export type CallPhase = (typeof CALL_PHASES)[number];

/** The first day (from 00:00 in Rome) of each phase; a phase lasts until the next one starts. */
export interface PhaseStarts {
  submission: LocalDate;
  evaluation: LocalDate;
  adoption: LocalDate;
  closed: LocalDate;
}

export interface PanelMember {
  subject: string;
  organisationId: string;
  kind: "staff" | "company";
  name?: string;
}

export interface Criterion {
  key: string;
  label: string;
  weight: number;
}

export interface Sponsor {
  companyId: string;
  name: string;
}

export interface CallInput {
  /** The site that runs the call: its staff review and publish the call's ideas. Fixed once created. */
  site: Site;
  title: string;
  description: string;
  model: CallModel;
  schoolYear: SchoolYear;
  sponsor?: Sponsor;
  phaseStarts: PhaseStarts;
  panel: PanelMember[];
  rubric: Criterion[];
}

/** What an update may send: everything but the site, which a call keeps (sent again, it must match). */
export type CallChanges = Omit<CallInput, "site"> & { site?: string };

export interface Call extends CallInput {
  id: string;
  createdAt: Date;
  createdBy: string;
  updatedAt: Date;
  version: number;
}

export const DEFAULT_RUBRIC: Criterion[] = [
  { key: "innovation", label: "Innovazione", weight: 30 },
  { key: "feasibility", label: "Fattibilità", weight: 25 },
  { key: "digital_content", label: "Contenuto digitale e 4.0", weight: 25 },
  { key: "territorial_impact", label: "Impatto sul territorio", weight: 20 },
];

export const MIN_SCORE = 1;
export const MAX_SCORE = 5;

const PHASE_ORDER = ["submission", "evaluation", "adoption", "closed"] as const;
const CRITERION_KEY = /^[a-z][a-z0-9_]{1,39}$/;

function validateCall(input: CallChanges, siteRequired: boolean): void {
  const issues = new Issues();
  if (input.site !== undefined || siteRequired)
    issues.check(isSite(input.site ?? ""), "site", `must be one of ${SITES.join(", ")}`);
  issues.check(input.title.trim().length >= 3, "title", "must have at least 3 characters");
  issues.check(isSchoolYear(input.schoolYear), "schoolYear", 'must look like "2026/27"');
  if (input.model === "challenge") {
    issues.check(!!input.sponsor, "sponsor", "a challenge call names its sponsor company");
  } else {
    issues.check(!input.sponsor, "sponsor", "only a challenge call has a sponsor");
    input.panel.forEach((member, i) =>
      issues.check(member.kind === "staff", `panel.${i}.kind`, "company people sit only on challenge panels"),
    );
  }
  const days = PHASE_ORDER.map((phase) => input.phaseStarts[phase]);
  PHASE_ORDER.forEach((phase, i) => {
    if (!isLocalDate(days[i]!)) issues.add(`phaseStarts.${phase}`, "must be a date YYYY-MM-DD");
    else if (i > 0 && isLocalDate(days[i - 1]!) && days[i]! <= days[i - 1]!)
      issues.add(`phaseStarts.${phase}`, `must come after phaseStarts.${PHASE_ORDER[i - 1]}`);
  });
  const subjects = new Set<string>();
  input.panel.forEach((member, i) => {
    issues.check(!subjects.has(member.subject), `panel.${i}.subject`, "is listed twice");
    subjects.add(member.subject);
  });
  issues.check(input.rubric.length > 0, "rubric", "needs at least one criterion");
  const keys = new Set<string>();
  input.rubric.forEach((criterion, i) => {
    issues.check(CRITERION_KEY.test(criterion.key), `rubric.${i}.key`, "must be snake_case, 2-40 characters");
    issues.check(!keys.has(criterion.key), `rubric.${i}.key`, "is used twice");
    issues.check(
      Number.isInteger(criterion.weight) && criterion.weight > 0,
      `rubric.${i}.weight`,
      "must be a positive integer",
    );
    keys.add(criterion.key);
  });
  issues.throwIfAny("The call is not valid");
}

export function createCall(input: CallInput, id: string, by: Actor, now: Date): Call {
  validateCall(input, true);
  return { ...input, id, createdAt: now, createdBy: by.subject, updatedAt: now, version: 1 };
}

/** Dates, panel and texts can change while the call runs; the rubric only until evaluation begins. */
export function updateCall(call: Call, input: CallChanges, now: Date): Call {
  validateCall(input, false);
  const rubricChanged = JSON.stringify(input.rubric) !== JSON.stringify(call.rubric);
  const phase = currentPhase(call, now);
  if (rubricChanged && phase !== "upcoming" && phase !== "submission") {
    throw new InvalidStateError("call", phase, "change the rubric of", {
      because: `it is in its ${phase} phase (the rubric is fixed once evaluation begins)`,
    });
  }
  if (input.model !== call.model)
    throw new InvalidStateError("call", phase, "change the model of", {
      reason: "model_fixed",
      because: `it is a ${call.model} call and a call keeps its model; create a new call instead`,
    });
  if (input.site !== undefined && input.site !== call.site)
    throw new InvalidStateError("call", phase, "change the site of", {
      reason: "site_fixed",
      because: `it is run by ${call.site} and its ideas belong there; create a new call at ${input.site} instead`,
    });
  return { ...call, ...input, site: call.site, updatedAt: now };
}

export function phaseStartInstant(call: Pick<Call, "phaseStarts">, phase: keyof PhaseStarts): Date {
  return startOfRomeDay(call.phaseStarts[phase]);
}

export function currentPhase(call: Pick<Call, "phaseStarts">, now: Date): CallPhase {
  let phase: CallPhase = "upcoming";
  for (const next of PHASE_ORDER) {
    if (now.getTime() >= phaseStartInstant(call, next).getTime()) phase = next;
  }
  return phase;
}

/**
 * Which phase starts have come and which not for a call to be in `phase` on a day: its own start on or
 * before the day (`begun`), the next one after it (`notBegun`). The same as currentPhase, since a phase
 * starts at 00:00 in Rome on its day; a list filters on the stored days with it.
 */
export function phaseBounds(phase: CallPhase): { begun?: keyof PhaseStarts; notBegun?: keyof PhaseStarts } {
  if (phase === "upcoming") return { notBegun: PHASE_ORDER[0] };
  const at = PHASE_ORDER.indexOf(phase);
  const next = PHASE_ORDER[at + 1];
  return { begun: phase, ...(next ? { notBegun: next } : {}) };
}

export function panelMember(call: Call, subject: string): PanelMember | undefined {
  return call.panel.find((member) => member.subject === subject);
}

/** Organisations whose people evaluate this call: they may not adopt its ideas (conflict of interest). */
export function panelOrganisations(call: Call): string[] {
  return [...new Set(call.panel.map((member) => member.organisationId))];
}

export type Scores = Record<string, number>;

/** Every criterion scored with an integer from 1 to 5, and nothing else. */
export function validateScores(rubric: Criterion[], scores: Scores): void {
  const issues = new Issues();
  for (const criterion of rubric) {
    const score = scores[criterion.key];
    if (score === undefined) issues.add(`scores.${criterion.key}`, "is missing");
    else
      issues.check(
        Number.isInteger(score) && score >= MIN_SCORE && score <= MAX_SCORE,
        `scores.${criterion.key}`,
        `must be an integer from ${MIN_SCORE} to ${MAX_SCORE}`,
      );
  }
  for (const key of Object.keys(scores)) {
    issues.check(
      rubric.some((criterion) => criterion.key === key),
      `scores.${key}`,
      "is not a criterion of this call",
    );
  }
  issues.throwIfAny("The scores do not match the call's rubric");
}

/** Weighted mean of the scores, on the same 1-5 scale, rounded to two decimals. */
export function weightedScore(rubric: Criterion[], scores: Scores): number {
  const totalWeight = rubric.reduce((sum, criterion) => sum + criterion.weight, 0);
  const weighted = rubric.reduce(
    (sum, criterion) => sum + criterion.weight * (scores[criterion.key] ?? 0),
    0,
  );
  return Math.round((weighted / totalWeight) * 100) / 100;
}
