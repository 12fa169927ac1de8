// The feed is read back with ical.js (Mozilla's parser, as Thunderbird uses it): what a calendar app
// sees is what these tests check. Times come back through the VTIMEZONE in the file itself: ical.js has
// no zone database of its own, so a wrong or missing VTIMEZONE gives wrong instants here.
import ICAL from "ical.js";
import { afterEach, describe, expect, it } from "vitest";
import {
  calendarEvent,
  meetingUid,
  type CalendarEventInput,
  type CalendarFeed,
} from "../../src/domain/calendar-feed.js";
import { ICS_CONTENT_TYPE, renderCalendar } from "../../src/infra/calendar/ics.js";

const generatedAt = new Date("2026-11-25T12:00:00Z");
const HOUR = 3600;

function meeting(id: string, start: string, end: string, over: Partial<CalendarEventInput> = {}) {
  return calendarEvent({
    uid: meetingUid(id),
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
    const found = byUid.get(meetingUid(id));
    if (!found) throw new Error(`no event ${id} in the feed`);
    return found;
  };
  return { root, events, event };
}

/** A TEXT property ical.js does not know (NAME of RFC 7986, X-WR-*), unescaped as TEXT. */
function textOf(component: ICAL.Component, name: string): string {
  return ICAL.design.icalendar.value.text!.fromICAL!(String(component.getFirstPropertyValue(name)));
}

const render = (feed: CalendarFeed) => renderCalendar(feed, { generatedAt });
const seconds = (time: ICAL.Time) => time.toUnixTime();
const iso = (time: ICAL.Time) => new Date(time.toUnixTime() * 1000).toISOString();

afterEach(() => ICAL.TimezoneService.reset());

describe("an ICS feed", () => {
  it("publishes a named calendar with Rome's VTIMEZONE, both its rules, once", () => {
    const ics = render({
      name: "Corso DigComp 1, Mantova",
      description: "Sessione d'autunno",
      events: [
        meeting("a", "2027-01-15T08:00:00Z", "2027-01-15T10:00:00Z"),
        meeting("b", "2027-07-15T07:00:00Z", "2027-07-15T09:00:00Z"),
      ],
    });
    expect(ICS_CONTENT_TYPE).toBe("text/calendar; charset=utf-8");
    const { root } = parse(ics);
    expect(root.getFirstPropertyValue("version")).toBe("2.0");
    expect(root.getFirstPropertyValue("method")).toBe("PUBLISH");
    expect(root.getFirstPropertyValue("prodid")).toBe("-//LTO Mantova//Catalogue//IT");
    expect(textOf(root, "name")).toBe("Corso DigComp 1, Mantova");
    expect(textOf(root, "x-wr-calname")).toBe("Corso DigComp 1, Mantova");
    expect(textOf(root, "x-wr-caldesc")).toBe("Sessione d'autunno");
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

  it("keeps each meeting's UID, SEQUENCE and STATUS, and dates its stamps in UTC", () => {
    const { event } = parse(
      render({
        name: "Corso",
        events: [
          meeting("kept", "2027-01-15T08:00:00Z", "2027-01-15T10:00:00Z"),
          meeting("moved", "2027-01-22T08:00:00Z", "2027-01-22T10:00:00Z", { sequence: 1 }),
          meeting("cancelled", "2027-01-29T08:00:00Z", "2027-01-29T10:00:00Z", {
            sequence: 2,
            status: "CANCELLED",
            lastModified: new Date("2026-11-20T16:45:00Z"),
          }),
        ],
      }),
    );
    expect(event("kept").uid).toBe("kept@catalogue.lto-mantova.it");
    expect([event("kept").sequence, event("moved").sequence, event("cancelled").sequence]).toEqual([0, 1, 2]);
    expect(event("kept").component.getFirstPropertyValue("status")).toBe("CONFIRMED");
    expect(event("cancelled").component.getFirstPropertyValue("status")).toBe("CANCELLED");
    const cancelled = event("cancelled").component;
    const stamp = cancelled.getFirstPropertyValue("dtstamp") as ICAL.Time;
    const modified = cancelled.getFirstPropertyValue("last-modified") as ICAL.Time;
    expect([stamp.zone?.tzid, iso(stamp)]).toEqual(["UTC", "2026-11-25T12:00:00.000Z"]);
    expect([modified.zone?.tzid, iso(modified)]).toEqual(["UTC", "2026-11-20T16:45:00.000Z"]);
  });

  it("writes meetings in Rome time with TZID: 2027-03-28 09:00-11:00 is 07:00Z for two hours", () => {
    const ics = render({
      name: "Corso",
      events: [meeting("m", "2027-03-28T07:00:00Z", "2027-03-28T09:00:00Z")],
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
        name: "Corso",
        events: [
          meeting("jan", "2027-01-15T08:00:00Z", "2027-01-15T10:00:00Z"),
          meeting("jul", "2027-07-15T07:00:00Z", "2027-07-15T09:00:00Z"),
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
      name: "Corso",
      events: [meeting("spring", "2027-03-28T00:30:00Z", "2027-03-28T01:30:00Z")],
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
      name: "Corso",
      events: [meeting("autumn", "2026-10-24T23:30:00Z", "2026-10-25T02:30:00Z")],
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

  it("writes a meeting with an end in the repeated 02:xx hour in UTC, so apps place it right", () => {
    const ics = render({
      name: "Corso",
      events: [
        // 02:30 CEST -> 03:30 CET: the first 02:30 of the night.
        meeting("first", "2026-10-25T00:30:00Z", "2026-10-25T02:30:00Z"),
        // 02:30 CET -> 03:30 CET: the second 02:30.
        meeting("second", "2026-10-25T01:30:00Z", "2026-10-25T02:30:00Z"),
        // 00:30 CEST -> 02:15 CET: ends in the repeated hour.
        meeting("ends", "2026-10-24T22:30:00Z", "2026-10-25T01:15:00Z"),
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
        meeting("text", "2027-01-15T08:00:00Z", "2027-01-15T10:00:00Z", {
          summary,
          description,
          location,
          url: "https://catalogue.lto-mantova.it/v1/sessions/s1?lang=it&view=full",
        }),
      ],
    });
    expect(ics).toContain("SUMMARY:Laboratorio 3D\\; aula 2\\, piano terra\r\n");
    // The long description is folded at 75 octets without splitting a multi-byte character.
    expect(ics).toContain("\r\n ");
    expect(ics.split("\r\n").every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
    const { root, event } = parse(ics);
    const meetingText = event("text");
    expect(meetingText.summary).toBe(summary);
    expect(meetingText.description).toBe(description);
    expect(meetingText.location).toBe(location);
    expect(meetingText.component.getFirstPropertyValue("url")).toBe(
      "https://catalogue.lto-mantova.it/v1/sessions/s1?lang=it&view=full",
    );
    expect(textOf(root, "name")).toBe(name);
    expect(textOf(root, "x-wr-calname")).toBe(name);
    expect(textOf(root, "x-wr-caldesc")).toBe("Calendario; sedi, orari\ne aule");
    // A new line in a name cannot start a property of its own.
    expect(root.getAllProperties().map((p) => p.name)).not.toContain("secondo semestre");
  });

  it("renders a feed of 200 meetings in one go", () => {
    const events = Array.from({ length: 200 }, (_, i) => {
      const start = Date.UTC(2026, 8, 14, 7) + i * 86_400_000; // every day from 14 September 2026
      return meeting(
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
    // Each meeting keeps its instant whichever side of the 25 October change it falls on.
    for (const [i, event] of parsed.events.entries()) {
      expect(iso(event.startDate)).toBe(events[i]!.start.toISOString());
      expect(seconds(event.endDate) - seconds(event.startDate)).toBe(2 * HOUR);
    }
    expect(parsed.event("day0").startDate.toString()).toBe("2026-09-14T09:00:00");
    expect(parsed.event("day60").startDate.toString()).toBe("2026-11-13T08:00:00");
  });

  it("refuses a feed that breaks its own rules rather than write a broken file", () => {
    const event = meeting("twice", "2027-01-15T08:00:00Z", "2027-01-15T10:00:00Z");
    expect(() => render({ name: "Corso", events: [event, event] })).toThrow(/appears twice/);
    expect(() => render({ name: " ", events: [] })).toThrow(/name must not be empty/);
  });
});
