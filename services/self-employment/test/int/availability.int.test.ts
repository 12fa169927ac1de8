// Availability through the public HTTP API on the real broker and store: an ordinary week from the
// operators' plans, the two days the clocks change, Sant'Anselmo, notice and horizon, one operator's
// slots, bad parameters named, and the role matrix of availability and the equipment gate. gRPC
// GetAvailability answers the same slots over a real channel.
import { selfEmploymentV1 } from "@lto/contracts";
import { UnauthenticatedError, ValidationError } from "@lto/errors";
import { createGrpcClient } from "@lto/grpc-kit";
import type { TestService } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
let a: string; // Laura: Mon-Fri 09:00-13:00, break 11:00-11:30; 01:00-04:00 on both clock-change Sundays
let b: string; // Paolo: Mondays 09:00-11:00
const staff = () => svc.as(callers.staff);
const SERVICE = "colloquio_specialistico"; // 60 minutes, 24 h notice, 60 days horizon, orientatore

/** Rome wall-clock time on `date` -> instant (the test picks times that exist once). */
const at = (iso: string) => svc.clock.set(new Date(iso));
const ask = (from: string, to: string, extra = "") =>
  staff().get(`/v1/availability?service=${SERVICE}&site=lto-mantova&from=${from}&to=${to}${extra}`);

interface DayView {
  date: string;
  closed?: string;
  slots: {
    start: string;
    end: string;
    startLocal: string;
    endLocal: string;
    occurrence?: string;
    operators: { id: string; name: string }[];
  }[];
}

beforeAll(async () => {
  svc = await startSelfEmployment();
  const weekdays = ([1, 2, 3, 4, 5] as const).map((weekday) => ({
    weekday,
    site: "lto-mantova",
    hours: { start: "09:00", end: "13:00" },
    breaks: [{ start: "11:00", end: "11:30" }],
  }));
  const night = { start: "01:00", end: "04:00" };
  a = (
    await ok(
      staff(),
      "POST",
      "/v1/operators",
      operatorBody({
        name: "Laura Bianchi",
        plan: weekdays,
        exceptions: [
          { kind: "extra", date: "2026-03-29", site: "lto-mantova", hours: night },
          { kind: "extra", date: "2026-10-25", site: "lto-mantova", hours: night },
        ],
      }),
    )
  ).id;
  b = (
    await ok(
      staff(),
      "POST",
      "/v1/operators",
      operatorBody({
        name: "Paolo Verdi",
        plan: [{ weekday: 1, site: "lto-mantova", hours: { start: "09:00", end: "11:00" }, breaks: [] }],
      }),
    )
  ).id;
  // Another profile at the same site, and an orientatore elsewhere: neither is offered.
  await ok(staff(), "POST", "/v1/operators", operatorBody({ name: "Coach Rossi", profiles: ["coach"] }));
  await ok(
    svc.as(callers.admin),
    "POST",
    "/v1/operators",
    operatorBody({
      name: "Anna Asola",
      sites: ["lto-asola"],
      plan: [{ weekday: 1, site: "lto-asola", hours: { start: "09:00", end: "13:00" }, breaks: [] }],
    }),
  );
});
afterAll(async () => {
  await svc?.close();
});

