// Competence frameworks are data (data/*.json), identified by id and version, so a new edition is loaded
// beside the old one and nothing already mapped to the old one moves. This module only reads them.
import { Issues } from "@lto/errors";

export interface Text {
  it: string;
  en: string;
}

export type FrameworkKind = "digcomp" | "syllabus" | "qrsp";

export interface Competence {
  /** "1.1" ... "5.4" in DigComp; stable within a framework version. */
  code: string;
  /** The code of its area. */
  area: string;
  name: Text;
}

/** A proficiency level: `rank` orders the levels (a prerequisite "at least 3" means rank >= 3). */
export interface Level {
  rank: number;
  code: string;
  name: Text;
  group: string;
}

export interface Framework {
  id: string;
  version: string;
  kind: FrameworkKind;
  name: Text;
  source: string;
  /** What is simplified or still to be checked in the data, when something is. */
  note?: string;
  areas: { code: string; name: Text }[];
  competences: Competence[];
  levelGroups: { code: string; name: Text }[];
  levels: Level[];
}

/** A framework named with its version: every mapping and every credential says which one it used. */
export interface FrameworkRef {
  framework: string;
  version: string;
}

/** A competence at a level of one framework version (a course's target, a prerequisite, a credential). */
export interface CompetenceMapping extends FrameworkRef {
  competence: string;
  level: number;
}

/** The frameworks the service knows, looked up by id and version. */
export class FrameworkCatalogue {
  private readonly byKey = new Map<string, Framework>();

  constructor(readonly all: readonly Framework[]) {
    for (const framework of all) {
      const key = `${framework.id}@${framework.version}`;
      if (this.byKey.has(key)) throw new Error(`framework ${key} is loaded twice`);
      this.byKey.set(key, framework);
    }
  }

  find(id: string, version: string): Framework | undefined {
    return this.byKey.get(`${id}@${version}`);
  }

  /** The versions loaded for a framework id, in the order the data lists them. */
  versionsOf(id: string): string[] {
    return this.all.filter((f) => f.id === id).map((f) => f.version);
  }
}

/**
 * The problems of one mapping against the loaded frameworks, each under `path` (a field of the request):
 * an unknown framework or version, a competence it does not have, a level outside its scheme. Pure.
 */
export function mappingIssues(
  catalogue: FrameworkCatalogue,
  mapping: CompetenceMapping,
  path: string,
  issues: Issues = new Issues(),
  kinds?: readonly FrameworkKind[],
): Issues {
  const framework = catalogue.find(mapping.framework, mapping.version);
  if (!framework) {
    const versions = catalogue.versionsOf(mapping.framework);
    issues.add(
      versions.length ? `${path}.version` : `${path}.framework`,
      versions.length
        ? `${mapping.framework} has no version ${mapping.version}; loaded: ${versions.join(", ")}`
        : `is not a known framework: ${mapping.framework}; see GET /v1/frameworks`,
    );
    return issues;
  }
  if (kinds && !kinds.includes(framework.kind))
    issues.add(`${path}.framework`, `must be a ${kinds.join(" or ")} framework here`);
  if (!framework.competences.some((c) => c.code === mapping.competence))
    issues.add(
      `${path}.competence`,
      `is not a competence of ${framework.id} ${framework.version}: ${mapping.competence}`,
    );
  if (!framework.levels.some((l) => l.rank === mapping.level)) {
    const ranks = framework.levels.map((l) => l.rank);
    issues.add(
      `${path}.level`,
      `must be a level of ${framework.id} ${framework.version}, ${Math.min(...ranks)} to ${Math.max(...ranks)}`,
    );
  }
  return issues;
}

/** The problems of the framework data itself (the unit tests run it on every data file). */
export function frameworkIssues(framework: Framework): string[] {
  const problems: string[] = [];
  const areas = new Set(framework.areas.map((a) => a.code));
  const groups = new Set(framework.levelGroups.map((g) => g.code));
  const codes = new Set<string>();
  for (const c of framework.competences) {
    if (codes.has(c.code)) problems.push(`competence ${c.code} is listed twice`);
    codes.add(c.code);
    if (!areas.has(c.area)) problems.push(`competence ${c.code} names an unknown area ${c.area}`);
    if (!c.name.it || !c.name.en) problems.push(`competence ${c.code} needs an Italian and an English name`);
  }
  const ranks = framework.levels.map((l) => l.rank);
  if (ranks.some((r, i) => !Number.isInteger(r) || (i > 0 && r <= ranks[i - 1]!)))
    problems.push("levels must have increasing integer ranks");
  for (const l of framework.levels)
    if (!groups.has(l.group)) problems.push(`level ${l.code} names an unknown group ${l.group}`);
  return problems;
}
