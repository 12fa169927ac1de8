// Persons linked to their learner accounts (staff of the person's site), and a learner's own record
// (GET /v1/me). Handlers only translate HTTP to use cases.
import type { ApiRouter } from "@lto/http-kit";
import {
  problemResponses as problems,
  versionedResult as ok,
  writeProblemResponses as writeProblems,
  z,
} from "@lto/http-kit";
import type { SelfEmploymentApp } from "../../app/index.js";
import { loginBody, linkedPersonResponse, meResponse } from "./person-logins-schemas.js";
import { personParams } from "./schemas.js";

export function personLoginRoutes(app: SelfEmploymentApp) {
  return (api: ApiRouter) => {
    api.route({
      method: "put",
      path: "/v1/persons/{personId}/login",
      summary: "Link a person to their learner account (staff of the person's site, admin)",
      description:
        "One person per learner account: 409 naming the person it is linked to. The change is kept in the person's loginHistory.",
      tags: ["logins"],
      auth: "required",
      ifMatch: "optional",
      request: { params: personParams, body: loginBody },
      responses: { 200: { description: "The person", schema: linkedPersonResponse }, ...writeProblems },
      handler: async ({ identity, params, body, ifMatch }) =>
        ok(await app.logins.link(identity, params.personId, body.learnerSubject, ifMatch)),
    });
    api.route({
      method: "delete",
      path: "/v1/persons/{personId}/login",
      summary: "Clear a person's learner account (staff of the person's site, admin)",
      tags: ["logins"],
      auth: "required",
      ifMatch: "optional",
      request: { params: personParams },
      responses: { 200: { description: "The person", schema: linkedPersonResponse }, ...writeProblems },
      handler: async ({ identity, params, ifMatch }) =>
        ok(await app.logins.unlink(identity, params.personId, ifMatch)),
    });
    api.route({
      method: "get",
      path: "/v1/me",
      summary: "Your person record and open path (learners whose account staff linked to their person)",
      description: "404 saying to ask the staff of your site when no person is linked to your account.",
      tags: ["logins"],
      auth: "required",
      request: { query: z.strictObject({}) },
      responses: { 200: { description: "You and your open path", schema: meResponse }, ...problems },
      handler: async ({ identity }) => ok(await app.logins.me(identity)),
    });
  };
}
