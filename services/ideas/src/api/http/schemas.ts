// Request and response schemas of the REST API; the OpenAPI document is generated from them.
// Every text field is single- or multi-line text from the kit (no control characters, valid Unicode),
// with the same minimum lengths as the domain rules.
import { multiLineText, singleLine, singleLineText, z } from "@lto/http-kit";
import {
  CALL_PHASES,
  DEFAULT_RUBRIC,
  DISTRICTS,
  ECONOMIC_AREAS,
  IDEA_STATES,
  NEEDS,
  SITES,
  TECHNOLOGIES,
} from "../../domain/index.js";

const id = singleLineText({ min: 1, max: 64 });
const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD");
const schoolYear = z.string().regex(/^\d{4}\/\d{2}$/, 'must look like "2026/27"');

export const callIdParams = z.object({ callId: id });
export const teamIdParams = z.object({ teamId: id });
export const memberParams = z.object({ teamId: id, memberId: id });
export const ideaIdParams = z.object({ ideaId: id });

const site = z.enum(SITES);

export const callBody = z.strictObject({
  site: site.optional().meta({
    description:
      "The site that runs the call; its staff review and publish the call's ideas. Staff of one site may leave it out " +
      "(the call is theirs); admins and staff of several sites name it. A call keeps its site: on update, omit it or send the same.",
  }),
  title: singleLineText({ min: 3, max: 200 }),
  description: multiLineText({ max: 4000 }).default(""),
  model: z.enum(["open", "challenge"]),
  schoolYear,
  sponsor: z.strictObject({ companyId: id, name: singleLineText({ min: 1, max: 200 }) }).optional(),
  phaseStarts: z.strictObject({
    submission: localDate,
    evaluation: localDate,
    adoption: localDate,
    closed: localDate,
  }),
  panel: z
    .array(
      z.strictObject({
        subject: singleLineText({ min: 1, max: 200 }),
        organisationId: id,
        kind: z.enum(["staff", "company"]),
        name: singleLineText({ min: 1, max: 200 }).optional(),
      }),
    )
    .max(50)
    .default([]),
  rubric: z
    .array(
      z.strictObject({
        key: singleLineText({ min: 2, max: 40 }),
        label: singleLineText({ min: 1, max: 200 }),
        weight: z.number().int().min(1).max(100),
      }),
    )
    .min(1)
    .max(20)
    .default(DEFAULT_RUBRIC),
});

const member = z.strictObject({
  id: id.optional(),
  pseudonym: singleLineText({ min: 2, max: 40 }),
  minor: z.boolean(),
  parentalConsentOn: localDate
    .nullable()
    .optional()
    .meta({
      description:
        "The day a minor's parental consent was given. Omitted: an existing member keeps the consent already " +
        "recorded. null: the consent is withdrawn (refused while the team's idea is published or adopted).",
    }),
});

export const teamBody = z.strictObject({
  name: singleLineText({ min: 2, max: 100 }),
  schoolName: singleLineText({ min: 2, max: 200 }),
  className: singleLineText({ min: 1, max: 10 }),
  schoolYear,
  referentTeacher: singleLineText({ min: 2, max: 200 }),
  members: z.array(member).min(1).max(12),
});

export const consentBody = z.strictObject({ parentalConsentOn: localDate });

export const pageQueryFields = {
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: singleLineText({ min: 1, max: 200 }).optional(),
};

export const callListQuery = z.strictObject({
  schoolYear: schoolYear.optional(),
  phase: z.enum(CALL_PHASES).optional(),
  ...pageQueryFields,
});

export const teamListQuery = z.strictObject({ schoolYear: schoolYear.optional(), ...pageQueryFields });

const attachment = z.strictObject({
  title: singleLineText({ min: 1, max: 200 }),
  url: singleLine(z.url({ protocol: /^https?$/ }).max(2000)),
});

const content = {
  title: singleLineText({ min: 3, max: 120 }),
  // A draft may be short; submitting needs 20 characters of each (the domain's rule, documented here).
  summary: multiLineText({ max: 600 }).openapi({ description: "At least 20 characters to submit" }),
  problem: multiLineText({ max: 4000 }).openapi({ description: "At least 20 characters to submit" }),
  solution: multiLineText({ max: 4000 }).openapi({ description: "At least 20 characters to submit" }),
  area: z.enum(ECONOMIC_AREAS),
  technologies: z.array(z.enum(TECHNOLOGIES)).max(TECHNOLOGIES.length),
  district: z.enum(DISTRICTS),
  needs: z.array(z.enum(NEEDS)).max(NEEDS.length),
  attachments: z.array(attachment).max(10),
};

