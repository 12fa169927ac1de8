// Who may call what, and what bad input gets, on the real broker and store: every endpoint with every
// role and with no token (each person sees and marks only their own notices and their organisation's
// for their role), bad queries and ids answered 4xx naming the problem, and the live /openapi.json
// documenting every answer.
import { ROLES, type Role } from "@lto/auth";
import { AdoptionOfferedEvent, BookingCancelledEvent, IdeaAdoptedEvent } from "@lto/contracts";
import { uniqueId, waitFor } from "@lto/testkit";
import { probeOperations, type Probe } from "@lto/testkit/openapi-conformance";
import { expectForeignCursorsRefused } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NoticeView } from "../../src/app/index.js";
import { person, startNotifications, type Harness, type Person } from "./support.js";

let h: Harness;
const people = new Map<Role, Person>();
const own = new Map<Role, string>();
/** A learner outside the matrix: nobody else may mark their notice. */
const bystander = person("learner");
let bystanderNotice: string;
let schoolNotice: string;
let companyNotice: string;

const now = () => new Date().toISOString();

async function items(p: Person): Promise<NoticeView[]> {
  const res = await h.svc.as(p.claims).get("/v1/notifications?limit=100");
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items;
}

/** A booking cancelled for `p`: a notice to that person alone, whatever their role. */
async function tellPerson(p: Person): Promise<void> {
  await h.producer.send(
    BookingCancelledEvent,
    "person",
    BookingCancelledEvent.create({
      personId: "person",
      bookingId: uniqueId("booking"),
      serviceType: "orientamento",
      slot: {
        site: "lto-mantova",
        operatorId: "op",
        roomId: "",
        equipmentIds: [],
        startsAt: "2026-12-07T08:00:00Z",
        endsAt: "2026-12-07T09:00:00Z",
        mode: "DELIVERY_MODE_IN_PERSON",
      },
      by: "CANCELLATION_BY_STAFF",
      learnerSubject: p.claims.sub,
      occurredAt: now(),
      version: 2,
      sequence: 1,
    }),
  );
}

beforeAll(async () => {
  h = await startNotifications();
  for (const role of ROLES) people.set(role, person(role));
  for (const p of [...people.values(), bystander]) await tellPerson(p);
  const school = people.get("school")!;
  const company = people.get("company")!;
  await h.producer.send(
    AdoptionOfferedEvent,
    "idea",
    AdoptionOfferedEvent.create({
      offerId: uniqueId("offer"),
      ideaId: uniqueId("idea"),
      schoolId: school.claims.org,
      companyId: company.claims.org,
      companyName: "Officine",
      occurredAt: now(),
      version: 1,
    }),
  );
  await h.producer.send(
    IdeaAdoptedEvent,
    "idea",
    IdeaAdoptedEvent.create({
      adoptionId: uniqueId("adoption"),
      offerId: uniqueId("offer"),
      ideaId: uniqueId("idea"),
      schoolId: school.claims.org,
      companyId: company.claims.org,
      occurredAt: now(),
      version: 1,
    }),
  );
  for (const [role, p] of people) {
    const expected = role === "school" || role === "company" ? 2 : 1;
    const mine = await waitFor(`${role}'s notices`, async () => {
      const found = await items(p);
      return found.length >= expected ? found : undefined;
    });
    own.set(role, mine.find((n) => n.kind === "booking_cancelled")!.id);
    if (role === "school") schoolNotice = mine.find((n) => n.kind === "offer_received")!.id;
    if (role === "company") companyNotice = mine.find((n) => n.kind === "offer_accepted")!.id;
  }
  bystanderNotice = (await waitFor("the bystander's notice", async () => (await items(bystander))[0])).id;
});
afterAll(async () => {
  await h?.close();
});

const readPath = (id: string) => `/v1/notifications/${encodeURIComponent(id)}/read`;