describe("availability over HTTP", () => {
  it("offers an ordinary week from the plans: 8 starts a day, both operators where they overlap", async () => {
    at("2026-04-10T08:00:00Z");
    const res = await ask("2026-04-13", "2026-04-19");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      service: SERVICE,
      site: "lto-mantova",
      durationMinutes: 60,
      bookableUntil: "2026-06-09",
    });
    const days = res.body.days as DayView[];
    expect(days.map((d) => d.date)).toEqual([
      "2026-04-13",
      "2026-04-14",
      "2026-04-15",
      "2026-04-16",
      "2026-04-17",
      "2026-04-18",
      "2026-04-19",
    ]);
    expect(days.map((d) => d.slots.length)).toEqual([8, 8, 8, 8, 8, 0, 0]);
    const monday = days[0]!.slots;
    // 09:00-10:00 every 15 minutes, then after the break 11:30-12:00 (60 minutes must fit before 13:00).
    expect(monday.map((s) => s.startLocal)).toEqual(
      ["09:00", "09:15", "09:30", "09:45", "10:00", "11:30", "11:45", "12:00"].map(
        (t) => `2026-04-13T${t}+02:00`,
      ),
    );
    expect(monday[0]).toEqual({
      start: "2026-04-13T07:00:00.000Z",
      end: "2026-04-13T08:00:00.000Z",
      startLocal: "2026-04-13T09:00+02:00",
      endLocal: "2026-04-13T10:00+02:00",
      operators: [
        { id: a, name: "Laura Bianchi" },
        { id: b, name: "Paolo Verdi" },
      ],
      freeSeats: 1,
    });
    expect(monday[5]!.operators).toEqual([{ id: a, name: "Laura Bianchi" }]);
    expect(days[1]!.slots[0]!.operators).toEqual([{ id: a, name: "Laura Bianchi" }]);
  });

  it("answers one operator's slots with operator=", async () => {
    at("2026-04-10T08:00:00Z");
    const res = await ask("2026-04-13", "2026-04-14", `&operator=${b}`);
    expect(res.status).toBe(200);
    const days = res.body.days as DayView[];
    expect(days.map((d) => d.slots.length)).toEqual([5, 0]);
    expect(days[0]!.slots.every((s) => s.operators.length === 1 && s.operators[0]!.id === b)).toBe(true);
    const unknown = await ask("2026-04-13", "2026-04-14", "&operator=nobody");
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toContain("nobody");
  });

  it("gives 60 real minutes on 29 March 2026, when the clocks skip 02:00-03:00", async () => {
    at("2026-03-16T08:00:00Z");
    const res = await ask("2026-03-29", "2026-03-29");
    const slots = (res.body.days as DayView[])[0]!.slots;
    // 01:00 (+01:00) to 04:00 (+02:00) is two real hours: starts 00:00Z ... 01:00Z.
    expect(slots.map((s) => [s.startLocal, s.endLocal])).toEqual([
      ["2026-03-29T01:00+01:00", "2026-03-29T03:00+02:00"],
      ["2026-03-29T01:15+01:00", "2026-03-29T03:15+02:00"],
      ["2026-03-29T01:30+01:00", "2026-03-29T03:30+02:00"],
      ["2026-03-29T01:45+01:00", "2026-03-29T03:45+02:00"],
      ["2026-03-29T03:00+02:00", "2026-03-29T04:00+02:00"],
    ]);
    for (const s of slots) expect(Date.parse(s.end) - Date.parse(s.start)).toBe(3_600_000);
    expect(slots[0]!.start).toBe("2026-03-29T00:00:00.000Z");
  });

  it("offers the repeated hour twice on 25 October 2026, told apart by offset and occurrence", async () => {
    at("2026-10-19T08:00:00Z");
    const res = await ask("2026-10-25", "2026-10-25");
    const slots = (res.body.days as DayView[])[0]!.slots;
    // 01:00 (+02:00) to 04:00 (+01:00) is four real hours: 13 starts, 23:00Z ... 02:00Z.
    expect(slots).toHaveLength(13);
    for (const s of slots) expect(Date.parse(s.end) - Date.parse(s.start)).toBe(3_600_000);
    expect(new Set(slots.map((s) => s.startLocal)).size).toBe(13);
    expect(slots[0]).toMatchObject({
      start: "2026-10-24T23:00:00.000Z",
      startLocal: "2026-10-25T01:00+02:00",
    });
    const twoThirty = slots.filter((s) => s.startLocal.slice(11, 16) === "02:30");
    expect(twoThirty).toEqual([
      expect.objectContaining({
        start: "2026-10-25T00:30:00.000Z",
        startLocal: "2026-10-25T02:30+02:00",
        occurrence: "earlier",
      }),
      expect.objectContaining({
        start: "2026-10-25T01:30:00.000Z",
        startLocal: "2026-10-25T02:30+01:00",
        occurrence: "later",
      }),
    ]);
    expect(slots.at(-1)).toMatchObject({
      startLocal: "2026-10-25T03:00+01:00",
      endLocal: "2026-10-25T04:00+01:00",
    });
  });

  it("offers nothing on 18 March, Sant'Anselmo, saying why; the day after is ordinary", async () => {
    at("2026-03-16T08:00:00Z");
    const days = (await ask("2026-03-18", "2026-03-19")).body.days as DayView[];
    expect(days[0]).toEqual({ date: "2026-03-18", closed: "Sant'Anselmo, patrono di Mantova", slots: [] });
    expect(days[1]!.closed).toBeUndefined();
    expect(days[1]!.slots).toHaveLength(8);
    // The Informagiovani desk of Castiglione, outside Mantova, opens on Sant'Anselmo.
    const desk = "informagiovani-castiglione";
    await ok(
      svc.as(callers.admin),
      "POST",
      "/v1/operators",
      operatorBody({
        name: "Sara Castiglione",
        sites: [desk],
        plan: [{ weekday: 3, site: desk, hours: { start: "09:00", end: "11:00" }, breaks: [] }],
      }),
    );
    const open = await svc
      .as(callers.admin)
      .get(`/v1/availability?service=${SERVICE}&site=${desk}&from=2026-03-18&to=2026-03-18`);
    expect((open.body.days as DayView[])[0]).toMatchObject({ date: "2026-03-18", slots: { length: 5 } });
    expect((open.body.days as DayView[])[0]!.closed).toBeUndefined();
  });

  it("keeps the minimum notice and stops at the horizon", async () => {
    // Monday 10:00 in Rome: 24 hours' notice leaves Tuesday from 10:00.
    at("2026-04-13T08:00:00Z");
    const notice = (await ask("2026-04-13", "2026-04-14")).body.days as DayView[];
    expect(notice[0]!.slots).toEqual([]);
    expect(notice[1]!.slots.map((s) => s.startLocal.slice(11, 16))).toEqual([
      "10:00",
      "11:30",
      "11:45",
      "12:00",
    ]);
    // From 10 April the 60-day horizon ends on 9 June; 2 June is the Festa della Repubblica.
    at("2026-04-10T08:00:00Z");
    const res = await ask("2026-06-01", "2026-06-12");
    expect(res.body.bookableUntil).toBe("2026-06-09");
    const counts = Object.fromEntries((res.body.days as DayView[]).map((d) => [d.date, d.slots.length]));
    expect(counts).toMatchObject({
      "2026-06-01": 8,
      "2026-06-02": 0,
      "2026-06-08": 8,
      "2026-06-09": 8,
      "2026-06-10": 0,
      "2026-06-11": 0,
      "2026-06-12": 0,
    });
  });

  it("answers 400 naming each bad parameter, 404 naming an unknown service or site", async () => {
    at("2026-04-10T08:00:00Z");
    const base = { service: SERVICE, site: "lto-mantova", from: "2026-04-13", to: "2026-04-14" };
    const cases: [Record<string, string | undefined>, string][] = [
      [{ service: undefined }, "service"],
      [{ site: undefined }, "site"],
      [{ from: undefined }, "from"],
      [{ to: undefined }, "to"],
      [{ from: "2026-02-30" }, "from"],
      [{ from: "13/04/2026" }, "from"],
      [{ to: "2026-13-01" }, "to"],
      [{ to: "2026-04-12" }, "to"],
      [{ to: "2026-06-14" }, "to"], // 63 days
      [{ operator: "" }, "operator"],
      [{ colour: "blue" }, "colour"],
    ];
    for (const [change, field] of cases) {
      const params = Object.entries({ ...base, ...change }).filter(([, v]) => v !== undefined) as [
        string,
        string,
      ][];
      const res = await staff().get(`/v1/availability?${new URLSearchParams(params).toString()}`);
      expect(res.status, JSON.stringify(change)).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(JSON.stringify(res.body), JSON.stringify(change)).toContain(field);
    }
    expect((await ask("2026-04-13", "2026-06-13")).status).toBe(200); // 62 days: the most per call
    const service = await staff().get(
      "/v1/availability?service=yoga&site=lto-mantova&from=2026-04-13&to=2026-04-14",
    );
    expect(service.status).toBe(404);
    expect(service.body.detail).toContain("yoga");
    // Who asks comes first: staff hear 403 about a site not theirs, the programme office that it is unknown.
    const site = await svc
      .as(callers.programme)
      .get(`/v1/availability?service=${SERVICE}&site=lto-marte&from=2026-04-13&to=2026-04-14`);
    expect(site.status).toBe(404);
    expect(site.body.detail).toContain("lto-marte");
  });
});

