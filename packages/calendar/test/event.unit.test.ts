import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  calendarEvent,
  calendarEventIssues,
  calendarFeedIssues,
  calendarMessageIssues,
  cancelledEvent,
  eventUid,
  isSignificantChange,
  nextSequence,
  revisionIssues,
  feedTokenHash,
  feedTokenMatches,
  isFeedTokenShape,
  sameFeedTokenHash,
  type CalendarEventInput,
} from "../src/index.js";

const uid = (id: string) => eventUid(id, "calendar.lto-mantova.it");

const input = (over: Partial<CalendarEventInput> = {}): CalendarEventInput => ({
  uid: uid("m1"),
  sequence: 0,
  start: new Date("2027-01-15T08:00:00Z"),
  end: new Date("2027-01-15T10:00:00Z"),
  summary: "Competenze digitali di base",
  status: "CONFIRMED",
  lastModified: new Date("2026-11-01T10:00:00Z"),
  ...over,
});

/** An event with its wall clock filled in but not checked, to read its issues. */
const calendarEventUnchecked = (over: Partial<CalendarEventInput>) => ({
  ...calendarEvent(input()),
  ...over,
});

describe("calendar events", () => {
  it("have a UID of the owner's id at the owner's domain", () => {
    expect(eventUid("0193b2c4-aaaa", "example.org")).toBe("0193b2c4-aaaa@example.org");
  });

  it("read Rome's wall clock from the instants, in winter and in summer", () => {
    const winter = calendarEvent(input());
    expect([winter.startLocal, winter.endLocal, winter.timeZone]).toEqual([
      "2027-01-15T09:00:00",
      "2027-01-15T11:00:00",
      "Europe/Rome",
    ]);
    const summer = calendarEvent(
      input({ start: new Date("2027-07-15T07:00:00Z"), end: new Date("2027-07-15T09:00:00Z") }),
    );
    expect([summer.startLocal, summer.endLocal]).toEqual(["2027-07-15T09:00:00", "2027-07-15T11:00:00"]);
  });

  it("keep the real length across the spring change: 01:30-03:30 on 2027-03-28 is one hour", () => {
    const event = calendarEvent(
      input({ start: new Date("2027-03-28T00:30:00Z"), end: new Date("2027-03-28T01:30:00Z") }),
    );
    expect([event.startLocal, event.endLocal]).toEqual(["2027-03-28T01:30:00", "2027-03-28T03:30:00"]);
  });

  it("refuse what a calendar app could not keep in step", () => {
    expect(() => calendarEvent(input({ end: new Date("2027-01-15T08:00:00Z") }))).toThrow(
      /end must be after/,
    );
    expect(() => calendarEvent(input({ sequence: -1 }))).toThrow(/sequence/);
    expect(() => calendarEvent(input({ sequence: 1.5 }))).toThrow(/sequence/);
    expect(() => calendarEvent(input({ uid: "no domain" }))).toThrow(/uid/);
    expect(() => calendarEvent(input({ uid: "m1;x@calendar.lto-mantova.it" }))).toThrow(/uid/);
    expect(() => calendarEvent(input({ uid: "m1@calendar.lto-mantova.it\r\nSTATUS:CANCELLED" }))).toThrow(
      /uid/,
    );
    expect(() => calendarEvent(input({ summary: "  " }))).toThrow(/summary/);
    expect(() => calendarEvent(input({ location: "Aula\u0007 2" }))).toThrow(
      /location must not contain control/,
    );
    expect(calendarEvent(input({ description: "Riga 1\n\tRiga 2\r\n" })).description).toBe(
      "Riga 1\n\tRiga 2\r\n",
    );
    expect(() => calendarEvent(input({ url: "javascript:alert(1)" }))).toThrow(/url/);
    expect(() => calendarEvent(input({ start: new Date("nope") }))).toThrow(/valid instants/);
    expect(() => calendarEvent(input({ lastModified: new Date("nope") }))).toThrow(/lastModified/);
  });

  it("notice a wall clock that does not match its instant", () => {
    const event = { ...calendarEvent(input()), startLocal: "2027-01-15T08:00:00" };
    expect(calendarEventIssues(event)).toEqual(["startLocal must be start in Rome"]);
  });

  it("find a UID used twice in one feed", () => {
    const event = calendarEvent(input());
    expect(calendarFeedIssues({ name: "Agenda", events: [event, event] })).toEqual([
      "uid m1@calendar.lto-mantova.it appears twice",
    ]);
    expect(calendarFeedIssues({ name: "Agenda", events: [event] })).toEqual([]);
    expect(calendarFeedIssues({ name: "Agenda\u0000", events: [] })).toEqual([
      "name must not contain control characters",
    ]);
  });
});

