// Every endpoint with every role (own school, other school, company, staff of the call's site, staff of
// another site, programme, admin, anonymous).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  callers,
  fullScores,
  ideaContent,
  openCall,
  openCallBody,
  startIdeas,
  teamBody,
  type IdeasHarness,
} from "./support.js";

let h: IdeasHarness;
let callId: string;
let schoolYear: string;

const roles = {
  ownSchool: callers.school,
  otherSchool: callers.otherSchool,
  company: callers.company,
  staff: callers.staff,
  otherSiteStaff: callers.otherSiteStaff,
  programme: callers.programme,
  admin: callers.admin,
  anonymous: undefined,
} as const;
type RoleName = keyof typeof roles;
type Expected = Record<RoleName, number>;

function expect8(
  own: number,
  other: number,
  company: number,
  staff: number,
  otherSiteStaff: number,
  programme: number,
  admin: number,
  anonymous: number,
): Expected {
  return { ownSchool: own, otherSchool: other, company, staff, otherSiteStaff, programme, admin, anonymous };
}

interface Request {
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

async function newTeam() {
  return h.ok("POST", "/v1/teams", callers.school, teamBody(schoolYear));
}

async function newIdea(state: "draft" | "submitted" | "under_review" | "scored" | "published") {
  const team = await newTeam();
  const idea = await h.ok("POST", "/v1/ideas", callers.school, { ...ideaContent, callId, teamId: team.id });
  if (state === "draft") return idea;
  await h.ok("POST", `/v1/ideas/${idea.id}/submit`, callers.school);
  if (state === "submitted") return h.ok("GET", `/v1/ideas/${idea.id}`, callers.staff);
  await h.ok("PUT", `/v1/ideas/${idea.id}/evaluators`, callers.staff, {
    evaluators: [callers.evaluator.sub],
  });
  if (state === "under_review") return h.ok("GET", `/v1/ideas/${idea.id}`, callers.staff);
  await h.ok("PUT", `/v1/ideas/${idea.id}/scores`, callers.evaluator, { scores: fullScores });
  if (state === "scored") return h.ok("GET", `/v1/ideas/${idea.id}`, callers.staff);
  return h.ok("POST", `/v1/ideas/${idea.id}/publish`, callers.staff, { answer: "Pubblicata per le imprese" });
}

const ifMatch = (version: number) => ({ "if-match": `"${version}"` });

const endpoints: Array<{ method: string; name: string; expected: Expected; setup: () => Promise<Request> }> =
  [
    {
      method: "GET",
      name: "/v1/calls",
      expected: expect8(200, 200, 200, 200, 200, 200, 200, 200),
      setup: async () => ({ path: "/v1/calls" }),
    },
    {
      method: "POST",
      name: "/v1/calls",
      expected: expect8(403, 403, 403, 201, 403, 403, 201, 401),
      // Named, so the admin may create it too and staff of another site are refused.
      setup: async () => ({ path: "/v1/calls", body: openCallBody(new Date(), { site: "lto-mantova" }) }),
    },
    {
      method: "GET",
      name: "/v1/calls/{id}",
      expected: expect8(200, 200, 200, 200, 200, 200, 200, 200),
      setup: async () => ({ path: `/v1/calls/${callId}` }),
    },
    {
      method: "PUT",
      name: "/v1/calls/{id}",
      expected: expect8(403, 403, 403, 200, 403, 403, 200, 401),
      setup: async () => {
        const call = await openCall(h);
        return {
          path: `/v1/calls/${call.id}`,
          body: openCallBody(new Date(), { title: "Titolo cambiato" }),
          headers: ifMatch(call.version),
        };
      },
    },
    {
      method: "GET",
      name: "/v1/teams",
      expected: expect8(200, 200, 403, 200, 200, 200, 200, 401),
      setup: async () => ({ path: "/v1/teams" }),
    },
    {
      method: "POST",
      name: "/v1/teams",
      expected: expect8(201, 201, 403, 403, 403, 403, 403, 401),
      setup: async () => ({ path: "/v1/teams", body: teamBody(schoolYear) }),
    },
    {
      method: "GET",
      name: "/v1/teams/{id}",
      expected: expect8(200, 404, 404, 200, 200, 200, 200, 401),
      setup: async () => ({ path: `/v1/teams/${(await newTeam()).id}` }),
    },
    {
      method: "PUT",
      name: "/v1/teams/{id}",
      expected: expect8(200, 404, 404, 403, 403, 403, 403, 401),
      setup: async () => {
        const team = await newTeam();
        return {
          path: `/v1/teams/${team.id}`,
          body: teamBody(schoolYear, { name: "Nuovo nome" }),
          headers: ifMatch(team.version),
        };
      },
    },
    {
      method: "POST",
      name: "/v1/teams/{id}/members/{memberId}/consent",
      expected: expect8(200, 404, 404, 403, 403, 403, 403, 401),
      setup: async () => {
        const team = await newTeam();
        return {
          path: `/v1/teams/${team.id}/members/${team.members[0].id}/consent`,
          body: { parentalConsentOn: "2026-09-20" },
        };
      },
    },
    {
      method: "GET",
      name: "/v1/teams/{id}/members/{memberId}/export",
      expected: expect8(200, 404, 404, 403, 403, 403, 403, 401),
      setup: async () => {
        const team = await newTeam();
        return { path: `/v1/teams/${team.id}/members/${team.members[0].id}/export` };
      },
    },
    {
      method: "POST",
      name: "/v1/teams/{id}/members/{memberId}/erase",
      expected: expect8(200, 404, 404, 403, 403, 403, 403, 401),
      setup: async () => {
        const team = await newTeam();
        return { path: `/v1/teams/${team.id}/members/${team.members[0].id}/erase` };
      },
    },
    {
      method: "GET",
      name: "/v1/ideas",
      expected: expect8(200, 200, 200, 200, 200, 200, 200, 200),
      setup: async () => ({ path: "/v1/ideas" }),
    },
    {
      method: "POST",
      name: "/v1/ideas",
      expected: expect8(201, 404, 403, 403, 403, 403, 403, 401),
      setup: async () => ({
        path: "/v1/ideas",
        body: { ...ideaContent, callId, teamId: (await newTeam()).id },
      }),
    },
    {
      method: "GET",
      name: "/v1/ideas/{id} (draft)",
      expected: expect8(200, 404, 404, 404, 404, 404, 200, 404),
      setup: async () => ({ path: `/v1/ideas/${(await newIdea("draft")).id}` }),
    },
    {
      method: "GET",
      name: "/v1/ideas/{id} (submitted)",
      expected: expect8(200, 404, 404, 200, 200, 200, 200, 404),
      setup: async () => ({ path: `/v1/ideas/${(await newIdea("submitted")).id}` }),
    },
    {
      method: "GET",
      name: "/v1/ideas/{id} (published)",
      expected: expect8(200, 200, 200, 200, 200, 200, 200, 200),
      setup: async () => ({ path: `/v1/ideas/${(await newIdea("published")).id}` }),
    },
    {
      method: "PATCH",
      name: "/v1/ideas/{id}",
      expected: expect8(200, 404, 404, 404, 404, 404, 403, 401),
      setup: async () => {
        const idea = await newIdea("draft");
        return {
          path: `/v1/ideas/${idea.id}`,
          body: { title: "Titolo corretto" },
          headers: ifMatch(idea.version),
        };
      },
    },
    {
      method: "POST",
      name: "/v1/ideas/{id}/submit",
      expected: expect8(200, 404, 404, 404, 404, 404, 403, 401),
      setup: async () => ({ path: `/v1/ideas/${(await newIdea("draft")).id}/submit` }),
    },
    {
      method: "POST",
      name: "/v1/ideas/{id}/withdraw",
      expected: expect8(200, 404, 404, 403, 403, 403, 403, 401),
      setup: async () => ({
        path: `/v1/ideas/${(await newIdea("submitted")).id}/withdraw`,
        body: { reason: "Non più attuale" },
      }),
    },
    {
      method: "POST",
      name: "/v1/ideas/{id}/start-review",
      expected: expect8(403, 404, 404, 200, 403, 403, 200, 401),
      setup: async () => ({ path: `/v1/ideas/${(await newIdea("submitted")).id}/start-review` }),
    },
    {
      method: "POST",
      name: "/v1/ideas/{id}/request-changes",
      expected: expect8(403, 404, 404, 200, 403, 403, 200, 401),
      setup: async () => ({
        path: `/v1/ideas/${(await newIdea("submitted")).id}/request-changes`,
        body: { reason: "Più dettagli sui costi" },
      }),
    },
    {
      method: "POST",
      name: "/v1/ideas/{id}/publish",
      expected: expect8(403, 404, 404, 200, 403, 403, 200, 401),
      setup: async () => ({
        path: `/v1/ideas/${(await newIdea("scored")).id}/publish`,
        body: { answer: "Pubblicata" },
      }),
    },
    {
      method: "POST",
      name: "/v1/ideas/{id}/reject",
      expected: expect8(403, 404, 404, 200, 403, 403, 200, 401),
      setup: async () => ({
        path: `/v1/ideas/${(await newIdea("scored")).id}/reject`,
        body: { answer: "Non in linea con la call" },
      }),
    },
    {
      method: "PUT",
      name: "/v1/ideas/{id}/evaluators",
      expected: expect8(403, 404, 404, 200, 403, 403, 200, 401),
      setup: async () => ({
        path: `/v1/ideas/${(await newIdea("submitted")).id}/evaluators`,
        body: { evaluators: [callers.evaluator.sub] },
      }),
    },
    {
      // Only the assigned evaluator may score (checked below); nobody in this matrix is assigned.
      method: "PUT",
      name: "/v1/ideas/{id}/scores",
      expected: expect8(403, 404, 404, 403, 403, 403, 403, 401),
      setup: async () => ({
        path: `/v1/ideas/${(await newIdea("under_review")).id}/scores`,
        body: { scores: fullScores },
      }),
    },
    {
      method: "PUT",
      name: "/v1/ideas/{id}/answer",
      expected: expect8(403, 404, 404, 200, 403, 403, 200, 401),
      setup: async () => ({
        path: `/v1/ideas/${(await newIdea("under_review")).id}/answer`,
        body: { answer: "Risposta interna" },
      }),
    },
  ];

beforeAll(async () => {
  h = await startIdeas();
  ({ id: callId, schoolYear } = await openCall(h));
});

afterAll(async () => {
  await h?.close();
});

describe("every endpoint with every role", () => {
  for (const endpoint of endpoints) {
    it(`${endpoint.method} ${endpoint.name}`, async () => {
      const actual: Partial<Expected> = {};
      // A refused request changes nothing, so refused roles share one resource; each allowed role gets its own.
      const shared = await endpoint.setup();
      for (const role of Object.keys(roles) as RoleName[]) {
        const req = endpoint.expected[role] < 300 ? await endpoint.setup() : shared;
        const as = roles[role];
        const res = await h.request(endpoint.method, req.path, {
          ...(as ? { as } : {}),
          ...(req.body === undefined ? {} : { body: req.body }),
          ...(req.headers ? { headers: req.headers } : {}),
        });
        actual[role] = res.status;
        if (res.status >= 400) expect(res.headers.get("content-type")).toContain("application/problem+json");
      }
      expect(actual).toEqual(endpoint.expected);
    });
  }

  it("answers what the caller may not see exactly like an unknown id, before any state or version check", async () => {
    const draft = await newIdea("draft");
    const unknown = "01900000-0000-7000-8000-000000000000";
    const probes: Array<[string, string, unknown]> = [
      ["PUT", "scores", { scores: fullScores }],
      ["POST", "publish", { answer: "Pubblicata" }],
      ["POST", "submit", undefined],
      ["POST", "withdraw", { reason: "Non più attuale" }],
      ["PUT", "evaluators", { evaluators: [callers.evaluator.sub] }],
    ];
    for (const as of [callers.otherSchool, callers.company, callers.evaluator]) {
      for (const [method, action, body] of probes) {
        const hidden = await h.request(method, `/v1/ideas/${draft.id}/${action}`, {
          as,
          headers: ifMatch(999),
          ...(body === undefined ? {} : { body }),
        });
        const missing = await h.request(method, `/v1/ideas/${unknown}/${action}`, {
          as,
          headers: ifMatch(999),
          ...(body === undefined ? {} : { body }),
        });
        expect([action, as.sub, hidden.status]).toEqual([action, as.sub, 404]);
        expect(missing.status).toBe(404);
        expect(hidden.body.type).toBe(missing.body.type);
        expect(hidden.body).not.toHaveProperty("currentState");
        expect(JSON.stringify(hidden.body)).not.toMatch(/draft/);
      }
    }
    const team = await newTeam();
    for (const path of [
      `/v1/teams/${team.id}`,
      `/v1/teams/${team.id}/members/${team.members[0].id}/export`,
    ]) {
      expect((await h.request("GET", path, { as: callers.otherSchool })).status).toBe(404);
    }
  });

  it("lets staff of another site read an idea but not act on it (403 naming the site), and changes nothing", async () => {
    const idea = await newIdea("under_review");
    expect(idea.site).toBe("lto-mantova");
    const read = await h.request("GET", `/v1/ideas/${idea.id}`, { as: callers.otherSiteStaff });
    expect(read.status).toBe(200);
    const refused = await h.request("POST", `/v1/ideas/${idea.id}/publish`, {
      as: callers.otherSiteStaff,
      body: { answer: "Pubblicata" },
      headers: ifMatch(999),
    });
    // Site before version: the 403 does not depend on what the caller sent.
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/site lto-mantova.*you work at lto-viadana/);
    expect((await h.ok("GET", `/v1/ideas/${idea.id}`, callers.staff)).version).toBe(idea.version);
    const bothSites = {
      ...callers.otherSiteStaff,
      sub: "staff-two-sites",
      sites: ["lto-viadana", "lto-mantova"],
    };
    const answered = await h.request("PUT", `/v1/ideas/${idea.id}/answer`, {
      as: bothSites,
      body: { answer: "Risposta interna" },
    });
    expect(answered.status).toBe(200);
  });

  it("gives each call the site that runs it: the creator's only site unless named, fixed afterwards", async () => {
    const own = await h.request("POST", "/v1/calls", { as: callers.otherSiteStaff, body: openCallBody() });
    expect([own.status, own.body.site]).toEqual([201, "lto-viadana"]);
    const listed = (await h.ok("GET", "/v1/calls", callers.company)).items;
    expect(listed.find((c: { id: string }) => c.id === own.body.id).site).toBe("lto-viadana");
    for (const as of [callers.admin, { ...callers.staff, sites: ["lto-mantova", "lto-viadana"] }]) {
      const unnamed = await h.request("POST", "/v1/calls", { as, body: openCallBody() });
      expect([unnamed.status, unnamed.body.errors.map((e: { path: string }) => e.path)]).toEqual([
        400,
        ["site"],
      ]);
    }
    const unknown = await h.request("POST", "/v1/calls", {
      as: callers.admin,
      body: openCallBody(new Date(), { site: "lto-milano" }),
    });
    expect([unknown.status, unknown.body.errors[0].path]).toEqual([400, "site"]);
    const moved = await h.request("PUT", `/v1/calls/${own.body.id}`, {
      as: callers.admin,
      body: openCallBody(new Date(), { site: "lto-mantova" }),
      headers: ifMatch(own.body.version),
    });
    expect([moved.status, moved.body.reason]).toEqual([409, "site_fixed"]);
    const kept = await h.request("PUT", `/v1/calls/${own.body.id}`, {
      as: callers.otherSiteStaff,
      body: openCallBody(new Date(), { title: "Call di Viadana" }),
      headers: ifMatch(own.body.version),
    });
    expect([kept.status, kept.body.site]).toEqual([200, "lto-viadana"]);
  });

  it("lets the assigned evaluator score", async () => {
    const idea = await newIdea("under_review");
    const res = await h.request("PUT", `/v1/ideas/${idea.id}/scores`, {
      as: callers.evaluator,
      body: { scores: fullScores },
    });
    expect(res.status).toBe(200);
  });

  it("shows other schools, companies and anonymous visitors only pseudonyms and no evaluation", async () => {
    const idea = await newIdea("published");
    for (const as of [callers.company, callers.otherSchool, undefined]) {
      const res = await h.request("GET", `/v1/ideas/${idea.id}`, as ? { as } : {});
      expect(res.body.team.members).toEqual([{ pseudonym: "Volpe Blu" }, { pseudonym: "Airone" }]);
      expect(res.body).not.toHaveProperty("evaluators");
      expect(res.body).not.toHaveProperty("history");
      expect(JSON.stringify(res.body)).not.toMatch(/minor|parentalConsent|Bonfanti/);
    }
    const own = await h.request("GET", `/v1/ideas/${idea.id}`, { as: callers.school });
    expect(own.body.team.members[0]).toMatchObject({ pseudonym: "Volpe Blu", minor: true });
  });
});
