// The REST API under /v1: frameworks (public reference data), courses and their review, sessions and
// their meetings. Handlers only translate HTTP to use cases; rules live in app and domain.
import type { ApiRouter, HandlerResult } from "@lto/http-kit";
import {
  pageOf,
  problemResponses as problems,
  versionedResult as ok,
  writeProblemResponses as writeProblems,
  z,
} from "@lto/http-kit";
import type { CatalogueApp } from "../../app/index.js";
import { calendarRoutes, type HttpOptions } from "./calendar-routes.js";
import { enrolmentRoutes } from "./enrolment-routes.js";
import type { CourseInput, MeetingInput, SessionInput } from "../../domain/index.js";
import { credentialRoutes } from "./credential-routes.js";
import {
  courseBody,
  courseIdParams,
  courseListQuery,
  courseResponse,
  frameworkParams,
  frameworkResponse,
  frameworkSummary,
  meetingBody,
  meetingParams,
  reasonBody,
  sessionBody,
  sessionIdParams,
  sessionListQuery,
  sessionResponse,
  siteSessionsQuery,
} from "./schemas.js";
import { suggestRoutes } from "./suggest-routes.js";
import { talentRoutes } from "./talent-routes.js";
import { partnerRoutes } from "./partner-routes.js";

function created(body: { id?: unknown; version?: unknown }, collection: string): HandlerResult {
  return { ...ok(body, 201), headers: { location: `/v1/${collection}/${String(body.id)}` } };
}

type CourseBody = z.output<typeof courseBody>;

/** The body as the domain's input: optional English text only when sent. */
function courseInput(body: CourseBody): CourseInput {
  const { titleEn, descriptionEn, ...rest } = body;
  return {
    ...rest,
    ...(titleEn === undefined ? {} : { titleEn }),
    ...(descriptionEn === undefined ? {} : { descriptionEn }),
  };
}

