import { selfEmploymentV1, WaitlistOfferedEvent, type selfEmploymentEventsV1 } from "@lto/contracts";
import { ContractViolationError, type ReceivedEvent } from "@lto/messaging";
import { describe, expect, it } from "vitest";
import { freedBookingFact, noShowRecordedFact, waitlistPendingEvents } from "../../src/contract/index.js";
import type { WaitlistOffer } from "../../src/domain/index.js";

const at = new Date("2026-12-02T09:00:00Z");
const offer: WaitlistOffer = {
  id: "offer-1",
  entryId: "entry-1",
  personId: "person-1",
  serviceCode: "coaching",
  site: "lto-mantova",
  slot: {
    serviceCode: "coaching",
    site: "lto-mantova",
    operatorId: "op-1",
    start: new Date("2026-12-07T08:00:00Z"),
    end: new Date("2026-12-07T09:00:00Z"),
    roomId: "lto-mantova-sala-1",
    equipmentIds: [],
    mode: "in_person",
  },
  sourceBookingId: "booking-0",
  offeredAt: at,
  expiresAt: new Date("2026-12-03T09:00:00Z"),
  passedOver: [],
  status: "pending",
  version: 1,
};

function received(message: Partial<selfEmploymentEventsV1.BookingCancelled>) {
  return {
    id: "event-1",
    type: "lto.selfemployment.v1.BookingCancelled",
    data: message,
  } as unknown as ReceivedEvent<selfEmploymentEventsV1.BookingCancelled>;
}

describe("the waitlist contract", () => {
  it("publishes WaitlistOffered keyed by the person, with the slot and the deadline", () => {
    const [event] = waitlistPendingEvents([{ type: "WaitlistOffered", offer, by: "system", at }], 1);
    expect(event!.key).toBe("person-1");
    expect(WaitlistOfferedEvent.decode(Buffer.from(event!.data))).toMatchObject({
      personId: "person-1",
      waitlistEntryId: "entry-1",
      serviceType: "coaching",
      slot: {
        site: "lto-mantova",
        operatorId: "op-1",
        roomId: "lto-mantova-sala-1",
        startsAt: "2026-12-07T08:00:00.000Z",
        endsAt: "2026-12-07T09:00:00.000Z",
        mode: selfEmploymentV1.DeliveryMode.DELIVERY_MODE_IN_PERSON,
      },
      expiresAt: "2026-12-03T09:00:00.000Z",
      actorSubject: "system",
      version: 1,
    });
  });

  it("reads a BookingCancelled as the booking and its version; one without a booking id breaks the contract", () => {
    expect(freedBookingFact(received({ bookingId: "b-1", version: 3 }))).toEqual({
      bookingId: "b-1",
      version: 3,
    });
    expect(() => freedBookingFact(received({ bookingId: "", version: 3 }))).toThrow(ContractViolationError);
  });

  it("reads a NoShowRecorded as the booking; one without a booking id breaks the contract", () => {
    const event = (bookingId: string) =>
      ({ id: "e", type: "lto.selfemployment.v1.NoShowRecorded", data: { bookingId, version: 2 } }) as never;
    expect(noShowRecordedFact(event("b-2"))).toEqual({ bookingId: "b-2", version: 2 });
    expect(() => noShowRecordedFact(event(""))).toThrow(ContractViolationError);
  });
});
