// Booking a slot through the public HTTP API on the real broker and store: the booking written with its
// BookingConfirmed event, the slot no longer offered, the path recording it (order refused and
// overridden, the cap), a taken slot refused with the next free ones, a room chosen, group sessions
// filled to their capacity and no further, reads and pages, gRPC ListBookingsBySite, and the sweeper
// giving back claims a crash left behind.
import { BookingConfirmedEvent, selfEmploymentV1, topics } from "@lto/contracts";
import { createGrpcClient } from "@lto/grpc-kit";
import { waitFor } from "@lto/testkit";
import { readTopic, type TestService } from "@lto/testkit/service";
import { MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  anOperatorWith,
  bookingBody,
  MONDAY,
  NOT_COURSE_MEETINGS,
  personWithLogin,
  tuesday,
} from "./bookings-support.js";
import { callers, startSelfEmployment } from "./support.js";

let svc: TestService;
let mongo: MongoClient;
let laura: string; // orientatore, Mon-Fri 09:00-13:00
let psy: string; // psicologo_orientamento (group service analisi_propensioni, 8 seats)
const staff = () => svc.as(callers.staff);
const claims = () =>
  mongo.db(svc.dbName).collection<{ _id: string; holderId: string; settled: boolean }>("slot_claims");
const bookingsCount = () => mongo.db(svc.dbName).collection("bookings").countDocuments({});

beforeAll(async () => {
  svc = await startSelfEmployment({ env: { BOOKING_SWEEP_MS: "200", BOOKING_CLAIM_GRACE_MS: "60000" } });
  svc.clock.set(MONDAY);
  mongo = await MongoClient.connect(svc.mongoUrl);
  laura = await anOperatorWith(svc, ["orientatore"]);
  psy = await anOperatorWith(svc, ["psicologo_orientamento"], "Marta Neri");
});
afterAll(async () => {
  await mongo?.close();
  await svc?.close();
});

const offered = async (service: string, operator: string) => {
  const res = await staff().get(
    `/v1/availability?service=${service}&site=lto-mantova&from=2026-03-03&to=2026-03-03&operator=${operator}`,
  );
  expect(res.status).toBe(200);
  return (res.body.days[0].slots as { start: string }[]).map((s) => s.start);
};

