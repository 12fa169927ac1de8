// Enrolment endpoints: enrol, read, withdraw, answer a seat offer, move. Rules live in app and domain.
import type { ApiRouter } from "@lto/http-kit";
import {
  pageOf,
  problemResponses as problems,
  versionedResult as ok,
  writeProblemResponses as writeProblems,
} from "@lto/http-kit";
import type { CatalogueApp, EnrolBody } from "../../app/index.js";
import {
  enrolBody,
  enrolmentIdParams,
  enrolmentResponse,
  moveBody,
  sessionEnrolmentsResponse,
  withdrawalBody,
} from "./enrolment-schemas.js";
import { pageQuery, sessionIdParams } from "./schemas.js";

export function enrolmentRoutes(app: CatalogueApp) {
  return (api: ApiRouter) => {
    api.route({
      method: "post",
      path: "/v1/sessions/{sessionId}/enrolments",
      summary:
        "Enrol in a session: a learner or teacher for themself, a school for its student, staff of the site for anyone",
      description:
        "201 confirmed on a seat; 202 waiting (with the position) when the session is full; 200 when the person is " +
        "already enrolled or waiting (the enrolment as it is). 409 when enrolment is closed, the session is full " +
        "without a waiting list, or prerequisites are missing (staff may waive them with overrideReason).",
      tags: ["enrolments"],
      auth: "required",
      idempotent: true,
      request: { params: sessionIdParams, body: enrolBody },
      responses: {
        200: { description: "Already enrolled or waiting", schema: enrolmentResponse },
        201: { description: "Confirmed on a seat", schema: enrolmentResponse },
        202: { description: "Waiting for a seat", schema: enrolmentResponse },
        ...writeProblems,
      },
      handler: async ({ identity, params, body }) => {
        const { enrolment, created } = await app.enrolments.enrol(
          identity,
          params.sessionId,
          body as EnrolBody,
        );
        const status = !created ? 200 : enrolment.status === "waitlisted" ? 202 : 201;
        return { ...ok(enrolment, status), headers: { location: `/v1/enrolments/${enrolment.id}` } };
      },
    });
    api.route({
      method: "get",
      path: "/v1/sessions/{sessionId}/enrolments",
      summary: "Everyone enrolled or waiting in a session (staff of its site, programme, admin)",
      description:
        "In the order they enrolled, a page at a time; a waiting person's position is their place in the whole line.",
      tags: ["enrolments"],
      auth: "required",
      request: { params: sessionIdParams, query: pageQuery },
      responses: {
        200: { description: "The session's enrolments, first come first", schema: sessionEnrolmentsResponse },
        ...problems,
      },
      handler: async ({ identity, params, query }) =>
        ok(await app.enrolments.forSession(identity, params.sessionId, query)),
    });
    api.route({
      method: "get",
      path: "/v1/enrolments/mine",
      summary: "The caller's own enrolments (a learner, a teacher)",
      tags: ["enrolments"],
      auth: "required",
      request: { query: pageQuery },
      responses: {
        200: { description: "My enrolments, newest first", schema: pageOf(enrolmentResponse) },
        ...problems,
      },
      handler: async ({ identity, query }) => ok(await app.enrolments.mine(identity, query)),
    });
    api.route({
      method: "get",
      path: "/v1/enrolments/{enrolmentId}",
      summary: "Read an enrolment with its history (the person, their school, staff of the site, programme)",
      tags: ["enrolments"],
      auth: "required",
      request: { params: enrolmentIdParams },
      responses: { 200: { description: "The enrolment", schema: enrolmentResponse }, ...problems },
      handler: async ({ identity, params }) => ok(await app.enrolments.get(identity, params.enrolmentId)),
    });
    api.route({
      method: "post",
      path: "/v1/enrolments/{enrolmentId}/withdrawal",
      summary: "Withdraw (before the deadline a held seat is freed and offered to the first in line)",
      tags: ["enrolments"],
      auth: "required",
      request: { params: enrolmentIdParams, body: withdrawalBody },
      responses: { 200: { description: "The enrolment", schema: enrolmentResponse }, ...writeProblems },
      handler: async ({ identity, params, body }) =>
        ok(await app.enrolments.withdraw(identity, params.enrolmentId, body?.reason)),
    });
    for (const [name, summary] of [
      ["accept-offer", "Accept the seat offered to you before it expires"],
      ["decline-offer", "Decline the seat offered to you (it goes to the next in line)"],
    ] as const)
      api.route({
        method: "post",
        path: `/v1/enrolments/{enrolmentId}/${name}`,
        summary,
        tags: ["enrolments"],
        auth: "required",
        request: { params: enrolmentIdParams },
        responses: { 200: { description: "The enrolment", schema: enrolmentResponse }, ...writeProblems },
        handler: async ({ identity, params }) =>
          ok(
            name === "accept-offer"
              ? await app.enrolments.acceptOffer(identity, params.enrolmentId)
              : await app.enrolments.declineOffer(identity, params.enrolmentId),
          ),
      });
    api.route({
      method: "post",
      path: "/v1/enrolments/{enrolmentId}/move",
      summary:
        "Move a confirmed learner to another session of the same course (the target seat first; a retry completes it)",
      tags: ["enrolments"],
      auth: "required",
      request: { params: enrolmentIdParams, body: moveBody },
      responses: {
        200: { description: "The enrolment in the target session", schema: enrolmentResponse },
        ...writeProblems,
      },
      handler: async ({ identity, params, body }) =>
        ok(await app.enrolments.move(identity, params.enrolmentId, body.targetSessionId)),
    });
  };
}