export function routes(app: CatalogueApp, options: HttpOptions = {}) {
  return (api: ApiRouter) => {
    suggestRoutes(app)(api);
    talentRoutes(app)(api);
    calendarRoutes(app, options)(api);
    partnerRoutes(app)(api);
    // --- frameworks ---
    api.route({
      method: "get",
      path: "/v1/frameworks",
      summary: "List the competence frameworks and versions courses map to (public)",
      tags: ["frameworks"],
      auth: "optional",
      // No parameters: an unknown one is a 400, not silently ignored.
      request: { query: z.strictObject({}) },
      responses: {
        200: { description: "Frameworks", schema: z.object({ items: z.array(frameworkSummary) }) },
        ...problems,
      },
      handler: async () => ok({ items: app.frameworks.list() }),
    });
    api.route({
      method: "get",
      path: "/v1/frameworks/{frameworkId}/{version}",
      summary: "Read one framework version: areas, competences, levels (public)",
      tags: ["frameworks"],
      auth: "optional",
      request: { params: frameworkParams },
      responses: { 200: { description: "The framework", schema: frameworkResponse }, ...problems },
      handler: async ({ params }) => ok(app.frameworks.get(params.frameworkId, params.version)),
    });

    // --- courses ---
    api.route({
      method: "get",
      path: "/v1/courses",
      summary: "Browse the catalogue by audience, area, competence, level, site, dates, mode and free seats",
      description:
        "Anyone, without a token, sees published courses. Staff, the programme office (any state) and a partner body " +
        "(its own courses) may ask for another state.",
      tags: ["courses"],
      auth: "optional",
      request: { query: courseListQuery },
      responses: {
        200: { description: "Courses, newest first", schema: pageOf(courseResponse) },
        ...problems,
      },
      handler: async ({ identity, query }) => ok(await app.courses.list(identity, query)),
    });
    api.route({
      method: "post",
      path: "/v1/courses",
      summary: "Create a course as a draft (staff at its sites, or a partner body for itself)",
      tags: ["courses"],
      auth: "required",
      idempotent: true,
      request: { body: courseBody },
      responses: { 201: { description: "The draft", schema: courseResponse }, ...writeProblems },
      handler: async ({ identity, body }) =>
        created(await app.courses.create(identity, courseInput(body)), "courses"),
    });
    api.route({
      method: "get",
      path: "/v1/courses/{courseId}",
      summary: "Read a course (published: anyone; otherwise staff, programme and its provider)",
      tags: ["courses"],
      auth: "optional",
      request: { params: courseIdParams },
      responses: { 200: { description: "The course", schema: courseResponse }, ...problems },
      handler: async ({ identity, params }) => ok(await app.courses.get(identity, params.courseId)),
    });
    api.route({
      method: "put",
      path: "/v1/courses/{courseId}",
      summary:
        "Change a course (its provider while draft or returned; staff of its sites, also once published)",
      tags: ["courses"],
      auth: "required",
      ifMatch: "required",
      request: { params: courseIdParams, body: courseBody },
      responses: { 200: { description: "The course", schema: courseResponse }, ...writeProblems },
      handler: async ({ identity, params, body, requireIfMatch }) =>
        ok(await app.courses.update(identity, params.courseId, courseInput(body), requireIfMatch())),
    });

    const transition = (
      name: string,
      summary: string,
      run: (
        identity: Parameters<CatalogueApp["courses"]["get"]>[0],
        courseId: string,
        body: { reason?: string },
        ifMatch?: number,
      ) => Promise<unknown>,
      withReason = false,
    ) =>
      api.route({
        method: "post",
        path: `/v1/courses/{courseId}/${name}`,
        summary,
        tags: ["courses", "review"],
        auth: "required",
        ifMatch: "optional",
        request: { params: courseIdParams, ...(withReason ? { body: reasonBody } : {}) },
        responses: { 200: { description: "The course", schema: courseResponse }, ...writeProblems },
        handler: async ({ identity, params, body, ifMatch }) =>
          ok(await run(identity, params.courseId, (body ?? {}) as { reason?: string }, ifMatch)),
      });
    transition("submit", "Submit a partner body's course for review (the partner body)", (who, id, _b, v) =>
      app.courses.submit(who, id, v),
    );
    transition(
      "publish",
      "Publish an LTO draft or a reviewed partner course (staff of its sites)",
      (who, id, _b, v) => app.courses.publish(who, id, v),
    );
    transition(
      "return",
      "Return a submitted partner course with the reason (staff of its sites)",
      (who, id, b, v) => app.courses.returnToProvider(who, id, b.reason!, v),
      true,
    );
    transition(
      "archive",
      "Take a published course out of the catalogue (staff of its sites)",
      (who, id, _b, v) => app.courses.archive(who, id, v),
    );

    api.route({
      method: "get",
      path: "/v1/courses/{courseId}/sessions",
      summary: "List a course's sessions (open ones to everyone; all to staff, programme and its provider)",
      tags: ["sessions"],
      auth: "optional",
      request: { params: courseIdParams, query: sessionListQuery },
      responses: {
        200: { description: "Sessions, newest first", schema: pageOf(sessionResponse) },
        ...problems,
      },
      handler: async ({ identity, params, query }) =>
        ok(await app.sessions.listForCourse(identity, params.courseId, query)),
    });

    // --- sessions ---
    api.route({
      method: "post",
      path: "/v1/sessions",
      summary: "Schedule a session of a published course at one of its sites (staff of that site)",
      tags: ["sessions"],
      auth: "required",
      idempotent: true,
      request: { body: sessionBody },
      responses: { 201: { description: "The session", schema: sessionResponse }, ...writeProblems },
      handler: async ({ identity, body }) =>
        created(await app.sessions.schedule(identity, body as SessionInput), "sessions"),
    });
    api.route({
      method: "get",
      path: "/v1/sessions",
      summary: "A site's calendar: its sessions meeting between from and to, any state (staff of the site)",
      tags: ["sessions"],
      auth: "required",
      request: { query: siteSessionsQuery },
      responses: {
        200: { description: "Sessions, newest first", schema: pageOf(sessionResponse) },
        ...problems,
      },
      handler: async ({ identity, query }) => ok(await app.sessions.listForSite(identity, query)),
    });
    api.route({
      method: "get",
      path: "/v1/sessions/{sessionId}",
      summary: "Read a session with its meetings (as visible as its course)",
      tags: ["sessions"],
      auth: "optional",
      request: { params: sessionIdParams },
      responses: { 200: { description: "The session", schema: sessionResponse }, ...problems },
      handler: async ({ identity, params }) => ok(await app.sessions.get(identity, params.sessionId)),
    });
    api.route({
      method: "put",
      path: "/v1/sessions/{sessionId}/meetings/{meetingId}",
      summary: "Move a meeting: date, times, room, trainer; its sequence increases (staff of the site)",
      tags: ["sessions"],
      auth: "required",
      ifMatch: "optional",
      request: { params: meetingParams, body: meetingBody },
      responses: { 200: { description: "The session", schema: sessionResponse }, ...writeProblems },
      handler: async ({ identity, params, body, ifMatch }) =>
        ok(
          await app.sessions.rescheduleMeeting(
            identity,
            params.sessionId,
            params.meetingId,
            body as MeetingInput,
            ifMatch,
          ),
        ),
    });
    api.route({
      method: "post",
      path: "/v1/sessions/{sessionId}/meetings/{meetingId}/cancel",
      summary: "Cancel one meeting with the reason (staff of the site)",
      tags: ["sessions"],
      auth: "required",
      ifMatch: "optional",
      request: { params: meetingParams, body: reasonBody },
      responses: { 200: { description: "The session", schema: sessionResponse }, ...writeProblems },
      handler: async ({ identity, params, body, ifMatch }) =>
        ok(
          await app.sessions.cancelMeeting(
            identity,
            params.sessionId,
            params.meetingId,
            body.reason,
            ifMatch,
          ),
        ),
    });
    api.route({
      method: "post",
      path: "/v1/sessions/{sessionId}/cancel",
      summary:
        "Cancel the session with the reason; enrolled and waiting learners are told (staff of the site)",
      tags: ["sessions"],
      auth: "required",
      ifMatch: "optional",
      request: { params: sessionIdParams, body: reasonBody },
      responses: { 200: { description: "The session", schema: sessionResponse }, ...writeProblems },
      handler: async ({ identity, params, body, ifMatch }) =>
        ok(await app.sessions.cancel(identity, params.sessionId, body.reason, ifMatch)),
    });
    credentialRoutes(app)(api);
    enrolmentRoutes(app)(api);
  };
}
