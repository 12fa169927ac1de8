// The role matrix: every endpoint with every caller (staff of the course's site, staff of another site,
// programme, admin, the partner body that owns the course, another partner body, school, company,
// learner) and without a token. Each cell acts on a fresh resource in the state the endpoint needs.
import type { TestService } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  callers,
  courseBody,
  MATRIX_CALLERS,
  ok,
  sessionBody,
  startCatalogue,
  type MatrixCaller,
} from "./support.js";

let svc: TestService;

type Who = MatrixCaller;
const WHO = MATRIX_CALLERS;
type Expected = Record<Who, number>;

const client = (who: Who) => (who === "anonymous" ? svc.as() : svc.as(callers[who]));
const staff = () => svc.as(callers.staff);
const partner = () => svc.as(callers.partner);

const all = (status: number): Expected => ({
  staff: status,
  otherSiteStaff: status,
  programme: status,
  admin: status,
  partner: status,
  otherPartner: status,
  school: status,
  company: status,
  learner: status,
  anonymous: status,
});
/** Staff of the site and admins may; other signed-in callers get `others`; no token 401. */
const managers = (success: number, others: Partial<Expected> = {}): Expected => ({
  ...all(403),
  staff: success,
  admin: success,
  anonymous: 401,
  ...others,
});
const hidden = { partner: 404, otherPartner: 404, school: 404, company: 404, learner: 404 };

async function ltoDraft() {
  return ok(staff(), "POST", "/v1/courses", courseBody());
}
async function published() {
  const draft = await ltoDraft();
  return ok(staff(), "POST", `/v1/courses/${draft.id}/publish`);
}
async function partnerDraft() {
  return ok(partner(), "POST", "/v1/courses", courseBody({ titleIt: "Corso del CFP" }));
}
async function session() {
  const course = await published();
  return ok(staff(), "POST", "/v1/sessions", sessionBody(course.id));
}

