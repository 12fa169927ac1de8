import { describe, expect, it } from "vitest";
import { invalid, refusal } from "./thrown.js";
import {
  bookingClaimKeys,
  busyFromUnits,
  cancelBooking,
  groupSessionHolder,
  groupSessionId,
  markDelivered,
  markNoShow,
  undoDelivered,
  newBooking,
  parseUnitKey,
  rescheduleBooking,
  serviceType,
  sessionClaimKeys,
  siteById,
  type Booking,
  type NewBookingInput,
  type ServiceType,
  type Site,
} from "../../src/domain/index.js";

const HOUR = 3_600_000;
const MINUTE = 60_000;
const start = new Date("2026-03-02T08:00:00Z"); // Monday 2 March 2026, 09:00 in Rome
const booked = new Date("2026-02-25T10:00:00Z");
const at = (hours: number) => new Date(start.getTime() + hours * HOUR);

const coaching = serviceType("coaching")!; // individual, in person or remote, 60', buffer after 15', notice 24 h
const group = serviceType("analisi_propensioni")!; // group of 8, in person, 120', buffers 15'/15', notice 48 h
const mantova = siteById("lto-mantova")!;

function input(overrides: Partial<NewBookingInput> = {}): NewBookingInput {
  return {
    id: "b-1",
    personId: "p-1",
    pathId: "path-1",
    serviceCode: "coaching",
    site: "lto-mantova",
    operatorId: "op-1",
    roomId: "lto-mantova-sala-1",
    mode: "in_person",
    start,
    funder: "lto_diffuso",
    bookedBy: "staff-1",
    bookedByKind: "staff",
    ...overrides,
  };
}

const book = (overrides: Partial<NewBookingInput> = {}, type: ServiceType = coaching, site: Site = mantova) =>
  newBooking(input(overrides), type, site, booked);

const fields = (run: () => unknown) => invalid(run).issues.map((i) => i.path);

describe("newBooking", () => {
  it("makes a confirmed booking at sequence 0, version 1, its end and hours from the service type", () => {
    const b = book();
    expect(b).toMatchObject({
      status: "confirmed",
      sequence: 0,
      version: 1,
      end: new Date(start.getTime() + 60 * MINUTE),
      hours: 1,
      equipmentIds: [],
      bookedAt: booked,
      bookedByKind: "staff",
    });
    expect(b.groupSession).toBeUndefined();
    expect(b.history).toEqual([{ at: booked, by: "staff-1", what: "booked", sequence: 0 }]);
  });

  it("a remote booking has no room; an override reason is kept", () => {
    const b = book({ mode: "remote", roomId: undefined, overrideReason: "walk-in from the school" });
    expect(b.roomId).toBeUndefined();
    expect(b.overrideReason).toBe("walk-in from the school");
  });

  it("names every bad field at once", () => {
    expect(
      fields(() =>
        book({
          id: "",
          personId: " ",
          pathId: "",
          serviceCode: "business_plan",
          site: "lto-asola",
          operatorId: "",
          start: new Date("2026-03-02T08:03:00Z"),
          funder: "",
          bookedBy: "",
          bookedByKind: "robot" as never,
        }),
      ),
    ).toEqual([
      "id",
      "personId",
      "pathId",
      "serviceCode",
      "site",
      "operatorId",
      "start",
      "funder",
      "bookedBy",
      "bookedByKind",
    ]);
    expect(fields(() => book({ start: new Date("nope") }))).toEqual(["start"]);
  });

  it("checks the mode against the service type and the room against the site", () => {
    expect(fields(() => book({ mode: "by_pigeon" as never }))).toEqual(["mode"]);
    expect(invalid(() => book({ mode: "remote" }, serviceType("accoglienza")!)).issues).toContainEqual({
      path: "mode",
      message: "accoglienza is offered in_person only",
    });
    expect(fields(() => book({ roomId: undefined }))).toEqual(["roomId"]);
    expect(fields(() => book({ roomId: "lto-asola-sala-1" }))).toEqual(["roomId"]);
    expect(fields(() => book({ mode: "remote" }))).toEqual(["roomId"]);
    expect(
      fields(() => book({ mode: "remote", roomId: undefined, equipmentIds: ["lto-mantova-laser"] })),
    ).toEqual(["equipmentIds"]);
  });

  it("equipment must be items of the site, once each, standing in the lab booked", () => {
    const inLab = { roomId: "lto-mantova-fablab", equipmentIds: ["lto-mantova-laser", "lto-mantova-cnc"] };
    expect(book(inLab).equipmentIds).toEqual(["lto-mantova-laser", "lto-mantova-cnc"]);
    expect(fields(() => book({ equipmentIds: ["lto-mantova-laser"] }))).toEqual(["equipmentIds.0"]);
    expect(
      fields(() => book({ ...inLab, equipmentIds: ["lto-mantova-laser", "lto-mantova-laser"] })),
    ).toEqual(["equipmentIds.1"]);
    expect(fields(() => book({ ...inLab, equipmentIds: ["lto-asola-visori-vr"] }))).toEqual([
      "equipmentIds.0",
    ]);
    expect(fields(() => book({ ...inLab, equipmentIds: "lto-mantova-laser" as never }))).toEqual([
      "equipmentIds",
    ]);
  });

  it("only staff may give an override reason, of 1 to 500 characters", () => {
    expect(fields(() => book({ overrideReason: "x", bookedByKind: "person" }))).toEqual(["overrideReason"]);
    expect(fields(() => book({ overrideReason: " " }))).toEqual(["overrideReason"]);
    expect(fields(() => book({ overrideReason: "x".repeat(501) }))).toEqual(["overrideReason"]);
  });

  it("a group booking names its seat, shares the session of (service, operator, start), in a room large enough", () => {
    const g = { serviceCode: group.code, roomId: "lto-mantova-aula", seat: 3 };
    const b = book(g, group);
    expect(b.groupSession).toBe(groupSessionId(group.code, "op-1", start));
    expect(b.groupSession).toBe(book({ ...g, id: "b-2", personId: "p-2", seat: 4 }, group).groupSession);
    expect(b.seat).toBe(3);
    expect(fields(() => book({ ...g, seat: 9 }, group))).toEqual(["seat"]);
    expect(fields(() => book({ ...g, seat: undefined }, group))).toEqual(["seat"]);
    expect(invalid(() => book({ ...g, roomId: "lto-mantova-sala-1" }, group)).issues[0]!.message).toMatch(
      /seats 2; analisi_propensioni is a group of 8/,
    );
    expect(fields(() => book({ seat: 1 }))).toEqual(["seat"]);
  });
});

