// The DigComp self-check: a learner answers the questionnaire for one or more competences, gets a level
// per competence and the published courses that bring them to the next level; the result becomes their
// placement in each competence (the `placements` collection), which enrolment prerequisites accept.
import { NotFoundError } from "@lto/errors";
import {
  findQuestionnaire,
  frameworks,
  scoreSelfCheck,
  type Audience,
  type CompetenceAnswers,
  type Course,
} from "../domain/index.js";
import { requireRole, type Viewer } from "./access.js";
import type { PageRequest, Ports, SelfCheckRecord } from "./ports.js";

/** A learner is a young person or an adult acting for themselves: courses for either audience. */
export const LEARNER_AUDIENCES: readonly Audience[] = ["young_people", "adults"];
const NEXT_COURSES = 10;

export interface SelfCheckInput {
  framework: string;
  version: string;
  answers: CompetenceAnswers[];
}

function nextCourseView(course: Course, competence: string, level: number) {
  return {
    courseId: course.id,
    titleIt: course.titleIt,
    ...(course.titleEn ? { titleEn: course.titleEn } : {}),
    audiences: course.audiences,
    competence,
    level,
    hours: course.hours,
    mode: course.mode,
    sites: course.sites,
  };
}

export function selfCheckUseCases({ selfChecks, suggestionCatalogue, clock, ids }: Ports) {
  function questionnaire(framework: string, version: string) {
    const found = findQuestionnaire(framework, version);
    if (!found) throw new NotFoundError("self-check questionnaire", `${framework} ${version}`);
    return found;
  }

  /** Published courses for learners that target the next level of each competence. */
  async function nextCourses(framework: string, version: string, competence: string, level: number) {
    const scheme = frameworks.find(framework, version)?.levels.map((l) => l.rank) ?? [];
    const next = level + 1;
    if (!scheme.includes(next)) return [];
    const courses = await suggestionCatalogue.publishedTargeting(competence, next, LEARNER_AUDIENCES);
    return courses
      .filter((c) =>
        c.competences.some(
          (m) =>
            m.framework === framework &&
            m.version === version &&
            m.competence === competence &&
            m.level === next,
        ),
      )
      .slice(0, NEXT_COURSES)
      .map((c) => nextCourseView(c, competence, next));
  }

  async function view(check: SelfCheckRecord) {
    return {
      id: check.id,
      framework: check.framework,
      version: check.frameworkVersion,
      at: check.at,
      results: await Promise.all(
        check.results.map(async (r) => ({
          competence: r.competence,
          level: r.level,
          answers: r.answers,
          nextCourses: await nextCourses(check.framework, check.frameworkVersion, r.competence, r.level),
        })),
      ),
    };
  }

  return {
    /** The questionnaire of a framework version: public. */
    questionnaire,

    async submit(viewer: Viewer, input: SelfCheckInput) {
      const me = requireRole(viewer, "learner");
      const q = questionnaire(input.framework, input.version);
      const levels = scoreSelfCheck(q, input.answers);
      const at = clock.now();
      const check: SelfCheckRecord = {
        id: ids.newId(),
        personId: me.subject,
        framework: q.framework,
        frameworkVersion: q.version,
        at,
        results: levels.map((l, i) => ({ ...l, answers: input.answers[i]!.answers })),
        version: 1,
      };
      await selfChecks.record(
        check,
        levels.map((l) => ({
          personId: me.subject,
          framework: q.framework,
          frameworkVersion: q.version,
          competence: l.competence,
          level: l.level,
          at,
          selfCheckId: check.id,
        })),
      );
      return view(check);
    },

    /** The learner's self-checks (newest first) and current placements. */
    async mine(viewer: Viewer, page: PageRequest) {
      const me = requireRole(viewer, "learner");
      const [checks, placements] = await Promise.all([
        selfChecks.listFor(me.subject, page),
        selfChecks.placementsOf(me.subject),
      ]);
      return {
        items: await Promise.all(checks.items.map(view)),
        ...(checks.nextCursor ? { nextCursor: checks.nextCursor } : {}),
        placements: placements.map(({ framework, frameworkVersion, competence, level, at, selfCheckId }) => ({
          framework,
          version: frameworkVersion,
          competence,
          level,
          at,
          selfCheckId,
        })),
      };
    },
  };
}
