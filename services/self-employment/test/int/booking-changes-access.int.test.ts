// The booking-change endpoints' role matrix: reschedule, cancel and no-show with every caller (staff
// of the booking's site, staff of another site, programme, admin, a learner who is not the person,
// school, company, partner, the person themself, no token), each cell on a booking of its own. Then
// bad input in every field: 400 naming it, nothing stored (the booking's version unchanged).
import type { TestService } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  anOrientatore,
  book,
  mondayAt,
  personOnPath,
  roomSlots,
  staff,
  WEDNESDAY,
  type PersonOnPath,
} from "./booking-changes-support.js";
import { callers, startSelfEmployment, MATRIX_CALLERS, type MatrixCaller } from "./support.js";

let svc: TestService;

beforeAll(async () => {
  svc = await startSelfEmployment();
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

interface Cell {
  path: (bookingId: string) => string;
  /** The body, given the cell's starts (its booking's, and a second one in the same room). */
  body: (starts: string[]) => unknown;
  /** Moves the clock before the call (a no-show is for a booking that started). */
  at?: (start: string) => Date;
  expected: Expected;
}

const MATRIX: Record<string, Cell> = {
  "POST /v1/bookings/{bookingId}/reschedule": {
    path: (id) => `/v1/bookings/${id}/reschedule`,
    body: (starts) => ({ start: starts[1] }),
    expected: refused({ staff: 200, admin: 200, person: 200 }),
  },
  "POST /v1/bookings/{bookingId}/cancel": {
    path: (id) => `/v1/bookings/${id}/cancel`,
    body: () => ({ reason: "impegno di lavoro" }),
    expected: refused({ staff: 200, admin: 200, person: 200 }),
  },
  "POST /v1/bookings/{bookingId}/no-show": {
    path: (id) => `/v1/bookings/${id}/no-show`,
    body: () => ({}),
    at: (start) => new Date(Date.parse(start) + 30 * 60_000),
    expected: refused({ staff: 200, admin: 200 }),
  },
};

describe("role matrix", () => {
  for (const [name, cell] of Object.entries(MATRIX)) {
    it(name, async () => {
      const seen: Partial<Expected> = {};
      for (const who of WHO) {
        svc.clock.set(WEDNESDAY);
        const operatorId = await anOrientatore(svc);
        const person = await personOnPath(svc);
        const { roomId, starts } = roomSlots(name.endsWith("reschedule") ? 2 : 1);
        const booked = await book(svc, person, operatorId, starts[0]!, staff(svc), roomId);
        if (cell.at) svc.clock.set(cell.at(starts[0]!));
        const res = await client(who, person).post(cell.path(booked.id), cell.body(starts));
        seen[who] = res.status;
        const after = (await staff(svc).get(`/v1/bookings/${booked.id}`)).body;
        // A refusal changes nothing.
        if (res.status >= 400) expect(after.version, `${who}: refused, yet stored`).toBe(booked.version);
      }
      svc.clock.set(WEDNESDAY);
      expect(seen).toEqual(cell.expected);
    });
  }
});

describe("bad input: 400 naming the field, nothing stored", () => {
  let target: Promise<{ id: string; version: number }>;
  beforeAll(() => {
    svc.clock.set(WEDNESDAY);
    target = (async () => {
      const { roomId, starts } = roomSlots();
      return book(svc, await personOnPath(svc), await anOrientatore(svc), starts[0]!, staff(svc), roomId);
    })();
  });
  const cases: [string, string, unknown, string][] = [
    ["reschedule", "reschedule", {}, "start"],
    ["reschedule", "reschedule", { start: "lunedì alle nove" }, "start"],
    ["reschedule", "reschedule", { start: "2026-12-07T10:00:00" }, "start"],
    ["reschedule", "reschedule", { start: "2026-12-07T10:01:00+01:00" }, "start"],
    ["reschedule", "reschedule", { start: "2026-12-07T10:00:00+01:00", operatorId: "" }, "operatorId"],
    ["reschedule", "reschedule", { start: "2026-12-07T10:00:00+01:00", operatorId: "nobody" }, "operatorId"],
    ["reschedule", "reschedule", { start: "2026-12-07T10:00:00+01:00", roomId: "room-nowhere" }, "roomId"],
    ["reschedule", "reschedule", { start: "2026-12-07T10:00:00+01:00", reason: "x".repeat(501) }, "reason"],
    ["reschedule", "reschedule", { start: "2026-12-07T10:00:00+01:00", when: "soon" }, "when"],
    ["cancel", "cancel", { reason: "" }, "reason"],
    ["cancel", "cancel", { reason: "x".repeat(501) }, "reason"],
    ["cancel", "cancel", { reason: "ok", late: false }, "late"],
    ["no-show", "no-show", { at: "now" }, "at"],
  ];
  it.each(cases)("%s %#", async (_, action, body, field) => {
    // One booking for every case: a refused request stores nothing, so it stays as it was.
    svc.clock.set(WEDNESDAY);
    const res = await staff(svc).post(`/v1/bookings/${(await target).id}/${action}`, body);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/problem\+json/);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(field);
    expect((await staff(svc).get(`/v1/bookings/${(await target).id}`)).body.version).toBe(
      (await target).version,
    );
  });

  it("an unknown booking: 404", async () => {
    const bodies: Record<string, unknown> = {
      reschedule: { start: mondayAt("10:00") },
      cancel: {},
      "no-show": {},
    };
    for (const [action, body] of Object.entries(bodies))
      expect((await staff(svc).post(`/v1/bookings/no-such-booking/${action}`, body)).status).toBe(404);
  });
});