describe("rescheduleBooking", () => {
  const b = book();

  it("moves to the new slot, sequence + 1, the old place in the history", () => {
    const moved = rescheduleBooking(
      b,
      { start: at(2), operatorId: "op-2" },
      coaching,
      mantova,
      "staff-2",
      booked,
    );
    expect(moved).toMatchObject({
      start: at(2),
      end: at(3),
      operatorId: "op-2",
      roomId: "lto-mantova-sala-1",
      sequence: 1,
      status: "confirmed",
      version: 1,
    });
    expect(moved.history.at(-1)).toEqual({
      at: booked,
      by: "staff-2",
      what: "rescheduled",
      sequence: 1,
      from: { start, end: at(1), operatorId: "op-1", roomId: "lto-mantova-sala-1" },
    });
    expect(rescheduleBooking(moved, { start: at(4) }, coaching, mantova, "s", booked).sequence).toBe(2);
  });

  it("a group booking moves to the session of the new start with its new seat", () => {
    const g = book({ serviceCode: group.code, roomId: "lto-mantova-aula", seat: 1 }, group);
    const moved = rescheduleBooking(g, { start: at(24), seat: 5 }, group, mantova, "s", booked);
    expect(moved.groupSession).toBe(groupSessionId(group.code, "op-1", at(24)));
    expect(moved.seat).toBe(5);
    expect(fields(() => rescheduleBooking(g, { start: at(24) }, group, mantova, "s", booked))).toEqual([
      "seat",
    ]);
  });

  it("refuses the same slot, a bad start, a slot in the past, a room elsewhere, another service", () => {
    expect(
      refusal(() => rescheduleBooking(b, { start }, coaching, mantova, "s", booked)).details,
    ).toMatchObject({
      reason: "same_slot",
    });
    expect(
      fields(() =>
        rescheduleBooking(b, { start: new Date("2026-03-02T08:01:00Z") }, coaching, mantova, "s", booked),
      ),
    ).toEqual(["start"]);
    expect(fields(() => rescheduleBooking(b, { start: at(-200) }, coaching, mantova, "s", booked))).toEqual([
      "start",
    ]);
    expect(
      fields(() => rescheduleBooking(b, { start: at(2), roomId: "nope" }, coaching, mantova, "", booked)),
    ).toEqual(["by", "roomId"]);
    expect(
      fields(() =>
        rescheduleBooking(b, { start: at(2) }, serviceType("business_plan")!, mantova, "s", booked),
      ),
    ).toEqual(["serviceCode"]);
  });

  it("refuses a booking that is not confirmed or has started", () => {
    const cancelled = cancelBooking(b, coaching, "s", "staff", booked);
    expect(
      refusal(() => rescheduleBooking(cancelled, { start: at(2) }, coaching, mantova, "s", booked)).details,
    ).toMatchObject({
      currentState: "cancelled",
    });
    expect(
      refusal(() => rescheduleBooking(b, { start: at(2) }, coaching, mantova, "s", at(0))).details,
    ).toMatchObject({
      reason: "started",
    });
  });
});

