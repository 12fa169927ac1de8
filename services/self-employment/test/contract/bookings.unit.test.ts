import {
  BookingCancelledEvent,
  BookingConfirmedEvent,
  BookingRescheduledEvent,
  NoShowRecordedEvent,
} from "@lto/contracts";
import { describe, expect, it } from "vitest";
import { bookingPendingEvents, toProtoBooking } from "../../src/contract/index.js";
import {
  cancelBooking,
  markNoShow,
  newBooking,
  rescheduleBooking,
  serviceType,
  siteById,
} from "../../src/domain/index.js";

const coaching = serviceType("coaching")!;
const mantova = siteById("lto-mantova")!;
const at = new Date("2026-02-25T10:00:00Z");
const booking = newBooking(
  {
    id: "b-1",
    personId: "p-1",
    pathId: "path-1",
    serviceCode: "coaching",
    site: "lto-mantova",
    operatorId: "op-1",
    roomId: "lto-mantova-fablab",
    equipmentIds: ["lto-mantova-laser"],
    mode: "in_person",
    start: new Date("2026-03-02T08:00:00Z"),
    funder: "fse_plus",
    bookedBy: "staff-1",
    bookedByKind: "staff",
    overrideReason: "reception done at school",
  },
  coaching,
  mantova,
  at,
);
const slot = {
  site: "lto-mantova",
  operatorId: "op-1",
  roomId: "lto-mantova-fablab",
  equipmentIds: ["lto-mantova-laser"],
  startsAt: "2026-03-02T08:00:00.000Z",
  endsAt: "2026-03-02T09:00:00.000Z",
  mode: "DELIVERY_MODE_IN_PERSON",
};

describe("booking events on the wire", () => {
  it("BookingConfirmed: keyed by the person, the slot from the booking, its hours, funder, override, version, SEQUENCE 0", () => {
    const [pending] = bookingPendingEvents([{ type: "BookingConfirmed", booking, by: "staff-1", at }], 1);
    expect(pending!.type).toBe(BookingConfirmedEvent.type);
    expect(pending!.key).toBe("p-1");
    expect(BookingConfirmedEvent.decode(pending!.data)).toEqual({
      personId: "p-1",
      bookingId: "b-1",
      serviceType: "coaching",
      slot,
      hours: 1,
      funder: "fse_plus",
      overrideReason: "reception done at school",
      occurredAt: at.toISOString(),
      actorSubject: "staff-1",
      version: 1,
      sequence: 0,
    });
  });

  it("BookingRescheduled carries the new and the previous slot; BookingCancelled late and by whom; NoShowRecorded; each the booking's SEQUENCE", () => {
    const moved = rescheduleBooking(
      booking,
      { start: new Date("2026-03-03T08:00:00Z") },
      coaching,
      mantova,
      "s",
      at,
    );
    const [r] = bookingPendingEvents(
      [{ type: "BookingRescheduled", booking: moved, previous: moved.history.at(-1)!.from!, by: "s", at }],
      2,
    );
    expect(BookingRescheduledEvent.decode(r!.data)).toMatchObject({
      slot: { ...slot, startsAt: "2026-03-03T08:00:00.000Z", endsAt: "2026-03-03T09:00:00.000Z" },
      previousSlot: slot,
      version: 2,
      sequence: 1,
      // nobody named to tell: empty, as in events written before they were carried
      learnerSubject: "",
      referentSubject: "",
    });
    const late = cancelBooking(booking, coaching, "p-1", "person", new Date("2026-03-02T07:00:00Z"), "ill");
    const told = { learnerSubject: "", referentSubject: "referent-fermi" };
    const [c] = bookingPendingEvents([{ type: "BookingCancelled", booking: late, by: "p-1", at, told }], 2);
    expect(BookingCancelledEvent.decode(c!.data)).toMatchObject({
      late: true,
      by: "CANCELLATION_BY_PERSON",
      reason: "ill",
      slot,
      sequence: 1,
      learnerSubject: "",
      referentSubject: "referent-fermi",
    });
    // moved, then cancelled: the booking's SEQUENCE, 2
    const movedThenCancelled = cancelBooking(moved, coaching, "s", "staff", at);
    const [mc] = bookingPendingEvents(
      [{ type: "BookingCancelled", booking: movedThenCancelled, by: "s", at }],
      3,
    );
    expect(BookingCancelledEvent.decode(mc!.data)).toMatchObject({ version: 3, sequence: 2 });
    const absent = markNoShow(booking, "s", new Date("2026-03-02T08:30:00Z"));
    const [n] = bookingPendingEvents([{ type: "NoShowRecorded", booking: absent, by: "s", at }], 2);
    expect(NoShowRecordedEvent.decode(n!.data)).toMatchObject({
      bookingId: "b-1",
      slot,
      version: 2,
      sequence: 0,
    });
  });

  it("ListBookingsBySite's booking: ids only, state and mode as the contract's enums", () => {
    expect(toProtoBooking(booking)).toEqual({
      id: "b-1",
      personId: "p-1",
      serviceType: "coaching",
      site: "lto-mantova",
      operatorId: "op-1",
      roomId: "lto-mantova-fablab",
      equipmentIds: ["lto-mantova-laser"],
      startsAt: slot.startsAt,
      endsAt: slot.endsAt,
      mode: "DELIVERY_MODE_IN_PERSON",
      state: "BOOKING_STATE_CONFIRMED",
      funder: "fse_plus",
      version: 1,
    });
  });
});
