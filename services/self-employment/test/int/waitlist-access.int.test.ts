// The waitlist endpoints' role matrix: every endpoint with every caller (staff of the list's site,
// staff of another site, programme, admin, a learner who is not the person, school, company, partner,
// the person themself, no token), each writing cell on an entry or an offer of its own. Then bad input
// in every field: 400 naming it, nothing stored (the list unchanged).
import { waitFor } from "@lto/testkit";
import type { TestService } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  anOrientatore,
  book,
  personOnPath,
  roomSlots,
  staff,
  WEDNESDAY,
  type PersonOnPath,
} from "./booking-changes-support.js";
import { callers, ok, startSelfEmployment, MATRIX_CALLERS, type MatrixCaller } from "./support.js";

let svc: TestService;

beforeAll(async () => {
  svc = await startSelfEmployment({ env: { WAITLIST_SWEEP_MS: "200" } });
  svc.clock.set(WEDNESDAY);
});
afterAll(() => svc?.close());

type Who = MatrixCaller | "person";
const WHO: Who[] = [...MATRIX_CALLERS.filter((w) => w !== "anonymous"), "person", "anonymous"];
type Expected = Record<Who, number>;
const refused = (overrides: Partial<Expected>): Expected =>
  ({ ...Object.fromEntries(WHO.map((w) => [w, 403])), anonymous: 401, ...overrides }) as Expected;
const client = (who: Who, person: PersonOnPath) =>
  who === "anonymous" ? svc.as() : who === "person" ? svc.as(person.login) : svc.as(callers[who]);

/** Waiting for `operatorId`'s slots only: by default an operator nobody cancels with, so no offer comes. */
const joinBody = (person: PersonOnPath, operatorId = "operator-of-no-slot") => ({
  personId: person.personId,
  serviceCode: "accoglienza",
  site: "lto-mantova",
  preferences: { operatorId },
});

/** A person waiting on the list (staff put them there). */
async function waiting() {
  const person = await personOnPath(svc);
  const entry = await ok(staff(svc), "POST", "/v1/waitlist", joinBody(person));
  return { person, entryId: entry.id as string };
}

/** A person holding a pending offer: another's booking with an operator they prefer, cancelled. */
async function offered() {
  const operatorId = await anOrientatore(svc);
  const holder = await personOnPath(svc);
  const { roomId, starts } = roomSlots();
  const booked = await book(svc, holder, operatorId, starts[0]!, staff(svc), roomId);
  const person = await personOnPath(svc);
  const entry = await ok(staff(svc), "POST", "/v1/waitlist", joinBody(person, operatorId));
  await ok(staff(svc), "POST", `/v1/bookings/${booked.id}/cancel`, {});
  const offer = await waitFor(
    "the offer",
    async () => (await staff(svc).get(`/v1/waitlist/${entry.id}`)).body.offer,
    // The service's consumer reads the shared topic from its start: the first offer waits for it.
    170_000,
  );
  return { person, offerId: offer.id as string };
}

interface Cell {
  method: "GET" | "POST" | "DELETE";
  /** The request's path and body for a fresh subject, and the person it concerns. */
  make: () => Promise<{ path: string; body?: unknown; person: PersonOnPath }>;
  expected: Expected;
}

const MATRIX: Record<string, Cell> = {
  "POST /v1/waitlist": {
    method: "POST",
    make: async () => {
      const person = await personOnPath(svc);
      return { path: "/v1/waitlist", body: joinBody(person), person };
    },
    expected: refused({ staff: 201, admin: 201, person: 201 }),
  },
  "GET /v1/waitlist": {
    method: "GET",
    make: async () => ({
      path: "/v1/waitlist?service=accoglienza&site=lto-mantova",
      person: (await waiting()).person,
    }),
    expected: refused({ staff: 200, programme: 200, admin: 200 }),
  },
  "GET /v1/waitlist/{entryId}": {
    method: "GET",
    make: async () => {
      const { person, entryId } = await waiting();
      return { path: `/v1/waitlist/${entryId}`, person };
    },
    expected: refused({ staff: 200, programme: 200, admin: 200, person: 200 }),
  },
  "DELETE /v1/waitlist/{entryId}": {
    method: "DELETE",
    make: async () => {
      const { person, entryId } = await waiting();
      return { path: `/v1/waitlist/${entryId}`, person };
    },
    expected: refused({ staff: 200, admin: 200, person: 200 }),
  },
  "GET /v1/waitlist/offers/{offerId}": {
    method: "GET",
    make: async () => {
      const { person, offerId } = await offered();
      return { path: `/v1/waitlist/offers/${offerId}`, person };
    },
    expected: refused({ staff: 200, programme: 200, admin: 200, person: 200 }),
  },
  "POST /v1/waitlist/offers/{offerId}/accept": {
    method: "POST",
    make: async () => {
      const { person, offerId } = await offered();
      return { path: `/v1/waitlist/offers/${offerId}/accept`, body: {}, person };
    },
    expected: refused({ staff: 201, admin: 201, person: 201 }),
  },
  "POST /v1/waitlist/offers/{offerId}/decline": {
    method: "POST",
    make: async () => {
      const { person, offerId } = await offered();
      return { path: `/v1/waitlist/offers/${offerId}/decline`, body: {}, person };
    },
    expected: refused({ staff: 200, admin: 200, person: 200 }),
  },
};