interface Cell {
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

const endpoints: { name: string; expected: Expected; setup: () => Promise<Cell> }[] = [
  {
    name: "GET /v1/frameworks",
    expected: all(200),
    setup: async () => ({ method: "GET", path: "/v1/frameworks" }),
  },
  {
    name: "GET /v1/frameworks/{id}/{version}",
    expected: all(200),
    setup: async () => ({ method: "GET", path: "/v1/frameworks/digcomp/2.2" }),
  },
  {
    name: "GET /v1/courses",
    expected: all(200),
    setup: async () => ({ method: "GET", path: "/v1/courses" }),
  },
  {
    name: "GET /v1/courses?state=draft",
    expected: { ...all(200), school: 403, company: 403, learner: 403, anonymous: 401 },
    setup: async () => ({ method: "GET", path: "/v1/courses?state=draft" }),
  },
  {
    name: "POST /v1/courses",
    expected: managers(201, { partner: 201, otherPartner: 201 }),
    setup: async () => ({ method: "POST", path: "/v1/courses", body: courseBody() }),
  },
  {
    name: "GET /v1/courses/{id} (published)",
    expected: all(200),
    setup: async () => ({ method: "GET", path: `/v1/courses/${(await published()).id}` }),
  },
  {
    name: "GET /v1/courses/{id} (draft)",
    expected: { ...all(200), ...hidden, anonymous: 404 },
    setup: async () => ({ method: "GET", path: `/v1/courses/${(await ltoDraft()).id}` }),
  },
  {
    name: "PUT /v1/courses/{id}",
    expected: managers(200, hidden),
    setup: async () => {
      const draft = await ltoDraft();
      return {
        method: "PUT",
        path: `/v1/courses/${draft.id}`,
        body: courseBody({ hours: 24 }),
        headers: { "if-match": `"${draft.version}"` },
      };
    },
  },
  {
    name: "PUT /v1/courses/{id} (a partner body's draft)",
    expected: {
      ...all(403),
      partner: 200,
      otherPartner: 404,
      school: 404,
      company: 404,
      learner: 404,
      anonymous: 401,
    },
    setup: async () => {
      const draft = await partnerDraft();
      return {
        method: "PUT",
        path: `/v1/courses/${draft.id}`,
        body: courseBody({ titleIt: "Corso del CFP, rivisto" }),
        headers: { "if-match": `"${draft.version}"` },
      };
    },
  },
  {
    name: "POST /v1/courses/{id}/submit",
    expected: {
      ...all(403),
      partner: 200,
      otherPartner: 404,
      school: 404,
      company: 404,
      learner: 404,
      anonymous: 401,
    },
    setup: async () => ({ method: "POST", path: `/v1/courses/${(await partnerDraft()).id}/submit` }),
  },
  {
    name: "POST /v1/courses/{id}/publish",
    expected: managers(200, hidden),
    setup: async () => ({ method: "POST", path: `/v1/courses/${(await ltoDraft()).id}/publish` }),
  },
  {
    name: "POST /v1/courses/{id}/return",
    expected: managers(200, { otherPartner: 404, school: 404, company: 404, learner: 404 }),
    setup: async () => {
      const draft = await partnerDraft();
      await ok(partner(), "POST", `/v1/courses/${draft.id}/submit`);
      return { method: "POST", path: `/v1/courses/${draft.id}/return`, body: { reason: "Manca il livello" } };
    },
  },
  {
    name: "GET /v1/courses/mine",
    expected: { ...all(403), partner: 200, otherPartner: 200, anonymous: 401 },
    setup: async () => ({ method: "GET", path: "/v1/courses/mine?state=draft" }),
  },
  {
    name: "GET /v1/sessions/{id}/counts (a partner body's course)",
    expected: managers(200, { programme: 200, partner: 200 }),
    setup: async () => {
      const draft = await partnerDraft();
      await ok(partner(), "POST", `/v1/courses/${draft.id}/submit`);
      await ok(staff(), "POST", `/v1/courses/${draft.id}/publish`);
      const s = await ok(staff(), "POST", "/v1/sessions", sessionBody(draft.id));
      return { method: "GET", path: `/v1/sessions/${s.id}/counts` };
    },
  },
  {
    name: "POST /v1/courses/{id}/archive",
    expected: managers(200),
    setup: async () => ({ method: "POST", path: `/v1/courses/${(await published()).id}/archive` }),
  },
  {
    name: "GET /v1/courses/{id}/sessions",
    expected: all(200),
    setup: async () => ({ method: "GET", path: `/v1/courses/${(await session()).courseId}/sessions` }),
  },
  {
    name: "POST /v1/sessions",
    expected: managers(201),
    setup: async () => ({ method: "POST", path: "/v1/sessions", body: sessionBody((await published()).id) }),
  },
  {
    name: "GET /v1/sessions?site (a site's calendar)",
    expected: managers(200),
    setup: async () => {
      const s = await session();
      return { method: "GET", path: `/v1/sessions?site=${s.site}&from=${s.meetings[0].date}` };
    },
  },
  {
    name: "GET /v1/sessions/{id}",
    expected: all(200),
    setup: async () => ({ method: "GET", path: `/v1/sessions/${(await session()).id}` }),
  },
  {
    name: "PUT /v1/sessions/{id}/meetings/{meetingId}",
    expected: managers(200),
    setup: async () => {
      const s = await session();
      const m = s.meetings[1];
      return {
        method: "PUT",
        path: `/v1/sessions/${s.id}/meetings/${m.id}`,
        body: { date: m.date, start: "16:00", end: "19:00", room: m.room, trainer: m.trainer },
      };
    },
  },
  {
    name: "POST /v1/sessions/{id}/meetings/{meetingId}/cancel",
    expected: managers(200),
    setup: async () => {
      const s = await session();
      return {
        method: "POST",
        path: `/v1/sessions/${s.id}/meetings/${s.meetings[1].id}/cancel`,
        body: { reason: "Sciopero dei trasporti" },
      };
    },
  },
  {
    name: "POST /v1/sessions/{id}/cancel",
    expected: managers(200),
    setup: async () => ({
      method: "POST",
      path: `/v1/sessions/${(await session()).id}/cancel`,
      body: { reason: "Formatore indisponibile" },
    }),
  },
];

beforeAll(async () => {
  svc = await startCatalogue();
});
afterAll(async () => {
  await svc?.close();
});

describe("the role matrix", () => {
  it.each(endpoints.map((e) => [e.name, e] as const))("%s", async (_name, endpoint) => {
    const got: Record<string, number> = {};
    for (const who of WHO) {
      const cell = await endpoint.setup();
      const res = await client(who).request(cell.method, cell.path, {
        ...(cell.body === undefined ? {} : { body: cell.body }),
        ...(cell.headers ? { headers: cell.headers } : {}),
      });
      got[who] = res.status;
      if (res.status >= 400)
        expect(res.headers.get("content-type"), `${who}`).toContain("application/problem+json");
    }
    expect(got).toEqual(endpoint.expected);
  });

  it("staff of one site cannot create a course offered at another site as well", async () => {
    const res = await staff().post("/v1/courses", courseBody({ sites: ["lto-mantova", "lto-asola"] }));
    expect(res.status).toBe(403);
    expect(res.body.detail).toMatch(/lto-asola/);
    expect(
      (await svc.as(callers.admin).post("/v1/courses", courseBody({ sites: ["lto-mantova", "lto-asola"] })))
        .status,
    ).toBe(201);
  });
});
