// Request and response schemas of the REST API; the OpenAPI document is generated from them. The
// domain checks the rest (sites, plan overlaps, codice fiscale, ages) and names every bad field.
import { isLocalDate } from "@lto/civil-time";
import { singleLineText, z } from "@lto/http-kit";
import {
  DELIVERY_MODES,
  EQUIPMENT_KINDS,
  MAX_EXCEPTIONS,
  MAX_PLAN_ENTRIES,
  OPERATOR_PROFILES,
} from "../../domain/index.js";

const id = singleLineText({ min: 1, max: 64 });
const localDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD")
  .refine(isLocalDate, "must be a calendar date that exists");
const localTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time HH:MM (24 h, Europe/Rome)");
const timeRange = z.strictObject({ start: localTime, end: localTime });

export const codeParams = z.object({ code: id });
export const siteParams = z.object({ siteId: id });
export const operatorParams = z.object({ operatorId: id });
export const personParams = z.object({ personId: id });
export const pageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: singleLineText({ min: 1, max: 200 }).optional(),
});

// --- operators ---
const planEntry = z.strictObject({
  weekday: z.number().int().min(1).max(7).meta({ description: "ISO weekday: 1 = Monday ... 7 = Sunday" }),
  site: id,
  hours: timeRange,
  breaks: z.array(timeRange).max(6).default([]),
  validFrom: localDate.optional(),
  validTo: localDate.optional(),
});
const exception = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("leave"),
    date: localDate,
    hours: timeRange.optional().meta({ description: "Only these hours; the whole day when left out" }),
    reason: singleLineText({ min: 1, max: 200 }).optional(),
  }),
  z.strictObject({ kind: z.literal("extra"), date: localDate, site: id, hours: timeRange }),
]);
const plan = z.array(planEntry).max(MAX_PLAN_ENTRIES);
const exceptions = z.array(exception).max(MAX_EXCEPTIONS);
const dailyCap = z.number().int().min(1).max(50).meta({ description: "At most this many bookings a day" });

export const operatorBody = z.strictObject({
  name: singleLineText({ min: 2, max: 200 }),
  sites: z.array(id).min(1).max(20),
  profiles: z.array(z.enum(OPERATOR_PROFILES)).min(1).max(OPERATOR_PROFILES.length),
  email: z.email().max(254).optional(),
  plan: plan.default([]),
  exceptions: exceptions.default([]),
  dailyCap: dailyCap.optional(),
});
export const planBody = z.strictObject({ plan, dailyCap: dailyCap.optional() });
export const exceptionsBody = z.strictObject({ exceptions });

const timeRangeResponse = z.object({ start: z.string(), end: z.string() });
export const operatorResponse = z.looseObject({
  id: z.string(),
  name: z.string(),
  sites: z.array(z.string()),
  profiles: z.array(z.string()),
  email: z.string().optional(),
  plan: z.array(
    z.looseObject({
      weekday: z.number().int(),
      site: z.string(),
      hours: timeRangeResponse,
      breaks: z.array(timeRangeResponse),
      validFrom: z.string().optional(),
      validTo: z.string().optional(),
    }),
  ),
  exceptions: z.array(z.looseObject({ kind: z.enum(["leave", "extra"]), date: z.string() })),
  dailyCap: z.number().int().optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.number().int(),
});

// --- persons ---
export const personBody = z.strictObject({
  givenName: singleLineText({ min: 1, max: 100 }),
  familyName: singleLineText({ min: 1, max: 100 }),
  codiceFiscale: z
    .string()
    .max(20)
    .meta({ description: "16 characters, format and check character validated; never used as an id" }),
  birthDate: localDate.meta({ description: "Must match the codice fiscale; 16 or older" }),
  email: z.email().max(254).optional(),
  phone: z.string().max(24).optional().meta({ description: "An e-mail or a phone is required" }),
  consent: z
    .strictObject({ date: localDate })
    .meta({ description: "Consent to data processing, with its date" }),
  guardianConsent: z
    .strictObject({ name: singleLineText({ min: 2, max: 200 }), date: localDate })
    .optional()
    .meta({ description: "A parent's or guardian's consent: required for 16-17 year olds" }),
  referent: z
    .strictObject({
      name: singleLineText({ min: 2, max: 200 }),
      email: z.email().max(254),
      subject: singleLineText({ min: 1, max: 200 }).optional().meta({
        description: "The referent's school account (token subject): how they sign the person's deliveries",
      }),
    })
    .optional()
    .meta({
      description:
        "The school referent of a 16-17 year old (required for them, refused for adults): receives their reminders and confirms their deliveries",
    }),
  site: id.meta({ description: "The registering site (yours)" }),
  learnerSubject: singleLineText({ min: 1, max: 200 }).optional().meta({
    description:
      "The person's learner account (their token subject), when they have one: the catalogue knows their credentials by it",
  }),
});

export const personResponse = z.looseObject({
  id: z.string().meta({ description: "Pseudonymous id (never the codice fiscale)" }),
  site: z.string(),
  ageBand: z.enum(["16_17", "18_24", "25_29", "30_plus"]),
  registeredAt: z.iso.datetime(),
  version: z.number().int(),
  givenName: z.string().optional().meta({ description: "Not shown to the programme office" }),
  familyName: z.string().optional(),
  codiceFiscale: z.string().optional(),
  birthDate: z.string().optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
  consent: z.object({ date: z.string() }).optional(),
  guardianConsent: z.object({ name: z.string(), date: z.string() }).optional(),
  referent: z.object({ name: z.string(), email: z.string(), subject: z.string().optional() }).optional(),
  learnerSubject: z.string().optional(),
  registeredBy: z.string().optional(),
});

// --- reference data ---
export const serviceTypeResponse = z.looseObject({
  code: z.string(),
  nameIt: z.string(),
  measure: z.string(),
  durationMinutes: z.number().int(),
  format: z.looseObject({ kind: z.enum(["individual", "group"]), seats: z.number().int().optional() }),
  modes: z.array(z.enum(DELIVERY_MODES)),
  operatorProfile: z.enum(OPERATOR_PROFILES),
  minHoursPerPerson: z.number(),
  maxHoursPerPerson: z.number(),
  bufferBeforeMinutes: z.number().int(),
  bufferAfterMinutes: z.number().int(),
  minNoticeMinutes: z.number().int(),
  horizonDays: z.number().int(),
  cancellationNoticeHours: z.number().int(),
  requires: z.array(z.string()),
});

export const siteResponse = z.looseObject({
  id: z.string(),
  kind: z.enum(["lto", "informagiovani"]),
  name: z.string(),
  municipality: z.string(),
  district: z.string(),
  rooms: z.array(
    z.looseObject({
      id: z.string(),
      name: z.string(),
      kind: z.enum(["room", "lab"]),
      seats: z.number().int(),
    }),
  ),
  equipment: z.array(
    z.looseObject({
      id: z.string(),
      name: z.string(),
      kind: z.enum(EQUIPMENT_KINDS),
      labId: z.string(),
      requiresCredential: z
        .object({
          framework: z.string(),
          version: z.string(),
          competence: z.string(),
          minimumLevel: z.number(),
        })
        .optional(),
    }),
  ),
  closedDays: z
    .object({ nationalHolidays: z.boolean().optional(), patronSaint: z.boolean().optional() })
    .optional()
    .meta({ description: "How its closed days differ from the public holidays and Sant'Anselmo (18 March)" }),
});
