// The booking endpoints' role matrix: every endpoint with every caller (staff of the site, staff of
// another site, programme, admin, a learner who is not the person, school, company, partner, the person
// themself, no token), each booking cell on a fresh person in the next free slot. Then bad input in
// every field of a booking: 4xx naming it, nothing stored (no booking, no claim, the path unchanged).
import type { TokenClaims } from "@lto/auth";
import type { TestService } from "@lto/testkit/service";
import { MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  anOperatorWith,
  bookingBody,
  MONDAY,
  NOT_COURSE_MEETINGS,
  personWithLogin,
} from "./bookings-support.js";
import { callers, ok, startSelfEmployment, MATRIX_CALLERS, type MatrixCaller } from "./support.js";

let svc: TestService;
let mongo: MongoClient;
let laura: string;
/** The person of the last booking a cell made: "holder" calls as them. */
let holder: TokenClaims = callers.learner;

type Who = MatrixCaller | "holder";
const WHO: Who[] = [...MATRIX_CALLERS.filter((w) => w !== "anonymous"), "holder", "anonymous"];
type Expected = Record<Who, number>;
const client = (who: Who) =>
  who === "anonymous" ? svc.as() : who === "holder" ? svc.as(holder) : svc.as(callers[who]);
const staff = () => svc.as(callers.staff);
const all = (status: number): Expected => Object.fromEntries(WHO.map((w) => [w, status])) as Expected;
const refused = (overrides: Partial<Expected>): Expected => ({ ...all(403), anonymous: 401, ...overrides });

beforeAll(async () => {
  svc = await startSelfEmployment();
  svc.clock.set(MONDAY);
  mongo = await MongoClient.connect(svc.mongoUrl);
  laura = await anOperatorWith(svc, ["orientatore"]);
});
afterAll(async () => {
  await mongo?.close();
  await svc?.close();
});

/** A booking body for a fresh person (the holder from now on) in Laura's next free slot. */
async function freshBooking(over: Record<string, unknown> = {}) {
  const p = await personWithLogin(svc);
  holder = p.login;
  const free = await ok(
    staff(),
    "GET",
    `/v1/availability?service=accoglienza&site=lto-mantova&from=2026-03-03&to=2026-03-13&operator=${laura}`,
  );
  const slot = free.days.flatMap((d: { slots: { start: string }[] }) => d.slots)[0];
  return { ...bookingBody(p.personId, laura, { start: slot.start }), ...over, pathId: p.pathId };
}

async function aBooking() {
  const { pathId: _p, ...body } = await freshBooking();
  return (await ok(staff(), "POST", "/v1/bookings", body)).id as string;
}

interface Cell {
  method: string;
  path: () => Promise<string>;
  body?: () => Promise<unknown>;
  expected: Expected;
}

let nextBody: Record<string, unknown> = {};
const MATRIX: Record<string, Cell> = {
  "POST /v1/bookings": {
    method: "POST",
    path: async () => {
      const { pathId: _p, ...body } = await freshBooking();
      nextBody = body;
      return "/v1/bookings";
    },
    body: async () => nextBody,
    expected: refused({ staff: 201, admin: 201, holder: 201 }),
  },
  "GET /v1/bookings/{bookingId}": {
    method: "GET",
    path: async () => `/v1/bookings/${await aBooking()}`,
    expected: refused({ staff: 200, programme: 200, admin: 200, holder: 200 }),
  },
  "GET /v1/bookings?site=": {
    method: "GET",
    path: async () => "/v1/bookings?site=lto-mantova",
    expected: refused({ staff: 200, programme: 200, admin: 200 }),
  },
};

