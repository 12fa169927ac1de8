// The REST API under /v1: reference data (public), operators and their plans, persons. Handlers only
// translate HTTP to use cases; rules live in app and domain.
import type { ApiRouter, HandlerResult } from "@lto/http-kit";
import {
  pageOf,
  problemResponses as problems,
  versionedResult as ok,
  writeProblemResponses as writeProblems,
  z,
} from "@lto/http-kit";
import type { SelfEmploymentApp } from "../../app/index.js";
import { availabilityRoutes } from "./availability-routes.js";
import { calendarFeedRoutes } from "./calendar-feeds-routes.js";
import { labConflictRoutes } from "./lab-conflicts-routes.js";
import { bookingRoutes } from "./bookings-routes.js";
import { bookingChangeRoutes } from "./booking-changes-routes.js";
import { waitlistRoutes } from "./waitlist-routes.js";
import { pathRoutes } from "./paths-routes.js";
import { personLoginRoutes } from "./person-logins-routes.js";
import type { OperatorInput, PersonInput, PlanException, WorkingPlanEntry } from "../../domain/index.js";
import {
  codeParams,
  exceptionsBody,
  operatorBody,
  operatorParams,
  operatorResponse,
  pageQuery,
  personBody,
  personParams,
  personResponse,
  planBody,
  serviceTypeResponse,
  siteParams,
  siteResponse,
} from "./schemas.js";

function created(body: { id?: unknown }, collection: string): HandlerResult {
  return { ...ok(body, 201), headers: { location: `/v1/${collection}/${String(body.id)}` } };
}

// Optional fields only when sent: the domain types have no `undefined` values.
const defined = <T extends object>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

