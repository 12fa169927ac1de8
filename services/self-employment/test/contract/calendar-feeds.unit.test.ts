import {
  BookingCancelledEvent,
  BookingConfirmedEvent,
  BookingRescheduledEvent,
  NoShowRecordedEvent,
  selfEmploymentV1,
} from "@lto/contracts";
import { ContractViolationError } from "@lto/messaging";
import { describe, expect, it } from "vitest";
import { bookingFact } from "../../src/contract/index.js";
import { received } from "../fixtures.js";

const slot = {
  site: "lto-mantova",
  operatorId: "op-1",
  roomId: "lto-mantova-sala-1",
  equipmentIds: ["lto-mantova-stampante-3d-1"],
  startsAt: "2026-12-01T09:00:00Z",
  endsAt: "2026-12-01T10:00:00Z",
  mode: selfEmploymentV1.DeliveryMode.DELIVERY_MODE_IN_PERSON,
};

describe("booking events as the feeds' facts", () => {
  it("carry the booking, its slot, the booking's version and SEQUENCE", () => {
    const message = BookingConfirmedEvent.create({
      personId: "p-1",
      bookingId: "b-1",
      serviceType: "accoglienza",
      slot,
      hours: 1,
      occurredAt: "2026-11-25T09:00:00Z",
      version: 1,
    });
    expect(bookingFact("confirmed", received(BookingConfirmedEvent.type, message))).toEqual({
      kind: "confirmed",
      bookingId: "b-1",
      personId: "p-1",
      serviceCode: "accoglienza",
      slot: {
        site: "lto-mantova",
        operatorId: "op-1",
        roomId: "lto-mantova-sala-1",
        equipmentIds: ["lto-mantova-stampante-3d-1"],
        mode: "in_person",
        start: new Date("2026-12-01T09:00:00Z"),
        end: new Date("2026-12-01T10:00:00Z"),
      },
      version: 1,
      sequence: 0,
      at: new Date("2026-11-25T09:00:00Z"),
    });
  });

  it("take the SEQUENCE the event carries; a move, cancellation or no-show without one (an older event) has none", () => {
    const moved = BookingRescheduledEvent.create({
      personId: "p-1",
      bookingId: "b-1",
      serviceType: "accoglienza",
      slot,
      version: 3,
      sequence: 2,
    });
    expect(bookingFact("rescheduled", received(BookingRescheduledEvent.type, moved)).sequence).toBe(2);
    const common = { personId: "p-1", bookingId: "b-1", serviceType: "accoglienza", slot, version: 2 };
    // proto3 reads an absent sequence as 0: the feed counts on from the entry (see applyBookingFact)
    for (const [kind, type, data] of [
      ["rescheduled", BookingRescheduledEvent.type, BookingRescheduledEvent.create(common)],
      ["cancelled", BookingCancelledEvent.type, BookingCancelledEvent.create(common)],
      ["no_show", NoShowRecordedEvent.type, NoShowRecordedEvent.create(common)],
    ] as const)
      expect(bookingFact(kind, received(type, data))).not.toHaveProperty("sequence");
  });

  it("read a slot without a room and without a mode as remote", () => {
    const message = BookingCancelledEvent.create({
      personId: "p-1",
      bookingId: "b-1",
      serviceType: "coaching",
      slot: { ...slot, roomId: "", mode: selfEmploymentV1.DeliveryMode.DELIVERY_MODE_UNSPECIFIED },
      version: 3,
    });
    const fact = bookingFact("cancelled", received(BookingCancelledEvent.type, message));
    expect(fact.slot.mode).toBe("remote");
    expect(fact.slot).not.toHaveProperty("roomId");
    expect(fact.at).toEqual(new Date("2026-11-25T10:00:00Z")); // no occurred_at: the event's time
  });

  it("park an event that breaks its contract, naming every problem", () => {
    const message = BookingConfirmedEvent.create({
      personId: "p-1",
      serviceType: "accoglienza",
      slot: { ...slot, endsAt: "2026-12-01T08:00:00Z" },
      version: 0,
      sequence: -1,
    });
    const apply = () => bookingFact("confirmed", received(BookingConfirmedEvent.type, message));
    expect(apply).toThrow(ContractViolationError);
    expect(apply).toThrow(
      /booking_id is empty.*ends_at must be after.*version must be 1 or more.*sequence must be 0 or more/,
    );
    const noSlot = BookingConfirmedEvent.create({
      personId: "p-1",
      bookingId: "b",
      serviceType: "x",
      version: 1,
    });
    expect(() => bookingFact("confirmed", received(BookingConfirmedEvent.type, noSlot))).toThrow(
      /slot is missing/,
    );
  });
});