describe("cancelBooking", () => {
  const b = book();

  it("early: outside the notice period; sequence + 1; who, what kind, why", () => {
    const c = cancelBooking(b, coaching, "p-1", "person", at(-24), "ill");
    expect(c.status).toBe("cancelled");
    expect(c.sequence).toBe(1);
    expect(c.cancellation).toEqual({ at: at(-24), by: "p-1", byKind: "person", late: false, reason: "ill" });
    expect(c.history.at(-1)).toEqual({
      at: at(-24),
      by: "p-1",
      what: "cancelled",
      sequence: 1,
      late: false,
      reason: "ill",
    });
  });

  it("late: inside the service type's cancellationNoticeHours before the start", () => {
    const justInside = new Date(at(-24).getTime() + 1);
    expect(cancelBooking(b, coaching, "s", "staff", justInside).cancellation!.late).toBe(true);
    const g = book({ serviceCode: group.code, roomId: "lto-mantova-aula", seat: 1 }, group);
    expect(cancelBooking(g, group, "s", "system", at(-47)).cancellation!.late).toBe(true);
    expect(cancelBooking(g, group, "s", "system", at(-48)).cancellation!.late).toBe(false);
  });

  it("refuses twice, after the start, a bad kind or reason", () => {
    const c = cancelBooking(b, coaching, "s", "staff", at(-30));
    expect(refusal(() => cancelBooking(c, coaching, "s", "staff", at(-30))).message).toMatch(
      /cancelled already/,
    );
    expect(refusal(() => cancelBooking(b, coaching, "s", "staff", at(0))).details).toMatchObject({
      reason: "started",
    });
    expect(fields(() => cancelBooking(b, coaching, "", "alien" as never, at(-30), ""))).toEqual([
      "by",
      "byKind",
      "reason",
    ]);
  });
});

describe("markNoShow and markDelivered", () => {
  const b = book();

  it("only once the start has passed, only for a confirmed booking, once", () => {
    expect(refusal(() => markNoShow(b, "s", at(-0.01))).details).toMatchObject({ reason: "not_started" });
    const n = markNoShow(b, "s", at(0));
    expect(n).toMatchObject({ status: "no_show", noShow: { at: at(0), by: "s" }, sequence: 0 });
    expect(n.history.at(-1)).toMatchObject({ what: "no_show" });
    expect(refusal(() => markNoShow(n, "s", at(1))).details).toMatchObject({ currentState: "no_show" });
    expect(refusal(() => markDelivered(n, "s", at(1))).details).toMatchObject({ currentState: "no_show" });
    expect(fields(() => markNoShow(b, "", at(1)))).toEqual(["by"]);
  });

  it("delivered once started; then nothing else", () => {
    expect(refusal(() => markDelivered(b, "s", at(-1))).details).toMatchObject({ reason: "not_started" });
    const d = markDelivered(b, "s", at(1));
    expect(d).toMatchObject({ status: "delivered", deliveredAt: at(1) });
    expect(refusal(() => cancelBooking(d, coaching, "s", "staff", at(-30))).details).toMatchObject({
      currentState: "delivered",
    });
  });

  it("refuses a delivery of a cancelled booking, a no-show, or one delivered already", () => {
    const cancelled = cancelBooking(b, coaching, "s", "staff", at(-30));
    expect(refusal(() => markDelivered(cancelled, "s", at(1))).message).toBe(
      "Cannot mark as delivered the booking: it is cancelled already",
    );
    const d = markDelivered(b, "s", at(1));
    expect(refusal(() => markDelivered(d, "s", at(2))).details).toMatchObject({ currentState: "delivered" });
    expect(fields(() => markDelivered(b, "", at(1)))).toEqual(["by"]);
  });

  it("a voided delivery makes the booking confirmed again, history kept; only a delivered one", () => {
    const d = markDelivered(b, "s", at(1));
    const undone = undoDelivered(d, "staff-2", at(2), "wrong person");
    expect(undone.status).toBe("confirmed");
    expect(undone.deliveredAt).toBeUndefined();
    expect(undone.history.map((h) => h.what)).toEqual(["booked", "delivered", "delivery_voided"]);
    expect(undone.history.at(-1)).toMatchObject({ by: "staff-2", reason: "wrong person", sequence: 0 });
    // confirmed again: a no-show may follow
    expect(markNoShow(undone, "s", at(3)).status).toBe("no_show");
    expect(refusal(() => undoDelivered(b, "s", at(2), "x")).details).toMatchObject({
      currentState: "confirmed",
    });
  });
});

