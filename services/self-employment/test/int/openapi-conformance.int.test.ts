// The self-employment service answers exactly what its live /openapi.json documents: every operation
// is sent unauthenticated, with the wrong role, with invalid input and with a valid request (and, where
// they apply, without or with a stale If-Match, a body that is not JSON, a reused Idempotency-Key);
// each answer's status must be documented for that operation, with its content type and body schema.
import { operations, probeOperations, type Probe } from "@lto/testkit/openapi-conformance";
import type { TestService } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callers, ok, operatorBody, personBody, startSelfEmployment } from "./support.js";

let svc: TestService;
const ids: Record<string, string> = {};
const staff = () => svc.as(callers.staff);
const operator = () => ok(staff(), "POST", "/v1/operators", operatorBody());
const v1 = { "if-match": '"1"' };

const valid: Record<string, () => Promise<Probe>> = {
  "GET /v1/service-types": async () => ({}),
  "GET /v1/service-types/{code}": async () => ({ path: "/v1/service-types/business_plan" }),
  "GET /v1/sites": async () => ({}),
  "GET /v1/sites/{siteId}": async () => ({ path: "/v1/sites/informagiovani-castiglione" }),
  "POST /v1/operators": async () => ({ as: callers.staff, body: operatorBody() }),
  "GET /v1/operators/{operatorId}": async () => ({ as: callers.programme }),
  "GET /v1/sites/{siteId}/operators": async () => ({ as: callers.staff }),
  "PUT /v1/operators/{operatorId}/plan": async () => ({
    path: `/v1/operators/${(await operator()).id}/plan`,
    as: callers.staff,
    body: { plan: [], dailyCap: 3 },
    headers: v1,
  }),
  "PUT /v1/operators/{operatorId}/exceptions": async () => ({
    path: `/v1/operators/${(await operator()).id}/exceptions`,
    as: callers.staff,
    body: {
      exceptions: [
        { kind: "extra", date: "2027-01-09", site: "lto-mantova", hours: { start: "09:00", end: "12:00" } },
      ],
    },
    headers: v1,
  }),
  "POST /v1/persons": async () => ({ as: callers.staff, body: personBody(svc) }),
  "GET /v1/persons/{personId}": async () => ({ as: callers.staff }),
  "GET /v1/sites/{siteId}/persons": async () => ({ as: callers.programme }),
  // availability and the equipment gate (an item needing no credential: no catalogue call)
  "GET /v1/availability": async () => ({
    path: "/v1/availability?service=colloquio_specialistico&site=lto-mantova&from=2027-01-04&to=2027-01-10",
    as: callers.learner,
  }),
  "GET /v1/equipment/{itemId}/access": async () => ({
    path: `/v1/equipment/lto-mantova-stampante-3d-1/access?person=${ids.personId}`,
    as: callers.staff,
  }),
};

beforeAll(async () => {
  svc = await startSelfEmployment();
  ids.operatorId = (await operator()).id;
  ids.personId = (await ok(staff(), "POST", "/v1/persons", personBody(svc))).id;
  ids.siteId = "lto-mantova";
  ids.code = "coaching";
});
afterAll(async () => {
  await svc?.close();
});

describe("the OpenAPI document", () => {
  it("documents every answer as the service sends it", async () => {
    const doc = (await svc.as().get("/openapi.json")).body;
    expect(doc.info.title).toMatch(/self-employment/);
    expect(operations(doc).length).toBe(Object.keys(valid).length);
    const violations = await probeOperations({
      doc,
      as: (caller) => svc.as(caller),
      valid,
      wrongRole: callers.company,
      ids,
    });
    expect(violations).toEqual([]);
  }, 120_000);

  it("replays a registration with the same Idempotency-Key instead of answering 409", async () => {
    const headers = { "idempotency-key": `person-${Math.random()}` };
    const body = personBody(svc);
    const first = await staff().post("/v1/persons", body, { headers });
    const again = await staff().post("/v1/persons", body, { headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
  });
});
