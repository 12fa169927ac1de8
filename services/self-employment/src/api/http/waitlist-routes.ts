// The waitlist routes: joining, reading and leaving the list of a service at a site, and the offers of
// freed slots (accept: a booking; decline: the slot goes to the next). Handlers only translate HTTP to
// use cases; rules live in app and domain.
import type { ApiRouter } from "@lto/http-kit";
import {
  pageOf,
  problemResponses as problems,
  versionedResult as ok,
  writeProblemResponses as writeProblems,
} from "@lto/http-kit";
import type { SelfEmploymentApp } from "../../app/index.js";
import type { WaitlistPreferences } from "../../domain/index.js";
import {
  acceptResponse,
  entryParams,
  entryResponse,
  joinBody,
  leaveQuery,
  listQuery,
  offerParams,
  offerResponse,
} from "./waitlist-schemas.js";

const defined = <T extends object>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

export function waitlistRoutes(app: SelfEmploymentApp) {
  return (api: ApiRouter) => {
    api.route({
      method: "post",
      path: "/v1/waitlist",
      summary:
        "Put a person on the waitlist of a service at a site (staff of the site, admin; a young person for themself)",
      description:
        "Once per list: a person waiting already is refused (409 with entryId). Preferences narrow the slots offered.",
      tags: ["waitlist"],
      auth: "required",
      request: { body: joinBody },
      responses: {
        201: { description: "The entry, with its place in line", schema: entryResponse },
        ...writeProblems,
      },
      handler: async ({ identity, body }) => {
        const entry = await app.waitlist.join(identity, {
          personId: body.personId,
          serviceCode: body.serviceCode,
          site: body.site,
          ...(body.preferences ? { preferences: defined(body.preferences) as WaitlistPreferences } : {}),
        });
        return { ...ok(entry, 201), headers: { location: `/v1/waitlist/${entry.id}` } };
      },
    });
    api.route({
      method: "get",
      path: "/v1/waitlist",
      summary: "The waitlist of a service at a site, in line order (staff of the site, programme, admin)",
      tags: ["waitlist"],
      auth: "required",
      request: { query: listQuery },
      responses: {
        200: { description: "Entries, first in line first", schema: pageOf(entryResponse) },
        ...problems,
      },
      handler: async ({ identity, query }) =>
        ok(
          await app.waitlist.list(
            identity,
            { serviceCode: query.service, site: query.site, status: query.status },
            defined({ limit: query.limit, cursor: query.cursor }),
          ),
        ),
    });
    api.route({
      method: "get",
      path: "/v1/waitlist/{entryId}",
      summary:
        "A waitlist entry with its place in line and pending offer (staff of the site, programme, admin; the person)",
      tags: ["waitlist"],
      auth: "required",
      request: { params: entryParams },
      responses: { 200: { description: "The entry", schema: entryResponse }, ...problems },
      handler: async ({ identity, params }) => ok(await app.waitlist.get(identity, params.entryId)),
    });
    api.route({
      method: "delete",
      path: "/v1/waitlist/{entryId}",
      summary:
        "Take a person off the waitlist (staff of the site, admin; the person); a pending offer goes to the next",
      tags: ["waitlist"],
      auth: "required",
      request: { params: entryParams, query: leaveQuery },
      responses: { 200: { description: "The entry, left", schema: entryResponse }, ...writeProblems },
      handler: async ({ identity, params, query }) =>
        ok(await app.waitlist.leave(identity, params.entryId, query.reason)),
    });
    api.route({
      method: "get",
      path: "/v1/waitlist/offers/{offerId}",
      summary: "An offer of a freed slot (staff of the site, programme, admin; the person)",
      tags: ["waitlist"],
      auth: "required",
      request: { params: offerParams },
      responses: { 200: { description: "The offer", schema: offerResponse }, ...problems },
      handler: async ({ identity, params }) => ok(await app.waitlist.getOffer(identity, params.offerId)),
    });
    api.route({
      method: "post",
      path: "/v1/waitlist/offers/{offerId}/accept",
      summary: "Take the offered slot: a booking (the person; staff of the site, admin, for them)",
      description:
        "Booked as POST /v1/bookings books (the path's order and caps apply), with the offer's id as the booking's id. An offer that ended or expired: 409.",
      tags: ["waitlist"],
      auth: "required",
      request: { params: offerParams },
      responses: {
        201: { description: "The offer, accepted, and the booking", schema: acceptResponse },
        ...writeProblems,
      },
      handler: async ({ identity, params }) => {
        const done = await app.waitlist.accept(identity, params.offerId);
        return { ...ok(done, 201), headers: { location: `/v1/bookings/${done.booking.id}` } };
      },
    });
    api.route({
      method: "post",
      path: "/v1/waitlist/offers/{offerId}/decline",
      summary: "Turn the offered slot down, keeping the place in line (the person; staff of the site, admin)",
      tags: ["waitlist"],
      auth: "required",
      request: { params: offerParams },
      responses: { 200: { description: "The offer, declined", schema: offerResponse }, ...writeProblems },
      handler: async ({ identity, params }) => ok(await app.waitlist.decline(identity, params.offerId)),
    });
  };
}
