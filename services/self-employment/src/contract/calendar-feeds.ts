// The service's own booking events (BookingConfirmed, BookingRescheduled, BookingCancelled,
// NoShowRecorded) as the facts the calendar feeds apply, or parked on the DLQ when one breaks its
// contract (no booking id, no slot, an end not after the start, no version, a negative sequence).
import { selfEmploymentV1, type selfEmploymentEventsV1 } from "@lto/contracts";
import { assertContract, type ReceivedEvent } from "@lto/messaging";
import type { BookingFact } from "../domain/index.js";
import { carriedSequence } from "./bookings.js";

type BookingEvent =
  | selfEmploymentEventsV1.BookingConfirmed
  | selfEmploymentEventsV1.BookingRescheduled
  | selfEmploymentEventsV1.BookingCancelled
  | selfEmploymentEventsV1.NoShowRecorded;

const { DeliveryMode } = selfEmploymentV1;

function instant(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

export function bookingFact(kind: BookingFact["kind"], e: ReceivedEvent<BookingEvent>): BookingFact {
  const m = e.data;
  const slot = m.slot;
  const start = instant(slot?.startsAt);
  const end = instant(slot?.endsAt);
  const problems: string[] = [];
  if (!m.bookingId) problems.push("booking_id is empty");
  if (!m.personId) problems.push("person_id is empty");
  if (!m.serviceType) problems.push("service_type is empty");
  if (!slot) problems.push("slot is missing");
  else {
    if (!slot.site) problems.push("slot.site is empty");
    if (!slot.operatorId) problems.push("slot.operator_id is empty");
    if (!start || !end) problems.push("slot.starts_at and slot.ends_at must be instants");
    else if (end <= start) problems.push("slot.ends_at must be after slot.starts_at");
  }
  if (!Number.isSafeInteger(m.version) || m.version < 1) problems.push("version must be 1 or more");
  if (m.sequence < 0) problems.push("sequence must be 0 or more");
  assertContract(e, problems);
  const sequence = carriedSequence(m.sequence, kind === "confirmed");
  const mode =
    slot!.mode === DeliveryMode.DELIVERY_MODE_REMOTE ||
    (slot!.mode !== DeliveryMode.DELIVERY_MODE_IN_PERSON && !slot!.roomId)
      ? "remote"
      : "in_person";
  return {
    kind,
    bookingId: m.bookingId,
    personId: m.personId,
    serviceCode: m.serviceType,
    slot: {
      site: slot!.site,
      operatorId: slot!.operatorId,
      ...(slot!.roomId ? { roomId: slot!.roomId } : {}),
      equipmentIds: [...slot!.equipmentIds],
      mode,
      start: start!,
      end: end!,
    },
    version: m.version,
    ...(sequence !== undefined ? { sequence } : {}),
    at: instant(m.occurredAt) ?? e.time,
  };
}
