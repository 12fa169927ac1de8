// Booking changes over HTTP on the real broker and store: a reschedule holds the new slot before it
// gives back the old one (409 and nothing moved when the new one is taken), a cancellation inside the
// notice is recorded late (the path shows late_cancelled), a no-show only once the booking started;
// each with its event (sequence and version), the path updated, the claims right (availability says).
import { BookingCancelledEvent, BookingRescheduledEvent, NoShowRecordedEvent, topics } from "@lto/contracts";
import { readTopic, type TestService } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  anOrientatore,
  book,
  freeStarts,
  HOUR,
  mondayAt,
  personOnPath,
  staff,
  WEDNESDAY,
} from "./booking-changes-support.js";
import { romeDate } from "@lto/civil-time";
import { SCHOOL_REFERENT } from "../fixtures.js";
import { callers, ok, personBody, startSelfEmployment } from "./support.js";

let svc: TestService;

beforeAll(async () => {
  svc = await startSelfEmployment();
  svc.clock.set(WEDNESDAY);
});
afterAll(() => svc?.close());

/** The events of `type` about the booking, once `count` of them are on the topic. */
async function eventOf<T extends { bookingId: string }>(
  type: string,
  bookingId: string,
  decode: (b: Buffer) => T,
  count = 1,
): Promise<T[]> {
  const mine = (rs: readonly { headers: Record<string, string>; value: Buffer }[]) =>
    rs
      .filter((r) => r.headers.ce_type?.endsWith(type))
      .map((r) => decode(r.value))
      .filter((e) => e.bookingId === bookingId);
  return mine(await readTopic(topics.selfemployment, (rs) => mine(rs).length >= count));
}

describe("reschedule", () => {
  it("moves the booking: the new slot held, the old one free again, sequence + 1, the path moved", async () => {
    svc.clock.set(WEDNESDAY);
    const operatorId = await anOrientatore(svc);
    const who = await personOnPath(svc);
    const booked = await book(svc, who, operatorId, mondayAt("09:00"));
    expect(await freeStarts(svc, operatorId)).not.toContain(mondayAt("09:00"));

    const res = await svc
      .as(who.login)
      .post(`/v1/bookings/${booked.id}/reschedule`, { start: mondayAt("11:00"), reason: "lezione a scuola" });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      id: booked.id,
      status: "confirmed",
      start: mondayAt("11:00"),
      sequence: 1,
    });
    expect(res.body.version).toBe(booked.version + 1);

    const free = await freeStarts(svc, operatorId);
    expect(free).toContain(mondayAt("09:00"));
    expect(free).not.toContain(mondayAt("11:00"));
    // An hour from 10:30 would meet the moved booking.
    expect(free).not.toContain(mondayAt("10:30"));

    const path = (await staff(svc).get(`/v1/paths/${who.pathId}`)).body;
    expect(path.bookings).toEqual([
      expect.objectContaining({ bookingId: booked.id, start: mondayAt("11:00"), status: "booked" }),
    ]);
    expect(path.history.map((h: { what: string }) => h.what)).toContain("booking_rescheduled");

    const [event] = await eventOf("BookingRescheduled", booked.id, (b) => BookingRescheduledEvent.decode(b));
    expect(event).toMatchObject({
      personId: who.personId,
      serviceType: "accoglienza",
      slot: { startsAt: mondayAt("11:00"), operatorId },
      previousSlot: { startsAt: mondayAt("09:00"), operatorId },
      actorSubject: who.login.sub,
      version: booked.version + 1,
      sequence: 1, // the booking's SEQUENCE, carried so consumers need not count it
      // who the notifications tell: an adult through their own learner account
      learnerSubject: who.login.sub,
      referentSubject: "",
    });
  });

  it("a move overlapping the booking's own slot holds the shared units once", async () => {
    svc.clock.set(WEDNESDAY);
    const operatorId = await anOrientatore(svc);
    const who = await personOnPath(svc);
    const booked = await book(svc, who, operatorId, mondayAt("09:00"));
    const res = await staff(svc).post(`/v1/bookings/${booked.id}/reschedule`, { start: mondayAt("09:30") });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const free = await freeStarts(svc, operatorId);
    expect(free).toContain(mondayAt("10:45"));
    expect(free).not.toContain(mondayAt("09:30"));
    // What only the old slot held (09:00-09:30) is free, but an hour there would meet the booking.
    expect(free).not.toContain(mondayAt("09:00"));
  });

  it("409 when the new slot is taken: the booking stays where it was, holding its slot", async () => {
    svc.clock.set(WEDNESDAY);
    const operatorId = await anOrientatore(svc);
    const [a, b] = [await personOnPath(svc), await personOnPath(svc)];
    const first = await book(svc, a, operatorId, mondayAt("09:00"));
    await book(svc, b, operatorId, mondayAt("11:00"));
    const res = await staff(svc).post(`/v1/bookings/${first.id}/reschedule`, { start: mondayAt("11:00") });
    expect(res.status).toBe(409);
    expect(res.headers.get("content-type")).toMatch(/problem\+json/);
    expect(res.body.reason).toBe("slot_taken");
    const after = (await staff(svc).get(`/v1/bookings/${first.id}`)).body;
    expect(after).toMatchObject({ start: mondayAt("09:00"), sequence: 0, version: first.version });
    expect(await freeStarts(svc, operatorId)).not.toContain(mondayAt("09:00"));
  });

  it("refuses a start the plan does not offer, and one not on the grid, storing nothing", async () => {
    svc.clock.set(WEDNESDAY);
    const operatorId = await anOrientatore(svc);
    const who = await personOnPath(svc);
    const booked = await book(svc, who, operatorId, mondayAt("09:00"));
    const outside = await staff(svc).post(`/v1/bookings/${booked.id}/reschedule`, {
      start: mondayAt("13:00"),
    });
    expect(outside.status).toBe(409);
    expect(outside.body.reason).toBe("slot_unavailable");
    const offGrid = await staff(svc).post(`/v1/bookings/${booked.id}/reschedule`, {
      start: new Date(Date.parse(mondayAt("10:00")) + 60_000).toISOString(),
    });
    expect(offGrid.status).toBe(400);
    expect((await staff(svc).get(`/v1/bookings/${booked.id}`)).body.version).toBe(booked.version);
  });
});

