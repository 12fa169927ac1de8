// The path endpoints' role matrix: every endpoint with every caller (staff of the path's site, staff of
// another site, programme, admin, learner, school, company, partner, the person themself, no token),
// each cell on a fresh path where it writes. Then bad input in every field: 400 naming it, nothing
// stored (the path's version and history unchanged, no delivery).
import { IdeaAdoptedEvent } from "@lto/contracts";
import { uniqueId, waitFor } from "@lto/testkit";
import { eventProducer, type EventProducer, type TestService } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  anOperator,
  aPerson,
  deliveryBody,
  ideaAdopted,
  PATH_OPERATIONS,
  personLogin,
  personWithPath,
} from "./paths-support.js";
import { callers, ok, startSelfEmployment, MATRIX_CALLERS, type MatrixCaller } from "./support.js";

let svc: TestService;
let events: EventProducer;
let operatorId: string;
let teamIdea: string;
/** The person of the last path a cell made: "holder" calls as them. */
let holder = "";

type Who = MatrixCaller | "holder";
// The person themself (their own login) besides every role and no token.
const WHO: Who[] = [...MATRIX_CALLERS.filter((w) => w !== "anonymous"), "holder", "anonymous"];
type Expected = Record<Who, number>;
const client = (who: Who) =>
  who === "anonymous" ? svc.as() : who === "holder" ? svc.as(personLogin(holder)) : svc.as(callers[who]);
const staff = () => svc.as(callers.staff);

const all = (status: number): Expected => Object.fromEntries(WHO.map((w) => [w, status])) as Expected;
const refused = (overrides: Partial<Expected>): Expected => ({ ...all(403), anonymous: 401, ...overrides });
const staffWrites = (status: number) => refused({ staff: status, admin: status });
const readers = refused({ staff: 200, programme: 200, admin: 200, holder: 200 });
const reportReaders = refused({ staff: 200, otherSiteStaff: 200, programme: 200, admin: 200 });

async function path() {
  const made = await personWithPath(svc);
  holder = made.personId;
  return made;
}
async function delivered() {
  const { pathId } = await path();
  const body = await ok(
    staff(),
    "POST",
    `/v1/paths/${pathId}/deliveries`,
    deliveryBody(svc, operatorId, "accoglienza"),
  );
  return `/v1/paths/${pathId}/deliveries/${body.delivery.id}`;
}

interface Cell {
  method: string;
  path: () => Promise<string>;
  body?: () => unknown;
  headers?: Record<string, string>;
  expected: Expected;
}

const MATRIX: Record<string, Cell> = {
  "POST /v1/persons/{personId}/path": {
    method: "POST",
    path: async () => {
      const person = await aPerson(svc);
      holder = person.id;
      return `/v1/persons/${person.id}/path`;
    },
    body: () => ({}),
    expected: staffWrites(201),
  },
  "GET /v1/persons/{personId}/path": {
    method: "GET",
    path: async () => `/v1/persons/${(await path()).personId}/path`,
    expected: readers,
  },
  "GET /v1/ideas/{ideaId}/path": {
    method: "GET",
    path: async () => `/v1/ideas/${teamIdea}/path`,
    expected: refused({ staff: 200, programme: 200, admin: 200, school: 200 }),
  },
  "GET /v1/paths/{pathId}": {
    method: "GET",
    path: async () => `/v1/paths/${(await path()).pathId}`,
    expected: readers,
  },
  "PUT /v1/paths/{pathId}/plan/{serviceCode}": {
    method: "PUT",
    path: async () => `/v1/paths/${(await path()).pathId}/plan/coaching`,
    body: () => ({ hours: 3 }),
    headers: { "if-match": '"1"' },
    expected: staffWrites(200),
  },
  "POST /v1/paths/{pathId}/proposals": {
    method: "POST",
    path: async () => `/v1/paths/${(await path()).pathId}/proposals`,
    body: () => ({ services: ["coaching"] }),
    expected: staffWrites(200),
  },
  "PUT /v1/paths/{pathId}/funder": {
    method: "PUT",
    path: async () => `/v1/paths/${(await path()).pathId}/funder`,
    body: () => ({ funder: "dote_unica_lavoro", reason: "moved to the regional measure" }),
    expected: staffWrites(200),
  },
  "POST /v1/paths/{pathId}/closure": {
    method: "POST",
    path: async () => `/v1/paths/${(await path()).pathId}/closure`,
    body: () => ({ reason: "moved away" }),
    expected: staffWrites(200),
  },
  "POST /v1/paths/{pathId}/reopening": {
    method: "POST",
    path: async () => {
      const { pathId } = await path();
      await ok(staff(), "POST", `/v1/paths/${pathId}/closure`, { reason: "moved away" });
      return `/v1/paths/${pathId}/reopening`;
    },
    body: () => ({ reason: "came back" }),
    expected: staffWrites(200),
  },
  "POST /v1/paths/{pathId}/booking-checks": {
    method: "POST",
    path: async () => `/v1/paths/${(await path()).pathId}/booking-checks`,
    body: () => {
      const start = new Date(svc.clock.now().getTime() + 86_400_000);
      return {
        serviceCode: "accoglienza",
        start: start.toISOString(),
        end: new Date(start.getTime() + 3_600_000).toISOString(),
      };
    },
    expected: staffWrites(200),
  },
  "POST /v1/paths/{pathId}/deliveries": {
    method: "POST",
    path: async () => `/v1/paths/${(await path()).pathId}/deliveries`,
    body: () => deliveryBody(svc, operatorId, "accoglienza"),
    expected: staffWrites(201),
  },
  "POST /v1/paths/{pathId}/deliveries/{deliveryId}/corrections": {
    method: "POST",
    path: async () => `${await delivered()}/corrections`,
    body: () => ({ outcome: "cv_prodotto", reason: "the CV was finished in the session" }),
    expected: staffWrites(200),
  },
  "POST /v1/paths/{pathId}/deliveries/{deliveryId}/confirmation": {
    method: "POST",
    path: async () => `${await delivered()}/confirmation`,
    // only the person themself signs an adult's delivery
    expected: refused({ holder: 200 }),
  },
  "POST /v1/paths/{pathId}/deliveries/{deliveryId}/void": {
    method: "POST",
    path: async () => `${await delivered()}/void`,
    body: () => ({ reason: "recorded on the wrong person" }),
    expected: staffWrites(200),
  },
  "GET /v1/paths/{pathId}/timesheet.csv": {
    method: "GET",
    path: async () => `/v1/paths/${(await path()).pathId}/timesheet.csv`,
    expected: refused({ staff: 200, programme: 200, admin: 200 }),
  },
  "GET /v1/paths/{pathId}/evidence.pdf": {
    method: "GET",
    path: async () => `/v1/paths/${(await path()).pathId}/evidence.pdf`,
    expected: refused({ staff: 200, programme: 200, admin: 200 }),
  },
  "GET /v1/reports/hours": { method: "GET", path: async () => "/v1/reports/hours", expected: reportReaders },
  "GET /v1/reports/hours.csv": {
    method: "GET",
    path: async () => "/v1/reports/hours.csv?group=site,funder",
    expected: reportReaders,
  },
};

