// Bookings: staff of the site book on behalf of a person, a young person books for themself; reads of
// one booking and pages of them. Handlers only translate HTTP to use cases.
import type { ApiRouter } from "@lto/http-kit";
import {
  pageOf,
  problemResponses as problems,
  versionedResult as ok,
  writeProblemResponses as writeProblems,
} from "@lto/http-kit";
import type { SelfEmploymentApp } from "../../app/index.js";
import {
  bookedResponse,
  bookingBody,
  bookingListQuery,
  bookingParams,
  bookingResponse,
} from "./bookings-schemas.js";

const defined = <T extends object>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

export function bookingRoutes(app: SelfEmploymentApp) {
  return (api: ApiRouter) => {
    api.route({
      method: "post",
      path: "/v1/bookings",
      summary: "Book a slot (staff of the site on behalf of a person, admin; a young person for themself)",
      description:
        "The slot must be one GET /v1/availability offers. 409 slot_taken / slot_unavailable / session_full with nextSlots; 409 order_not_met (staff may send overrideReason) or hours_cap_reached from the path; 409 credential_missing for lab equipment; 503 with Retry-After when the catalogue does not answer (nothing stored).",
      tags: ["bookings"],
      auth: "required",
      idempotent: true,
      request: { body: bookingBody },
      responses: { 201: { description: "The booking", schema: bookedResponse }, ...writeProblems },
      handler: async ({ identity, body }) => {
        const booked = await app.bookings.book(identity, defined(body));
        return { ...ok(booked, 201), headers: { location: `/v1/bookings/${booked.id}` } };
      },
    });
    api.route({
      method: "get",
      path: "/v1/bookings/{bookingId}",
      summary: "Read a booking (staff of its site, programme, admin; the person themself)",
      tags: ["bookings"],
      auth: "required",
      request: { params: bookingParams },
      responses: { 200: { description: "The booking", schema: bookingResponse }, ...problems },
      handler: async ({ identity, params }) => ok(await app.bookings.get(identity, params.bookingId)),
    });
    api.route({
      method: "get",
      path: "/v1/bookings",
      summary:
        "List bookings by start (staff: of one of their sites; programme, admin: any; a young person: their own)",
      tags: ["bookings"],
      auth: "required",
      request: { query: bookingListQuery },
      responses: { 200: { description: "Bookings by start", schema: pageOf(bookingResponse) }, ...problems },
      handler: async ({ identity, query }) => {
        const { limit, cursor, ...filter } = query;
        const page = await app.bookings.list(identity, defined(filter), {
          limit,
          ...(cursor ? { cursor } : {}),
        });
        return ok({
          items: page.items.map((b) => JSON.parse(JSON.stringify(b)) as unknown),
          ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
        });
      },
    });
  };
}
