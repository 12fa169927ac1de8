// A course is the catalogue entry: what it teaches (competences at a level of a named framework
// version), for whom, where, how long. LTO staff publish their courses; a partner body's course is
// submitted and reviewed by staff, who publish it or return it with a reason.
import { InvalidStateError, Issues } from "@lto/errors";
import { ECONOMIC_AREAS, isEconomicArea, isSite, SITES, type EconomicArea, type Site } from "@lto/reference";
import { LTO_PROVIDER, type Actor } from "./actor.js";
import { frameworks, mappingIssues, type CompetenceMapping } from "./frameworks/index.js";

export const AUDIENCES = ["students", "teachers", "young_people", "adults"] as const;
export type Audience = (typeof AUDIENCES)[number];
export const MODES = ["in_person", "online", "blended"] as const;
export type Mode = (typeof MODES)[number];
export const COURSE_STATES = ["draft", "submitted", "returned", "published", "archived"] as const;
export type CourseState = (typeof COURSE_STATES)[number];

/** At most this many hours for one course (a yearly ITS module is about 1,000). */
export const MAX_COURSE_HOURS = 1200;

export interface CourseInput {
  titleIt: string;
  descriptionIt: string;
  titleEn?: string;
  descriptionEn?: string;
  audiences: Audience[];
  areas: EconomicArea[];
  /** DigComp competences and the level the course brings a learner to. */
  competences: CompetenceMapping[];
  /** A mapping to a second framework (the PA syllabus for teachers, a QRSP for operator courses). */
  secondFramework: CompetenceMapping[];
  hours: number;
  mode: Mode;
  /** What a learner must hold to enrol: a competence at a minimum level of a framework version. */
  prerequisites: CompetenceMapping[];
  sites: Site[];
}

export interface CourseHistoryEntry {
  at: Date;
  by: string;
  from: CourseState | null;
  to: CourseState;
  reason?: string;
}

