// Waitlist events as the contract's protobuf (WaitlistOffered), keyed by the person's pseudonymous id;
// and the service's own BookingCancelled / NoShowRecorded read back as the facts the waitlist and the
// path act on.
import { WaitlistOfferedEvent, selfEmploymentV1, type selfEmploymentEventsV1 } from "@lto/contracts";
import { assertContract, pendingEvent, type PendingEvent, type ReceivedEvent } from "@lto/messaging";
import type { WaitlistEvent } from "../app/index.js";
import type { FreedSlot } from "../domain/index.js";

function protoSlot(slot: FreedSlot) {
  return {
    site: slot.site,
    operatorId: slot.operatorId,
    roomId: slot.roomId ?? "",
    equipmentIds: slot.equipmentIds ?? [],
    startsAt: slot.start.toISOString(),
    endsAt: slot.end.toISOString(),
    mode:
      slot.mode === "remote"
        ? selfEmploymentV1.DeliveryMode.DELIVERY_MODE_REMOTE
        : slot.mode === "in_person"
          ? selfEmploymentV1.DeliveryMode.DELIVERY_MODE_IN_PERSON
          : selfEmploymentV1.DeliveryMode.DELIVERY_MODE_UNSPECIFIED,
  };
}

export function waitlistPendingEvents(events: readonly WaitlistEvent[], version: number): PendingEvent[] {
  return events.map(({ offer, by, at }) =>
    pendingEvent(
      WaitlistOfferedEvent,
      offer.personId,
      WaitlistOfferedEvent.create({
        personId: offer.personId,
        waitlistEntryId: offer.entryId,
        serviceType: offer.serviceCode,
        slot: protoSlot(offer.slot),
        expiresAt: offer.expiresAt.toISOString(),
        occurredAt: at.toISOString(),
        actorSubject: by,
        version,
      }),
      { time: at },
    ),
  );
}

/** A booking change as its consumers need it: which booking, at which version (the rest is read back). */
export interface BookingCancelledFact {
  bookingId: string;
  version: number;
}

export function freedBookingFact(
  e: ReceivedEvent<selfEmploymentEventsV1.BookingCancelled>,
): BookingCancelledFact {
  assertContract(e, e.data.bookingId ? [] : ["booking_id is required"]);
  return { bookingId: e.data.bookingId, version: Number(e.data.version) };
}

export function noShowRecordedFact(
  e: ReceivedEvent<selfEmploymentEventsV1.NoShowRecorded>,
): BookingCancelledFact {
  assertContract(e, e.data.bookingId ? [] : ["booking_id is required"]);
  return { bookingId: e.data.bookingId, version: Number(e.data.version) };
}
