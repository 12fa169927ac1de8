// Request and response schemas of the enrolment endpoints.
import { isLocalDate } from "@lto/civil-time";
import { singleLineText, z } from "@lto/http-kit";
import { ENROLMENT_STATUSES } from "../../domain/index.js";

const id = singleLineText({ min: 1, max: 64 });

export const enrolmentIdParams = z.object({ enrolmentId: id });

export const enrolBody = z.strictObject({
  personId: singleLineText({ min: 2, max: 64 })
    .regex(/^[A-Za-z0-9._@:-]+$/, "letters, digits and . _ @ : - only")
    .optional()
    .meta({
      description: "Staff: the person to enrol (their subject). Learners and teachers enrol themselves.",
    }),
  student: z
    .strictObject({
      pseudonym: singleLineText({ min: 2, max: 40 }).regex(
        /^[A-Za-z0-9._-]+$/,
        "letters, digits and . _ - only (the school keeps the real name)",
      ),
      minor: z.boolean(),
      parentalConsentOn: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD")
        .refine(isLocalDate, "must be a calendar date that exists")
        .optional(),
    })
    .optional()
    .meta({
      description:
        "A school referent: the student by the school's pseudonym, with the parents' consent for a minor",
    }),
  overrideReason: singleLineText({ min: 5, max: 500 })
    .optional()
    .meta({ description: "Staff of the site: why missing prerequisites are waived (kept in the history)" }),
});

export const withdrawalBody = z.strictObject({ reason: singleLineText({ min: 1, max: 500 }).optional() });
export const moveBody = z.strictObject({ targetSessionId: id });

const historyEntry = z.looseObject({ at: z.string(), by: z.string(), what: z.string() });

export const enrolmentResponse = z.looseObject({
  id: z.string(),
  sessionId: z.string(),
  courseId: z.string(),
  site: z.string(),
  personId: z.string(),
  enrolledBy: z.string(),
  audience: z.enum(["self", "student", "on_behalf"]),
  status: z.enum(ENROLMENT_STATUSES),
  seat: z.number().int().optional(),
  position: z.number().int().optional().meta({ description: "Waiting: place in line, 1 = next" }),
  offerExpiresAt: z.string().optional(),
  history: z.array(historyEntry),
  version: z.number().int(),
});

export const sessionEnrolmentsResponse = z.looseObject({
  capacity: z.number().int(),
  seatsTaken: z.number().int(),
  items: z.array(enrolmentResponse),
  nextCursor: z.string().optional(),
});
