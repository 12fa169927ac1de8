// The role matrix: every endpoint with every caller (staff of the resource's site, staff of another
// site, programme, admin, learner, school, company, partner) and without a token. Each cell acts on a
// fresh resource where it writes. Reference data is public; everything else is for staff of the site,
// the programme office (reads) and admins.
import type { TestService } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PATH_OPERATIONS } from "./paths-support.js";
import {
  callers,
  ok,
  operatorBody,
  personBody,
  startSelfEmployment,
  MATRIX_CALLERS,
  type MatrixCaller,
} from "./support.js";

let svc: TestService;

type Who = MatrixCaller;
const WHO = MATRIX_CALLERS;
type Expected = Record<Who, number>;
const client = (who: Who) => (who === "anonymous" ? svc.as() : svc.as(callers[who]));
const operator = () => ok(svc.as(callers.staff), "POST", "/v1/operators", operatorBody());
const person = () => ok(svc.as(callers.staff), "POST", "/v1/persons", personBody(svc));

const all = (status: number): Expected => Object.fromEntries(WHO.map((w) => [w, status])) as Expected;
/** Signed-in roles other than staff, programme and admin: 403; anonymous: 401. */
const staffOnly = (overrides: Partial<Expected>): Expected => ({ ...all(403), anonymous: 401, ...overrides });

interface Cell {
  method: string;
  path: (who: Who) => Promise<string>;
  body?: (who: Who) => Promise<unknown> | unknown;
  headers?: Record<string, string>;
  expected: Expected;
}

const plan = {
  plan: [{ weekday: 3, site: "lto-mantova", hours: { start: "09:00", end: "12:00" }, breaks: [] }],
};
const MATRIX: Record<string, Cell> = {
  "GET /v1/service-types": { method: "GET", path: async () => "/v1/service-types", expected: all(200) },
  "GET /v1/service-types/{code}": {
    method: "GET",
    path: async () => "/v1/service-types/coaching",
    expected: all(200),
  },
  "GET /v1/sites": { method: "GET", path: async () => "/v1/sites", expected: all(200) },
  "GET /v1/sites/{siteId}": { method: "GET", path: async () => "/v1/sites/lto-asola", expected: all(200) },
  "POST /v1/operators": {
    method: "POST",
    path: async () => "/v1/operators",
    body: () => operatorBody(),
    expected: staffOnly({ staff: 201, admin: 201 }),
  },
  "GET /v1/operators/{operatorId}": {
    method: "GET",
    path: async () => `/v1/operators/${(await operator()).id}`,
    expected: staffOnly({ staff: 200, programme: 200, admin: 200 }),
  },
  "GET /v1/sites/{siteId}/operators": {
    method: "GET",
    path: async () => "/v1/sites/lto-mantova/operators",
    expected: staffOnly({ staff: 200, programme: 200, admin: 200 }),
  },
  "PUT /v1/operators/{operatorId}/plan": {
    method: "PUT",
    path: async () => `/v1/operators/${(await operator()).id}/plan`,
    body: () => plan,
    headers: { "if-match": '"1"' },
    expected: staffOnly({ staff: 200, admin: 200 }),
  },
  "PUT /v1/operators/{operatorId}/exceptions": {
    method: "PUT",
    path: async () => `/v1/operators/${(await operator()).id}/exceptions`,
    body: () => ({ exceptions: [{ kind: "leave", date: "2027-02-01" }] }),
    headers: { "if-match": '"1"' },
    expected: staffOnly({ staff: 200, admin: 200 }),
  },
  "POST /v1/persons": {
    method: "POST",
    path: async () => "/v1/persons",
    body: () => personBody(svc),
    expected: staffOnly({ staff: 201, admin: 201 }),
  },
  "GET /v1/persons/{personId}": {
    method: "GET",
    path: async () => `/v1/persons/${(await person()).id}`,
    expected: staffOnly({ staff: 200, programme: 200, admin: 200 }),
  },
  "GET /v1/sites/{siteId}/persons": {
    method: "GET",
    path: async () => "/v1/sites/lto-mantova/persons",
    expected: staffOnly({ staff: 200, programme: 200, admin: 200 }),
  },
};

beforeAll(async () => {
  svc = await startSelfEmployment();
});
afterAll(async () => {
  await svc?.close();
});

describe("the role matrix", () => {
  it("covers every documented operation", async () => {
    const doc = (await svc.as().get("/openapi.json")).body as {
      paths: Record<string, Record<string, { tags?: string[] }>>;
    };
    // Each later area keeps the rows of its own operations in its own test file, by tag.
    const elsewhere: Record<string, string> = {
      availability: "availability.int.test.ts",
      equipment: "availability.int.test.ts",
      "calendar feeds": "calendar-feeds.int.test.ts",
      labs: "lab-holds.int.test.ts",
      logins: "links.int.test.ts",
      bookings: "bookings-access.int.test.ts",
      // (the booking changes' rows, tagged bookings too, are in booking-changes-access.int.test.ts)
      waitlist: "waitlist-access.int.test.ts",
    };
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => !op.tags?.some((t) => t in elsewhere))
        .map(([m]) => `${m.toUpperCase()} ${path}`),
    );
    // The path operations have their own matrix (paths-access.int.test.ts).
    expect([...Object.keys(MATRIX), ...PATH_OPERATIONS].sort()).toEqual(documented.sort());
  });

  it.each(Object.entries(MATRIX))("%s answers each caller as its rules say", async (_name, cell) => {
    const answers: Partial<Record<Who, number>> = {};
    for (const who of WHO) {
      const res = await client(who).request(cell.method, await cell.path(who), {
        ...(cell.body ? { body: await cell.body(who) } : {}),
        ...(cell.headers ? { headers: cell.headers } : {}),
      });
      answers[who] = res.status;
      if (res.status >= 400) expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    expect(answers).toEqual(cell.expected);
  });

  it("keeps staff of another site off a person registered elsewhere, and off registering there", async () => {
    const other = svc.as(callers.otherSiteStaff);
    const refused = await other.post("/v1/persons", personBody(svc));
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/lto-mantova .* own sites \(you work at lto-asola\)/);
    const mine = await other.post("/v1/persons", personBody(svc, { site: "lto-asola" }));
    expect(mine.status).toBe(201);
    expect((await svc.as(callers.staff).get(`/v1/persons/${mine.body.id}`)).status).toBe(403);
  });
});