describe("claim keys", () => {
  it("an individual booking: operator units with the buffers, room and equipment units over the service, sorted", () => {
    const b: Booking = book({ roomId: "lto-mantova-fablab", equipmentIds: ["lto-mantova-laser"] });
    const keys = bookingClaimKeys(b, coaching);
    const operator = keys.filter((k) => k.startsWith("operator:"));
    const room = keys.filter((k) => k.startsWith("room:"));
    const equipment = keys.filter((k) => k.startsWith("equipment:"));
    // 60 minutes + 15 after: 15 units; room and item 12 each.
    expect(operator).toHaveLength(15);
    expect(operator[0]).toBe("operator:op-1@2026-03-02T08:00:00.000Z");
    expect(operator.at(-1)).toBe("operator:op-1@2026-03-02T09:10:00.000Z");
    expect(room).toHaveLength(12);
    expect(room.at(-1)).toBe("room:lto-mantova-fablab@2026-03-02T08:55:00.000Z");
    expect(equipment).toHaveLength(12);
    expect(equipment[0]).toBe("equipment:lto-mantova-laser@2026-03-02T08:00:00.000Z");
    expect(keys).toEqual([...keys].sort());
    expect(keys).toHaveLength(39);
  });

  it("the buffer before reaches back; a remote booking claims the operator only", () => {
    const remote = book({ mode: "remote", roomId: undefined });
    expect(bookingClaimKeys(remote, coaching).every((k) => k.startsWith("operator:"))).toBe(true);
    const g = book({ serviceCode: group.code, roomId: "lto-mantova-aula", seat: 2 }, group);
    const session = sessionClaimKeys(g, group);
    expect(session[0]).toBe("operator:op-1@2026-03-02T07:45:00.000Z");
    expect(session.filter((k) => k.startsWith("operator:"))).toHaveLength(30); // 15 + 120 + 15 minutes
    expect(session.filter((k) => k.startsWith("room:"))).toHaveLength(24);
  });

  it("a group booking holds its seat (and its own equipment); its session holds operator and room", () => {
    const g = book({ serviceCode: group.code, roomId: "lto-mantova-aula", seat: 2 }, group);
    expect(bookingClaimKeys(g, group)).toEqual([`seat:${g.groupSession}#2`]);
    expect(groupSessionHolder(g.groupSession!)).toBe(
      `group-session:analisi_propensioni:op-1@${start.toISOString()}`,
    );
    expect(() => bookingClaimKeys({ ...g, seat: undefined }, group)).toThrow(RangeError);
  });

  it("keys read back into merged busy intervals per resource", () => {
    const b = book();
    const keys = bookingClaimKeys(b, coaching);
    expect(parseUnitKey(keys[0]!)).toEqual({ kind: "operator", resource: "op-1", unit: start });
    expect(parseUnitKey("seat:x#1")).toBeUndefined();
    const later = bookingClaimKeys(book({ start: at(3) }), coaching);
    expect(busyFromUnits([...keys, ...later, "seat:x#1"])).toEqual({
      "op-1": [
        { start, end: new Date(at(1).getTime() + 15 * MINUTE) },
        { start: at(3), end: new Date(at(4).getTime() + 15 * MINUTE) },
      ],
      "lto-mantova-sala-1": [
        { start, end: at(1) },
        { start: at(3), end: at(4) },
      ],
    });
  });
});
