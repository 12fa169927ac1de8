// Availability of a service type at a site, and the equipment credential gate. Handlers only
// translate HTTP to use cases.
import type { ApiRouter } from "@lto/http-kit";
import { problemResponses as problems, versionedResult as ok } from "@lto/http-kit";
import type { SelfEmploymentApp } from "../../app/index.js";
import {
  availabilityQuery,
  availabilityResponse,
  equipmentAccessQuery,
  equipmentAccessResponse,
  equipmentParams,
} from "./availability-schemas.js";

export function availabilityRoutes(app: SelfEmploymentApp) {
  return (api: ApiRouter) => {
    api.route({
      method: "get",
      path: "/v1/availability",
      summary:
        "Free slots of a service type at a site over Europe/Rome days (staff of the site, programme, admin, learners)",
      description:
        "Grouped by day; each slot has its instants, Rome wall-clock labels with offsets and the free operators. At most 62 days per call; the service's notice and horizon apply.",
      tags: ["availability"],
      auth: "required",
      request: { query: availabilityQuery },
      responses: {
        200: { description: "The free slots, by day", schema: availabilityResponse },
        ...problems,
      },
      handler: async ({ identity, query }) =>
        ok(
          await app.availability.slots(identity, {
            service: query.service,
            site: query.site,
            from: query.from,
            to: query.to,
            ...(query.operator === undefined ? {} : { operator: query.operator }),
          }),
        ),
    });
    api.route({
      method: "get",
      path: "/v1/equipment/{itemId}/access",
      summary:
        "May a person use this lab equipment? Asks the catalogue for the credential it needs (staff of its site, admin)",
      description:
        "Asked fresh of the catalogue service; when it does not answer in time: 503 with Retry-After.",
      tags: ["equipment"],
      auth: "required",
      request: { params: equipmentParams, query: equipmentAccessQuery },
      responses: { 200: { description: "The answer", schema: equipmentAccessResponse }, ...problems },
      handler: async ({ identity, params, query }) =>
        ok(await app.availability.equipmentAccess(identity, params.itemId, query.person)),
    });
  };
}
