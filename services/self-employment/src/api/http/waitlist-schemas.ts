// Request and response schemas of the waitlist routes; the domain checks the rest (the preferences'
// window, a person waiting once per list) and names every bad field.
import { singleLineText, z } from "@lto/http-kit";
import { MAX_BOOKING_REASON, SERVICE_TYPE_CODES, WAITLIST_ENTRY_STATUSES } from "../../domain/index.js";

const id = singleLineText({ min: 1, max: 64 });
const time = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time HH:MM")
  .meta({ description: "Europe/Rome wall clock, HH:MM" });
const serviceCode = z.enum(SERVICE_TYPE_CODES as [string, ...string[]]);

export const entryParams = z.object({ entryId: id });
export const offerParams = z.object({ offerId: id });

export const preferences = z.strictObject({
  days: z
    .array(z.number().int().min(1).max(7))
    .min(1)
    .max(7)
    .optional()
    .meta({ description: "ISO weekdays the person can come, 1 = Monday ... 7 = Sunday; any when left out" }),
  from: time.optional().meta({ description: "The slot starts at or after (Rome)" }),
  to: time.optional().meta({ description: "The slot ends at or before (Rome)" }),
  operatorId: id.optional().meta({ description: "Only this operator" }),
});

export const joinBody = z.strictObject({
  personId: id,
  serviceCode,
  site: id,
  preferences: preferences.optional(),
});

export const listQuery = z.strictObject({
  service: serviceCode,
  site: id,
  status: z.enum(WAITLIST_ENTRY_STATUSES).default("waiting"),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: singleLineText({ min: 1, max: 200 }).optional(),
});

export const leaveQuery = z.strictObject({
  reason: singleLineText({ min: 1, max: MAX_BOOKING_REASON }).optional(),
});

const slot = z.object({
  operatorId: z.string(),
  start: z.iso.datetime(),
  end: z.iso.datetime(),
  roomId: z.string().optional(),
  equipmentIds: z.array(z.string()),
  mode: z.enum(["in_person", "remote"]).optional(),
});

export const offerResponse = z.object({
  id: z.string(),
  entryId: z.string(),
  personId: z.string(),
  serviceCode: z.string(),
  site: z.string(),
  slot,
  offeredAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  status: z.enum(["pending", "accepted", "declined", "lapsed", "withdrawn"]),
  decidedAt: z.iso.datetime().optional(),
  decidedBy: z.string().optional(),
  bookingId: z.string().optional(),
  version: z.number().int(),
});

export const entryResponse = z.object({
  id: z.string(),
  personId: z.string(),
  serviceCode: z.string(),
  site: z.string(),
  preferences: z.object({
    days: z.array(z.number().int()).optional(),
    from: z.string().optional(),
    to: z.string().optional(),
    operatorId: z.string().optional(),
  }),
  joinedAt: z.iso.datetime(),
  joinedBy: z.string(),
  status: z.enum(WAITLIST_ENTRY_STATUSES),
  position: z.number().int().optional().meta({ description: "Place in line, 1 = first (waiting entries)" }),
  offer: offerResponse.optional().meta({ description: "The offer pending for the entry" }),
  bookingId: z.string().optional(),
  left: z.object({ at: z.iso.datetime(), by: z.string(), reason: z.string().optional() }).optional(),
  version: z.number().int(),
});

export const acceptResponse = z.object({
  offer: offerResponse,
  booking: z
    .record(z.string(), z.unknown())
    .meta({ description: "The booking made (as POST /v1/bookings answers)" }),
});
