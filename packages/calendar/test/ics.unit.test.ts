// The feed is read back with ical.js (Mozilla's parser, as Thunderbird uses it): what a calendar app
// sees is what these tests check. Times come back through the VTIMEZONE in the file itself: ical.js has
// no zone database of its own, so a wrong or missing VTIMEZONE gives wrong instants here.
import ICAL from "ical.js";
import { afterEach, describe, expect, it } from "vitest";
import {
  calendarEvent,
  cancelledEvent,
  eventUid,
  nextSequence,
  type CalendarEvent,
  type CalendarEventInput,
  type CalendarFeed,
} from "../src/index.js";
import {
  calendarMessageMethod,
  ICS_CONTENT_TYPE,
  icsMessageContentType,
  renderCalendar,
  renderCalendarMessage,
} from "../src/ics.js";

const generatedAt = new Date("2026-11-25T12:00:00Z");
const HOUR = 3600;
const uid = (id: string) => eventUid(id, "calendar.lto-mantova.it");

function anEvent(id: string, start: string, end: string, over: Partial<CalendarEventInput> = {}) {
  return calendarEvent({
    uid: uid(id),
    sequence: 0,
    start: new Date(start),
    end: new Date(end),
    summary: `Incontro ${id}`,
    status: "CONFIRMED",
    lastModified: new Date("2026-11-01T10:00:00Z"),
    ...over,
  });
}

