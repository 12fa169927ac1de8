import { describe, expect, it } from "vitest";
import {
  applyBookingFact,
  bookingUid,
  entryEvent,
  entryInvitation,
  inFeed,
  type BookingFact,
  type CalendarEntry,
} from "../../src/domain/index.js";

const at = (iso: string) => new Date(iso);
const slot = (start: string, end: string, over: Partial<BookingFact["slot"]> = {}): BookingFact["slot"] => ({
  site: "lto-mantova",
  operatorId: "op-1",
  roomId: "lto-mantova-sala-1",
  equipmentIds: [],
  mode: "in_person",
  start: at(start),
  end: at(end),
  ...over,
});
const fact = (kind: BookingFact["kind"], version: number, over: Partial<BookingFact> = {}): BookingFact => ({
  kind,
  bookingId: "b-1",
  personId: "p-1",
  serviceCode: "accoglienza",
  slot: slot("2026-12-01T09:00:00Z", "2026-12-01T10:00:00Z"),
  version,
  at: at(`2026-11-2${version}T08:00:00Z`),
  ...over,
});

/** Applies facts in order, keeping the entry when one changes nothing. */
function replay(...facts: BookingFact[]): CalendarEntry | undefined {
  return facts.reduce<CalendarEntry | undefined>((e, f) => applyBookingFact(e, f) ?? e, undefined);
}

describe("a booking's calendar entry", () => {
  it("starts at SEQUENCE 0 when confirmed, with the booking's slot, status and version", () => {
    expect(applyBookingFact(undefined, fact("confirmed", 1))).toEqual({
      id: "b-1",
      personId: "p-1",
      serviceCode: "accoglienza",
      site: "lto-mantova",
      operatorId: "op-1",
      roomId: "lto-mantova-sala-1",
      equipmentIds: [],
      mode: "in_person",
      start: at("2026-12-01T09:00:00Z"),
      end: at("2026-12-01T10:00:00Z"),
      status: "confirmed",
      sequence: 0,
      version: 1,
      changedAt: at("2026-11-21T08:00:00Z"),
    });
  });

  it("takes the SEQUENCE the event carries: an event skipped (parked, or before the start) leaves no gap", () => {
    // version 2 (the first move, SEQUENCE 1) never arrived
    const entry = replay(fact("confirmed", 1, { sequence: 0 }), fact("rescheduled", 3, { sequence: 2 }));
    expect(entry).toMatchObject({ status: "confirmed", sequence: 2, version: 3 });
    expect(applyBookingFact(entry, fact("no_show", 4, { sequence: 2 }))).toMatchObject({
      status: "no_show",
      sequence: 2,
    });
    expect(applyBookingFact(undefined, fact("cancelled", 5, { sequence: 3 }))).toMatchObject({
      status: "cancelled",
      sequence: 3,
    });
    // the version check still keeps a redelivery out
    expect(applyBookingFact(entry, fact("rescheduled", 3, { sequence: 2 }))).toBeUndefined();
  });

  // The cases below carry no SEQUENCE: events written before they carried it count on from the entry.
  it("goes one up on every reschedule and on the cancellation, takes the new slot, keeps its id", () => {
    const moved = slot("2026-12-02T09:00:00Z", "2026-12-02T10:00:00Z", { roomId: undefined, mode: "remote" });
    const rescheduled = replay(fact("confirmed", 1), fact("rescheduled", 2, { slot: moved }));
    expect(rescheduled).toMatchObject({
      id: "b-1",
      sequence: 1,
      version: 2,
      start: moved.start,
      mode: "remote",
    });
    expect(rescheduled).not.toHaveProperty("roomId");
    const twice = applyBookingFact(rescheduled, fact("rescheduled", 3));
    expect(twice).toMatchObject({ sequence: 2, version: 3 });
    expect(applyBookingFact(twice, fact("cancelled", 4))).toMatchObject({
      status: "cancelled",
      sequence: 3,
      version: 4,
      changedAt: at("2026-11-24T08:00:00Z"),
    });
  });

  it("keeps its SEQUENCE on a no-show", () => {
    expect(replay(fact("confirmed", 1), fact("no_show", 2))).toMatchObject({
      status: "no_show",
      sequence: 0,
    });
  });

  it("changes nothing for a redelivered or older event", () => {
    const entry = replay(fact("confirmed", 1), fact("rescheduled", 2))!;
    expect(applyBookingFact(entry, fact("rescheduled", 2))).toBeUndefined();
    expect(applyBookingFact(entry, fact("confirmed", 1))).toBeUndefined();
    // the same history delivered twice, in any order of redeliveries, ends where it did once
    expect(
      replay(fact("confirmed", 1), fact("rescheduled", 2), fact("confirmed", 1), fact("rescheduled", 2)),
    ).toEqual(entry);
  });

  it("stays cancelled: nothing after the cancellation brings it back", () => {
    const cancelled = replay(fact("confirmed", 1), fact("cancelled", 2))!;
    expect(applyBookingFact(cancelled, fact("rescheduled", 3))).toBeUndefined();
    expect(applyBookingFact(cancelled, fact("no_show", 3))).toBeUndefined();
  });

  it("starts from a later event with the SEQUENCE that event implies at least", () => {
    expect(applyBookingFact(undefined, fact("rescheduled", 2))).toMatchObject({
      sequence: 1,
      status: "confirmed",
    });
    expect(applyBookingFact(undefined, fact("cancelled", 3))).toMatchObject({
      sequence: 1,
      status: "cancelled",
    });
  });
});