export const newIdeaBody = z.strictObject({
  callId: id,
  teamId: id,
  title: content.title,
  summary: content.summary.optional(),
  problem: content.problem.optional(),
  solution: content.solution.optional(),
  area: content.area.optional(),
  technologies: content.technologies.optional(),
  district: content.district.optional(),
  needs: content.needs.optional(),
  attachments: content.attachments.optional(),
});

export const ideaPatchBody = z
  .strictObject({
    title: content.title.optional(),
    summary: content.summary.optional(),
    problem: content.problem.optional(),
    solution: content.solution.optional(),
    area: content.area.optional(),
    technologies: content.technologies.optional(),
    district: content.district.optional(),
    needs: content.needs.optional(),
    attachments: content.attachments.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, "send at least one field to change");

export const ideaListQuery = z.strictObject({
  callId: id.optional(),
  site: site.optional(),
  state: z.enum(IDEA_STATES).optional(),
  area: z.enum(ECONOMIC_AREAS).optional(),
  district: z.enum(DISTRICTS).optional(),
  technology: z.enum(TECHNOLOGIES).optional(),
  need: z.enum(NEEDS).optional(),
  schoolId: id.optional(),
  teamId: id.optional(),
  q: singleLineText({ min: 2, max: 200 }).optional(),
  evaluator: z.literal("me").optional(),
  ...pageQueryFields,
});

const reason = multiLineText({ min: 3, max: 2000, trim: true });
export const reasonBody = z.strictObject({ reason });
export const answerBody = z.strictObject({ answer: reason });
export const decisionBody = z.strictObject({ answer: reason.optional() }).default({});
export const evaluatorsBody = z.strictObject({
  evaluators: z
    .array(singleLineText({ min: 1, max: 200 }))
    .min(1)
    .max(10),
});
export const scoresBody = z.strictObject({
  scores: z.record(singleLineText({ min: 1, max: 40 }), z.number().int().min(1).max(5)),
  notes: multiLineText({ max: 4000 }).optional(),
});

// Responses: the main fields, documented; the views may add role-dependent ones.
const historyEntry = z.object({
  at: z.iso.datetime(),
  by: z.string(),
  from: z.enum(IDEA_STATES).nullable(),
  to: z.enum(IDEA_STATES),
  reason: z.string().optional(),
});

export const callResponse = z.looseObject({
  id: z.string(),
  title: z.string(),
  model: z.enum(["open", "challenge"]),
  schoolYear: z.string(),
  site,
  phase: z.enum(CALL_PHASES),
  phaseStarts: callBody.shape.phaseStarts,
  rubric: callBody.shape.rubric,
  panelOrganisations: z.array(z.string()),
  version: z.number().int(),
});

export const teamResponse = z.looseObject({
  id: z.string(),
  schoolId: z.string(),
  name: z.string(),
  schoolName: z.string(),
  className: z.string(),
  schoolYear: z.string(),
  members: z.array(z.looseObject({ pseudonym: z.string() })),
});

export const ideaResponse = z.looseObject({
  id: z.string(),
  callId: z.string(),
  site: site.meta({ description: "The site of the idea's call; its staff review and publish it" }),
  schoolId: z.string(),
  teamId: z.string(),
  title: z.string(),
  summary: z.string(),
  state: z.enum(IDEA_STATES),
  area: z.enum(ECONOMIC_AREAS).optional(),
  district: z.enum(DISTRICTS).optional(),
  technologies: z.array(z.string()),
  needs: z.array(z.string()),
  history: z.array(historyEntry).optional(),
  version: z.number().int(),
});

export const exportResponse = z.looseObject({
  exportedAt: z.iso.datetime(),
  member: z.looseObject({ id: z.string(), pseudonym: z.string() }),
  team: z.looseObject({ id: z.string() }),
  ideas: z.array(z.looseObject({ id: z.string(), title: z.string() })),
  adoptions: z
    .array(
      z.looseObject({
        adoptionId: z.string(),
        ideaId: z.string(),
        companyId: z.string(),
        state: z.string(),
        records: z.array(z.looseObject({ id: z.string(), kind: z.string(), status: z.string() })),
        pctoHours: z.object({ mentoring: z.number(), internship: z.number(), total: z.number() }),
      }),
    )
    .meta({
      description:
        "What the adoption service holds about the student: adoptions of the team's ideas, the records naming them and their PCTO hours",
    }),
});