describe("booking a slot", () => {
  it("books it (201, Location), publishes BookingConfirmed, records it on the path, and the slot is no longer offered", async () => {
    const { personId, pathId } = await personWithLogin(svc);
    expect(await offered("accoglienza", laura)).toContain(tuesday("09:00").toISOString());
    const res = await staff().post("/v1/bookings", bookingBody(personId, laura), {
      headers: { "idempotency-key": `book-${personId}` },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe(`/v1/bookings/${res.body.id}`);
    expect(res.body).toMatchObject({
      personId,
      pathId,
      serviceCode: "accoglienza",
      site: "lto-mantova",
      operatorId: laura,
      roomId: "lto-mantova-sala-1", // chosen: the smallest room that fits
      mode: "in_person",
      start: tuesday("09:00").toISOString(),
      end: tuesday("10:00").toISOString(),
      hours: 1,
      status: "confirmed",
      sequence: 0,
      version: 1,
      funder: "lto_diffuso",
      bookedBy: callers.staff.sub,
      bookedByKind: "staff",
      warnings: [],
      waived: [],
    });
    const id = res.body.id as string;
    // The same request again (same Idempotency-Key) answers the same booking, storing nothing more.
    const replay = await staff().post("/v1/bookings", bookingBody(personId, laura), {
      headers: { "idempotency-key": `book-${personId}` },
    });
    expect(replay.status).toBe(201);
    expect(replay.body.id).toBe(id);

    // 09:00-10:00 plus 15 minutes after: 09:00 to 10:00 starts are gone, 10:15 is offered again.
    const now = await offered("accoglienza", laura);
    for (const hhmm of ["09:00", "09:15", "09:45", "10:00"])
      expect(now).not.toContain(tuesday(hhmm).toISOString());
    expect(now).toContain(tuesday("10:15").toISOString());

    const keys = await claims().find({ holderId: id }).toArray();
    expect(keys.every((k) => k.settled)).toBe(true);
    expect(keys.filter((k) => k._id.startsWith("operator:"))).toHaveLength(15);
    expect(keys.filter((k) => k._id.startsWith("room:lto-mantova-sala-1@"))).toHaveLength(12);

    const path = await staff().get(`/v1/paths/${pathId}`);
    expect(path.body.bookings).toEqual([
      expect.objectContaining({ bookingId: id, serviceCode: "accoglienza", hours: 1, status: "booked" }),
    ]);
    expect((await staff().get(`/v1/bookings/${id}`)).body).toMatchObject({ id, status: "confirmed" });

    const records = await readTopic(topics.selfemployment, (rs) =>
      rs.some((r) => r.key === personId && r.headers.ce_type?.endsWith("BookingConfirmed")),
    );
    const confirmed = records.filter(
      (r) => r.key === personId && r.headers.ce_type?.endsWith("BookingConfirmed"),
    );
    expect(confirmed).toHaveLength(1);
    expect(BookingConfirmedEvent.decode(confirmed[0]!.value)).toMatchObject({
      personId,
      bookingId: id,
      serviceType: "accoglienza",
      slot: {
        site: "lto-mantova",
        operatorId: laura,
        roomId: "lto-mantova-sala-1",
        equipmentIds: [],
        startsAt: tuesday("09:00").toISOString(),
        endsAt: tuesday("10:00").toISOString(),
        mode: "DELIVERY_MODE_IN_PERSON",
      },
      hours: 1,
      funder: "lto_diffuso",
      overrideReason: "",
      actorSubject: callers.staff.sub,
      version: 1,
    });
  });

  it("a taken slot: 409 slot_unavailable or slot_taken naming the slot, offering the next free slots, nothing stored", async () => {
    const first = await personWithLogin(svc);
    const second = await personWithLogin(svc);
    const body = (p: string) => bookingBody(p, laura, { start: tuesday("11:00").toISOString() });
    expect((await staff().post("/v1/bookings", body(first.personId))).status).toBe(201);
    const before = await bookingsCount();
    const claimsBefore = await claims().countDocuments(NOT_COURSE_MEETINGS);
    const refused = await staff().post("/v1/bookings", body(second.personId));
    expect(refused.status).toBe(409);
    expect(refused.body.reason).toBe("slot_unavailable");
    expect(refused.body.slot).toMatchObject({
      service: "accoglienza",
      operatorId: laura,
      start: tuesday("11:00").toISOString(),
    });
    expect(refused.body.nextSlots.length).toBeGreaterThan(0);
    expect(refused.body.nextSlots.map((s: { start: string }) => s.start)).not.toContain(
      tuesday("11:00").toISOString(),
    );
    expect(refused.body.detail).toMatch(/cannot be booked/);
    expect(await bookingsCount()).toBe(before);
    expect(await claims().countDocuments(NOT_COURSE_MEETINGS)).toBe(claimsBefore);
    expect((await staff().get(`/v1/paths/${second.pathId}`)).body.bookings).toEqual([]);
  });

  it("a learner books for themself (never for another, never with an override); staff may use another free room", async () => {
    const me = await personWithLogin(svc);
    const other = await personWithLogin(svc);
    const learner = svc.as(me.login);
    const body = bookingBody(me.personId, laura, { start: "2026-03-04T12:00:00+01:00" });
    expect((await learner.post("/v1/bookings", { ...body, person: other.personId })).status).toBe(403);
    const withOverride = await learner.post("/v1/bookings", { ...body, overrideReason: "I want to" });
    expect(withOverride.status).toBe(400);
    expect(withOverride.body.errors).toEqual([expect.objectContaining({ path: "overrideReason" })]);
    const mine = await learner.post("/v1/bookings", body);
    expect(mine.status).toBe(201);
    expect(mine.body).toMatchObject({ bookedByKind: "person", bookedBy: me.login.sub });
    expect((await learner.get(`/v1/bookings/${mine.body.id}`)).status).toBe(200);
    expect((await svc.as(other.login).get(`/v1/bookings/${mine.body.id}`)).status).toBe(403);
    const list = await learner.get(`/v1/bookings?person=${me.personId}`);
    expect(list.body.items.map((b: { id: string }) => b.id)).toEqual([mine.body.id]);
    expect((await learner.get(`/v1/bookings?person=${other.personId}`)).status).toBe(403);
  });

  it("the path's order: 409 naming what must come first; staff override with a reason, recorded", async () => {
    const p = await personWithLogin(svc);
    const body = bookingBody(p.personId, laura, {
      serviceType: "definizione_percorso",
      start: tuesday("09:00").toISOString(),
    });
    // Laura is busy at 09:00 on Tuesday: Wednesday then.
    body.start = "2026-03-04T09:00:00+01:00";
    const refused = await staff().post("/v1/bookings", body);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ reason: "order_not_met", mustComeFirst: ["accoglienza"] });
    expect(refused.body.detail).toMatch(/"Accoglienza"/);
    expect(await claims().countDocuments({ _id: { $regex: "^operator:.*2026-03-04T08:" } })).toBe(0);
    const overridden = await staff().post("/v1/bookings", {
      ...body,
      overrideReason: "reception done at school",
    });
    expect(overridden.status).toBe(201);
    expect(overridden.body).toMatchObject({
      overrideReason: "reception done at school",
      waived: ["accoglienza"],
    });
    const path = await staff().get(`/v1/paths/${p.pathId}`);
    expect(path.body.overrides).toEqual([
      expect.objectContaining({
        bookingId: overridden.body.id,
        waived: ["accoglienza"],
        reason: "reception done at school",
      }),
    ]);
  });

  it("the cap: refused with the hours that remain; a warning from 80%", async () => {
    const p = await personWithLogin(svc);
    // accoglienza: at most 2 hours per person. Thursday 09:00 and 10:15 (1 h each), then a third.
    const at = (hhmm: string) => bookingBody(p.personId, laura, { start: `2026-03-05T${hhmm}:00+01:00` });
    const first = await staff().post("/v1/bookings", at("09:00"));
    expect(first.status).toBe(201);
    const second = await staff().post("/v1/bookings", at("10:15"));
    expect(second.status).toBe(201);
    expect(second.body.warnings).toEqual([expect.objectContaining({ code: "cap_near" })]);
    const third = await staff().post("/v1/bookings", at("11:30"));
    expect(third.status).toBe(409);
    expect(third.body).toMatchObject({ reason: "hours_cap_reached", remainingHours: 0, capHours: 2 });
    expect(await claims().countDocuments({ _id: { $regex: "^operator:.*2026-03-05T10:3" } })).toBe(0);
  });

  it("a group session: one session per (service, operator, start), its capacity never exceeded", async () => {
    const start = "2026-03-06T09:00:00+01:00"; // Friday: 48 h notice met
    const people = await Promise.all(Array.from({ length: 10 }, () => personWithLogin(svc)));
    const body = (p: string) =>
      bookingBody(p, psy, { serviceType: "analisi_propensioni", start, overrideReason: "group intake" });
    const availability = `/v1/availability?service=analisi_propensioni&site=lto-mantova&from=2026-03-06&to=2026-03-06&operator=${psy}`;
    const atStart = (slots: { start: string }[]) =>
      slots.find((s) => s.start === new Date(start).toISOString());
    // A new start offers all the service's seats.
    expect(atStart((await staff().get(availability)).body.days[0].slots)).toMatchObject({ freeSeats: 8 });
    const first = await staff().post("/v1/bookings", body(people[0]!.personId));
    expect(first.status).toBe(201);
    // The session is offered at its time while seats are left (its operator is busy for anything else),
    // with the seats left and its room, over REST and gRPC alike.
    const offeredNow = await staff().get(availability);
    expect(offeredNow.body.days[0].slots).toEqual([
      expect.objectContaining({
        start: new Date(start).toISOString(),
        operators: [expect.objectContaining({ id: psy })],
        freeSeats: 7,
        roomId: first.body.roomId,
      }),
    ]);
    const grpc = createGrpcClient(selfEmploymentV1.SelfEmploymentServiceClient, svc.grpcAddress, {
      deadlineMs: 5000,
    });
    try {
      const answer = await grpc.getAvailability(
        {
          serviceType: "analisi_propensioni",
          site: "lto-mantova",
          from: "2026-03-06",
          to: "2026-03-06",
          operatorId: psy,
        },
        { token: await svc.auth.token(callers.staff) },
      );
      expect(answer.slots).toEqual([
        {
          startsAt: new Date(start).toISOString(),
          endsAt: offeredNow.body.days[0].slots[0].end,
          operatorId: psy,
          roomId: first.body.roomId,
          freeSeats: 7,
        },
      ]);
    } finally {
      grpc.close();
    }
    const rush = await Promise.all(
      people.slice(1).map((p) => staff().post("/v1/bookings", body(p.personId))),
    );
    const answers = [first, ...rush];
    const booked = answers.filter((r) => r.status === 201);
    expect(booked).toHaveLength(8);
    expect(answers.filter((r) => r.status === 409).map((r) => r.body.reason)).toEqual([
      "session_full",
      "session_full",
    ]);
    expect(new Set(booked.map((r) => r.body.groupSession)).size).toBe(1);
    expect(booked.map((r) => r.body.seat as number).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(new Set(booked.map((r) => r.body.roomId))).toEqual(new Set(["lto-mantova-aula"]));
    const session = booked[0]!.body.groupSession as string;
    // The session holds the operator's units once (with buffers) and the room's; each booking a seat.
    const held = await claims()
      .find({ holderId: `group-session:${session}` })
      .toArray();
    expect(held.filter((c) => c._id.startsWith("operator:"))).toHaveLength(30);
    expect(held.filter((c) => c._id.startsWith("room:"))).toHaveLength(24);
    expect(await claims().countDocuments({ _id: { $regex: "^seat:" }, group: session })).toBe(8);
    // The full session is no longer offered (its operator is busy then, buffers included: 08:45-11:15,
    // so no other 2-hour session fits that morning).
    const res = await staff().get(
      `/v1/availability?service=analisi_propensioni&site=lto-mantova&from=2026-03-06&to=2026-03-06&operator=${psy}`,
    );
    expect(res.status).toBe(200);
    const starts = (res.body.days[0].slots as { start: string }[]).map((s) => s.start);
    expect(starts).not.toContain(new Date(start).toISOString());
  });

  it("pages bookings by start for staff of the site; gRPC ListBookingsBySite answers the same", async () => {
    const page1 = await staff().get("/v1/bookings?site=lto-mantova&limit=2");
    expect(page1.status).toBe(200);
    expect(page1.body.items).toHaveLength(2);
    const all: { id: string; start: string }[] = [...page1.body.items];
    let cursor = page1.body.nextCursor as string | undefined;
    while (cursor) {
      const next = await staff().get(
        `/v1/bookings?site=lto-mantova&limit=2&cursor=${encodeURIComponent(cursor)}`,
      );
      all.push(...next.body.items);
      cursor = next.body.nextCursor;
    }
    expect(all.map((b) => b.start)).toEqual([...all.map((b) => b.start)].sort());
    expect(all.length).toBe(
      await mongo.db(svc.dbName).collection("bookings").countDocuments({ site: "lto-mantova" }),
    );
    const tuesdayOnly = await staff().get(
      `/v1/bookings?site=lto-mantova&from=${encodeURIComponent("2026-03-03T00:00:00+01:00")}&to=${encodeURIComponent("2026-03-04T00:00:00+01:00")}&operator=${laura}&status=confirmed`,
    );
    expect(tuesdayOnly.body.items.length).toBeGreaterThan(0);
    expect(tuesdayOnly.body.items.every((b: { start: string }) => b.start.startsWith("2026-03-03"))).toBe(
      true,
    );
    expect((await staff().get("/v1/bookings")).status).toBe(403);
    expect((await svc.as(callers.otherSiteStaff).get("/v1/bookings?site=lto-mantova")).status).toBe(403);

    const client = createGrpcClient(selfEmploymentV1.SelfEmploymentServiceClient, svc.grpcAddress, {
      deadlineMs: 5000,
    });
    try {
      const token = { token: await svc.auth.token(callers.staff) };
      const answer = await client.listBookingsBySite(
        {
          site: "lto-mantova",
          from: "2026-03-03T00:00:00Z",
          to: "2026-03-04T00:00:00Z",
          pageSize: 100,
          pageToken: "",
        },
        token,
      );
      expect(answer.bookings.map((b) => b.id).sort()).toEqual(
        all
          .filter((b) => b.start.startsWith("2026-03-03"))
          .map((b) => b.id)
          .sort(),
      );
      expect(answer.bookings[0]).toMatchObject({ site: "lto-mantova", state: "BOOKING_STATE_CONFIRMED" });
    } finally {
      client.close();
    }
  });
});

describe("the claim sweeper", () => {
  it("gives back claims no booking holds (a crash between claim and booking) after the grace period, and only those", async () => {
    const unit = "2026-03-05T11:00:00.000Z";
    const orphan = `operator:${laura}@${unit}`;
    await claims().insertOne({
      _id: orphan,
      holderId: "never-written",
      claim: "crashed-claim",
      claimedAt: svc.clock.now(),
      settled: false,
    } as never);
    // Within the grace period it stays (the request might still be running), and the unit is busy.
    const at12 = "2026-03-05T12:00:00+01:00";
    expect(await offered2("2026-03-05")).not.toContain(new Date(at12).toISOString());
    svc.clock.advance(2 * 60_000);
    await waitFor("the orphan claim given back", async () =>
      (await claims().countDocuments({ _id: orphan })) === 0 ? true : undefined,
    );
    expect(await offered2("2026-03-05")).toContain(new Date(at12).toISOString());
    // Claims held by written bookings (or by a group session with seats taken) are settled and stay.
    await waitFor("every held claim settled", async () =>
      (await claims().countDocuments({ settled: false })) === 0 ? true : undefined,
    );
    expect(await claims().countDocuments({})).toBeGreaterThan(0);
  });
});

async function offered2(date: string) {
  const res = await staff().get(
    `/v1/availability?service=accoglienza&site=lto-mantova&from=${date}&to=${date}&operator=${laura}`,
  );
  return (res.body.days[0].slots as { start: string }[]).map((s) => s.start);
}
