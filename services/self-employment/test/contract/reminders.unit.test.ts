import {
  BookingCancelledEvent,
  BookingConfirmedEvent,
  BookingRescheduledEvent,
  selfEmploymentV1,
} from "@lto/contracts";
import { ContractViolationError } from "@lto/messaging";
import { describe, expect, it } from "vitest";
import {
  bookingCancelledFact,
  bookingConfirmedFact,
  bookingRescheduledFact,
} from "../../src/contract/index.js";
import { received } from "../fixtures.js";

const slot = {
  site: "lto-mantova",
  operatorId: "op-1",
  roomId: "lto-mantova-sala-1",
  equipmentIds: [],
  startsAt: "2026-12-01T09:00:00Z",
  endsAt: "2026-12-01T10:00:00Z",
  mode: selfEmploymentV1.DeliveryMode.DELIVERY_MODE_IN_PERSON,
};
const common = { personId: "p-1", bookingId: "b-1", serviceType: "accoglienza", slot };

describe("booking events as the reminders' facts", () => {
  it("carry the booking, its slot, the booking's version and SEQUENCE", () => {
    const message = BookingConfirmedEvent.create({
      ...common,
      occurredAt: "2026-11-25T09:00:00Z",
      version: 1,
      sequence: 0,
    });
    expect(bookingConfirmedFact(received(BookingConfirmedEvent.type, message))).toEqual({
      kind: "confirmed",
      bookingId: "b-1",
      personId: "p-1",
      serviceCode: "accoglienza",
      slot: {
        site: "lto-mantova",
        operatorId: "op-1",
        roomId: "lto-mantova-sala-1",
        equipmentIds: [],
        mode: "in_person",
        start: new Date("2026-12-01T09:00:00Z"),
        end: new Date("2026-12-01T10:00:00Z"),
      },
      version: 1,
      sequence: 0,
      at: new Date("2026-11-25T09:00:00Z"),
    });
  });

  it("take the SEQUENCE a move or a cancellation carries, whatever came before", () => {
    const moved = BookingRescheduledEvent.create({ ...common, previousSlot: slot, version: 3, sequence: 2 });
    expect(bookingRescheduledFact(received(BookingRescheduledEvent.type, moved))).toMatchObject({
      kind: "rescheduled",
      version: 3,
      sequence: 2,
    });
    const cancelled = BookingCancelledEvent.create({ ...common, late: true, version: 4, sequence: 3 });
    expect(bookingCancelledFact(received(BookingCancelledEvent.type, cancelled))).toMatchObject({
      kind: "cancelled",
      late: true,
      sequence: 3,
    });
  });

  it("a move or a cancellation without SEQUENCE (written before events carried it) has none: it is counted", () => {
    // proto3 reads an absent sequence as 0, never the SEQUENCE of a moved or cancelled booking
    const moved = BookingRescheduledEvent.create({ ...common, version: 2 });
    expect(bookingRescheduledFact(received(BookingRescheduledEvent.type, moved))).not.toHaveProperty(
      "sequence",
    );
    const cancelled = BookingCancelledEvent.create({ ...common, version: 2 });
    expect(bookingCancelledFact(received(BookingCancelledEvent.type, cancelled))).not.toHaveProperty(
      "sequence",
    );
  });

  it("park an event with a negative SEQUENCE or without version, naming the problems", () => {
    const broken = BookingRescheduledEvent.create({ ...common, bookingId: "", version: 0, sequence: -1 });
    const apply = () => bookingRescheduledFact(received(BookingRescheduledEvent.type, broken));
    expect(apply).toThrow(ContractViolationError);
    expect(apply).toThrow(/booking_id is empty.*version must be 1 or more.*sequence must be 0 or more/);
  });
});
