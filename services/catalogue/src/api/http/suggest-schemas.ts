// Schemas of the suggestions and self-check routes (OpenAPI is generated from them).
import { singleLineText, z } from "@lto/http-kit";
import { NEARNESS } from "../../domain/index.js";

const text = z.object({ it: z.string(), en: z.string() });

export const teamIdParams = z.object({ teamId: singleLineText({ min: 1, max: 64 }) });

const suggestion = z.object({
  courseId: z.string(),
  titleIt: z.string(),
  titleEn: z.string().optional(),
  matched: z
    .array(z.object({ competence: z.string(), level: z.number().int(), technologies: z.array(z.string()) }))
    .meta({ description: "The course's DigComp targets that fit the idea's technologies" }),
  session: z
    .object({
      id: z.string(),
      site: z.string(),
      firstDay: z.string(),
      freeSeats: z.number().int(),
      nearness: z.enum(NEARNESS),
    })
    .optional()
    .meta({ description: "The nearest open session (then the earliest), when the course has one" }),
});

const teamSuggestions = z.object({
  teamId: z.string(),
  teamName: z.string(),
  schoolId: z.string(),
  ideaId: z.string(),
  ideaTitle: z.string(),
  area: z.string(),
  district: z.string(),
  technologies: z.array(z.string()),
  adoption: z.object({
    adoptionId: z.string(),
    companyId: z.string(),
    companyName: z.string(),
    at: z.iso.datetime(),
  }),
  students: z.array(suggestion).meta({ description: "Courses for the team's students, best first" }),
  referent: z.array(suggestion).meta({ description: "Courses for the teacher who follows the team" }),
});

export const teamSuggestionsResponse = z.object({
  teamId: z.string(),
  items: z.array(teamSuggestions),
  nextCursor: z.string().optional(),
});
export const mySuggestionsResponse = z.object({
  items: z.array(teamSuggestions),
  nextCursor: z.string().optional(),
});

export const questionnaireQuery = z.strictObject({
  framework: singleLineText({ min: 1, max: 64 }).meta({ description: 'Framework id, e.g. "digcomp"' }),
  version: singleLineText({ min: 1, max: 32 }).meta({ description: 'Framework version, e.g. "2.2"' }),
});

export const questionnaireResponse = z.object({
  framework: z.string(),
  version: z.string(),
  title: text,
  instructions: text,
  note: z.string(),
  scale: z.array(z.object({ value: z.number().int(), label: text })),
  competences: z.array(
    z.object({
      competence: z.string(),
      statements: z.array(z.object({ id: z.string(), text: text, levels: z.array(z.number().int()) })),
    }),
  ),
});

export const selfCheckBody = z.strictObject({
  framework: singleLineText({ min: 1, max: 64 }).meta({ description: 'Framework id, e.g. "digcomp"' }),
  version: singleLineText({ min: 1, max: 32 }).meta({ description: 'Framework version, e.g. "2.2"' }),
  answers: z
    .array(
      z.strictObject({
        competence: singleLineText({ min: 1, max: 32 }).meta({ description: 'Competence code, e.g. "3.4"' }),
        answers: z
          .array(z.number().int())
          .min(1)
          .max(10)
          .meta({ description: "One value of the questionnaire's scale per statement, in order" }),
      }),
    )
    .min(1)
    .max(21),
});

const nextCourse = z.object({
  courseId: z.string(),
  titleIt: z.string(),
  titleEn: z.string().optional(),
  audiences: z.array(z.string()),
  competence: z.string(),
  level: z.number().int(),
  hours: z.number(),
  mode: z.string(),
  sites: z.array(z.string()),
});

export const selfCheckResponse = z.object({
  id: z.string(),
  framework: z.string(),
  version: z.string(),
  at: z.iso.datetime(),
  results: z.array(
    z.object({
      competence: z.string(),
      level: z.number().int(),
      answers: z.array(z.number().int()),
      nextCourses: z
        .array(nextCourse)
        .meta({ description: "Published courses for learners that target the next level" }),
    }),
  ),
});

export const mySelfChecksResponse = z.object({
  items: z.array(selfCheckResponse).meta({ description: "Self-checks, newest first, a page at a time" }),
  nextCursor: z.string().optional(),
  placements: z.array(
    z.object({
      framework: z.string(),
      version: z.string(),
      competence: z.string(),
      level: z.number().int(),
      at: z.iso.datetime(),
      selfCheckId: z.string(),
    }),
  ),
});
