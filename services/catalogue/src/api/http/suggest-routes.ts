// Course suggestions for adopted teams and the DigComp self-check. Handlers only translate HTTP to use
// cases; rules live in app and domain.
import type { ApiRouter } from "@lto/http-kit";
import {
  problemResponses as problems,
  versionedResult as ok,
  writeProblemResponses as writeProblems,
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
import { pageQuery } from "./schemas.js";

export function suggestRoutes(app: CatalogueApp) {
  return (api: ApiRouter) => {
    api.route({
      method: "get",
      path: "/v1/teams/{teamId}/suggestions",
      summary: "Course suggestions for a team's adopted idea (the team's school, staff, programme, admin)",
      description:
        "One item per adopted idea, newest idea first, a page at a time: published courses of the idea's economic area whose DigComp competences fit its technologies, for the " +
        "students and for the referent teacher; sessions near the school's district first. Computed when read.",
      tags: ["suggestions"],
      auth: "required",
      request: { params: teamIdParams, query: pageQuery },
      responses: {
        200: { description: "Suggestions per adopted idea", schema: teamSuggestionsResponse },
        ...problems,
      },
      handler: async ({ identity, params, query }) =>
        ok(await app.suggestions.forTeam(identity, params.teamId, query)),
    });
    api.route({
      method: "get",
      path: "/v1/suggestions/mine",
      summary: "Course suggestions for every adopted team of the caller's school (school)",
      description: "One item per adopted idea, newest idea first, a page at a time.",
      tags: ["suggestions"],
      auth: "required",
      request: { query: pageQuery },
      responses: {
        200: { description: "Suggestions per adopted idea", schema: mySuggestionsResponse },
        ...problems,
      },
      handler: async ({ identity, query }) => ok(await app.suggestions.mine(identity, query)),
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
      summary: "The caller's self-checks, newest first, and every current placement (learner)",
      description:
        "The self-checks page; the placements (one per framework version and competence) come whole with each page.",
      tags: ["self-checks"],
      auth: "required",
      request: { query: pageQuery },
      responses: {
        200: { description: "Self-checks and placements", schema: mySelfChecksResponse },
        ...problems,
      },
      handler: async ({ identity, query }) => ok(await app.selfChecks.mine(identity, query)),
    });
  };
}
