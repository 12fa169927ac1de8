// Request and response schemas of the REST API; the OpenAPI document is generated from them. Text is
// single- or multi-line text from the kit (no control characters); the domain checks the rest and
// names every bad field.
import { isLocalDate } from "@lto/civil-time";
import { multiLineText, singleLineText, z } from "@lto/http-kit";
import {
  AUDIENCES,
  COURSE_STATES,
  ECONOMIC_AREAS,
  MAX_CAPACITY,
  MAX_COURSE_HOURS,
  MAX_MEETINGS,
  MODES,
  SESSION_STATES,
  SITES,
} from "../../domain/index.js";

const id = singleLineText({ min: 1, max: 64 });
export const localDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD")
  .refine(isLocalDate, "must be a calendar date that exists");
const localTime = z.string().regex(/^\d{2}:\d{2}$/, "must be a time HH:MM (24 h, Europe/Rome)");
const site = z.enum(SITES);

export const courseIdParams = z.object({ courseId: id });
export const sessionIdParams = z.object({ sessionId: id });
export const meetingParams = z.object({ sessionId: id, meetingId: id });
export const frameworkParams = z.object({
  frameworkId: singleLineText({ min: 1, max: 64 }),
  version: singleLineText({ min: 1, max: 32 }),
});

const mapping = z.strictObject({
  framework: singleLineText({ min: 1, max: 64 }).meta({ description: 'Framework id, e.g. "digcomp"' }),
  version: singleLineText({ min: 1, max: 32 }).meta({ description: 'Framework version, e.g. "2.2"' }),
  competence: singleLineText({ min: 1, max: 32 }).meta({ description: 'Competence code, e.g. "3.4"' }),
  level: z.number().int().min(1).max(20).meta({ description: "Level rank in the version's scheme" }),
});

export const courseBody = z.strictObject({
  titleIt: singleLineText({ min: 3, max: 200 }),
  descriptionIt: multiLineText({ max: 6000 }).meta({ description: "At least 20 characters" }),
  titleEn: singleLineText({ min: 3, max: 200 }).optional(),
  descriptionEn: multiLineText({ max: 6000 }).optional(),
  audiences: z.array(z.enum(AUDIENCES)).min(1).max(AUDIENCES.length),
  areas: z.array(z.enum(ECONOMIC_AREAS)).min(1).max(ECONOMIC_AREAS.length),
  competences: z
    .array(mapping)
    .min(1)
    .max(21)
    .meta({ description: "DigComp competences and the level the course brings a learner to" }),
  secondFramework: z
    .array(mapping)
    .max(30)
    .default([])
    .meta({ description: "Optional mapping to the PA syllabus (teachers) or a QRSP (operator courses)" }),
  hours: z.number().positive().max(MAX_COURSE_HOURS),
  mode: z.enum(MODES),
  prerequisites: z
    .array(mapping)
    .max(10)
    .default([])
    .meta({ description: "Competences at a minimum level a learner must hold (credential or placement)" }),
  sites: z.array(site).min(1).max(SITES.length),
});

const booleanQuery = z.enum(["true", "false"]).transform((v) => v === "true");

/** Every list pages the same way: at most `limit` items, then `cursor` = the last page's `nextCursor`. */
export const pageFields = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(20)
    .meta({ description: "Items per page (1-100, default 20)" }),
  cursor: singleLineText({ min: 1, max: 200 })
    .optional()
    .meta({ description: "The nextCursor of the previous page; absent for the first page" }),
};
export const pageQuery = z.strictObject(pageFields);

export const courseListQuery = z.strictObject({
  audience: z.enum(AUDIENCES).optional(),
  area: z.enum(ECONOMIC_AREAS).optional(),
  competence: z
    .string()
    .regex(/^\d\.\d$/, 'must be a DigComp competence code such as "3.4"')
    .optional(),
  level: z.coerce.number().int().min(1).max(8).optional(),
  site: site.optional(),
  from: localDate
    .optional()
    .meta({ description: "Courses with a session whose first meeting is on or after this day" }),
  to: localDate
    .optional()
    .meta({ description: "Courses with a session whose first meeting is on or before this day" }),
  mode: z.enum(MODES).optional(),
  freeSeats: booleanQuery
    .optional()
    .meta({ description: "true: only courses with a session that has a free seat" }),
  state: z.enum(COURSE_STATES).optional().meta({
    description: "Default published; other states for staff, programme and a partner body (its own)",
  }),
  ...pageFields,
});

