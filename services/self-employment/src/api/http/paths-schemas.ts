// Request and response schemas of the path routes; the domain checks the rest (hours against the
// service's limits, the order, the caps, who confirms) and names every bad field.
import { multiLineText, singleLineText, z } from "@lto/http-kit";
import {
  MAX_NOTE,
  MAX_REASON,
  OUTCOME_CODES,
  REPORT_DIMENSIONS,
  SERVICE_TYPE_CODES,
} from "../../domain/index.js";

const id = singleLineText({ min: 1, max: 64 });
const instant = z.iso
  .datetime({ offset: true })
  .transform((s) => new Date(s))
  .meta({ description: "An instant, ISO 8601 with its offset (e.g. 2026-03-30T10:00:00+02:00)" });
const reason = singleLineText({ min: 1, max: MAX_REASON });
const serviceCode = z.enum(SERVICE_TYPE_CODES as [string, ...string[]]);
const outcome = z.enum(OUTCOME_CODES);
const funder = singleLineText({ min: 1, max: 64 }).meta({
  description: 'The programme or measure paying for the services, e.g. "dote_unica_lavoro", "lto_diffuso"',
});
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "must be a month YYYY-MM");

export const pathParams = z.object({ pathId: id });
export const personPathParams = z.object({ personId: id });
export const ideaPathParams = z.object({ ideaId: id });
export const planParams = z.object({ pathId: id, serviceCode: id });
export const deliveryParams = z.object({ pathId: id, deliveryId: id });

export const openPathBody = z.strictObject({
  funder: funder.optional(),
  proposed: z.array(serviceCode).max(SERVICE_TYPE_CODES.length).optional(),
});
export const plannedHoursBody = z.strictObject({
  hours: z
    .number()
    .min(0)
    .max(1000)
    .meta({ description: "Quarter hours; 0 takes the service out of the plan" }),
  reason: reason.optional(),
});
export const proposalBody = z.strictObject({
  services: z.array(serviceCode).min(1).max(SERVICE_TYPE_CODES.length),
});
export const funderBody = z.strictObject({ funder, reason });
export const closureBody = z.strictObject({ reason, outcome: outcome.optional() });
export const reopeningBody = z.strictObject({ reason });
export const bookingCheckBody = z.strictObject({
  serviceCode,
  start: instant,
  end: instant,
  overrideReason: reason.optional().meta({ description: "Staff waive the order rule, saying why" }),
});
export const deliveryBody = z.strictObject({
  serviceCode,
  site: id.optional().meta({ description: "Where it was delivered (the path's site when left out)" }),
  operatorId: id,
  start: instant,
  end: instant,
  outcome,
  notes: multiLineText({ min: 0, max: MAX_NOTE }).optional(),
  bookingId: id.optional(),
});
export const correctionBody = z.strictObject({
  start: instant.optional(),
  end: instant.optional(),
  outcome: outcome.optional(),
  notes: multiLineText({ min: 0, max: MAX_NOTE }).optional(),
  reason,
});
export const voidBody = z.strictObject({ reason });

const GROUPS = {
  site: "site",
  service: "serviceCode",
  operator: "operatorId",
  month: "month",
  funder: "funder",
} as const;
export const reportQuery = z.strictObject({
  group: z
    .string()
    .default("site,service,month")
    .transform((s) =>
      s
        .split(",")
        .map((g) => g.trim())
        .filter(Boolean),
    )
    .refine((gs) => gs.every((g) => g in GROUPS) && new Set(gs).size === gs.length, {
      message: `must be distinct comma-separated dimensions of ${Object.keys(GROUPS).join(", ")}`,
    })
    .transform((gs) => gs.map((g) => GROUPS[g as keyof typeof GROUPS]))
    .meta({
      description: "Comma-separated: site, service, operator, month, funder (default site,service,month)",
    }),
  from: month.optional(),
  to: month.optional(),
  site: id.optional(),
});

export const pathResponse = z.looseObject({
  id: z.string(),
  holderId: z.string(),
  holder: z.looseObject({ kind: z.enum(["person", "team"]) }),
  site: z.string(),
  origin: z.looseObject({ kind: z.enum(["reception", "adoption"]) }),
  funder: z.string(),
  status: z.enum(["open", "closed"]),
  confirmedBy: z.enum(["person", "referent"]),
  plan: z.array(z.looseObject({ serviceCode: z.string(), hours: z.number() })),
  proposed: z.array(z.string()),
  services: z.array(
    z.looseObject({
      serviceCode: z.string(),
      plannedHours: z.number(),
      bookedHours: z.number(),
      deliveredHours: z.number(),
      capHours: z.number(),
      remainingHours: z.number(),
    }),
  ),
  deliveries: z.array(
    z.looseObject({ id: z.string(), status: z.string(), revisions: z.array(z.looseObject({})) }),
  ),
  history: z.array(z.looseObject({ at: z.string(), by: z.string(), what: z.string() })),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.number().int(),
  internships: z
    .array(
      z.looseObject({
        adoptionId: z.string(),
        commitmentId: z.string(),
        companyId: z.string(),
        companyName: z.string(),
        places: z.number().int(),
        periodStart: z.string(),
        periodEnd: z.string(),
      }),
    )
    .optional()
    .meta({
      description: "An adopted team's internship commitments of its sponsor (tutoring planned for them)",
    }),
});
export const deliveryResponse = pathResponse.extend({
  delivery: z.looseObject({ id: z.string(), status: z.string() }),
  warnings: z.array(z.object({ code: z.string(), message: z.string() })).optional(),
});
export const bookingCheckResponse = z.looseObject({
  ok: z.literal(true),
  hours: z.number(),
  waived: z.array(z.string()),
  warnings: z.array(z.object({ code: z.string(), message: z.string() })),
  usedHours: z.number(),
  capHours: z.number(),
  remainingHours: z.number(),
});
export const reportResponse = z.looseObject({
  group: z.array(z.enum(REPORT_DIMENSIONS)),
  lines: z.array(
    z.looseObject({
      key: z.record(z.string(), z.string().nullable()),
      plannedHours: z.number(),
      bookedHours: z.number(),
      deliveredHours: z.number(),
      signedHours: z.number(),
      deliveries: z.number().int(),
    }),
  ),
});
