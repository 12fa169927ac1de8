// Request and response schemas of the REST API; the OpenAPI document is generated from them.
// Every text field is single- or multi-line text from the kit (no control characters, valid Unicode),
// with the same minimum lengths as the domain rules.
import { multiLineText, pageQuery, singleLineText, z } from "@lto/http-kit";
import { ECONOMIC_AREAS, NEEDS } from "../../domain/index.js";

const id = singleLineText({ min: 1, max: 100 });
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD");
const text = (max: number, min = 1) => singleLineText({ min, max, trim: true });
const area = z.enum(ECONOMIC_AREAS);
const bool = z.enum(["true", "false"]).transform((v) => v === "true");

export const idParams = z.object({ id });
export const ideaParams = z.object({ ideaId: id });
export const recordParams = z.object({ id, recordId: id });

const contact = z.strictObject({
  name: text(120, 2),
  email: text(200),
  phone: singleLineText({ max: 20 }).optional(),
});
export const companyBody = z.strictObject({
  legalName: text(200, 2),
  vatNumber: text(20),
  atecoCode: text(10),
  areas: z.array(area).min(1).max(7),
  district: text(40),
  contact,
});
export const companyPatch = z
  .strictObject({
    atecoCode: text(10).optional(),
    areas: z.array(area).min(1).max(7).optional(),
    district: text(40).optional(),
    contact: contact.optional(),
  })
  // An empty patch changes nothing: refused like the ideas service does, so no version is spent on it.
  .refine((body) => Object.keys(body).length > 0, "send at least one field to change");
export const companyQuery = pageQuery.extend({
  status: z.enum(["registered", "verified"]).optional(),
  area: area.optional(),
});
export const companyResponse = z.looseObject({
  id: z.string(),
  legalName: z.string(),
  vatNumber: z.string(),
  atecoCode: z.string(),
  areas: z.array(area),
  district: z.string(),
  contact: z.looseObject({ name: z.string(), email: z.string() }),
  status: z.enum(["registered", "verified"]),
  version: z.number(),
});

export const browseQuery = pageQuery.extend({
  area: area.optional(),
  district: singleLineText({ max: 40 }).optional(),
  technology: singleLineText({ max: 40 }).optional(),
  need: z.enum(NEEDS).optional(),
  callId: id.optional(),
  includeAdopted: bool.optional(),
});
export const ideaResponse = z.looseObject({
  id: z.string(),
  callId: z.string(),
  schoolId: z.string(),
  title: z.string(),
  summary: z.string(),
  area: z.string(),
  district: z.string(),
  technologies: z.array(z.string()),
  needs: z.array(z.string()),
  status: z.enum(["published", "withdrawn"]),
  adoption: z.object({ id: z.string(), companyId: z.string() }).nullable(),
});

export const holdBody = z.strictObject({ hours: z.number().int().min(1).max(168).optional() });
export const holdQuery = pageQuery.extend({ ideaId: id.optional(), active: bool.optional() });
export const holdResponse = z.looseObject({
  id: z.string(),
  ideaId: z.string(),
  companyId: z.string(),
  status: z.enum(["active", "released", "lapsed", "cancelled", "declined"]),
  expiresAt: z.string(),
  version: z.number(),
});

const commitments = z.strictObject({
  mentoringHours: z.number().int().min(0).max(2000).default(0),
  internships: z
    .array(z.strictObject({ places: z.number().int().min(1).max(50), startsOn: date, endsOn: date }))
    .max(10)
    .default([]),
  fundingCents: z.number().int().min(0).max(100_000_000).default(0),
  equipment: z
    .array(z.strictObject({ item: text(120, 2), quantity: z.number().int().min(1).max(1000) }))
    .max(20)
    .default([]),
});
export const offerBody = z.strictObject({
  commitments,
  message: multiLineText({ min: 10, max: 4000, trim: true }),
});
/** Why an adoption ends or a record is disputed (the domain asks for 3 characters at least). */
export const reasonBody = z.strictObject({ reason: multiLineText({ min: 3, max: 2000, trim: true }) });
/** Why an offer is declined or withdrawn: any short note will do. */
export const offerReasonBody = z.strictObject({ reason: multiLineText({ min: 1, max: 2000, trim: true }) });
export const offerQuery = pageQuery.extend({
  ideaId: id.optional(),
  status: z.enum(["open", "accepted", "declined", "withdrawn", "cancelled"]).optional(),
});
export const offerResponse = z.looseObject({
  id: z.string(),
  ideaId: z.string(),
  companyId: z.string(),
  schoolId: z.string(),
  commitments,
  message: z.string(),
  status: z.enum(["open", "accepted", "declined", "withdrawn", "cancelled"]),
  version: z.number(),
});

export const adoptionQuery = pageQuery.extend({
  ideaId: id.optional(),
  companyId: id.optional(),
  status: z.enum(["active", "completed", "ended"]).optional(),
});
export const recordBody = z.strictObject({
  kind: z.enum(["kickoff", "mentoring", "internship", "funding", "equipment"]),
  note: multiLineText({ max: 2000 }).optional(),
  date: date.optional(),
  hours: z.number().positive().max(12).optional(),
  pseudonyms: z
    .array(singleLineText({ max: 60 }))
    .max(40)
    .optional(),
  pseudonym: singleLineText({ max: 60 }).optional(),
  startedOn: date.optional(),
  amountCents: z.number().int().positive().max(100_000_000).optional(),
  item: text(120, 2).optional(),
  quantity: z.number().int().min(1).max(1000).optional(),
});
export const internshipEndBody = z.strictObject({ endedOn: date, hours: z.number().positive().max(2000) });
const item = z.object({ promised: z.number(), logged: z.number(), confirmed: z.number() });
export const adoptionResponse = z.looseObject({
  id: z.string(),
  ideaId: z.string(),
  offerId: z.string(),
  companyId: z.string(),
  schoolId: z.string(),
  status: z.enum(["active", "completed", "ended"]),
  promised: commitments,
  records: z.array(z.looseObject({ id: z.string(), kind: z.string(), status: z.string() })),
  progress: z.looseObject({
    kickoff: z.object({ logged: z.boolean(), confirmed: z.boolean() }),
    mentoringHours: item,
    internshipPlaces: item,
    fundingCents: item,
    equipment: z.array(item.extend({ item: z.string() })),
    complete: z.boolean(),
    percent: z.number(),
  }),
  version: z.number(),
});
export const pctoResponse = z.object({
  adoptionId: z.string(),
  ideaId: z.string(),
  schoolId: z.string(),
  students: z.array(
    z.object({
      pseudonym: z.string(),
      mentoringHours: z.number(),
      internshipHours: z.number(),
      totalHours: z.number(),
    }),
  ),
});
