// Request and response schemas of bookings. The domain checks the rest (the service's modes, rooms
// and equipment of the site, seats) and names every bad field.
import { singleLineText, z } from "@lto/http-kit";
import {
  BOOKING_STATES,
  DELIVERY_MODES,
  MAX_BOOKING_REASON,
  MAX_EQUIPMENT_PER_BOOKING,
} from "../../domain/index.js";

const id = singleLineText({ min: 1, max: 64 });
const instant = z.iso
  .datetime({ offset: true })
  .transform((s) => new Date(s))
  .meta({ description: "An instant, ISO 8601 with its offset (e.g. 2026-03-30T10:00:00+02:00)" });

export const bookingBody = z.strictObject({
  person: id.meta({ description: "The person's id (staff: or an adopted team's id, its path's holder)" }),
  serviceType: id.meta({ description: "The service type code, e.g. coaching" }),
  site: id.meta({ description: "The site id, e.g. lto-mantova" }),
  start: instant.meta({ description: "The slot's start, as GET /v1/availability offers it" }),
  operatorId: id.meta({ description: "One of the slot's free operators" }),
  mode: z.enum(DELIVERY_MODES),
  roomId: id.optional().meta({
    description: "In person: the room (the lab for equipment); the service chooses one when left out",
  }),
  equipmentIds: z.array(id).max(MAX_EQUIPMENT_PER_BOOKING).optional(),
  overrideReason: singleLineText({ min: 1, max: MAX_BOOKING_REASON })
    .optional()
    .meta({ description: "Staff only: why the path's order is waived (recorded)" }),
});

export const bookingParams = z.object({ bookingId: id });

export const bookingListQuery = z.strictObject({
  site: id.optional().meta({ description: "Staff: one of their sites (required for staff)" }),
  from: instant.optional().meta({ description: "Bookings starting at or after this instant" }),
  to: instant.optional().meta({ description: "Bookings starting before this instant" }),
  operator: id.optional(),
  person: id.optional().meta({ description: "A young person: their own id (required for learners)" }),
  status: z.enum(BOOKING_STATES).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: singleLineText({ min: 1, max: 200 }).optional(),
});

export const bookingResponse = z.looseObject({
  id: z.string(),
  personId: z.string(),
  pathId: z.string(),
  serviceCode: z.string(),
  site: z.string(),
  operatorId: z.string(),
  roomId: z.string().optional(),
  equipmentIds: z.array(z.string()),
  mode: z.enum(DELIVERY_MODES),
  start: z.iso.datetime(),
  end: z.iso.datetime(),
  hours: z.number(),
  groupSession: z.string().optional(),
  seat: z.number().int().optional(),
  funder: z.string(),
  status: z.enum(BOOKING_STATES),
  sequence: z.number().int(),
  version: z.number().int(),
});

export const bookedResponse = bookingResponse.extend({
  warnings: z
    .array(z.looseObject({ code: z.string(), message: z.string() }))
    .meta({ description: "cap_near from 80% of the person's cap, plan_exceeded past the personal plan" }),
  waived: z.array(z.string()).meta({ description: "The order rules staff waived (with overrideReason)" }),
});
