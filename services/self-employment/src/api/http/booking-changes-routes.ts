// The booking changes: reschedule, cancel (late inside the notice), no-show. Handlers only translate
// HTTP to use cases; rules live in app and domain.
import type { ApiRouter } from "@lto/http-kit";
import { versionedResult as ok, writeProblemResponses as writeProblems } from "@lto/http-kit";
import type { SelfEmploymentApp } from "../../app/index.js";
import {
  bookingParams,
  cancelBody,
  changedBookingResponse,
  noShowBody,
  rescheduleBody,
} from "./booking-changes-schemas.js";

export function bookingChangeRoutes(app: SelfEmploymentApp) {
  return (api: ApiRouter) => {
    api.route({
      method: "post",
      path: "/v1/bookings/{bookingId}/reschedule",
      summary: "Move a booking to another slot (staff of the site, admin; the young person themself)",
      description:
        "The new slot is held before the old one is given back: 409 (reason slot_taken) when it is taken, and the booking stays where it was. The path's order and caps are checked for the new time.",
      tags: ["bookings"],
      auth: "required",
      ifMatch: "optional",
      request: { params: bookingParams, body: rescheduleBody },
      responses: {
        200: { description: "The booking, moved", schema: changedBookingResponse },
        ...writeProblems,
      },
      handler: async ({ identity, params, body, ifMatch }) =>
        ok(
          await app.bookingChanges.reschedule(
            identity,
            params.bookingId,
            {
              start: body.start,
              ...(body.operatorId !== undefined ? { operatorId: body.operatorId } : {}),
              ...(body.roomId !== undefined ? { roomId: body.roomId } : {}),
              ...(body.reason !== undefined ? { reason: body.reason } : {}),
            },
            ifMatch,
          ),
        ),
    });
    api.route({
      method: "post",
      path: "/v1/bookings/{bookingId}/cancel",
      summary: "Cancel a booking (staff of the site, admin; the young person themself)",
      description:
        "Late when inside the service type's cancellation notice (recorded; the path shows it late_cancelled). The slot is offered to the waitlist.",
      tags: ["bookings"],
      auth: "required",
      ifMatch: "optional",
      request: { params: bookingParams, body: cancelBody },
      responses: {
        200: { description: "The booking, cancelled", schema: changedBookingResponse },
        ...writeProblems,
      },
      handler: async ({ identity, params, body, ifMatch }) =>
        ok(
          await app.bookingChanges.cancel(
            identity,
            params.bookingId,
            body.reason !== undefined ? { reason: body.reason } : {},
            ifMatch,
          ),
        ),
    });
    api.route({
      method: "post",
      path: "/v1/bookings/{bookingId}/no-show",
      summary: "Record that the person did not come (staff of the site, admin), once the booking has started",
      tags: ["bookings"],
      auth: "required",
      ifMatch: "optional",
      request: { params: bookingParams, body: noShowBody },
      responses: {
        200: { description: "The booking, a no-show", schema: changedBookingResponse },
        ...writeProblems,
      },
      handler: async ({ identity, params, ifMatch }) =>
        ok(await app.bookingChanges.noShow(identity, params.bookingId, ifMatch)),
    });
  };
}
