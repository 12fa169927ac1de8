// Every endpoint of the gateway's JSON API as every role and as nobody, and hostile bodies refused
// with a 4xx problem, never a 5xx, nothing stored.
import { ROLES, type Role, type TokenClaims } from "@lto/auth";
import { uniqueId } from "@lto/testkit";
import { expectHostileTextRefused, type TestService } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGateway } from "./support.js";

let gateway: TestService;
beforeAll(async () => {
  gateway = await startGateway();
}, 60_000);
afterAll(() => gateway?.close());

const caller = (role: Role): TokenClaims => ({
  sub: `caller-${role}`,
  role,
  org: role === "staff" || role === "programme" ? "provincia-mantova" : `org-${role}`,
  sites: role === "staff" ? ["lto-mantova"] : [],
});
const schoolInvitation = () => ({
  email: `${uniqueId("p")}@scuola.example.it`,
  role: "school",
  organisationId: "school-fermi-mantova",
  displayName: "Prof. Anna Neri",
});
/** A fresh invited school account to act on. */
async function freshAccount(): Promise<string> {
  const res = await gateway.as(caller("admin")).post("/v1/invitations", schoolInvitation());
  expect(res.status, res.text).toBe(201);
  return res.body.account.subject as string;
}

type Expect = Partial<Record<Role | "none", number>>;
const matrix: {
  what: string;
  allowed: Expect;
  send(as: TokenClaims | undefined): Promise<{ status: number; text: string }>;
}[] = [
  {
    what: "POST /v1/invitations (a school referent)",
    allowed: { staff: 201, admin: 201 },
    send: (as) => gateway.as(as).post("/v1/invitations", schoolInvitation()),
  },
  {
    what: "GET /v1/accounts/{subject}",
    allowed: { staff: 200, admin: 200 },
    send: (as) => gateway.as(as).get("/v1/accounts/staff-lto-mantova"),
  },
  {
    what: "POST /v1/accounts/{subject}:disable (a school account)",
    allowed: { staff: 200, admin: 200 },
    send: async (as) =>
      gateway.as(as).post(`/v1/accounts/${await freshAccount()}:disable`, { reason: "test" }),
  },
  {
    what: "GET /v1/accounts",
    allowed: { admin: 200 },
    send: (as) => gateway.as(as).get("/v1/accounts?status=active&limit=5"),
  },
  {
    what: "GET /v1/accounts:count",
    allowed: { admin: 200 },
    send: (as) => gateway.as(as).get("/v1/accounts:count"),
  },
  {
    what: "POST /v1/accounts/{subject}:enable (a disabled school account)",
    allowed: { admin: 200 },
    send: async (as) => {
      const subject = await freshAccount();
      const off = await gateway.as(caller("admin")).post(`/v1/accounts/${subject}:disable`, { reason: "t" });
      expect(off.status, off.text).toBe(200);
      return gateway.as(as).post(`/v1/accounts/${subject}:enable`);
    },
  },
  {
    what: "POST /v1/accounts/{subject}/sessions:revoke",
    allowed: { staff: 200, admin: 200 },
    send: (as) => gateway.as(as).post("/v1/accounts/referent-school-fermi-mantova/sessions:revoke"),
  },
  {
    what: "POST /v1/invitations/acceptance (an unknown link: the same answer for anyone)",
    allowed: { none: 404, ...Object.fromEntries(ROLES.map((r) => [r, 404])) },
    send: (as) =>
      gateway
        .as(as)
        .post("/v1/invitations/acceptance", { token: "x".repeat(43), password: "a long enough password" }),
  },
];

