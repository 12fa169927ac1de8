// Course suggestions for adopted teams and the DigComp self-check. Handlers only translate HTTP to use
// cases; rules live in app and domain.
import type { ApiRouter } from "@lto/http-kit";
import {
  problemResponses as problems,
  versionedResult as ok,
  writeProblemResponses as writeProblems,
  z,
} from "@lto/http-kit";
import type { CatalogueApp } from "../../app/index.js";
import {
  mySelfChecksResponse,
  mySuggestionsResponse,
  questionnaireQuery,
  questionnaireResponse,
  selfCheckBody,
  selfCheckResponse,
  teamIdParams,
  teamSuggestionsResponse,
} from "./suggest-schemas.js";

export function suggestRoutes(app: CatalogueApp) {
  return (api: ApiRouter) => {
    api.route({
      method: "get",
      path: "/v1/teams/{teamId}/suggestions",
      summary: "Course suggestions for a team's adopted idea (the team's school, staff, programme, admin)",
      description:
        "Published courses of the idea's economic area whose DigComp competences fit its technologies, for the " +
        "students and for the referent teacher; sessions near the school's district first. Computed when read.",
      tags: ["suggestions"],
      auth: "required",
      request: { params: teamIdParams, query: z.strictObject({}) },
      responses: {
        200: { description: "Suggestions per adopted idea", schema: teamSuggestionsResponse },
        ...problems,
      },
      handler: async ({ identity, params }) => ok(await app.suggestions.forTeam(identity, params.teamId)),
    });
    api.route({
      method: "get",
      path: "/v1/suggestions/mine",
      summary: "Course suggestions for every adopted team of the caller's school (school)",
      tags: ["suggestions"],
      auth: "required",
      request: { query: z.strictObject({}) },
      responses: {
        200: { description: "Suggestions per adopted idea", schema: mySuggestionsResponse },
        ...problems,
      },
      handler: async ({ identity }) => ok(await app.suggestions.mine(identity)),
    });

    api.route({
      method: "get",
      path: "/v1/self-checks/questionnaire",
      summary: "The self-check questionnaire of a framework version (public)",
      tags: ["self-checks"],
      auth: "optional",
      request: { query: questionnaireQuery },
      responses: { 200: { description: "The questionnaire", schema: questionnaireResponse }, ...problems },
      handler: async ({ query }) => ok(app.selfChecks.questionnaire(query.framework, query.version)),
    });
    api.route({
      method: "post",
      path: "/v1/self-checks",
      summary:
        "Answer the self-check for one or more competences: levels, next courses, placements (learner)",
      tags: ["self-checks"],
      auth: "required",
      request: { body: selfCheckBody },
      responses: { 201: { description: "The levels reached", schema: selfCheckResponse }, ...writeProblems },
      handler: async ({ identity, body }) => ok(await app.selfChecks.submit(identity, body), 201),
    });
    api.route({
      method: "get",
      path: "/v1/self-checks/mine",
      summary: "The caller's self-checks, newest first, and current placements (learner)",
      tags: ["self-checks"],
      auth: "required",
      request: { query: z.strictObject({}) },
      responses: {
        200: { description: "Self-checks and placements", schema: mySelfChecksResponse },
        ...problems,
      },
      handler: async ({ identity }) => ok(await app.selfChecks.mine(identity)),
    });
  };
}