describe("role matrix", () => {
  it("without a token every endpoint answers 401 problem+json", async () => {
    const anonymous = h.svc.as();
    for (const [method, path] of [
      ["GET", "/v1/notifications"],
      ["GET", "/v1/notifications/unread-count"],
      ["POST", "/v1/notifications/read-all"],
      ["POST", readPath(own.get("learner")!)],
    ] as const) {
      const res = await anonymous.request(method, path);
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
  });

  it.each(ROLES)(
    "%s: sees, counts and marks only their own (and their organisation's for their role)",
    async (role) => {
      const p = people.get(role)!;
      const client = h.svc.as(p.claims);
      const mine = await items(p);
      const expected = [own.get(role)!];
      if (role === "school") expected.push(schoolNotice);
      if (role === "company") expected.push(companyNotice);
      expect(mine.map((n) => n.id).sort()).toEqual(expected.sort());
      expect((await client.get("/v1/notifications/unread-count")).body).toEqual({ unread: expected.length });

      // someone else's notice: 404, and it stays unread for its owner
      const foreign = await client.post(readPath(bystanderNotice));
      expect(foreign.status).toBe(404);
      expect(foreign.headers.get("content-type")).toContain("application/problem+json");
      // an organisation's notice is not for another role of the same organisation id
      if (role !== "school") expect((await client.post(readPath(schoolNotice))).status).toBe(404);

      const read = await client.post(readPath(own.get(role)!));
      expect(read.status, JSON.stringify(read.body)).toBe(200);
      expect(read.body).toMatchObject({ id: own.get(role), read: true });
      expect((await client.get("/v1/notifications/unread-count")).body).toEqual({
        unread: expected.length - 1,
      });
      const all = await client.post("/v1/notifications/read-all");
      expect(all.status).toBe(200);
      expect(all.body).toEqual({ marked: expected.length - 1 });
      expect((await client.get("/v1/notifications/unread-count")).body).toEqual({ unread: 0 });
      // the bystander's stays unread
      expect((await h.svc.as(bystander.claims).get("/v1/notifications/unread-count")).body).toEqual({
        unread: 1,
      });
    },
  );
});

describe("bad input", () => {
  it("bad queries are 400 naming the parameter, never 5xx", async () => {
    const client = h.svc.as(people.get("learner")!.claims);
    for (const [query, field] of [
      ["?unread=maybe", "unread"],
      ["?limit=0", "limit"],
      ["?limit=101", "limit"],
      ["?limit=ten", "limit"],
      ["?kind=offer", "kind"],
    ] as const) {
      const res = await client.get(`/v1/notifications${query}`);
      expect(res.status, query).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(JSON.stringify(res.body.errors), query).toContain(field);
    }
    const extra = await client.get("/v1/notifications/unread-count?all=1");
    expect(extra.status).toBe(400);
    const readAllExtra = await client.post("/v1/notifications/read-all?limit=5");
    expect(readAllExtra.status).toBe(400);
    await expectForeignCursorsRefused(["/v1/notifications"], (path) => client.get(path));
  });

  it("an id that cannot be one is 400, an unknown one 404", async () => {
    const client = h.svc.as(people.get("learner")!.claims);
    const long = await client.post(readPath("x".repeat(257)));
    expect(long.status).toBe(400);
    expect(JSON.stringify(long.body.errors)).toContain("id");
    const unknown = await client.post(readPath("no-such-notice"));
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail ?? unknown.body.title).toBeTruthy();
  });
});

describe("OpenAPI", () => {
  it("every answer is documented", async () => {
    const doc = (await h.svc.as().get("/openapi.json")).body;
    const learner = people.get("learner")!.claims;
    const valid: Record<string, () => Promise<Probe>> = {
      "GET /v1/notifications": async () => ({ as: learner }),
      "GET /v1/notifications/unread-count": async () => ({ as: learner }),
      "POST /v1/notifications/read-all": async () => ({ as: learner }),
      "POST /v1/notifications/{id}/read": async () => ({ path: readPath(own.get("learner")!), as: learner }),
    };
    const violations = await probeOperations({
      doc,
      as: h.svc.as,
      valid,
      wrongRole: people.get("partner")!.claims,
    });
    expect(violations).toEqual([]);
  });
});