describe("the booking endpoints' role matrix", () => {
  for (const [name, cell] of Object.entries(MATRIX)) {
    it(
      name,
      async () => {
        const got: Partial<Expected> = {};
        for (const who of WHO) {
          const path = await cell.path();
          const body = cell.body ? await cell.body() : undefined;
          got[who] = (
            await client(who).request(cell.method, path, body === undefined ? {} : { body })
          ).status;
        }
        expect(got).toEqual(cell.expected);
      },
      120_000,
    );
  }

  it("a learner lists their own bookings (person=), nobody else's", async () => {
    await aBooking();
    const own = holder;
    const person = (await mongo.db(svc.dbName).collection("persons").findOne({ learnerSubject: own.sub }))!;
    expect((await svc.as(own).get(`/v1/bookings?person=${person._id}`)).status).toBe(200);
    expect((await svc.as(callers.learner).get(`/v1/bookings?person=${person._id}`)).status).toBe(403);
  });
});

describe("bad input in every field of a booking: 4xx naming it, nothing stored", () => {
  const db = () => mongo.db(svc.dbName);
  const snapshot = async (pathId: string) => ({
    bookings: await db().collection("bookings").countDocuments({}),
    claims: await db().collection("slot_claims").countDocuments(NOT_COURSE_MEETINGS),
    path: (
      await db()
        .collection("paths")
        .findOne({ _id: pathId as never })
    )?.version,
  });

  const cases: [string, Record<string, unknown>, number, string, TokenClaims?][] = [
    ["person missing", { person: undefined }, 400, "person"],
    ["person unknown", { person: "no-such-person" }, 404, ""],
    ["serviceType empty", { serviceType: "" }, 400, "serviceType"],
    ["serviceType unknown", { serviceType: "yoga" }, 400, "serviceType"],
    ["site unknown (admin)", { site: "lto-atlantis" }, 400, "site", callers.admin],
    ["site not the staff's", { site: "lto-asola" }, 403, ""],
    ["start not an instant", { start: "next tuesday" }, 400, "start"],
    ["start off the 5-minute grid", { start: "2026-03-03T09:03:00+01:00" }, 400, "start"],
    ["start outside the plan", { start: "2026-03-03T20:00:00+01:00" }, 409, ""],
    ["operatorId unknown", { operatorId: "nobody" }, 400, "operatorId"],
    ["mode unknown", { mode: "by_pigeon" }, 400, "mode"],
    ["mode not offered by the service", { mode: "remote" }, 400, "mode"],
    ["roomId of another site", { roomId: "lto-asola-sala-1" }, 400, "roomId"],
    ["equipmentIds unknown", { equipmentIds: ["teleporter"] }, 400, "equipmentIds.0"],
    [
      "equipmentIds outside the room",
      { roomId: "lto-mantova-sala-1", equipmentIds: ["lto-mantova-visori-vr"] },
      400,
      "equipmentIds.0",
    ],
    ["equipmentIds not a list", { equipmentIds: "lto-mantova-visori-vr" }, 400, "equipmentIds"],
    ["overrideReason empty", { overrideReason: "" }, 400, "overrideReason"],
    ["overrideReason too long", { overrideReason: "x".repeat(501) }, 400, "overrideReason"],
    ["an unknown field", { colour: "blue" }, 400, ""],
  ];
  for (const [what, change, status, field, as] of cases)
    it(what, async () => {
      const { pathId, ...body } = await freshBooking();
      const before = await snapshot(pathId as string);
      const sent = Object.fromEntries(
        Object.entries({ ...body, ...change }).filter(([, v]) => v !== undefined),
      );
      const res = await svc.as(as ?? callers.staff).post("/v1/bookings", sent);
      expect(res.status).toBe(status);
      expect(res.headers.get("content-type")).toMatch(/problem\+json/);
      if (field) expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(field);
      expect(await snapshot(pathId as string)).toEqual(before);
    });

  it("bad list and read parameters: 400 naming them", async () => {
    for (const q of ["status=lost", "from=yesterday", "limit=0", "site=lto-mantova&colour=blue"]) {
      const res = await svc.as(callers.programme).get(`/v1/bookings?${q}`);
      expect(res.status, q).toBe(400);
    }
    expect((await staff().get("/v1/bookings/no-such-booking")).status).toBe(404);
  });
});