export function routes(app: SelfEmploymentApp) {
  return (api: ApiRouter) => {
    // --- reference data (public) ---
    api.route({
      method: "get",
      path: "/v1/service-types",
      summary: "List the labour and self-employment service types, with their rules and path order (public)",
      tags: ["reference"],
      auth: "optional",
      request: { query: z.strictObject({}) },
      responses: {
        200: { description: "Service types", schema: z.object({ items: z.array(serviceTypeResponse) }) },
        ...problems,
      },
      handler: async () => ok(app.reference.serviceTypes()),
    });
    api.route({
      method: "get",
      path: "/v1/service-types/{code}",
      summary: "Read one service type (public)",
      tags: ["reference"],
      auth: "optional",
      request: { params: codeParams },
      responses: { 200: { description: "The service type", schema: serviceTypeResponse }, ...problems },
      handler: async ({ params }) => ok(app.reference.serviceType(params.code)),
    });
    api.route({
      method: "get",
      path: "/v1/sites",
      summary: "List the sites with their rooms, labs and equipment (public)",
      tags: ["reference"],
      auth: "optional",
      request: { query: z.strictObject({}) },
      responses: {
        200: { description: "Sites", schema: z.object({ items: z.array(siteResponse) }) },
        ...problems,
      },
      handler: async () => ok(app.reference.sites()),
    });
    api.route({
      method: "get",
      path: "/v1/sites/{siteId}",
      summary: "Read one site (public)",
      tags: ["reference"],
      auth: "optional",
      request: { params: siteParams },
      responses: { 200: { description: "The site", schema: siteResponse }, ...problems },
      handler: async ({ params }) => ok(app.reference.site(params.siteId)),
    });

    // --- operators ---
    api.route({
      method: "post",
      path: "/v1/operators",
      summary: "Add an operator with profiles, working plan and exceptions (staff of all its sites, admin)",
      tags: ["operators"],
      auth: "required",
      idempotent: true,
      request: { body: operatorBody },
      responses: { 201: { description: "The operator", schema: operatorResponse }, ...writeProblems },
      handler: async ({ identity, body }) =>
        created(await app.operators.create(identity, defined(body) as OperatorInput), "operators"),
    });
    api.route({
      method: "get",
      path: "/v1/operators/{operatorId}",
      summary: "Read an operator (staff of one of its sites, programme, admin)",
      tags: ["operators"],
      auth: "required",
      request: { params: operatorParams },
      responses: { 200: { description: "The operator", schema: operatorResponse }, ...problems },
      handler: async ({ identity, params }) => ok(await app.operators.get(identity, params.operatorId)),
    });
    api.route({
      method: "get",
      path: "/v1/sites/{siteId}/operators",
      summary: "List the operators working at a site (staff of the site, programme, admin)",
      tags: ["operators"],
      auth: "required",
      request: { params: siteParams, query: pageQuery },
      responses: {
        200: { description: "Operators, newest first", schema: pageOf(operatorResponse) },
        ...problems,
      },
      handler: async ({ identity, params, query }) =>
        ok(await app.operators.listBySite(identity, params.siteId, defined(query))),
    });
    api.route({
      method: "put",
      path: "/v1/operators/{operatorId}/plan",
      summary: "Replace an operator's working plan and daily cap (staff of all its sites, admin)",
      tags: ["operators"],
      auth: "required",
      ifMatch: "required",
      request: { params: operatorParams, body: planBody },
      responses: { 200: { description: "The operator", schema: operatorResponse }, ...writeProblems },
      handler: async ({ identity, params, body, requireIfMatch }) =>
        ok(
          await app.operators.replacePlan(
            identity,
            params.operatorId,
            defined(body) as { plan: WorkingPlanEntry[]; dailyCap?: number },
            requireIfMatch(),
          ),
        ),
    });
    api.route({
      method: "put",
      path: "/v1/operators/{operatorId}/exceptions",
      summary: "Replace an operator's exceptions: leave and extra days (staff of all its sites, admin)",
      tags: ["operators"],
      auth: "required",
      ifMatch: "required",
      request: { params: operatorParams, body: exceptionsBody },
      responses: { 200: { description: "The operator", schema: operatorResponse }, ...writeProblems },
      handler: async ({ identity, params, body, requireIfMatch }) =>
        ok(
          await app.operators.replaceExceptions(
            identity,
            params.operatorId,
            body.exceptions.map((e) => defined(e)) as PlanException[],
            requireIfMatch(),
          ),
        ),
    });

    // --- persons ---
    api.route({
      method: "post",
      path: "/v1/persons",
      summary: "Register a person at your site (staff of the site, admin); one person per codice fiscale",
      description:
        "Under 16: refused (400 on birthDate). 16-17: needs guardianConsent and referent (their school referent; refused for adults). A codice fiscale registered already: 409 with the person's id.",
      tags: ["persons"],
      auth: "required",
      idempotent: true,
      request: { body: personBody },
      responses: { 201: { description: "The person", schema: personResponse }, ...writeProblems },
      handler: async ({ identity, body }) =>
        created(await app.persons.register(identity, defined(body) as PersonInput), "persons"),
    });
    api.route({
      method: "get",
      path: "/v1/persons/{personId}",
      summary: "Read a person (staff of their site, admin; the programme office by pseudonym only)",
      tags: ["persons"],
      auth: "required",
      request: { params: personParams },
      responses: { 200: { description: "The person", schema: personResponse }, ...problems },
      handler: async ({ identity, params }) => ok(await app.persons.get(identity, params.personId)),
    });
    api.route({
      method: "get",
      path: "/v1/sites/{siteId}/persons",
      summary: "List the persons registered at a site (staff of the site, admin; programme by pseudonym)",
      tags: ["persons"],
      auth: "required",
      request: { params: siteParams, query: pageQuery },
      responses: {
        200: { description: "Persons, newest first", schema: pageOf(personResponse) },
        ...problems,
      },
      handler: async ({ identity, params, query }) =>
        ok(await app.persons.listBySite(identity, params.siteId, defined(query))),
    });

    availabilityRoutes(app)(api);
    pathRoutes(app)(api);
    calendarFeedRoutes(app)(api);
    labConflictRoutes(app)(api);
    personLoginRoutes(app)(api);
    bookingRoutes(app)(api);
    bookingChangeRoutes(app)(api);
    waitlistRoutes(app)(api);
  };
}