describe("which entries a feed lists", () => {
  const window = { cancelledDays: 30, pastDays: 90 };
  const now = at("2026-12-10T12:00:00Z");
  const entry = replay(fact("confirmed", 1))!;

  it("lists bookings ending within the past days and every later one", () => {
    expect(inFeed(entry, now, window)).toBe(true);
    const old = { ...entry, end: at("2026-09-10T11:00:00Z") };
    expect(inFeed(old, now, window)).toBe(false);
  });

  it("keeps a cancelled booking for the cancelled days after its cancellation, then drops it", () => {
    const cancelled = { ...entry, status: "cancelled" as const, changedAt: at("2026-11-11T12:00:00Z") };
    expect(inFeed(cancelled, now, window)).toBe(true);
    expect(inFeed({ ...cancelled, changedAt: at("2026-11-10T11:59:00Z") }, now, window)).toBe(false);
  });
});

describe("an entry in a calendar", () => {
  const names = {
    service: "Accoglienza",
    site: "LTO Mantova",
    room: "Sala colloqui 1",
    operator: "Anna Bianchi",
    person: "Mario Rossi",
  };
  const entry = replay(fact("confirmed", 1))!;

  it("names the person to the operator, the operator to the person, the room and site as location", () => {
    const forOperator = entryEvent(entry, "operator", names);
    expect(forOperator).toMatchObject({
      uid: bookingUid("b-1"),
      summary: "Accoglienza: Mario Rossi",
      location: "Sala colloqui 1, LTO Mantova",
      status: "CONFIRMED",
      sequence: 0,
      startLocal: "2026-12-01T10:00:00",
    });
    expect(forOperator.description ?? "").not.toContain("Anna");
    const forPerson = entryEvent(entry, "person", names);
    expect(forPerson.summary).toBe("Accoglienza");
    expect(forPerson.description).toBe("Operatore: Anna Bianchi");
    expect(bookingUid("b-1")).toBe("b-1@self-employment.lto-mantova.it");
  });

  it("says ANNULLATO and STATUS:CANCELLED once cancelled, and where a remote service happens", () => {
    const cancelled = applyBookingFact(entry, fact("cancelled", 2))!;
    expect(entryEvent(cancelled, "person", names)).toMatchObject({
      summary: "ANNULLATO: Accoglienza",
      status: "CANCELLED",
      sequence: 1,
    });
    const remote = { ...entry, mode: "remote" as const };
    expect(entryEvent(remote, "person", names).location).toBe("A distanza (LTO Mantova)");
  });

  it("makes an invitation from its organizer to the person, with the same UID and SEQUENCE", () => {
    const moved = applyBookingFact(entry, fact("rescheduled", 2))!;
    const invitation = entryInvitation(moved, names, {
      organizer: { name: "Anna Bianchi", email: "anna.bianchi@lto-mantova.it" },
      attendee: { email: "mario.rossi@example.it", name: "Mario Rossi" },
    });
    expect(invitation).toMatchObject({
      uid: bookingUid("b-1"),
      sequence: 1,
      summary: "Accoglienza",
      organizer: { email: "anna.bianchi@lto-mantova.it" },
      attendees: [{ email: "mario.rossi@example.it", name: "Mario Rossi" }],
    });
  });
});
