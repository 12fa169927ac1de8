// Talent profiles (adult learners) and company search. Handlers only translate HTTP to use cases; rules
// live in app and domain.
import type { ApiRouter } from "@lto/http-kit";
import {
  pageOf,
  problemResponses as problems,
  versionedResult as ok,
  writeProblemResponses as writeProblems,
  z,
} from "@lto/http-kit";
import type { CatalogueApp } from "../../app/index.js";
import {
  acceptBody,
  companyProfileResponse,
  contactRequestBody,
  contactRequestResponse,
  myTalentResponse,
  ownProfileResponse,
  profileIdParams,
  profileViewResponse,
  requestIdParams,
  talentProfileBody,
  talentSearchQuery,
} from "./talent-schemas.js";
import { pageQuery } from "./schemas.js";

export function talentRoutes(app: CatalogueApp) {
  return (api: ApiRouter) => {
    api.route({
      method: "put",
      path: "/v1/talent/profile/mine",
      summary: "Opt in to a talent profile, or change it (adult learner)",
      description:
        "Shows chosen credentials of the caller's passport to verified companies under a pseudonym. " +
        "Only adults: the birth date is checked and not kept; a minor gets 403.",
      tags: ["talent"],
      auth: "required",
      request: { body: talentProfileBody },
      responses: { 200: { description: "The profile", schema: ownProfileResponse }, ...writeProblems },
      handler: async ({ identity, body }) => ok(await app.talent.put(identity, body)),
    });
    api.route({
      method: "get",
      path: "/v1/talent/profile/mine",
      summary: "The caller's talent profile, null when none (learner)",
      tags: ["talent"],
      auth: "required",
      request: { query: z.strictObject({}) },
      responses: { 200: { description: "The profile", schema: myTalentResponse }, ...problems },
      handler: async ({ identity }) => ok(await app.talent.mine(identity)),
    });
    api.route({
      method: "get",
      path: "/v1/talent/profile/mine/views",
      summary: "Who looked: the companies that opened the caller's profiles, newest first (learner)",
      tags: ["talent"],
      auth: "required",
      request: { query: pageQuery },
      responses: {
        200: { description: "Views, newest first", schema: pageOf(profileViewResponse) },
        ...problems,
      },
      handler: async ({ identity, query }) => ok(await app.talent.views(identity, query)),
    });
    api.route({
      method: "delete",
      path: "/v1/talent/profile/mine",
      summary: "Withdraw the talent profile: out of search at once, pending requests closed (learner)",
      tags: ["talent"],
      auth: "required",
      request: { query: z.strictObject({}) },
      responses: { 204: { description: "Withdrawn" }, ...writeProblems },
      handler: async ({ identity }) => {
        await app.talent.withdraw(identity);
        return { status: 204 };
      },
    });
    api.route({
      method: "get",
      path: "/v1/talent/profiles",
      summary:
        "Search opted-in profiles by competence, minimum level, framework version, area, district (company)",
      tags: ["talent"],
      auth: "required",
      request: { query: talentSearchQuery },
      responses: {
        200: { description: "Profiles, newest first", schema: pageOf(companyProfileResponse) },
        ...problems,
      },
      handler: async ({ identity, query }) => ok(await app.talent.search(identity, query)),
    });
    api.route({
      method: "get",
      path: "/v1/talent/profiles/{profileId}",
      summary: "Open a profile; the person sees that the company looked (company)",
      tags: ["talent"],
      auth: "required",
      request: { params: profileIdParams, query: z.strictObject({}) },
      responses: { 200: { description: "The profile", schema: companyProfileResponse }, ...problems },
      handler: async ({ identity, params }) => ok(await app.talent.open(identity, params.profileId)),
    });
    api.route({
      method: "post",
      path: "/v1/talent/profiles/{profileId}/contact-requests",
      summary: "Ask the person behind a profile for contact, with a short message in Italian (company)",
      tags: ["talent"],
      auth: "required",
      request: { params: profileIdParams, body: contactRequestBody },
      responses: {
        201: { description: "The request, pending", schema: contactRequestResponse },
        ...writeProblems,
      },
      handler: async ({ identity, params, body }) =>
        ok(await app.talent.requestContact(identity, params.profileId, body.message), 201),
    });
    api.route({
      method: "get",
      path: "/v1/talent/contact-requests/mine",
      summary: "Contact requests: received (learner) or sent by the caller's company (company)",
      tags: ["talent"],
      auth: "required",
      request: { query: pageQuery },
      responses: {
        200: { description: "Requests, newest first", schema: pageOf(contactRequestResponse) },
        ...problems,
      },
      handler: async ({ identity, query }) => ok(await app.talent.requestsMine(identity, query)),
    });
    api.route({
      method: "post",
      path: "/v1/talent/contact-requests/{requestId}/accept",
      summary: "Accept a contact request, sharing the contact the person chooses (learner)",
      tags: ["talent"],
      auth: "required",
      request: { params: requestIdParams, body: acceptBody },
      responses: { 200: { description: "Accepted", schema: contactRequestResponse }, ...writeProblems },
      handler: async ({ identity, params, body }) =>
        ok(await app.talent.accept(identity, params.requestId, body.contact)),
    });
    api.route({
      method: "post",
      path: "/v1/talent/contact-requests/{requestId}/decline",
      summary: "Decline a contact request (learner)",
      tags: ["talent"],
      auth: "required",
      request: { params: requestIdParams },
      responses: { 200: { description: "Declined", schema: contactRequestResponse }, ...writeProblems },
      handler: async ({ identity, params }) => ok(await app.talent.decline(identity, params.requestId)),
    });
  };
}
