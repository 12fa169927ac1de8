// The REST API under /v1: calls, teams (with a student's export and erasure), ideas and their
// lifecycle. Handlers only translate HTTP to use cases; rules live in app and domain.
import type { ApiRouter, HandlerResult } from "@lto/http-kit";
import {
  pageOf,
  problemSchema,
  problemResponses as problems,
  versionedResult as ok,
  writeProblemResponses as writeProblems,
} from "@lto/http-kit";
import type { IdeasApp } from "../../app/index.js";
import {
  answerBody,
  callBody,
  callIdParams,
  callListQuery,
  callResponse,
  consentBody,
  decisionBody,
  evaluatorsBody,
  exportResponse,
  ideaIdParams,
  ideaListQuery,
  ideaPatchBody,
  ideaResponse,
  memberParams,
  newIdeaBody,
  reasonBody,
  scoresBody,
  teamBody,
  teamIdParams,
  teamListQuery,
  teamResponse,
} from "./schemas.js";

function created(body: { id?: unknown; version?: unknown }, collection: string): HandlerResult {
  return { ...ok(body, 201), headers: { location: `/v1/${collection}/${String(body.id)}` } };
}

export function routes(app: IdeasApp) {
  return (api: ApiRouter) => {
    // --- calls ---
    api.route({
      method: "get",
      path: "/v1/calls",
      summary: "List the yearly calls with their current phase, newest first, a page at a time",
      tags: ["calls"],
      auth: "optional",
      request: { query: callListQuery },
      responses: { 200: { description: "Calls", schema: pageOf(callResponse) }, ...problems },
      handler: async ({ identity, query }) => ok(await app.calls.list(identity, query)),
    });
    api.route({
      method: "post",
      path: "/v1/calls",
      summary: "Create a call (staff)",
      tags: ["calls"],
      auth: "required",
      idempotent: true,
      request: { body: callBody },
      responses: { 201: { description: "Created", schema: callResponse }, ...writeProblems },
      handler: async ({ identity, body }) => created(await app.calls.create(identity, body), "calls"),
    });
    api.route({
      method: "get",
      path: "/v1/calls/{callId}",
      summary: "Read a call",
      tags: ["calls"],
      auth: "optional",
      request: { params: callIdParams },
      responses: { 200: { description: "The call", schema: callResponse }, ...problems },
      handler: async ({ identity, params }) => ok(await app.calls.get(identity, params.callId)),
    });
    api.route({
      method: "put",
      path: "/v1/calls/{callId}",
      summary: "Change a call's details, dates, panel or (before evaluation) rubric (staff)",
      tags: ["calls"],
      auth: "required",
      ifMatch: "required",
      request: { params: callIdParams, body: callBody },
      responses: { 200: { description: "The call", schema: callResponse }, ...writeProblems },
      handler: async ({ identity, params, body, requireIfMatch }) =>
        ok(await app.calls.update(identity, params.callId, body, requireIfMatch())),
    });

    // --- teams ---
    api.route({
      method: "get",
      path: "/v1/teams",
      summary: "List teams: a school its own; staff and programme all, by pseudonym",
      tags: ["teams"],
      auth: "required",
      request: { query: teamListQuery },
      responses: { 200: { description: "Teams", schema: pageOf(teamResponse) }, ...problems },
      handler: async ({ identity, query }) => ok(await app.teams.list(identity, query)),
    });
    api.route({
      method: "post",
      path: "/v1/teams",
      summary: "Register a student team (school)",
      tags: ["teams"],
      auth: "required",
      idempotent: true,
      request: { body: teamBody },
      responses: { 201: { description: "Registered", schema: teamResponse }, ...writeProblems },
      handler: async ({ identity, body }) => created(await app.teams.register(identity, body), "teams"),
    });
    api.route({
      method: "get",
      path: "/v1/teams/{teamId}",
      summary: "Read a team (members by pseudonym only outside its school)",
      tags: ["teams"],
      auth: "required",
      request: { params: teamIdParams },
      responses: { 200: { description: "The team", schema: teamResponse }, ...problems },
      handler: async ({ identity, params }) => ok(await app.teams.get(identity, params.teamId)),
    });
    api.route({
      method: "put",
      path: "/v1/teams/{teamId}",
      summary: "Change a team and its members (school)",
      tags: ["teams"],
      auth: "required",
      ifMatch: "required",
      request: { params: teamIdParams, body: teamBody },
      responses: { 200: { description: "The team", schema: teamResponse }, ...writeProblems },
      handler: async ({ identity, params, body, requireIfMatch }) =>
        ok(await app.teams.update(identity, params.teamId, body, requireIfMatch())),
    });
    api.route({
      method: "post",
      path: "/v1/teams/{teamId}/members/{memberId}/consent",
      summary: "Record the day a minor's parental consent was given (school)",
      tags: ["teams"],
      auth: "required",
      ifMatch: "optional",
      request: { params: memberParams, body: consentBody },
      responses: { 200: { description: "The team", schema: teamResponse }, ...writeProblems },
      handler: async ({ identity, params, body, ifMatch }) =>
        ok(
          await app.teams.recordConsent(
            identity,
            params.teamId,
            params.memberId,
            body.parentalConsentOn,
            ifMatch,
          ),
        ),
    });
    api.route({
      method: "get",
      path: "/v1/teams/{teamId}/members/{memberId}/export",
      summary: "Export everything the platform holds about one student, adoption records included (school)",
      tags: ["teams", "privacy"],
      auth: "required",
      request: { params: memberParams },
      responses: {
        200: { description: "The student's data", schema: exportResponse },
        ...problems,
        503: {
          description:
            "The adoption service did not answer (an export without it would be incomplete); retry",
          schema: problemSchema,
        },
      },
      handler: async ({ identity, params }) =>
        ok(await app.teams.exportMember(identity, params.teamId, params.memberId)),
    });
    api.route({
      method: "post",
      path: "/v1/teams/{teamId}/members/{memberId}/erase",
      summary: "Erase a student: replaced by an anonymous placeholder (school)",
      tags: ["teams", "privacy"],
      auth: "required",
      request: { params: memberParams },
      responses: { 200: { description: "The team", schema: teamResponse }, ...writeProblems },
      handler: async ({ identity, params }) =>
        ok(await app.teams.eraseMember(identity, params.teamId, params.memberId)),
    });

    // --- ideas ---
    api.route({
      method: "get",
      path: "/v1/ideas",
      summary: "Search ideas by call, state, area, district, technology, need, school and words",
      description:
        "Anonymous visitors and companies see published ideas; schools also their own; staff all submitted ones.",
      tags: ["ideas"],
      auth: "optional",
      request: { query: ideaListQuery },
      responses: { 200: { description: "Ideas, newest first", schema: pageOf(ideaResponse) }, ...problems },
      handler: async ({ identity, query }) => ok(await app.ideas.list(identity, query)),
    });
    api.route({
      method: "post",
      path: "/v1/ideas",
      summary: "Draft an idea for one of the school's teams (school)",
      tags: ["ideas"],
      auth: "required",
      idempotent: true,
      request: { body: newIdeaBody },
      responses: { 201: { description: "The draft", schema: ideaResponse }, ...writeProblems },
      handler: async ({ identity, body }) => created(await app.ideas.create(identity, body), "ideas"),
    });
    api.route({
      method: "get",
      path: "/v1/ideas/{ideaId}",
      summary: "Read an idea as your role may see it",
      tags: ["ideas"],
      auth: "optional",
      request: { params: ideaIdParams },
      responses: { 200: { description: "The idea", schema: ideaResponse }, ...problems },
      handler: async ({ identity, params }) => ok(await app.ideas.get(identity, params.ideaId)),
    });
    api.route({
      method: "patch",
      path: "/v1/ideas/{ideaId}",
      summary: "Edit a draft (school)",
      tags: ["ideas"],
      auth: "required",
      ifMatch: "required",
      request: { params: ideaIdParams, body: ideaPatchBody },
      responses: { 200: { description: "The idea", schema: ideaResponse }, ...writeProblems },
      handler: async ({ identity, params, body, requireIfMatch }) =>
        ok(await app.ideas.edit(identity, params.ideaId, body, requireIfMatch())),
    });

    const transition = (
      name: string,
      summary: string,
      run: (ctx: {
        identity: Parameters<IdeasApp["ideas"]["submit"]>[0];
        ideaId: string;
        body: unknown;
        ifMatch?: number;
      }) => Promise<unknown>,
      body?: typeof reasonBody | typeof decisionBody,
    ) =>
      api.route({
        method: "post",
        path: `/v1/ideas/{ideaId}/${name}`,
        summary,
        tags: ["ideas", "lifecycle"],
        auth: "required",
        ifMatch: "optional",
        request: { params: ideaIdParams, ...(body ? { body } : {}) },
        responses: { 200: { description: "The idea", schema: ideaResponse }, ...writeProblems },
        handler: async ({ identity, params, body: parsed, ifMatch }) =>
          ok(
            await run({
              identity,
              ideaId: params.ideaId,
              body: parsed,
              ...(ifMatch === undefined ? {} : { ifMatch }),
            }),
          ),
      });

    type Reason = { reason: string };
    type Decision = { answer?: string };
    transition("submit", "Submit a draft while the call accepts submissions (school)", (c) =>
      app.ideas.submit(c.identity, c.ideaId, c.ifMatch),
    );
    transition(
      "withdraw",
      "Withdraw the idea with a reason, any time before adoption (school)",
      (c) => app.ideas.withdraw(c.identity, c.ideaId, (c.body as Reason).reason, c.ifMatch),
      reasonBody,
    );
    transition("start-review", "Start reviewing a submitted idea (staff)", (c) =>
      app.ideas.startReview(c.identity, c.ideaId, c.ifMatch),
    );
    transition(
      "request-changes",
      "Send the idea back to draft with a change request (staff)",
      (c) => app.ideas.requestChanges(c.identity, c.ideaId, (c.body as Reason).reason, c.ifMatch),
      reasonBody,
    );
    transition(
      "publish",
      "Publish a scored idea; the answer becomes visible (staff)",
      (c) => app.ideas.publish(c.identity, c.ideaId, (c.body as Decision).answer, c.ifMatch),
      decisionBody,
    );
    transition(
      "reject",
      "Reject the idea with an answer to the school (staff)",
      (c) => app.ideas.reject(c.identity, c.ideaId, (c.body as Decision).answer, c.ifMatch),
      decisionBody,
    );

    api.route({
      method: "put",
      path: "/v1/ideas/{ideaId}/evaluators",
      summary: "Assign evaluators from the call's panel (staff)",
      tags: ["ideas", "evaluation"],
      auth: "required",
      ifMatch: "optional",
      request: { params: ideaIdParams, body: evaluatorsBody },
      responses: { 200: { description: "The idea", schema: ideaResponse }, ...writeProblems },
      handler: async ({ identity, params, body, ifMatch }) =>
        ok(await app.ideas.assignEvaluators(identity, params.ideaId, body.evaluators, ifMatch)),
    });
    api.route({
      method: "put",
      path: "/v1/ideas/{ideaId}/scores",
      summary: "Score the rubric and keep private notes (the assigned evaluator)",
      tags: ["ideas", "evaluation"],
      auth: "required",
      ifMatch: "optional",
      request: { params: ideaIdParams, body: scoresBody },
      responses: { 200: { description: "The idea", schema: ideaResponse }, ...writeProblems },
      handler: async ({ identity, params, body, ifMatch }) =>
        ok(await app.ideas.score(identity, params.ideaId, body.scores, body.notes, ifMatch)),
    });
    api.route({
      method: "put",
      path: "/v1/ideas/{ideaId}/answer",
      summary: "Prepare the decision's answer, internal until publication or rejection (staff)",
      tags: ["ideas", "evaluation"],
      auth: "required",
      ifMatch: "optional",
      request: { params: ideaIdParams, body: answerBody },
      responses: { 200: { description: "The idea", schema: ideaResponse }, ...writeProblems },
      handler: async ({ identity, params, body, ifMatch }) =>
        ok(await app.ideas.draftAnswer(identity, params.ideaId, body.answer, ifMatch)),
    });
  };
}
