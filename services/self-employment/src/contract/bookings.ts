// Booking events and the ListBookingsBySite answer as the contract's protobuf: every event keyed by
// the person's pseudonymous id (a team's by its id), carrying the booking's version and SEQUENCE, its
// slot filled from the booking.
import {
  BookingCancelledEvent,
  BookingConfirmedEvent,
  BookingRescheduledEvent,
  NoShowRecordedEvent,
  selfEmploymentV1,
  type selfEmploymentEventsV1,
} from "@lto/contracts";
import { pendingEvent, type PendingEvent } from "@lto/messaging";
import type { BookingEvent } from "../app/index.js";
import type { Booking, BookingPlace, BookingStatus, CancellerKind, DeliveryMode } from "../domain/index.js";

const MODES: Record<DeliveryMode, selfEmploymentV1.DeliveryMode> = {
  in_person: selfEmploymentV1.DeliveryMode.DELIVERY_MODE_IN_PERSON,
  remote: selfEmploymentV1.DeliveryMode.DELIVERY_MODE_REMOTE,
};

const STATES: Record<BookingStatus, selfEmploymentV1.BookingState> = {
  confirmed: selfEmploymentV1.BookingState.BOOKING_STATE_CONFIRMED,
  cancelled: selfEmploymentV1.BookingState.BOOKING_STATE_CANCELLED,
  no_show: selfEmploymentV1.BookingState.BOOKING_STATE_NO_SHOW,
  delivered: selfEmploymentV1.BookingState.BOOKING_STATE_DELIVERED,
};

const CANCELLERS: Record<CancellerKind, selfEmploymentEventsV1.CancellationBy> = {
  person: "CANCELLATION_BY_PERSON",
  staff: "CANCELLATION_BY_STAFF",
  system: "CANCELLATION_BY_SYSTEM",
};

/** Where and when, as every booking event carries it. */
export function bookingSlot(
  b: Pick<Booking, "site" | "mode" | "equipmentIds"> & BookingPlace,
): selfEmploymentEventsV1.BookingSlot {
  return {
    site: b.site,
    operatorId: b.operatorId,
    roomId: b.roomId ?? "",
    equipmentIds: [...b.equipmentIds],
    startsAt: b.start.toISOString(),
    endsAt: b.end.toISOString(),
    mode: MODES[b.mode],
  };
}

export function bookingPendingEvents(events: readonly BookingEvent[], version: number): PendingEvent[] {
  return events.map((e) => {
    const b = e.booking;
    const common = {
      personId: b.personId,
      bookingId: b.id,
      serviceType: b.serviceCode,
      slot: bookingSlot(b),
      funder: b.funder,
      occurredAt: e.at.toISOString(),
      actorSubject: e.by,
      version,
      // The booking's SEQUENCE after this change: consumers take it rather than count it.
      sequence: b.sequence,
    };
    switch (e.type) {
      case "BookingConfirmed":
        return pendingEvent(
          BookingConfirmedEvent,
          b.personId,
          BookingConfirmedEvent.create({ ...common, hours: b.hours, overrideReason: b.overrideReason ?? "" }),
          { time: e.at },
        );
      case "BookingRescheduled":
        return pendingEvent(
          BookingRescheduledEvent,
          b.personId,
          BookingRescheduledEvent.create({
            ...common,
            hours: b.hours,
            previousSlot: bookingSlot({ ...b, ...e.previous }),
            learnerSubject: e.told?.learnerSubject ?? "",
            referentSubject: e.told?.referentSubject ?? "",
          }),
          { time: e.at },
        );
      case "BookingCancelled":
        return pendingEvent(
          BookingCancelledEvent,
          b.personId,
          BookingCancelledEvent.create({
            ...common,
            late: b.cancellation?.late ?? false,
            by: b.cancellation ? CANCELLERS[b.cancellation.byKind] : "CANCELLATION_BY_UNSPECIFIED",
            reason: b.cancellation?.reason ?? "",
            learnerSubject: e.told?.learnerSubject ?? "",
            referentSubject: e.told?.referentSubject ?? "",
          }),
          { time: e.at },
        );
      case "NoShowRecorded":
        return pendingEvent(NoShowRecordedEvent, b.personId, NoShowRecordedEvent.create(common), {
          time: e.at,
        });
    }
  });
}

/**
 * The SEQUENCE a received booking event carries, undefined when it carries none. proto3 reads an absent
 * field as 0, so 0 on a move or a cancellation (after either the booking's is at least 1) marks an
 * event written before events carried it, and the consumer counts on from what it holds; 0 on a
 * confirmation is exact, and a no-show's 0 leaves the counted one (a no-show does not change it).
 */
export function carriedSequence(sequence: number, confirmation: boolean): number | undefined {
  return confirmation || sequence > 0 ? sequence : undefined;
}

/** A booking as ListBookingsBySite answers it (ids only: no personal data). */
export function toProtoBooking(b: Booking): selfEmploymentV1.Booking {
  return {
    id: b.id,
    personId: b.personId,
    serviceType: b.serviceCode,
    site: b.site,
    operatorId: b.operatorId,
    roomId: b.roomId ?? "",
    equipmentIds: [...b.equipmentIds],
    startsAt: b.start.toISOString(),
    endsAt: b.end.toISOString(),
    mode: MODES[b.mode],
    state: STATES[b.status],
    funder: b.funder,
    version: b.version,
  };
}