describe("organizer and attendees", () => {
  const organizer = { name: "LTO Mantova, sede di Viadana", email: "viadana@lto-mantova.it" };
  const attendee = { email: "giulia.rossi@example.org", name: 'Giulia "Giuly" Rossi', rsvp: true };

  it("are kept on the event when given, and are optional in a feed", () => {
    const event = calendarEvent(input({ organizer, attendees: [attendee] }));
    expect([event.organizer, event.attendees]).toEqual([organizer, [attendee]]);
    expect(calendarEventIssues(calendarEvent(input()))).toEqual([]);
  });

  it("need real e-mail addresses and names without control characters", () => {
    const issues = (over: Partial<CalendarEventInput>) => calendarEventIssues(calendarEventUnchecked(over));
    expect(issues({ organizer: { ...organizer, email: "viadana" } })).toEqual([
      'organizer e-mail "viadana" is not an e-mail address',
    ]);
    expect(issues({ organizer: { ...organizer, name: " " } })).toEqual(["organizer name must not be empty"]);
    expect(issues({ attendees: [{ email: "a@b.it:x;y@c.it" }] })).toEqual([
      'attendee e-mail "a@b.it:x;y@c.it" is not an e-mail address',
    ]);
    expect(issues({ attendees: [{ ...attendee, name: "Giulia\nRossi" }] })).toEqual([
      "attendee name must not contain control characters",
    ]);
    expect(issues({ attendees: [attendee, { email: "GIULIA.ROSSI@example.org" }] })).toEqual([
      "attendee GIULIA.ROSSI@example.org appears twice",
    ]);
  });

  it("are needed by an iTIP message, which a feed does not need", () => {
    expect(calendarMessageIssues(calendarEvent(input()))).toEqual([
      "a message needs an organizer",
      "a message needs at least one attendee",
    ]);
    expect(calendarMessageIssues(calendarEvent(input({ organizer, attendees: [] })))).toEqual([
      "a message needs at least one attendee",
    ]);
    expect(calendarMessageIssues(calendarEvent(input({ organizer, attendees: [attendee] })))).toEqual([]);
  });
});

describe("SEQUENCE", () => {
  const before = calendarEvent(input({ sequence: 2, location: "Aula 1" }));

  it("goes one up when the time, the place or the status changes, and only then", () => {
    const later = { start: new Date("2027-01-15T09:00:00Z"), end: new Date("2027-01-15T11:00:00Z") };
    expect(nextSequence(before, { ...before, ...later })).toBe(3);
    expect(nextSequence(before, { ...before, end: new Date("2027-01-15T11:00:00Z") })).toBe(3);
    expect(nextSequence(before, { ...before, location: "Aula 2" })).toBe(3);
    expect(nextSequence(before, { ...before, location: undefined })).toBe(3);
    expect(nextSequence(before, { ...before, status: "CANCELLED" })).toBe(3);
    expect(isSignificantChange(before, { ...before, start: new Date(before.start) })).toBe(false);
    expect(nextSequence(before, { ...before, summary: "Altro titolo" } as typeof before)).toBe(2);
  });

  it("goes one up on cancellation, with STATUS:CANCELLED, and not again for a second one", () => {
    const at = new Date("2026-12-01T08:00:00Z");
    const cancelled = cancelledEvent(before, at);
    expect([cancelled.uid, cancelled.sequence, cancelled.status, cancelled.lastModified]).toEqual([
      before.uid,
      3,
      "CANCELLED",
      at,
    ]);
    expect(cancelledEvent(cancelled, new Date("2026-12-02T08:00:00Z"))).toBe(cancelled);
    expect(revisionIssues(before, cancelled)).toEqual([]);
  });

  it("refuses a revision apps would drop or misplace", () => {
    const moved = calendarEvent({
      ...before,
      start: new Date("2027-01-15T09:00:00Z"),
      end: new Date("2027-01-15T11:00:00Z"),
    });
    expect(revisionIssues(before, moved)).toEqual([
      "sequence must increase from 2: the time, place or status changed",
    ]);
    expect(revisionIssues(before, { ...moved, sequence: 3 })).toEqual([]);
    expect(revisionIssues(before, { ...before, sequence: 1 })).toEqual([
      "sequence 1 must not go back from 2",
    ]);
    expect(revisionIssues(before, { ...before, uid: uid("m2") })).toEqual([
      `uid ${uid("m2")} must stay ${uid("m1")}`,
    ]);
    const cancelled = cancelledEvent(before, new Date("2026-12-01T08:00:00Z"));
    expect(revisionIssues(cancelled, { ...before, sequence: 4 })).toEqual([
      "a cancelled event cannot come back: give the new one a new uid",
    ]);
  });
});

describe("feed tokens", () => {
  const token = "q7Yx3mZ0c1VbN2dE8fG4hJ5kL6pQ9rS_tU-wX0yZaBc";

  it("have the shape of 32 bytes in base64url, and nothing else does", () => {
    expect(token).toHaveLength(43);
    expect(isFeedTokenShape(token)).toBe(true);
    expect(isFeedTokenShape(token.slice(1))).toBe(false);
    expect(isFeedTokenShape(`${token.slice(1)}=`)).toBe(false);
    expect(isFeedTokenShape(`${token.slice(1)}+`)).toBe(false);
    expect(isFeedTokenShape(`${token}A`)).toBe(false);
  });

  it("are stored as their SHA-256", () => {
    expect(feedTokenHash("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(feedTokenHash(token)).toBe(createHash("sha256").update(token).digest("hex"));
    expect(feedTokenHash(token)).not.toContain(token);
  });

  it("match only the token whose hash is stored", () => {
    const stored = feedTokenHash(token);
    expect(feedTokenMatches(token, stored)).toBe(true);
    const rotated = `${token.slice(0, -1)}d`;
    expect(feedTokenMatches(rotated, stored)).toBe(false);
    expect(feedTokenMatches(token, feedTokenHash(rotated))).toBe(false);
    expect(feedTokenMatches("short", feedTokenHash("short"))).toBe(false);
  });

  it("compare hashes of any length without throwing", () => {
    const stored = feedTokenHash(token);
    expect(sameFeedTokenHash(stored, stored)).toBe(true);
    expect(sameFeedTokenHash(stored, stored.slice(1))).toBe(false);
    const lastDiffers = `${stored.slice(0, -1)}${stored.endsWith("0") ? "1" : "0"}`;
    expect(sameFeedTokenHash(stored, lastDiffers)).toBe(false);
  });
});
