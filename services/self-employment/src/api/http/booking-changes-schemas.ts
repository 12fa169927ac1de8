// Request schemas of the booking changes; the domain checks the rest (the new slot against the
// service, the site and the plan; whether the booking can still change) and names every bad field.
import { singleLineText, z } from "@lto/http-kit";
import { MAX_BOOKING_REASON } from "../../domain/index.js";

const id = singleLineText({ min: 1, max: 64 });
const instant = z.iso
  .datetime({ offset: true })
  .transform((s) => new Date(s))
  .meta({ description: "An instant, ISO 8601 with its offset (e.g. 2026-03-30T10:00:00+02:00)" });
const reason = singleLineText({ min: 1, max: MAX_BOOKING_REASON });

export const bookingParams = z.object({ bookingId: id });

export const rescheduleBody = z.strictObject({
  start: instant.meta({ description: "The new start: one GET /v1/availability offers" }),
  operatorId: id.optional().meta({ description: "Another operator of the site; the same when left out" }),
  roomId: id.optional().meta({ description: "Another room of the site; the same when left out" }),
  reason: reason.optional(),
});

export const cancelBody = z.strictObject({
  reason: reason.optional().meta({ description: "Why (shown in the booking's history and the event)" }),
});

export const noShowBody = z.strictObject({});

/** A booking as GET /v1/bookings/{bookingId} answers it. */
export const changedBookingResponse = z
  .object({ id: z.string(), status: z.string(), sequence: z.number().int(), version: z.number().int() })
  .passthrough();
