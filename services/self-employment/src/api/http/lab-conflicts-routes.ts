// Lab conflicts: a catalogue course meeting that came to a lab already booked. Staff of the site list
// and resolve them. Handlers only translate HTTP to use cases.
import type { ApiRouter } from "@lto/http-kit";
import {
  pageOf,
  problemResponses as problems,
  versionedResult as ok,
  writeProblemResponses as writeProblems,
} from "@lto/http-kit";
import type { SelfEmploymentApp } from "../../app/index.js";
import {
  labConflictParams,
  labConflictQuery,
  labConflictResponse,
  resolutionBody,
} from "./lab-conflicts-schemas.js";

export function labConflictRoutes(app: SelfEmploymentApp) {
  return (api: ApiRouter) => {
    api.route({
      method: "get",
      path: "/v1/lab-conflicts",
      summary:
        "Course meetings that found their lab booked, newest first (staff of the site, programme, admin)",
      tags: ["labs"],
      auth: "required",
      request: { query: labConflictQuery },
      responses: { 200: { description: "Lab conflicts", schema: pageOf(labConflictResponse) }, ...problems },
      handler: async ({ identity, query }) =>
        ok(
          await app.labs.listConflicts(identity, query.site, {
            limit: query.limit,
            ...(query.status ? { status: query.status } : {}),
            ...(query.cursor ? { cursor: query.cursor } : {}),
          }),
        ),
    });
    api.route({
      method: "get",
      path: "/v1/lab-conflicts/{conflictId}",
      summary: "Read one lab conflict (staff of the site, programme, admin)",
      tags: ["labs"],
      auth: "required",
      request: { params: labConflictParams },
      responses: { 200: { description: "The lab conflict", schema: labConflictResponse }, ...problems },
      handler: async ({ identity, params }) => ok(await app.labs.getConflict(identity, params.conflictId)),
    });
    api.route({
      method: "post",
      path: "/v1/lab-conflicts/{conflictId}/resolution",
      summary:
        "The lab is free again: the course meeting takes the units it lacked (staff of the site, admin)",
      description:
        "409 naming the bookings that still hold part of the meeting's time in the room (move or cancel them first), or when resolved already.",
      tags: ["labs"],
      auth: "required",
      request: { params: labConflictParams, body: resolutionBody },
      responses: {
        200: { description: "The resolved conflict", schema: labConflictResponse },
        ...writeProblems,
      },
      handler: async ({ identity, params, body }) =>
        ok(await app.labs.resolveConflict(identity, params.conflictId, body.note)),
    });
  };
}
