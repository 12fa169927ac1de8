// The service's own booking events (BookingConfirmed, BookingRescheduled, BookingCancelled) as the
// reminders' facts, or parked on the DLQ when one breaks its contract (no booking id, no slot times, a
// negative sequence).
import type { selfEmploymentEventsV1 } from "@lto/contracts";
import { assertContract, type ReceivedEvent } from "@lto/messaging";
import type { BookingNoticeFact } from "../app/index.js";
import type { NoticeSlot } from "../domain/index.js";
import { carriedSequence } from "./bookings.js";

type Slot = selfEmploymentEventsV1.BookingSlot | undefined;

function slotProblems(field: string, slot: Slot): string[] {
  if (!slot) return [`${field} is missing`];
  const problems: string[] = [];
  if (!slot.site) problems.push(`${field}.site is empty`);
  for (const [name, value] of [
    ["starts_at", slot.startsAt],
    ["ends_at", slot.endsAt],
  ] as const)
    if (!value || Number.isNaN(Date.parse(value))) problems.push(`${field}.${name} is not a date`);
  return problems;
}

function place(slot: selfEmploymentEventsV1.BookingSlot): NoticeSlot {
  return {
    site: slot.site,
    operatorId: slot.operatorId,
    ...(slot.roomId ? { roomId: slot.roomId } : {}),
    equipmentIds: [...slot.equipmentIds],
    mode: slot.mode === "DELIVERY_MODE_REMOTE" ? "remote" : "in_person",
    start: new Date(slot.startsAt!),
    end: new Date(slot.endsAt!),
  };
}

type BookingEvent = {
  personId: string;
  bookingId: string;
  serviceType: string;
  slot?: Slot;
  occurredAt?: string | undefined;
  version: number;
  sequence: number;
};

function common(e: ReceivedEvent<BookingEvent>, confirmed: boolean, extra: string[] = []) {
  const m = e.data;
  const problems = [...slotProblems("slot", m.slot), ...extra];
  if (!m.bookingId) problems.push("booking_id is empty");
  if (!m.personId) problems.push("person_id is empty");
  if (!(m.version > 0)) problems.push("version must be 1 or more");
  if (m.sequence < 0) problems.push("sequence must be 0 or more");
  assertContract(e, problems);
  const sequence = carriedSequence(m.sequence, confirmed);
  return {
    bookingId: m.bookingId,
    personId: m.personId,
    serviceCode: m.serviceType,
    slot: place(m.slot!),
    version: Number(m.version),
    ...(sequence !== undefined ? { sequence } : {}),
    at: m.occurredAt && !Number.isNaN(Date.parse(m.occurredAt)) ? new Date(m.occurredAt) : e.time,
  };
}

export function bookingConfirmedFact(
  e: ReceivedEvent<selfEmploymentEventsV1.BookingConfirmed>,
): BookingNoticeFact & { kind: "confirmed" } {
  return { ...common(e, true), kind: "confirmed" };
}

export function bookingRescheduledFact(
  e: ReceivedEvent<selfEmploymentEventsV1.BookingRescheduled>,
): BookingNoticeFact & { kind: "rescheduled" } {
  const previous = e.data.previousSlot;
  const usable = previous && slotProblems("previous_slot", previous).length === 0;
  return { ...common(e, false), kind: "rescheduled", ...(usable ? { previous: place(previous) } : {}) };
}

export function bookingCancelledFact(
  e: ReceivedEvent<selfEmploymentEventsV1.BookingCancelled>,
): BookingNoticeFact & { kind: "cancelled" } {
  return { ...common(e, false), kind: "cancelled", late: e.data.late };
}