export const sessionListQuery = z.strictObject({
  site: site.optional(),
  ...pageFields,
});

export const siteSessionsQuery = z.strictObject({
  site,
  from: localDate.optional().meta({ description: "Sessions with a meeting on or after this day" }),
  to: localDate.optional().meta({ description: "Sessions with a meeting on or before this day" }),
  ...pageFields,
});

const meeting = z.strictObject({
  date: localDate,
  start: localTime,
  end: localTime,
  room: singleLineText({ min: 1, max: 120 }),
  trainer: singleLineText({ min: 2, max: 200 }),
  trainerId: singleLineText({ min: 1, max: 200 })
    .optional()
    .meta({ description: "The trainer's sign-in id: the meeting appears in their personal calendar" }),
});

export const meetingBody = meeting;

export const sessionBody = z.strictObject({
  courseId: id,
  site,
  meetings: z.array(meeting).min(1).max(MAX_MEETINGS),
  capacity: z.number().int().min(1).max(MAX_CAPACITY),
  enrolment: z.strictObject({ opensOn: localDate, closesOn: localDate }),
  completionRule: z
    .strictObject({
      minimumAttendanceShare: z.number().min(0).max(1).default(0.75),
      mandatoryMeetings: z
        .array(z.number().int().min(0))
        .max(MAX_MEETINGS)
        .default([])
        .meta({ description: "Places in meetings (0 = first) a learner must attend" }),
      finalAssessment: z.boolean().default(false),
    })
    .default({ minimumAttendanceShare: 0.75, mandatoryMeetings: [], finalAssessment: false }),
});

const reason = multiLineText({ min: 3, max: 2000, trim: true });
export const reasonBody = z.strictObject({ reason });

// Responses: the main fields, documented; views may add role-dependent ones.
const mappingResponse = z.object({
  framework: z.string(),
  version: z.string(),
  competence: z.string(),
  level: z.number().int(),
});

export const courseResponse = z.looseObject({
  id: z.string(),
  providerId: z.string(),
  titleIt: z.string(),
  descriptionIt: z.string(),
  titleEn: z.string().optional(),
  audiences: z.array(z.enum(AUDIENCES)),
  areas: z.array(z.enum(ECONOMIC_AREAS)),
  competences: z.array(mappingResponse),
  secondFramework: z.array(mappingResponse),
  prerequisites: z.array(mappingResponse),
  hours: z.number(),
  mode: z.enum(MODES),
  sites: z.array(site),
  state: z.enum(COURSE_STATES),
  publishedAt: z.iso.datetime().optional(),
  version: z.number().int(),
});

const meetingResponse = z.looseObject({
  id: z.string(),
  date: z.string(),
  start: z.string(),
  end: z.string(),
  zone: z.literal("Europe/Rome"),
  startsAt: z.iso.datetime(),
  endsAt: z.iso.datetime(),
  minutes: z.number().int(),
  room: z.string(),
  trainer: z.string(),
  trainerId: z.string().optional(),
  sequence: z.number().int(),
  cancelled: z.boolean(),
});

export const sessionResponse = z.looseObject({
  id: z.string(),
  courseId: z.string(),
  site,
  meetings: z.array(meetingResponse),
  capacity: z.number().int(),
  freeSeats: z.number().int(),
  enrolment: z.object({ opensOn: z.string(), closesOn: z.string() }),
  completionRule: z.object({
    minimumAttendanceShare: z.number(),
    mandatoryMeetings: z.array(z.string()),
    finalAssessment: z.boolean(),
  }),
  state: z.enum(SESSION_STATES),
  hours: z.number(),
  firstDay: z.string(),
  lastDay: z.string(),
  version: z.number().int(),
});

const text = z.object({ it: z.string(), en: z.string() });

export const frameworkSummary = z.looseObject({
  id: z.string(),
  version: z.string(),
  kind: z.enum(["digcomp", "syllabus", "qrsp"]),
  name: text,
  source: z.string(),
  competences: z.number().int(),
  levels: z.number().int(),
});

export const frameworkResponse = z.looseObject({
  id: z.string(),
  version: z.string(),
  kind: z.enum(["digcomp", "syllabus", "qrsp"]),
  name: text,
  areas: z.array(z.object({ code: z.string(), name: text })),
  competences: z.array(z.object({ code: z.string(), area: z.string(), name: text })),
  levelGroups: z.array(z.object({ code: z.string(), name: text })),
  levels: z.array(z.object({ rank: z.number().int(), code: z.string(), name: text, group: z.string() })),
});