describe("the role matrix of availability and the equipment gate", () => {
  type Who = MatrixCaller;
  const WHO = MATRIX_CALLERS;
  const client = (who: Who) => (who === "anonymous" ? svc.as() : svc.as(callers[who]));
  let personId: string;
  beforeAll(async () => {
    personId = (await ok(staff(), "POST", "/v1/persons", personBody(svc))).id;
  });

  const matrix: Record<string, { path: () => string; expected: Record<Who, number> }> = {
    "GET /v1/availability": {
      path: () => `/v1/availability?service=${SERVICE}&site=lto-mantova&from=2026-04-13&to=2026-04-14`,
      expected: {
        staff: 200,
        otherSiteStaff: 403,
        programme: 200,
        admin: 200,
        learner: 200,
        school: 403,
        company: 403,
        partner: 403,
        anonymous: 401,
      },
    },
    "GET /v1/equipment/{itemId}/access": {
      // An item that needs no credential: the answer does not depend on the catalogue.
      path: () => `/v1/equipment/lto-mantova-stampante-3d-1/access?person=${personId}`,
      expected: {
        staff: 200,
        otherSiteStaff: 403,
        programme: 403,
        admin: 200,
        learner: 403,
        school: 403,
        company: 403,
        partner: 403,
        anonymous: 401,
      },
    },
  };

  it("covers every operation tagged availability or equipment", async () => {
    const doc = (await svc.as().get("/openapi.json")).body as {
      paths: Record<string, Record<string, { tags?: string[] }>>;
    };
    const mine = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => op.tags?.some((t) => t === "availability" || t === "equipment"))
        .map(([m]) => `${m.toUpperCase()} ${path}`),
    );
    expect(Object.keys(matrix).sort()).toEqual(mine.sort());
  });

  it.each(Object.keys(matrix))("%s answers each caller as its rules say", async (name) => {
    at("2026-04-10T08:00:00Z");
    const cell = matrix[name]!;
    const answers: Partial<Record<Who, number>> = {};
    for (const who of WHO) {
      const res = await client(who).get(cell.path());
      answers[who] = res.status;
      if (res.status >= 400) expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    expect(answers).toEqual(cell.expected);
  });

  it("says an item without a credential is open to anyone, and names what is unknown", async () => {
    const res = await staff().get(`/v1/equipment/lto-mantova-stampante-3d-1/access?person=${personId}`);
    expect(res.body).toEqual({
      item: "lto-mantova-stampante-3d-1",
      person: personId,
      allowed: true,
      requirement: null,
      reason: "no credential needed",
    });
    const item = await staff().get(`/v1/equipment/no-such-item/access?person=${personId}`);
    expect(item.status).toBe(404);
    expect(item.body.detail).toContain("no-such-item");
    const person = await staff().get("/v1/equipment/lto-mantova-stampante-3d-1/access?person=nobody");
    expect(person.status).toBe(404);
    expect(person.body.detail).toContain("nobody");
    for (const query of ["", "?person=", "?person=x&colour=blue"]) {
      const bad = await staff().get(`/v1/equipment/lto-mantova-stampante-3d-1/access${query}`);
      expect(bad.status, query).toBe(400);
      expect(JSON.stringify(bad.body), query).toMatch(/person|colour/);
    }
    // Another site's item: its staff only.
    const asola = await staff().get(`/v1/equipment/lto-asola-stampante-3d-1/access?person=${personId}`);
    expect(asola.status).toBe(403);
    expect(asola.body.detail).toContain("lto-asola");
  });
});