export interface Course extends CourseInput {
  id: string;
  /** "lto" or the partner body's organisation id. */
  providerId: string;
  state: CourseState;
  history: CourseHistoryEntry[];
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

function sameMapping(a: CompetenceMapping, b: CompetenceMapping): boolean {
  return a.framework === b.framework && a.version === b.version && a.competence === b.competence;
}

function checkMappings(
  issues: Issues,
  list: CompetenceMapping[],
  path: string,
  kinds: ("digcomp" | "syllabus" | "qrsp")[],
): void {
  list.forEach((mapping, i) => {
    mappingIssues(frameworks, mapping, `${path}.${i}`, issues, kinds);
    if (list.findIndex((other) => sameMapping(other, mapping)) < i)
      issues.add(`${path}.${i}.competence`, "is listed twice");
  });
}

/** Every broken rule of a course's content, each under its field. */
export function validateCourse(input: CourseInput): void {
  const issues = new Issues();
  issues.check(input.titleIt.trim().length >= 3, "titleIt", "must have at least 3 characters");
  issues.check(input.descriptionIt.trim().length >= 20, "descriptionIt", "must have at least 20 characters");
  if (input.titleEn !== undefined)
    issues.check(
      input.titleEn.trim().length >= 3,
      "titleEn",
      "must have at least 3 characters (or be left out)",
    );
  if (input.descriptionEn !== undefined && input.titleEn === undefined)
    issues.add("titleEn", "an English description needs an English title");
  issues.check(input.audiences.length > 0, "audiences", `name at least one of ${AUDIENCES.join(", ")}`);
  issues.check(new Set(input.audiences).size === input.audiences.length, "audiences", "lists one twice");
  issues.check(input.areas.length > 0, "areas", `name at least one of ${ECONOMIC_AREAS.join(", ")}`);
  input.areas.forEach((area, i) =>
    issues.check(isEconomicArea(area), `areas.${i}`, "is not an economic area"),
  );
  issues.check(new Set(input.areas).size === input.areas.length, "areas", "lists one twice");
  issues.check(input.competences.length > 0, "competences", "name at least one DigComp competence and level");
  checkMappings(issues, input.competences, "competences", ["digcomp"]);
  checkMappings(issues, input.secondFramework, "secondFramework", ["syllabus", "qrsp"]);
  if (input.secondFramework.length > 0)
    issues.check(
      new Set(input.secondFramework.map((m) => `${m.framework}@${m.version}`)).size === 1,
      "secondFramework",
      "must name one framework version for all its mappings",
    );
  checkMappings(issues, input.prerequisites, "prerequisites", ["digcomp", "syllabus", "qrsp"]);
  issues.check(
    Number.isFinite(input.hours) && input.hours > 0 && input.hours <= MAX_COURSE_HOURS,
    "hours",
    `must be more than 0 and at most ${MAX_COURSE_HOURS}`,
  );
  issues.check(Number.isInteger(input.hours * 2), "hours", "must be whole or half hours");
  issues.check(input.sites.length > 0, "sites", `name at least one of ${SITES.join(", ")}`);
  input.sites.forEach((site, i) => issues.check(isSite(site), `sites.${i}`, "is not a site of the LTO"));
  issues.check(new Set(input.sites).size === input.sites.length, "sites", "lists one twice");
  issues.throwIfAny("The course is not valid");
}

export function createCourse(
  input: CourseInput,
  id: string,
  providerId: string,
  by: Actor,
  now: Date,
): Course {
  validateCourse(input);
  return {
    ...input,
    id,
    providerId,
    state: "draft",
    history: [{ at: now, by: by.subject, from: null, to: "draft" }],
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}

export function isPartnerCourse(course: Pick<Course, "providerId">): boolean {
  return course.providerId !== LTO_PROVIDER;
}

function move(course: Course, to: CourseState, by: Actor, now: Date, reason?: string): Course {
  return {
    ...course,
    state: to,
    updatedAt: now,
    history: [
      ...course.history,
      { at: now, by: by.subject, from: course.state, to, ...(reason === undefined ? {} : { reason }) },
    ],
  };
}

function refuse(course: Course, attempted: string, because?: string): never {
  throw new InvalidStateError("course", course.state, attempted, because ? { because } : {});
}

/** Content changes while a draft or returned; a published course only by staff (it is published again). */
export function editCourse(course: Course, input: CourseInput, now: Date): Course {
  if (!["draft", "returned", "published"].includes(course.state)) refuse(course, "edit");
  validateCourse(input);
  return { ...course, ...input, updatedAt: now };
}

/** A partner body sends its draft (or returned) course to LTO staff for review. */
export function submitCourse(course: Course, by: Actor, now: Date): Course {
  if (!isPartnerCourse(course)) refuse(course, "submit", "it is an LTO course: staff publish it directly");
  if (course.state !== "draft" && course.state !== "returned") refuse(course, "submit");
  return move(course, "submitted", by, now);
}

/** Staff publish an LTO draft, or a partner's submitted course after review. */
export function publishCourse(course: Course, by: Actor, now: Date): Course {
  const from: CourseState[] = isPartnerCourse(course) ? ["submitted"] : ["draft", "returned"];
  if (!from.includes(course.state))
    refuse(
      course,
      "publish",
      isPartnerCourse(course) && (course.state === "draft" || course.state === "returned")
        ? `it is ${course.state}: the partner body submits it for review first`
        : undefined,
    );
  return move(course, "published", by, now);
}

/** Staff send a submitted partner course back, saying what to change. */
export function returnCourse(course: Course, reason: string, by: Actor, now: Date): Course {
  if (course.state !== "submitted") refuse(course, "return");
  return move(course, "returned", by, now, reason);
}

export function archiveCourse(course: Course, by: Actor, now: Date): Course {
  if (course.state !== "published") refuse(course, "archive");
  return move(course, "archived", by, now);
}

export function publishedAt(course: Course): Date | undefined {
  return course.history.findLast((entry) => entry.to === "published")?.at;
}

/** The DigComp levels the course targets (its filterable "level"). */
export function targetLevels(course: Pick<Course, "competences">): number[] {
  return [...new Set(course.competences.map((c) => c.level))];
}
