import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  calendarEvent,
  calendarEventIssues,
  calendarFeedIssues,
  feedTokenHash,
  feedTokenMatches,
  isFeedTokenShape,
  meetingUid,
  sameFeedTokenHash,
  type CalendarEventInput,
} from "../../src/domain/calendar-feed.js";

const input = (over: Partial<CalendarEventInput> = {}): CalendarEventInput => ({
  uid: meetingUid("m1"),
  sequence: 0,
  start: new Date("2027-01-15T08:00:00Z"),
  end: new Date("2027-01-15T10:00:00Z"),
  summary: "Competenze digitali di base",
  status: "CONFIRMED",
  lastModified: new Date("2026-11-01T10:00:00Z"),
  ...over,
});

describe("calendar events", () => {
  it("give a meeting a UID at the catalogue's domain", () => {
    expect(meetingUid("0193b2c4-aaaa")).toBe("0193b2c4-aaaa@catalogue.lto-mantova.it");
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
    expect(() => calendarEvent(input({ uid: "m1;x@catalogue.lto-mantova.it" }))).toThrow(/uid/);
    expect(() => calendarEvent(input({ uid: "m1@catalogue.lto-mantova.it\r\nSTATUS:CANCELLED" }))).toThrow(
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
    expect(calendarFeedIssues({ name: "Corso", events: [event, event] })).toEqual([
      "uid m1@catalogue.lto-mantova.it appears twice",
    ]);
    expect(calendarFeedIssues({ name: "Corso", events: [event] })).toEqual([]);
    expect(calendarFeedIssues({ name: "Corso\u0000", events: [] })).toEqual([
      "name must not contain control characters",
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