describe("every endpoint x every role", () => {
  for (const row of matrix) {
    it(row.what, async () => {
      for (const who of [...ROLES, "none"] as const) {
        const res = await row.send(who === "none" ? undefined : caller(who));
        const expected = row.allowed[who] ?? (who === "none" ? 401 : 403);
        expect(res.status, `${row.what} as ${who}: ${res.text}`).toBe(expected);
      }
    });
  }

  it("anyone reads their own account", async () => {
    const me = { sub: "referent-school-fermi-mantova", role: "school", org: "school-fermi-mantova" } as const;
    const res = await gateway.as(me).get("/v1/accounts/referent-school-fermi-mantova");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ email: "scuola@demo.lto.local", status: "active" });
    expect(res.body.passwordHash).toBeUndefined();
  });

  it("staff invite only the people the programme works with; admin anyone", async () => {
    const asStaff = await gateway
      .as(caller("staff"))
      .post("/v1/invitations", { ...schoolInvitation(), role: "admin" });
    expect(asStaff.status).toBe(403);
    const asAdmin = await gateway
      .as(caller("admin"))
      .post("/v1/invitations", { ...schoolInvitation(), role: "staff", sites: ["lto-mantova"] });
    expect(asAdmin.status, asAdmin.text).toBe(201);
  });
});

describe("hostile bodies", () => {
  it("refuses control characters and lone surrogates in every text field", async () => {
    await expectHostileTextRefused([
      {
        what: "POST /v1/invitations",
        body: schoolInvitation(),
        fields: ["organisationId", "displayName"],
        send: (body) => gateway.as(caller("staff")).post("/v1/invitations", body),
      },
      {
        what: "POST /v1/invitations/acceptance",
        body: { token: "x".repeat(43), password: "a long enough password" },
        fields: ["token", "password"],
        send: (body) => gateway.as().post("/v1/invitations/acceptance", body),
      },
    ]);
  });

  it("answers malformed, oversized, mistyped and unexpected bodies with 4xx problems", async () => {
    const staff = gateway.as(caller("staff"));
    const cases: [string, Promise<{ status: number; headers: Headers }>, number][] = [
      ["malformed JSON", staff.post("/v1/invitations", "{not json"), 400],
      ["an array", staff.post("/v1/invitations", []), 400],
      ["an unknown field", staff.post("/v1/invitations", { ...schoolInvitation(), admin: true }), 400],
      ["an unknown role", staff.post("/v1/invitations", { ...schoolInvitation(), role: "root" }), 400],
      ["a bad e-mail", staff.post("/v1/invitations", { ...schoolInvitation(), email: "nope" }), 400],
      [
        "a bad birth date",
        staff.post("/v1/invitations", { ...schoolInvitation(), birthDate: "2001-13-45" }),
        400,
      ],
      [
        "a huge body",
        staff.post("/v1/invitations", { ...schoolInvitation(), displayName: "x".repeat(200_000) }),
        413,
      ],
      ["text/plain", staff.post("/v1/invitations", "a", { headers: { "content-type": "text/plain" } }), 415],
      [
        "an operator as e-mail",
        staff.post("/v1/invitations", { ...schoolInvitation(), email: { $gt: "" } }),
        400,
      ],
    ];
    for (const [what, reply, status] of cases) {
      const res = await reply;
      expect(res.status, what).toBe(status);
      expect(res.headers.get("content-type"), what).toContain("application/problem+json");
    }
  });

  it("answers hostile sign-in forms with the form again or a 4xx, never a 5xx", async () => {
    const bodies = [
      "email=%00&password=%00",
      `email=${"a".repeat(20_000)}&password=x`,
      "email[$gt]=&password[$gt]=",
      "%%%",
    ];
    for (const body of bodies) {
      const res = await fetch(`${gateway.url}/oidc/interaction/${uniqueId("uid")}/login`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body,
      });
      expect(res.status, body.slice(0, 40)).toBeGreaterThanOrEqual(400);
      expect(res.status, body.slice(0, 40)).toBeLessThan(500);
    }
  });

  it("answers an expired or unknown sign-in with a page saying to start again", async () => {
    const res = await fetch(`${gateway.url}/oidc/interaction/${uniqueId("uid")}`);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('<html lang="it">');
    expect(html).toContain("accedi di nuovo");
  });
});
