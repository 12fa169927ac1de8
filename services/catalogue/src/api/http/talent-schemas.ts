// Schemas of the talent profile and company search routes (OpenAPI is generated from them).
import { DISTRICTS, ECONOMIC_AREAS } from "@lto/reference";
import { multiLineText, singleLineText, z } from "@lto/http-kit";
import { CONTACT_STATES } from "../../domain/index.js";
import { localDate } from "./schemas.js";

export const talentProfileBody = z.strictObject({
  birthDate: localDate.meta({
    description:
      "Checked against today to confirm the person is an adult (18+); not stored, only the confirmation date",
  }),
  credentialIds: z
    .array(singleLineText({ min: 1, max: 64 }))
    .min(1)
    .max(50)
    .meta({ description: "Credentials from the caller's passport to show" }),
  district: z.enum(DISTRICTS),
  areas: z.array(z.enum(ECONOMIC_AREAS)).min(1).max(ECONOMIC_AREAS.length),
  headline: singleLineText({ min: 3, max: 140 }).meta({ description: "A short headline, in Italian" }),
});

const skill = z.object({
  framework: z.string(),
  frameworkVersion: z.string(),
  competence: z.string(),
  level: z.number().int(),
});

const shownCredential = z.object({
  courseTitle: z.string(),
  site: z.string(),
  issuedAt: z.iso.datetime(),
  competences: z.array(skill),
});

export const companyProfileResponse = z.object({
  profileId: z.string().meta({ description: "A pseudonym: never the person's id or name" }),
  headline: z.string(),
  district: z.string(),
  areas: z.array(z.string()),
  credentials: z.array(shownCredential),
  updatedAt: z.iso.datetime(),
});

export const ownProfileResponse = companyProfileResponse.extend({
  entries: z.array(shownCredential.extend({ credentialId: z.string() })),
  createdAt: z.iso.datetime(),
});

export const myTalentResponse = z.object({ profile: ownProfileResponse.nullable() });

/** A company opened one of the caller's profiles. */
export const profileViewResponse = z.object({
  profileId: z.string(),
  companyId: z.string(),
  at: z.iso.datetime(),
});

export const talentSearchQuery = z.strictObject({
  competence: z
    .string()
    .regex(/^\d\.\d$/, 'must be a DigComp competence code such as "3.4"')
    .optional(),
  minLevel: z.coerce.number().int().min(1).max(8).default(1),
  framework: singleLineText({ min: 1, max: 64 }).default("digcomp"),
  frameworkVersion: singleLineText({ min: 1, max: 32 })
    .optional()
    .meta({ description: "Only credentials of this framework version (default: any)" }),
  area: z.enum(ECONOMIC_AREAS).optional(),
  district: z.enum(DISTRICTS).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: singleLineText({ min: 1, max: 200 }).optional(),
});

export const profileIdParams = z.object({ profileId: singleLineText({ min: 1, max: 64 }) });
export const requestIdParams = z.object({ requestId: singleLineText({ min: 1, max: 64 }) });

export const contactRequestBody = z.strictObject({
  message: multiLineText({ min: 10, max: 1000, trim: true }).meta({
    description: "A short message to the person, in Italian",
  }),
});

export const acceptBody = z.strictObject({
  contact: singleLineText({ min: 3, max: 200 }).meta({
    description: "The contact the person chooses to share with the company (e-mail, phone...)",
  }),
});

export const contactRequestResponse = z.object({
  id: z.string(),
  profileId: z.string(),
  companyId: z.string(),
  message: z.string(),
  state: z.enum(CONTACT_STATES),
  createdAt: z.iso.datetime(),
  decidedAt: z.iso.datetime().optional(),
  contact: z.string().optional(),
});
