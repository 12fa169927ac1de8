// Course suggestions for a team whose idea a company adopted: published courses of the idea's economic
// area whose DigComp competences fit the idea's technologies, sessions near the school's district first.
// Which competences fit which technology, and which districts are near, is data
// (data/suggestion-rules.json), so the LTO corrects it without touching this code. Pure.
import { DISTRICTS, TECHNOLOGIES, type District } from "@lto/reference";
import rules from "./data/suggestion-rules.json" with { type: "json" };
import type { Audience, Course } from "./course.js";

export interface SuggestionRules {
  /** A technology slug -> the DigComp competence codes a course should target for it. */
  technologies: Record<string, string[]>;
  /** A district -> the districts that border it. */
  districtNeighbours: Record<string, string[]>;
}

export const SUGGESTION_RULES: SuggestionRules = rules;

/** How far a session's site is from the school: same district, a bordering one, or further. */
export const NEARNESS = ["same_district", "neighbouring_district", "elsewhere"] as const;
export type Nearness = (typeof NEARNESS)[number];

/** What the suggestions need to know of an adopted idea (from the ideas and adoption events). */
export interface IdeaForSuggestions {
  area: string;
  technologies: string[];
  district: string;
}

/** An open session of a course, where and when it starts. */
export interface OpenSession {
  id: string;
  courseId: string;
  site: string;
  /** The first meeting's civil date (Europe/Rome). */
  firstDay: string;
  freeSeats: number;
}

export interface Suggestion {
  courseId: string;
  titleIt: string;
  titleEn?: string;
  /** The course's DigComp targets that fit the idea's technologies. */
  matched: { competence: string; level: number; technologies: string[] }[];
  /** The nearest open session (then the earliest), if the course has one. */
  session?: { id: string; site: string; firstDay: string; freeSeats: number; nearness: Nearness };
}

/** The DigComp competence codes that fit `technologies` (each with the technologies that led to it). */
export function competencesFor(
  technologies: readonly string[],
  r: SuggestionRules = SUGGESTION_RULES,
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const technology of technologies)
    for (const code of r.technologies[technology] ?? [])
      out.set(code, [...(out.get(code) ?? []), technology]);
  return out;
}

/** The district of an LTO site (`lto-<district>`), if it is one. */
export function districtOfSite(site: string): District | undefined {
  const district = site.startsWith("lto-") ? site.slice(4) : "";
  return (DISTRICTS as readonly string[]).includes(district) ? (district as District) : undefined;
}

export function nearness(
  site: string,
  schoolDistrict: string,
  r: SuggestionRules = SUGGESTION_RULES,
): Nearness {
  const district = districtOfSite(site);
  if (district === undefined) return "elsewhere";
  if (district === schoolDistrict) return "same_district";
  return r.districtNeighbours[schoolDistrict]?.includes(district) ? "neighbouring_district" : "elsewhere";
}

/**
 * The suggestions for one audience, ranked: a course qualifies when it is published, for `audience`,
 * of the idea's area, and (when the idea names a technology the rules know) targets at least one
 * competence that fits them. Order: a session in the school's district, then in a bordering one, then
 * elsewhere, then none; then more fitting competences; then the lower target level (the easier start);
 * then the newer course. At most `limit`.
 */
export function rankSuggestions(
  idea: IdeaForSuggestions,
  audience: Audience,
  courses: readonly Course[],
  sessions: readonly OpenSession[],
  limit = 20,
  r: SuggestionRules = SUGGESTION_RULES,
): Suggestion[] {
  const fitting = competencesFor(idea.technologies, r);
  const ranked = courses
    .filter(
      (c) =>
        c.state === "published" && c.audiences.includes(audience) && c.areas.includes(idea.area as never),
    )
    .map((course) => {
      const matched = course.competences
        .filter((m) => m.framework === "digcomp" && fitting.has(m.competence))
        .map((m) => ({ competence: m.competence, level: m.level, technologies: fitting.get(m.competence)! }));
      const session = sessions
        .filter((s) => s.courseId === course.id)
        .map((s) => ({ ...s, nearness: nearness(s.site, idea.district, r) }))
        .sort((a, b) => rank(a.nearness) - rank(b.nearness) || a.firstDay.localeCompare(b.firstDay))[0];
      return { course, matched, session };
    })
    .filter((s) => fitting.size === 0 || s.matched.length > 0)
    .sort(
      (a, b) =>
        (a.session ? rank(a.session.nearness) : NEARNESS.length) -
          (b.session ? rank(b.session.nearness) : NEARNESS.length) ||
        b.matched.length - a.matched.length ||
        lowestLevel(a.course) - lowestLevel(b.course) ||
        (a.course.id < b.course.id ? 1 : a.course.id > b.course.id ? -1 : 0),
    );
  return ranked.slice(0, limit).map(({ course, matched, session }) => ({
    courseId: course.id,
    titleIt: course.titleIt,
    ...(course.titleEn ? { titleEn: course.titleEn } : {}),
    matched,
    ...(session
      ? {
          session: {
            id: session.id,
            site: session.site,
            firstDay: session.firstDay,
            freeSeats: session.freeSeats,
            nearness: session.nearness,
          },
        }
      : {}),
  }));
}

function rank(n: Nearness): number {
  return NEARNESS.indexOf(n);
}

function lowestLevel(course: Course): number {
  return Math.min(...course.competences.map((c) => c.level));
}

/** The rules' own problems (the unit tests run it): every technology mapped to known codes, districts known. */
export function suggestionRuleIssues(r: SuggestionRules, competenceCodes: readonly string[]): string[] {
  const problems: string[] = [];
  for (const technology of TECHNOLOGIES)
    if (!r.technologies[technology]?.length) problems.push(`technology ${technology} has no competence`);
  for (const [technology, codes] of Object.entries(r.technologies)) {
    if (!(TECHNOLOGIES as readonly string[]).includes(technology))
      problems.push(`${technology} is not a technology of @lto/reference`);
    for (const code of codes)
      if (!competenceCodes.includes(code))
        problems.push(`${technology}: ${code} is not a DigComp competence`);
  }
  for (const district of DISTRICTS)
    for (const other of r.districtNeighbours[district] ?? [])
      if (!r.districtNeighbours[other]?.includes(district))
        problems.push(`${district} borders ${other} but not the other way round`);
  return problems;
}
