// What a partner body's home reads: its own courses in every state, and how full each session of its
// courses is (counts only, never who). Rules live in app.
import type { ApiRouter } from "@lto/http-kit";
import { pageOf, problemResponses as problems, versionedResult as ok, z } from "@lto/http-kit";
import type { CatalogueApp } from "../../app/index.js";
import { COURSE_STATES } from "../../domain/index.js";
import { courseResponse, pageFields, sessionIdParams } from "./schemas.js";

const ownCoursesQuery = z.strictObject({
  state: z.enum(COURSE_STATES).optional().meta({ description: "Only this state; every state when absent" }),
  ...pageFields,
});

const sessionCountsResponse = z.object({
  sessionId: z.string(),
  capacity: z.number().int(),
  seatsTaken: z.number().int().meta({ description: "Seats held or offered (the seat ledger)" }),
  waiting: z.number().int().meta({ description: "People on the waiting list" }),
});

export function partnerRoutes(app: CatalogueApp) {
  return (api: ApiRouter) => {
    api.route({
      method: "get",
      path: "/v1/courses/mine",
      summary: "A partner body's own courses, in every state or the one asked for (the partner body)",
      tags: ["courses"],
      auth: "required",
      request: { query: ownCoursesQuery },
      responses: {
        200: { description: "Its courses, newest first", schema: pageOf(courseResponse) },
        ...problems,
      },
      handler: async ({ identity, query }) => ok(await app.courses.listOwn(identity, query)),
    });
    api.route({
      method: "get",
      path: "/v1/sessions/{sessionId}/counts",
      summary:
        "How many hold a seat and how many wait in a session (staff of its site, programme, admin, the course's partner body)",
      tags: ["sessions"],
      auth: "required",
      request: { params: sessionIdParams },
      responses: {
        200: { description: "The counts", schema: sessionCountsResponse },
        ...problems,
      },
      handler: async ({ identity, params }) => ok(await app.enrolments.counts(identity, params.sessionId)),
    });
  };
}
