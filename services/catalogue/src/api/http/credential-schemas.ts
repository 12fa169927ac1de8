// Schemas of the attendance, completion, credential and passport routes.
import { multiLineText, singleLineText, z } from "@lto/http-kit";
import { ATTENDANCE_STATUSES, MAX_MARKS, OUTCOMES, SITES } from "../../domain/index.js";
import { pageFields } from "./schemas.js";

const id = singleLineText({ min: 1, max: 64 });
const personId = singleLineText({ min: 1, max: 128 });

export const credentialIdParams = z.object({ credentialId: id });
export const statusListParams = z.object({
  listId: z.string().regex(/^[1-9][0-9]{0,5}$/, "must be a list number"),
});
export const personParams = z.object({ personId });

export const attendanceBody = z.strictObject({
  marks: z
    .array(
      z.strictObject({
        personId,
        status: z.enum(ATTENDANCE_STATUSES),
        lateMinutes: z.number().int().min(1).max(1440).optional().meta({
          description: "Only when late: the minutes missed (they count as time not attended)",
        }),
      }),
    )
    .min(1)
    .max(MAX_MARKS),
});

const mark = z.object({
  personId: z.string(),
  status: z.enum(ATTENDANCE_STATUSES),
  lateMinutes: z.number().int().optional(),
});

export const attendanceResponse = z.looseObject({
  sessionId: z.string(),
  meetingId: z.string(),
  current: z.array(mark),
  history: z.array(
    z.looseObject({
      personId: z.string(),
      status: z.enum(ATTENDANCE_STATUSES),
      at: z.string(),
      by: z.string(),
      correction: z.boolean(),
    }),
  ),
  version: z.number().int(),
});

export const completionBody = z.strictObject({
  assessments: z
    .array(z.strictObject({ personId, result: z.enum(["passed", "failed"]) }))
    .max(MAX_MARKS)
    .default([])
    .meta({ description: "The final assessment's result of every learner, when the session has one" }),
});

export const completionResponse = z.looseObject({
  sessionId: z.string(),
  state: z.literal("completed"),
  completedAt: z.string(),
  outcomes: z.array(
    z.looseObject({
      personId: z.string(),
      enrolmentId: z.string(),
      outcome: z.enum(OUTCOMES),
      attendedMinutes: z.number(),
      totalMinutes: z.number(),
      reasons: z.array(z.string()),
      credentialId: z.string().optional(),
    }),
  ),
});

export const issuerResponse = z.looseObject({ id: z.string(), type: z.array(z.string()), name: z.string() });
export const jwksResponse = z.object({ keys: z.array(z.looseObject({ kty: z.string(), kid: z.string() })) });
export const signedToken = z.string().meta({ description: "A compact VC-JWT (application/vc+jwt)" });

export const verifyBody = z.strictObject({
  credential: z.string().min(1).max(100_000).meta({ description: "The credential as a compact VC-JWT" }),
});
export const verifyResponse = z.object({
  verdict: z.enum(["valid", "revoked", "tampered", "invalid"]),
  reason: z.string(),
});

const competence = z.object({
  framework: z.string(),
  version: z.string(),
  competence: z.string(),
  level: z.number().int(),
});

export const credentialResponse = z.looseObject({
  id: z.string(),
  personId: z.string(),
  courseId: z.string(),
  sessionId: z.string(),
  site: z.enum(SITES),
  courseTitle: z.string(),
  hours: z.number(),
  competences: z.array(competence),
  issuedAt: z.string(),
  revoked: z.boolean(),
});

export const attestatoQuery = z.strictObject({
  learnerName: singleLineText({ min: 2, max: 200, trim: true })
    .optional()
    .meta({ description: "Your name, printed on the attestato only when you ask" }),
});

export const revocationBody = z.strictObject({ reason: multiLineText({ min: 3, max: 2000, trim: true }) });

export const passportResponse = z.object({
  personId: z.string(),
  items: z.array(
    z.object({
      credentialId: z.string(),
      courseTitle: z.string(),
      site: z.string(),
      issuedAt: z.string(),
      competences: z.array(
        z.object({
          framework: z.string(),
          frameworkVersion: z.string(),
          competence: z.string(),
          level: z.number().int(),
        }),
      ),
    }),
  ),
  nextCursor: z.string().optional(),
});

export const passportReadQuery = z.strictObject({
  reason: singleLineText({ min: 3, max: 500, trim: true }).meta({
    description: "Why you read this person's passport (logged)",
  }),
  ...pageFields,
});

export const erasureResponse = z.object({
  personId: z.string(),
  erased: z.boolean(),
  credentials: z.number().int(),
});