describe("cancel", () => {
  it("in time: not late, claims given back after the booking is cancelled, the path cancelled", async () => {
    svc.clock.set(WEDNESDAY);
    const operatorId = await anOrientatore(svc);
    const who = await personOnPath(svc);
    const booked = await book(svc, who, operatorId, mondayAt("09:00"));
    const res = await svc.as(who.login).post(`/v1/bookings/${booked.id}/cancel`, { reason: "malattia" });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      status: "cancelled",
      sequence: 1,
      cancellation: { late: false, byKind: "person", reason: "malattia" },
    });
    expect(await freeStarts(svc, operatorId)).toContain(mondayAt("09:00"));
    const path = (await staff(svc).get(`/v1/paths/${who.pathId}`)).body;
    expect(path.bookings[0]).toMatchObject({ bookingId: booked.id, status: "cancelled" });
    const [event] = await eventOf("BookingCancelled", booked.id, (b) => BookingCancelledEvent.decode(b));
    expect(event).toMatchObject({
      late: false,
      by: "CANCELLATION_BY_PERSON",
      reason: "malattia",
      version: booked.version + 1,
      sequence: 1,
      learnerSubject: who.login.sub,
      referentSubject: "",
    });
    // Cancelled is final.
    expect((await staff(svc).post(`/v1/bookings/${booked.id}/cancel`, {})).status).toBe(409);
  });

  it("inside the notice period: late, shown late_cancelled on the path and in the event", async () => {
    svc.clock.set(WEDNESDAY);
    const operatorId = await anOrientatore(svc);
    const who = await personOnPath(svc);
    const booked = await book(svc, who, operatorId, mondayAt("09:00"));
    // Accoglienza's notice is 24 hours: Sunday evening is late.
    svc.clock.set(new Date(Date.parse(mondayAt("09:00")) - 12 * HOUR));
    const res = await staff(svc).post(`/v1/bookings/${booked.id}/cancel`, { reason: "non risponde" });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.cancellation).toMatchObject({ late: true, byKind: "staff", by: callers.staff.sub });
    const path = (await staff(svc).get(`/v1/paths/${who.pathId}`)).body;
    expect(path.bookings[0]).toMatchObject({ bookingId: booked.id, status: "late_cancelled" });
    expect(path.history.map((h: { what: string }) => h.what)).toContain("booking_cancelled_late");
    const [event] = await eventOf("BookingCancelled", booked.id, (b) => BookingCancelledEvent.decode(b));
    expect(event).toMatchObject({ late: true, by: "CANCELLATION_BY_STAFF" });
    svc.clock.set(WEDNESDAY);
  });

  it("a 16-17 year old's cancelled booking names their school referent's account to tell, not theirs", async () => {
    svc.clock.set(WEDNESDAY);
    const operatorId = await anOrientatore(svc);
    const today = romeDate(svc.clock.now());
    const minor = await ok(
      staff(svc),
      "POST",
      "/v1/persons",
      personBody(
        svc,
        { guardianConsent: { name: "Anna Rossi", date: today }, referent: SCHOOL_REFERENT },
        17,
      ),
    );
    const path = await ok(staff(svc), "POST", `/v1/persons/${minor.id}/path`, {});
    const who = { personId: minor.id, pathId: path.id, login: callers.staff };
    const booked = await book(svc, who, operatorId, mondayAt("14:00"));
    expect((await staff(svc).post(`/v1/bookings/${booked.id}/cancel`, { reason: "gita" })).status).toBe(200);
    const [event] = await eventOf("BookingCancelled", booked.id, (b) => BookingCancelledEvent.decode(b));
    expect(event).toMatchObject({
      personId: minor.id,
      learnerSubject: "",
      referentSubject: SCHOOL_REFERENT.subject,
    });
  });
});

describe("no-show", () => {
  it("only once the booking has started, by staff; the path shows it", async () => {
    svc.clock.set(WEDNESDAY);
    const operatorId = await anOrientatore(svc);
    const who = await personOnPath(svc);
    const booked = await book(svc, who, operatorId, mondayAt("09:00"));
    const early = await staff(svc).post(`/v1/bookings/${booked.id}/no-show`, {});
    expect(early.status).toBe(409);
    expect(early.body.reason).toBe("not_started");
    svc.clock.set(new Date(Date.parse(mondayAt("09:20"))));
    expect((await svc.as(who.login).post(`/v1/bookings/${booked.id}/no-show`, {})).status).toBe(403);
    const res = await staff(svc).post(`/v1/bookings/${booked.id}/no-show`, {});
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ status: "no_show", noShow: { by: callers.staff.sub } });
    const path = (await staff(svc).get(`/v1/paths/${who.pathId}`)).body;
    expect(path.bookings[0]).toMatchObject({ bookingId: booked.id, status: "no_show" });
    const [event] = await eventOf("NoShowRecorded", booked.id, (b) => NoShowRecordedEvent.decode(b));
    expect(event).toMatchObject({ personId: who.personId, version: booked.version + 1 });
    svc.clock.set(WEDNESDAY);
  });
});