describe("GetAvailability over gRPC", () => {
  let grpc: ReturnType<typeof createGrpcClient<typeof selfEmploymentV1.SelfEmploymentServiceService>>;
  beforeAll(() => {
    grpc = createGrpcClient(selfEmploymentV1.SelfEmploymentServiceClient, svc.grpcAddress, {
      deadlineMs: 5000,
    });
  });
  afterAll(() => grpc?.close());
  const request = {
    serviceType: SERVICE,
    site: "lto-mantova",
    from: "2026-04-13",
    to: "2026-04-13",
    operatorId: "",
  };

  it("answers the slots of the HTTP API, one per start and operator", async () => {
    at("2026-04-10T08:00:00Z");
    const answer = await grpc.getAvailability(request, { token: await svc.auth.token(callers.staff) });
    const http = ((await ask("2026-04-13", "2026-04-13")).body.days as DayView[])[0]!.slots;
    expect(answer.serviceType).toBe(SERVICE);
    expect(answer.site).toBe("lto-mantova");
    expect(answer.slots).toEqual(
      http.flatMap((s) =>
        s.operators.map((o) => ({
          startsAt: s.start,
          endsAt: s.end,
          operatorId: o.id,
          roomId: "",
          freeSeats: 1,
        })),
      ),
    );
    expect(answer.slots).toHaveLength(8 + 5);
  });

  it("needs a token, names bad fields, and answers within a short deadline", async () => {
    await expect(grpc.getAvailability(request)).rejects.toBeInstanceOf(UnauthenticatedError);
    const token = { token: await svc.auth.token(callers.learner) };
    const bad = await grpc
      .getAvailability({ ...request, from: "2026-02-30", site: "" }, token)
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ValidationError);
    expect((bad as Error).message).toMatch(/invalid fields/);
    const quick = createGrpcClient(selfEmploymentV1.SelfEmploymentServiceClient, svc.grpcAddress, {
      deadlineMs: 1000,
      retries: 0,
    });
    try {
      expect((await quick.getAvailability(request, token)).slots.length).toBe(13);
    } finally {
      quick.close();
    }
  });
});