function parse(ics: string) {
  const root = new ICAL.Component(ICAL.parse(ics));
  for (const vtimezone of root.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(vtimezone);
  const events = root.getAllSubcomponents("vevent").map((vevent) => new ICAL.Event(vevent));
  const byUid = new Map(events.map((event) => [event.uid, event]));
  const event = (id: string) => {
    const found = byUid.get(uid(id));
    if (!found) throw new Error(`no event ${id} in the feed`);
    return found;
  };
  return { root, events, event };
}

/** A TEXT property ical.js does not know (NAME of RFC 7986, X-WR-*), unescaped as TEXT. */
function textOf(component: ICAL.Component, name: string): string {
  return ICAL.design.icalendar.value.text!.fromICAL!(String(component.getFirstPropertyValue(name)));
}

const render = (feed: CalendarFeed) => renderCalendar(feed, { generatedAt, product: "Calendar" });
const seconds = (time: ICAL.Time) => time.toUnixTime();
const iso = (time: ICAL.Time) => new Date(time.toUnixTime() * 1000).toISOString();

afterEach(() => ICAL.TimezoneService.reset());

describe("an ICS feed", () => {
  it("publishes a named calendar with Rome's VTIMEZONE, both its rules, once", () => {
    const ics = render({
      name: "Agenda LTO, Mantova",
      description: "Calendario d'autunno",
      events: [
        anEvent("a", "2027-01-15T08:00:00Z", "2027-01-15T10:00:00Z"),
        anEvent("b", "2027-07-15T07:00:00Z", "2027-07-15T09:00:00Z"),
      ],
    });
    expect(ICS_CONTENT_TYPE).toBe("text/calendar; charset=utf-8");
    const { root } = parse(ics);
    expect(root.getFirstPropertyValue("version")).toBe("2.0");
    expect(root.getFirstPropertyValue("method")).toBe("PUBLISH");
    expect(root.getFirstPropertyValue("prodid")).toBe("-//LTO Mantova//Calendar//IT");
    expect(textOf(root, "name")).toBe("Agenda LTO, Mantova");
    expect(textOf(root, "x-wr-calname")).toBe("Agenda LTO, Mantova");
    expect(textOf(root, "x-wr-caldesc")).toBe("Calendario d'autunno");
    expect(root.getFirstPropertyValue("x-wr-timezone")).toBe("Europe/Rome");
    const zones = root.getAllSubcomponents("vtimezone");
    expect(zones).toHaveLength(1);
    expect(zones[0]!.getFirstPropertyValue("tzid")).toBe("Europe/Rome");
    const standard = zones[0]!.getFirstSubcomponent("standard")!;
    const daylight = zones[0]!.getFirstSubcomponent("daylight")!;
    expect(String(standard.getFirstPropertyValue("tzoffsetto"))).toBe("+01:00");
    expect(String(daylight.getFirstPropertyValue("tzoffsetto"))).toBe("+02:00");
    // Every line is CRLF-terminated and at most 75 octets (RFC 5545 3.1).
    expect(ics.split("\r\n").every((line) => Buffer.byteLength(line) <= 75 && !line.includes("\n"))).toBe(
      true,
    );
  });

  it("keeps each event's UID, SEQUENCE and STATUS, and dates its stamps in UTC", () => {
    const { event } = parse(
      render({
        name: "Agenda",
        events: [
          anEvent("kept", "2027-01-15T08:00:00Z", "2027-01-15T10:00:00Z"),
          anEvent("moved", "2027-01-22T08:00:00Z", "2027-01-22T10:00:00Z", { sequence: 1 }),
          anEvent("cancelled", "2027-01-29T08:00:00Z", "2027-01-29T10:00:00Z", {
            sequence: 2,
            status: "CANCELLED",
            lastModified: new Date("2026-11-20T16:45:00Z"),
          }),
        ],
      }),
    );
    expect(event("kept").uid).toBe("kept@calendar.lto-mantova.it");
    expect([event("kept").sequence, event("moved").sequence, event("cancelled").sequence]).toEqual([0, 1, 2]);
    expect(event("kept").component.getFirstPropertyValue("status")).toBe("CONFIRMED");
    expect(event("cancelled").component.getFirstPropertyValue("status")).toBe("CANCELLED");
    const cancelled = event("cancelled").component;
    const stamp = cancelled.getFirstPropertyValue("dtstamp") as ICAL.Time;
    const modified = cancelled.getFirstPropertyValue("last-modified") as ICAL.Time;
    expect([stamp.zone?.tzid, iso(stamp)]).toEqual(["UTC", "2026-11-25T12:00:00.000Z"]);
    expect([modified.zone?.tzid, iso(modified)]).toEqual(["UTC", "2026-11-20T16:45:00.000Z"]);
  });

  it("writes events in Rome time with TZID: 2027-03-28 09:00-11:00 is 07:00Z for two hours", () => {
    const ics = render({
      name: "Agenda",
      events: [anEvent("m", "2027-03-28T07:00:00Z", "2027-03-28T09:00:00Z")],
    });
    expect(ics).toContain("DTSTART;TZID=Europe/Rome:20270328T090000\r\n");
    expect(ics).toContain("DTEND;TZID=Europe/Rome:20270328T110000\r\n");
    const m = parse(ics).event("m");
    expect(m.startDate.zone?.tzid).toBe("Europe/Rome");
    expect(m.startDate.toString()).toBe("2027-03-28T09:00:00");
    expect(iso(m.startDate)).toBe("2027-03-28T07:00:00.000Z");
    expect(seconds(m.endDate) - seconds(m.startDate)).toBe(2 * HOUR);
  });

  it("gives January and July their own offsets from the same 09:00", () => {
    const { event } = parse(
      render({
        name: "Agenda",
        events: [
          anEvent("jan", "2027-01-15T08:00:00Z", "2027-01-15T10:00:00Z"),
          anEvent("jul", "2027-07-15T07:00:00Z", "2027-07-15T09:00:00Z"),
        ],
      }),
    );
    expect([event("jan").startDate.toString(), event("jul").startDate.toString()]).toEqual([
      "2027-01-15T09:00:00",
      "2027-07-15T09:00:00",
    ]);
    expect(event("jan").startDate.utcOffset()).toBe(1 * HOUR);
    expect(event("jul").startDate.utcOffset()).toBe(2 * HOUR);
    expect(iso(event("jan").startDate)).toBe("2027-01-15T08:00:00.000Z");
    expect(iso(event("jul").startDate)).toBe("2027-07-15T07:00:00.000Z");
  });

  it("keeps the civil times and the real length across the spring change (01:30-03:30 is 1 h)", () => {
    const ics = render({
      name: "Agenda",
      events: [anEvent("spring", "2027-03-28T00:30:00Z", "2027-03-28T01:30:00Z")],
    });
    expect(ics).toContain("DTSTART;TZID=Europe/Rome:20270328T013000\r\n");
    expect(ics).toContain("DTEND;TZID=Europe/Rome:20270328T033000\r\n");
    const spring = parse(ics).event("spring");
    expect([iso(spring.startDate), iso(spring.endDate)]).toEqual([
      "2027-03-28T00:30:00.000Z",
      "2027-03-28T01:30:00.000Z",
    ]);
    expect(seconds(spring.endDate) - seconds(spring.startDate)).toBe(1 * HOUR);
  });

  it("keeps the civil times and the real length across the autumn change (01:30-03:30 is 3 h)", () => {
    // 01:30 happens once (CEST) and 03:30 once (CET): neither end is in the repeated hour.
    const ics = render({
      name: "Agenda",
      events: [anEvent("autumn", "2026-10-24T23:30:00Z", "2026-10-25T02:30:00Z")],
    });
    expect(ics).toContain("DTSTART;TZID=Europe/Rome:20261025T013000\r\n");
    expect(ics).toContain("DTEND;TZID=Europe/Rome:20261025T033000\r\n");
    const autumn = parse(ics).event("autumn");
    expect([iso(autumn.startDate), iso(autumn.endDate)]).toEqual([
      "2026-10-24T23:30:00.000Z",
      "2026-10-25T02:30:00.000Z",
    ]);
    expect(seconds(autumn.endDate) - seconds(autumn.startDate)).toBe(3 * HOUR);
  });

  it("writes an event with an end in the repeated 02:xx hour in UTC, so apps place it right", () => {
    const ics = render({
      name: "Agenda",
      events: [
        // 02:30 CEST -> 03:30 CET: the first 02:30 of the night.
        anEvent("first", "2026-10-25T00:30:00Z", "2026-10-25T02:30:00Z"),
        // 02:30 CET -> 03:30 CET: the second 02:30.
        anEvent("second", "2026-10-25T01:30:00Z", "2026-10-25T02:30:00Z"),
        // 00:30 CEST -> 02:15 CET: ends in the repeated hour.
        anEvent("ends", "2026-10-24T22:30:00Z", "2026-10-25T01:15:00Z"),
      ],
    });
    expect(ics).toContain("DTSTART:20261025T003000Z\r\nDTEND:20261025T023000Z\r\n");
    expect(ics).toContain("DTSTART:20261025T013000Z\r\nDTEND:20261025T023000Z\r\n");
    expect(ics).toContain("DTSTART:20261024T223000Z\r\nDTEND:20261025T011500Z\r\n");
    expect(ics).not.toContain("TZID=Europe/Rome:20261025T02");
    const { event } = parse(ics);
    const span = (id: string) => [iso(event(id).startDate), iso(event(id).endDate)];
    expect(span("first")).toEqual(["2026-10-25T00:30:00.000Z", "2026-10-25T02:30:00.000Z"]);
    expect(span("second")).toEqual(["2026-10-25T01:30:00.000Z", "2026-10-25T02:30:00.000Z"]);
    expect(span("ends")).toEqual(["2026-10-24T22:30:00.000Z", "2026-10-25T01:15:00.000Z"]);
    expect(seconds(event("first").endDate) - seconds(event("first").startDate)).toBe(2 * HOUR);
  });

  it("escapes Italian text so commas, semicolons, backslashes and new lines round-trip", () => {
    const summary = "Laboratorio 3D; aula 2, piano terra";
    const description =
      "Portare il portatile, il caricabatterie; niente chiavette.\nÈ prevista una pausa caffè: più di " +
      "un'ora di attività pratica con la stampante 3D \\ scanner, nell'aula al piano terra.";
    const location = 'Istituto Superiore "E. Fermi", Strada Spolverina 5; 46100 Mantova (MN)';
    const name = "Attività: Laboratorio 3D; Mantova, Viadana\nsecondo semestre";
    const ics = render({
      name,
      description: "Calendario; sedi, orari\ne aule",
      events: [
        anEvent("text", "2027-01-15T08:00:00Z", "2027-01-15T10:00:00Z", {
          summary,
          description,
          location,
          url: "https://calendar.lto-mantova.it/v1/events/e1?lang=it&view=full",
        }),
      ],
    });
    expect(ics).toContain("SUMMARY:Laboratorio 3D\\; aula 2\\, piano terra\r\n");
    // The long description is folded at 75 octets without splitting a multi-byte character.
    expect(ics).toContain("\r\n ");
    expect(ics.split("\r\n").every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
    const { root, event } = parse(ics);
    const textEvent = event("text");
    expect(textEvent.summary).toBe(summary);
    expect(textEvent.description).toBe(description);
    expect(textEvent.location).toBe(location);
    expect(textEvent.component.getFirstPropertyValue("url")).toBe(
      "https://calendar.lto-mantova.it/v1/events/e1?lang=it&view=full",
    );
    expect(textOf(root, "name")).toBe(name);
    expect(textOf(root, "x-wr-calname")).toBe(name);
    expect(textOf(root, "x-wr-caldesc")).toBe("Calendario; sedi, orari\ne aule");
    // A new line in a name cannot start a property of its own.
    expect(root.getAllProperties().map((p) => p.name)).not.toContain("secondo semestre");
  });

  it("renders a feed of 200 events in one go", () => {
    const events = Array.from({ length: 200 }, (_, i) => {
      const start = Date.UTC(2026, 8, 14, 7) + i * 86_400_000; // every day from 14 September 2026
      return anEvent(
        `day${i}`,
        new Date(start).toISOString(),
        new Date(start + 2 * HOUR * 1000).toISOString(),
        {
          sequence: i % 3,
          status: i % 10 === 0 ? "CANCELLED" : "CONFIRMED",
        },
      );
    });
    const ics = render({ name: "Tutti i miei incontri", events });
    const parsed = parse(ics);
    expect(parsed.events).toHaveLength(200);
    expect(new Set(parsed.events.map((e) => e.uid)).size).toBe(200);
    expect(parsed.root.getAllSubcomponents("vtimezone")).toHaveLength(1);
    expect(
      parsed.events.filter((e) => e.component.getFirstPropertyValue("status") === "CANCELLED"),
    ).toHaveLength(20);
    // Each event keeps its instant whichever side of the 25 October change it falls on.
    for (const [i, event] of parsed.events.entries()) {
      expect(iso(event.startDate)).toBe(events[i]!.start.toISOString());
      expect(seconds(event.endDate) - seconds(event.startDate)).toBe(2 * HOUR);
    }
    expect(parsed.event("day0").startDate.toString()).toBe("2026-09-14T09:00:00");
    expect(parsed.event("day60").startDate.toString()).toBe("2026-11-13T08:00:00");
  });

  it("refuses a feed that breaks its own rules rather than write a broken file", () => {
    const event = anEvent("twice", "2027-01-15T08:00:00Z", "2027-01-15T10:00:00Z");
    expect(() => render({ name: "Agenda", events: [event, event] })).toThrow(/appears twice/);
    expect(() => render({ name: " ", events: [] })).toThrow(/name must not be empty/);
  });
});

describe("an iTIP message for one event", () => {
  const organizer = { name: "LTO Mantova, sede di Viadana", email: "viadana@lto-mantova.it" };
  const person = { email: "giulia.rossi@example.org", name: 'Giulia "Giuly" Rossi', rsvp: true };
  const referent = { email: "referente@scuola.example.org" };
  const invited = (id: string, start: string, end: string, over: Partial<CalendarEventInput> = {}) =>
    anEvent(id, start, end, { organizer, attendees: [person, referent], location: "Sala 1", ...over });
  const send = (event: CalendarEvent) => renderCalendarMessage(event, { generatedAt, product: "Calendar" });
  const method = (ics: string) => parse(ics).root.getFirstPropertyValue("method");
  const attendees = (event: ICAL.Event) =>
    event.attendees.map((a) => [
      a.getFirstValue(),
      a.getParameter("cn") ?? null,
      a.getParameter("partstat") ?? null,
      a.getParameter("rsvp") ?? null,
    ]);

  it("invites with METHOD:REQUEST, the UID, SEQUENCE 0, ORGANIZER, ATTENDEEs and Rome's VTIMEZONE", () => {
    const ics = send(invited("b1", "2027-01-15T08:00:00Z", "2027-01-15T09:00:00Z"));
    expect(method(ics)).toBe("REQUEST");
    expect(ics).toContain("DTSTART;TZID=Europe/Rome:20270115T090000\r\n");
    const { root, events, event } = parse(ics);
    expect(events).toHaveLength(1);
    expect(root.getFirstPropertyValue("prodid")).toBe("-//LTO Mantova//Calendar//IT");
    expect(root.getAllSubcomponents("vtimezone").map((z) => z.getFirstPropertyValue("tzid"))).toEqual([
      "Europe/Rome",
    ]);
    const b1 = event("b1");
    expect([b1.uid, b1.sequence, b1.component.getFirstPropertyValue("status")]).toEqual([
      "b1@calendar.lto-mantova.it",
      0,
      "CONFIRMED",
    ]);
    expect([b1.startDate.zone?.tzid, b1.startDate.toString(), iso(b1.startDate)]).toEqual([
      "Europe/Rome",
      "2027-01-15T09:00:00",
      "2027-01-15T08:00:00.000Z",
    ]);
    const stamp = b1.component.getFirstPropertyValue("dtstamp") as ICAL.Time;
    expect(iso(stamp)).toBe(generatedAt.toISOString());
    const org = b1.component.getFirstProperty("organizer")!;
    expect([org.getFirstValue(), org.getParameter("cn")]).toEqual([
      "mailto:viadana@lto-mantova.it",
      "LTO Mantova, sede di Viadana",
    ]);
    expect(attendees(b1)).toEqual([
      ["MAILTO:giulia.rossi@example.org", 'Giulia "Giuly" Rossi', "NEEDS-ACTION", "TRUE"],
      ["MAILTO:referente@scuola.example.org", null, "NEEDS-ACTION", null],
    ]);
    expect(calendarMessageMethod(invited("b1", "2027-01-15T08:00:00Z", "2027-01-15T09:00:00Z"))).toBe(
      "REQUEST",
    );
    expect(icsMessageContentType("REQUEST")).toBe("text/calendar; charset=utf-8; method=REQUEST");
    expect(ics.split("\r\n").every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
  });

  it("sends a change as METHOD:REQUEST with the same UID and a higher SEQUENCE", () => {
    const first = invited("b2", "2027-01-15T08:00:00Z", "2027-01-15T09:00:00Z");
    const moved = { start: new Date("2027-01-22T10:00:00Z"), end: new Date("2027-01-22T11:00:00Z") };
    const changed = calendarEvent({
      ...first,
      ...moved,
      sequence: nextSequence(first, { ...first, ...moved }),
    });
    const ics = send(changed);
    expect(method(ics)).toBe("REQUEST");
    const b2 = parse(ics).event("b2");
    expect([b2.uid, b2.sequence, b2.component.getFirstPropertyValue("status")]).toEqual([
      "b2@calendar.lto-mantova.it",
      1,
      "CONFIRMED",
    ]);
    expect(b2.startDate.toString()).toBe("2027-01-22T11:00:00");
  });

  it("cancels with METHOD:CANCEL, the same UID, a higher SEQUENCE and STATUS:CANCELLED", () => {
    const booked = invited("b3", "2027-01-15T08:00:00Z", "2027-01-15T09:00:00Z", { sequence: 1 });
    const ics = send(cancelledEvent(booked, new Date("2026-12-01T08:00:00Z")));
    expect(method(ics)).toBe("CANCEL");
    expect(calendarMessageMethod(cancelledEvent(booked, generatedAt))).toBe("CANCEL");
    expect(ics).toContain("DTSTART;TZID=Europe/Rome:20270115T090000\r\n");
    const { root, event } = parse(ics);
    expect(root.getAllSubcomponents("vtimezone")).toHaveLength(1);
    const b3 = event("b3");
    expect([b3.uid, b3.sequence, b3.component.getFirstPropertyValue("status")]).toEqual([
      "b3@calendar.lto-mantova.it",
      2,
      "CANCELLED",
    ]);
    // A cancellation names everyone it removes and asks no answer.
    expect(attendees(b3)).toEqual([
      ["MAILTO:giulia.rossi@example.org", 'Giulia "Giuly" Rossi', null, null],
      ["MAILTO:referente@scuola.example.org", null, null, null],
    ]);
    expect(b3.component.getFirstProperty("organizer")!.getFirstValue()).toBe("mailto:viadana@lto-mantova.it");
  });

  it("keeps the real length on 29 March 2026 (01:30-03:30 is 1 h) and 25 October 2026 (3 h)", () => {
    const spring = invited("spring", "2026-03-29T00:30:00Z", "2026-03-29T01:30:00Z");
    const autumn = invited("autumn", "2026-10-24T23:30:00Z", "2026-10-25T02:30:00Z");
    for (const [event, start, end, hours] of [
      [spring, "20260329T013000", "20260329T033000", 1],
      [autumn, "20261025T013000", "20261025T033000", 3],
    ] as const) {
      for (const ics of [send(event), send(cancelledEvent(event, generatedAt))]) {
        expect(ics).toContain(`DTSTART;TZID=Europe/Rome:${start}\r\n`);
        expect(ics).toContain(`DTEND;TZID=Europe/Rome:${end}\r\n`);
        const parsed = parse(ics).events[0]!;
        expect(iso(parsed.startDate)).toBe(event.start.toISOString());
        expect(iso(parsed.endDate)).toBe(event.end.toISOString());
        expect(seconds(parsed.endDate) - seconds(parsed.startDate)).toBe(hours * HOUR);
        ICAL.TimezoneService.reset();
      }
    }
  });

  it("refuses an event without an organizer or an attendee, or one that breaks its own rules", () => {
    const bare = anEvent("bare", "2027-01-15T08:00:00Z", "2027-01-15T09:00:00Z");
    expect(() => send(bare)).toThrow(/needs an organizer; a message needs at least one attendee/);
    const broken = { ...invited("x", "2027-01-15T08:00:00Z", "2027-01-15T09:00:00Z"), sequence: -1 };
    expect(() => send(broken)).toThrow(/sequence -1/);
  });
});