beforeAll(async () => {
  svc = await startSelfEmployment();
  events = await eventProducer();
  operatorId = await anOperator(svc);
  teamIdea = uniqueId("idea");
  await events.send(IdeaAdoptedEvent, teamIdea, ideaAdopted(teamIdea));
  await waitFor(
    "the adopted team's path",
    async () => (await staff().get(`/v1/ideas/${teamIdea}/path`)).status === 200,
    170_000,
  );
}, 240_000);
afterAll(async () => {
  await events?.stop();
  await svc?.close();
});

describe("the paths role matrix", () => {
  it("covers every path operation", () => {
    expect(Object.keys(MATRIX).sort()).toEqual([...PATH_OPERATIONS].sort());
  });

  it.each(Object.entries(MATRIX))("%s answers each caller as its rules say", async (_name, cell) => {
    const answers: Partial<Record<Who, number>> = {};
    for (const who of WHO) {
      const url = await cell.path();
      const res = await client(who).request(cell.method, url, {
        ...(cell.body ? { body: cell.body() } : {}),
        ...(cell.headers ? { headers: cell.headers } : {}),
      });
      answers[who] = res.status;
      if (res.status >= 400) expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    expect(answers).toEqual(cell.expected);
  });
});

describe("bad input in every field", () => {
  const later = (days: number, hours = 1) => {
    const start = new Date(svc.clock.now().getTime() + days * 86_400_000);
    return { start: start.toISOString(), end: new Date(start.getTime() + hours * 3_600_000).toISOString() };
  };

  it("names each bad field with 400 and stores nothing", async () => {
    const { personId, pathId } = await path();
    const delivery = await ok(
      staff(),
      "POST",
      `/v1/paths/${pathId}/deliveries`,
      deliveryBody(svc, operatorId, "accoglienza"),
    );
    const d = `/v1/paths/${pathId}/deliveries/${delivery.delivery.id}`;
    const before = (await staff().get(`/v1/paths/${pathId}`)).body;
    const good = deliveryBody(svc, operatorId, "accoglienza");
    const v = { "if-match": `"${before.version}"` };
    const cases: [string, string, string, unknown, string, Record<string, string>?][] = [
      ["POST", `/v1/persons/${personId}/path`, "funder", { funder: "" }, "funder"],
      ["POST", `/v1/persons/${personId}/path`, "proposed", { proposed: ["massage"] }, "proposed.0"],
      ["POST", `/v1/persons/${personId}/path`, "unknown field", { colour: "red" }, "colour"],
      ["PUT", `/v1/paths/${pathId}/plan/coaching`, "hours quarter", { hours: 0.3 }, "hours", v],
      ["PUT", `/v1/paths/${pathId}/plan/coaching`, "hours type", { hours: "4" }, "hours", v],
      ["PUT", `/v1/paths/${pathId}/plan/coaching`, "reason", { hours: 2, reason: "" }, "reason", v],
      ["PUT", `/v1/paths/${pathId}/plan/massage`, "serviceCode", { hours: 2 }, "serviceCode", v],
      ["POST", `/v1/paths/${pathId}/proposals`, "services", { services: [] }, "services"],
      ["POST", `/v1/paths/${pathId}/proposals`, "services.0", { services: ["massage"] }, "services.0"],
      ["PUT", `/v1/paths/${pathId}/funder`, "funder", { funder: "", reason: "x" }, "funder"],
      ["PUT", `/v1/paths/${pathId}/funder`, "reason", { funder: "fse" }, "reason"],
      ["POST", `/v1/paths/${pathId}/closure`, "reason", { reason: "" }, "reason"],
      ["POST", `/v1/paths/${pathId}/closure`, "outcome", { reason: "x", outcome: "rich" }, "outcome"],
      ["POST", `/v1/paths/${pathId}/reopening`, "reason", { reason: "x".repeat(501) }, "reason"],
      [
        "POST",
        `/v1/paths/${pathId}/booking-checks`,
        "serviceCode",
        { serviceCode: "massage", ...later(1) },
        "serviceCode",
      ],
      [
        "POST",
        `/v1/paths/${pathId}/booking-checks`,
        "start",
        { serviceCode: "accoglienza", ...later(1), start: "tomorrow" },
        "start",
      ],
      [
        "POST",
        `/v1/paths/${pathId}/booking-checks`,
        "end",
        { serviceCode: "accoglienza", ...later(1, 0.1) },
        "end",
      ],
      [
        "POST",
        `/v1/paths/${pathId}/booking-checks`,
        "overrideReason",
        { serviceCode: "coaching", ...later(1), overrideReason: "" },
        "overrideReason",
      ],
      ["POST", `/v1/paths/${pathId}/deliveries`, "serviceCode", { ...good, serviceCode: "x" }, "serviceCode"],
      ["POST", `/v1/paths/${pathId}/deliveries`, "site", { ...good, site: "lto-nowhere" }, "site"],
      [
        "POST",
        `/v1/paths/${pathId}/deliveries`,
        "operatorId",
        { ...good, operatorId: "nobody" },
        "operatorId",
      ],
      ["POST", `/v1/paths/${pathId}/deliveries`, "start", { ...good, start: "2026-02-30T10:00" }, "start"],
      ["POST", `/v1/paths/${pathId}/deliveries`, "end (future)", { ...good, ...later(1) }, "end"],
      [
        "POST",
        `/v1/paths/${pathId}/deliveries`,
        "end (too short)",
        { ...good, end: new Date(Date.parse(good.start) + 10 * 60_000).toISOString() },
        "end",
      ],
      ["POST", `/v1/paths/${pathId}/deliveries`, "outcome", { ...good, outcome: "happy" }, "outcome"],
      ["POST", `/v1/paths/${pathId}/deliveries`, "notes", { ...good, notes: "x".repeat(2001) }, "notes"],
      ["POST", `/v1/paths/${pathId}/deliveries`, "bookingId", { ...good, bookingId: "b-1" }, "bookingId"],
      ["POST", `${d}/corrections`, "reason", { outcome: "cv_prodotto" }, "reason"],
      ["POST", `${d}/corrections`, "outcome", { outcome: "happy", reason: "x" }, "outcome"],
      ["POST", `${d}/corrections`, "end", { end: "yesterday", reason: "x" }, "end"],
      ["POST", `${d}/corrections`, "nothing changes", { reason: "x" }, ""],
      ["POST", `${d}/void`, "reason", { reason: " " }, "reason"],
      ["POST", `/v1/paths/${pathId}/deliveries/nope/void`, "deliveryId", { reason: "x" }, "deliveryId"],
    ];
    for (const [method, url, what, body, field, headers] of cases) {
      const res = await staff().request(method, url, { body, ...(headers ? { headers } : {}) });
      expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(
        res.body.errors.map((e: { path: string }) => e.path),
        what,
      ).toContain(field);
    }
    const after = (await staff().get(`/v1/paths/${pathId}`)).body;
    expect(after.version).toBe(before.version);
    expect(after.history).toEqual(before.history);
    expect(after.deliveries).toEqual(before.deliveries);
    // the person's path was never opened twice
    expect((await staff().post(`/v1/persons/${personId}/path`, {})).status).toBe(409);
  });

  it("refuses an unknown report grouping or month, naming them", async () => {
    const res = await svc.as(callers.programme).get("/v1/reports/hours.csv?group=site,site&to=26-01");
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["group", "to"]);
    expect((await svc.as(callers.programme).get("/v1/reports/hours?site=lto-nowhere")).status).toBe(404);
  });
});
