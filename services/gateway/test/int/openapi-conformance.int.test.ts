// The gateway answers exactly what its live /openapi.json documents: every operation unauthenticated,
// with the wrong role, with invalid input and with a valid request; each answer's status, content
// type and body schema must be documented for that operation.
import { uniqueId } from "@lto/testkit";
import { conformance, operations, probeOperations, type Probe } from "@lto/testkit/openapi-conformance";
import type { TestService } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGateway } from "./support.js";

let gateway: TestService;
const staff = {
  sub: "staff-lto-mantova",
  role: "staff",
  org: "provincia-mantova",
  sites: ["lto-mantova"],
} as const;
const admin = { sub: "ops-admin", role: "admin", org: "lto-ops" } as const;
const company = { sub: "ing-gatti", role: "company", org: "company-omv" } as const;
const ACCEPTANCE = "POST /v1/invitations/acceptance";

const invitation = () => ({
  email: `${uniqueId("p")}@scuola.example.it`,
  role: "school",
  organisationId: "school-fermi-mantova",
  displayName: "Prof. Anna Neri",
});
async function invited(): Promise<{ subject: string; token: string }> {
  const res = await gateway.as(admin).post("/v1/invitations", invitation());
  expect(res.status, res.text).toBe(201);
  return { subject: res.body.account.subject, token: String(res.body.link).split("/invitations/")[1]! };
}

const valid: Record<string, () => Promise<Probe>> = {
  "POST /v1/invitations": async () => ({ as: staff, body: invitation() }),
  "GET /v1/accounts/{subject}": async () => ({ path: "/v1/accounts/staff-lto-mantova", as: staff }),
  "POST /v1/accounts/{subject}:disable": async () => ({
    path: `/v1/accounts/${(await invited()).subject}:disable`,
    as: admin,
    body: { reason: "left" },
  }),
  "GET /v1/accounts": async () => ({ path: "/v1/accounts?role=school&limit=2", as: admin }),
  "GET /v1/accounts:count": async () => ({ as: admin }),
  "POST /v1/accounts/{subject}:enable": async () => {
    const { subject } = await invited();
    const off = await gateway.as(admin).post(`/v1/accounts/${subject}:disable`, { reason: "left" });
    expect(off.status, off.text).toBe(200);
    return { path: `/v1/accounts/${subject}:enable`, as: admin };
  },
  "POST /v1/accounts/{subject}/sessions:revoke": async () => ({
    path: "/v1/accounts/referent-school-fermi-mantova/sessions:revoke",
    as: staff,
  }),
};

beforeAll(async () => {
  gateway = await startGateway();
}, 60_000);
afterAll(() => gateway?.close());

describe("the OpenAPI document", () => {
  it("documents every answer as the gateway sends it", async () => {
    const doc = (await gateway.as().get("/openapi.json")).body;
    expect(operations(doc).map((o) => `${o.method} ${o.path}`)).toContain(ACCEPTANCE);
    // A link works once: its probes are below, on fresh links, not the generic ones.
    const { [ACCEPTANCE.split(" ")[1]!]: _acceptance, ...paths } = doc.paths;
    const violations = await probeOperations({
      doc: { ...doc, paths },
      as: gateway.as,
      valid,
      wrongRole: company,
    });
    expect(violations).toEqual([]);
  });

  it("documents the acceptance of an invitation: accepted, used, unknown, invalid, a minor refused", async () => {
    const doc = (await gateway.as().get("/openapi.json")).body;
    const check = conformance(doc);
    const op = operations(doc).find((o) => `${o.method} ${o.path}` === ACCEPTANCE)!;
    const { token } = await invited();
    const body = { token, password: "a long enough password" };
    const answers = [
      ["valid", await gateway.as().post("/v1/invitations/acceptance", body)],
      ["used", await gateway.as().post("/v1/invitations/acceptance", body)],
      ["unknown", await gateway.as().post("/v1/invitations/acceptance", { ...body, token: "y".repeat(43) })],
      ["invalid", await gateway.as().post("/v1/invitations/acceptance", { token: 1 })],
    ] as const;
    expect(answers.map(([, a]) => a.status)).toEqual([200, 409, 404, 400]);
    expect(answers.flatMap(([what, a]) => check(op, a, what))).toEqual([]);

    const invite = operations(doc).find((o) => `${o.method} ${o.path}` === "POST /v1/invitations")!;
    const minor = await gateway
      .as(staff)
      .post("/v1/invitations", { ...invitation(), role: "learner", birthDate: "2015-01-01" });
    expect(minor.status).toBe(422);
    expect(check(invite, minor, "minor")).toEqual([]);
  });
});