describe("role matrix", () => {
  for (const [name, cell] of Object.entries(MATRIX)) {
    it(
      name,
      async () => {
        const seen: Partial<Expected> = {};
        for (const who of WHO) {
          svc.clock.set(WEDNESDAY);
          const { path, body, person } = await cell.make();
          const res = await client(who, person).request(
            cell.method,
            path,
            body === undefined ? {} : { body },
          );
          seen[who] = res.status;
        }
        expect(seen).toEqual(cell.expected);
      },
      300_000,
    );
  }
});

describe("bad input: 400 naming the field, nothing stored", () => {
  it("joining", async () => {
    const person = await personOnPath(svc);
    const good = joinBody(person);
    const cases: [Record<string, unknown>, string][] = [
      [{ ...good, personId: "" }, "personId"],
      [{ ...good, serviceCode: "yoga" }, "serviceCode"],
      [{ ...good, site: undefined }, "site"],
      [{ ...good, preferences: { days: [0] } }, "preferences.days.0"],
      [{ ...good, preferences: { days: [8] } }, "preferences.days.0"],
      [{ ...good, preferences: { days: [] } }, "preferences.days"],
      [{ ...good, preferences: { from: "9" } }, "preferences.from"],
      [{ ...good, preferences: { from: "13:00", to: "09:00" } }, "preferences.to"],
      [{ ...good, preferences: { days: [1, 1] } }, "preferences.days"],
      [{ ...good, preferences: { operatorId: "" } }, "preferences.operatorId"],
      [{ ...good, preferences: { weekend: true } }, "preferences"],
    ];
    for (const [body, field] of cases) {
      const res = await staff(svc).post("/v1/waitlist", body);
      expect(res.status, `${field}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.headers.get("content-type")).toMatch(/problem\+json/);
      expect(res.body.errors.map((e: { path: string }) => e.path).join(","), field).toContain(field);
    }
    expect((await staff(svc).post("/v1/waitlist", { ...good, personId: "nobody" })).status).toBe(404);
    expect((await staff(svc).post("/v1/waitlist", { ...good, site: "lto-nowhere" })).status).toBe(403);
    // Nothing stored: the person can join now, once.
    expect((await staff(svc).post("/v1/waitlist", good)).status).toBe(201);
  });

  it("listing", async () => {
    const base = "/v1/waitlist?service=accoglienza&site=lto-mantova";
    const cases: [string, string][] = [
      ["/v1/waitlist?site=lto-mantova", "service"],
      ["/v1/waitlist?service=yoga&site=lto-mantova", "service"],
      ["/v1/waitlist?service=accoglienza", "site"],
      [`${base}&limit=0`, "limit"],
      [`${base}&status=gone`, "status"],
      [`${base}&cursor=not-a-cursor`, "cursor"],
    ];
    for (const [url, field] of cases) {
      const res = await staff(svc).get(url);
      expect(res.status, url).toBe(400);
      expect(
        res.body.errors.map((e: { path: string }) => e.path),
        url,
      ).toContain(field);
    }
  });

  it("leaving with a bad reason; unknown entries and offers", async () => {
    const { entryId } = await waiting();
    const res = await staff(svc).request("DELETE", `/v1/waitlist/${entryId}?reason=${"x".repeat(501)}`);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain("reason");
    expect((await staff(svc).get(`/v1/waitlist/${entryId}`)).body.status).toBe("waiting");
    expect((await staff(svc).get("/v1/waitlist/no-such-entry")).status).toBe(404);
    expect((await staff(svc).request("DELETE", "/v1/waitlist/no-such-entry")).status).toBe(404);
    expect((await staff(svc).get("/v1/waitlist/offers/no-such-offer")).status).toBe(404);
    expect((await staff(svc).post("/v1/waitlist/offers/no-such-offer/accept", {})).status).toBe(404);
    expect((await staff(svc).post("/v1/waitlist/offers/no-such-offer/decline", {})).status).toBe(404);
  });
});
