// Calendar feeds end to end on the real broker and store: booking events published as the booking
// work publishes them (the contract's protobuf on the service's topic) make an operator's and a
// person's feed, fetched through their secret links and parsed back with ical.js (which has no zone
// database: the instants come from the feed's own VTIMEZONE). A reschedule keeps the UID and raises
// SEQUENCE (the event's, so a skipped event leaves no gap), a cancellation shows STATUS:CANCELLED, a
// redelivered event changes nothing, a rotated link is 404; the role matrix of the link endpoints; bad
// input is a 4xx.
import type { TokenClaims } from "@lto/auth";
import {
  BookingCancelledEvent,
  BookingConfirmedEvent,
  BookingRescheduledEvent,
  selfEmploymentV1,
} from "@lto/contracts";
import { uniqueId, waitFor } from "@lto/testkit";
import { eventProducer, type EventProducer, type TestService } from "@lto/testkit/service";
import ICAL from "ical.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { anOperator } from "./paths-support.js";
import {
  callers,
  MATRIX_CALLERS,
  ok,
  operationsTagged,
  personBody,
  startSelfEmployment,
  type MatrixCaller,
} from "./support.js";

let svc: TestService;
let events: EventProducer;
let operatorId: string;
let person: Record<string, string>;
/** A booking in the feeds (for the invitation's role matrix row). */
let invited = "none";
const staff = () => svc.as(callers.staff);
const BASE = "https://calendari.lto.example";
const UID_DOMAIN = "self-employment.lto-mantova.it";

/** The slot of an event, at lto-mantova with the test's operator (a room unless remote). */
function slot(start: string, end: string, remote = false) {
  return {
    site: "lto-mantova",
    operatorId,
    roomId: remote ? "" : "lto-mantova-sala-1",
    equipmentIds: [],
    startsAt: start,
    endsAt: end,
    mode: remote
      ? selfEmploymentV1.DeliveryMode.DELIVERY_MODE_REMOTE
      : selfEmploymentV1.DeliveryMode.DELIVERY_MODE_IN_PERSON,
  };
}

const common = (bookingId: string, version: number) => ({
  personId: person.id!,
  bookingId,
  serviceType: "accoglienza",
  funder: "lto_diffuso",
  occurredAt: svc.clock.now().toISOString(),
  actorSubject: callers.staff.sub,
  version,
});
const confirmed = (bookingId: string, start: string, end: string, remote = false) =>
  BookingConfirmedEvent.create({ ...common(bookingId, 1), slot: slot(start, end, remote), hours: 1 });

/** The path and query of a feed link (it names the public base from CALENDAR_FEED_BASE_URL). */
const local = (url: string) => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};

async function feedUrl(kind: "operators" | "persons", id: string, as: TokenClaims = callers.staff) {
  const link = await ok(svc.as(as), "GET", `/v1/calendar/${kind}/${id}/feed`);
  return link.url as string;
}

function parse(ics: string) {
  const root = new ICAL.Component(ICAL.parse(ics));
  for (const vtimezone of root.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(vtimezone);
  const list = root.getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
  const event = (bookingId: string) => list.find((e) => e.uid === `${bookingId}@${UID_DOMAIN}`);
  return { root, list, event };
}
afterEach(() => ICAL.TimezoneService.reset());

const instant = (time: ICAL.Time) => new Date(time.toUnixTime() * 1000).toISOString();
const status = (e: ICAL.Event) => e.component.getFirstPropertyValue("status");

/** The feed once `ready` holds of it (the consumer applies the events in the background). */
async function feedWhen(url: string, what: string, ready: (feed: ReturnType<typeof parse>) => boolean) {
  return waitFor(
    what,
    async () => {
      const res = await svc.as().get(local(url));
      if (res.status !== 200) return undefined;
      const feed = parse(res.text);
      return ready(feed) ? { feed, res } : undefined;
    },
    170_000,
  );
}

beforeAll(async () => {
  svc = await startSelfEmployment({
    env: { SEED_DEMO_WHEN_EMPTY: "false", CALENDAR_FEED_PAST_DAYS: "400", CALENDAR_FEED_BASE_URL: BASE },
  });
  events = await eventProducer();
  operatorId = await anOperator(svc);
  person = await ok(staff(), "POST", "/v1/persons", personBody(svc, { learnerSubject: callers.learner.sub }));
}, 240_000);
afterAll(async () => {
  await events?.stop();
  await svc?.close();
});

describe("the feeds of an operator and a person", () => {
  it("follow the booking events: Rome time across the clock changes, stable UID, SEQUENCE up, cancelled kept", async () => {
    const operatorUrl = await feedUrl("operators", operatorId);
    const personUrl = await feedUrl("persons", person.id!);
    expect(operatorUrl.startsWith(`${BASE}/v1/calendar/operators/${operatorId}.ics?token=`)).toBe(true);
    expect(personUrl.startsWith(`${BASE}/v1/calendar/persons/${person.id}.ics?token=`)).toBe(true);
    // the same link each time it is asked for, to anyone who may manage it
    expect(await feedUrl("operators", operatorId, callers.admin)).toBe(operatorUrl);

    const october = uniqueId("booking"); // the Sunday the clocks go back (CET from 03:00)
    const march = uniqueId("booking"); // the Sunday the clocks go forward (CEST from 02:00)
    const key = person.id!;
    await events.send(
      BookingConfirmedEvent,
      key,
      confirmed(october, "2026-10-25T08:00:00Z", "2026-10-25T09:00:00Z"),
    );
    await events.send(
      BookingConfirmedEvent,
      key,
      confirmed(march, "2026-03-29T07:00:00Z", "2026-03-29T08:00:00Z"),
    );
    const first = await feedWhen(
      operatorUrl,
      "both bookings in the operator's feed",
      (f) => !!f.event(october) && !!f.event(march),
    );
    expect(first.res.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    const { root, event } = first.feed;
    expect(root.getFirstPropertyValue("method")).toBe("PUBLISH");
    expect(root.getFirstSubcomponent("vtimezone")?.getFirstPropertyValue("tzid")).toBe("Europe/Rome");
    const oct = event(october)!;
    expect(oct.component.getFirstProperty("dtstart")?.getParameter("tzid")).toBe("Europe/Rome");
    expect(oct.startDate.toString()).toBe("2026-10-25T09:00:00"); // 09:00 in Rome, after the change
    expect(instant(oct.startDate)).toBe("2026-10-25T08:00:00.000Z");
    expect(instant(oct.endDate)).toBe("2026-10-25T09:00:00.000Z");
    expect(event(march)!.startDate.toString()).toBe("2026-03-29T09:00:00");
    expect(instant(event(march)!.startDate)).toBe("2026-03-29T07:00:00.000Z");
    expect(oct.sequence).toBe(0);
    expect(status(oct)).toBe("CONFIRMED");
    // the operator sees whom they meet by name, nothing more of them
    expect(oct.summary).toBe(`Accoglienza: ${person.givenName} ${person.familyName}`);
    expect(oct.location).toBe("Sala colloqui 1, LTO Mantova");
    const text = first.res.text;
    for (const secret of [person.codiceFiscale!, person.birthDate!, person.birthDate!.replace(/-/g, "")])
      expect(text).not.toContain(secret);
    if (person.email) expect(text).not.toContain(person.email);

    // rescheduled (the new slot) and cancelled, by events without SEQUENCE (as written before events
    // carried it): the feeds count it on from the entry
    await events.send(
      BookingRescheduledEvent,
      key,
      BookingRescheduledEvent.create({
        ...common(october, 2),
        slot: slot("2026-10-26T09:00:00Z", "2026-10-26T10:00:00Z"),
        previousSlot: slot("2026-10-25T08:00:00Z", "2026-10-25T09:00:00Z"),
        hours: 1,
      }),
    );
    await events.send(
      BookingCancelledEvent,
      key,
      BookingCancelledEvent.create({
        ...common(march, 2),
        slot: slot("2026-03-29T07:00:00Z", "2026-03-29T08:00:00Z"),
        late: false,
        by: "CANCELLATION_BY_STAFF",
        reason: "richiesta della persona",
      }),
    );
    const { feed } = await feedWhen(
      personUrl,
      "the reschedule and the cancellation in the person's feed",
      (f) => f.event(october)?.sequence === 1 && f.event(march)?.sequence === 1,
    );
    const moved = feed.event(october)!;
    expect(moved.uid).toBe(`${october}@${UID_DOMAIN}`);
    expect(moved.startDate.toString()).toBe("2026-10-26T10:00:00");
    expect(instant(moved.startDate)).toBe("2026-10-26T09:00:00.000Z");
    expect(status(moved)).toBe("CONFIRMED");
    // the person sees their own booking: the service, where, with whom
    expect(moved.summary).toBe("Accoglienza");
    expect(moved.description).toContain("Operatore: ");
    const cancelled = feed.event(march)!;
    expect(status(cancelled)).toBe("CANCELLED");
    expect(cancelled.summary).toBe("ANNULLATO: Accoglienza");

    // one booking as an invitation to the person: REQUEST while on, CANCEL once cancelled (UID, SEQUENCE)
    invited = october;
    const request = await staff().get(`/v1/calendar/bookings/${october}.ics`);
    expect(request.status).toBe(200);
    expect(request.headers.get("content-type")).toBe("text/calendar; charset=utf-8; method=REQUEST");
    const invitation = parse(request.text);
    expect(invitation.root.getFirstPropertyValue("method")).toBe("REQUEST");
    expect(invitation.event(october)!.sequence).toBe(1);
    expect(invitation.event(october)!.startDate.toString()).toBe("2026-10-26T10:00:00");
    const attendees = invitation
      .event(october)!
      .attendees.map((a) => String(a.getFirstValue()).toLowerCase());
    expect(attendees).toEqual([`mailto:${person.email}`]);
    const cancel = await svc.as(callers.learner).get(`/v1/calendar/bookings/${march}.ics`);
    expect(cancel.headers.get("content-type")).toBe("text/calendar; charset=utf-8; method=CANCEL");
    const cancelMessage = parse(cancel.text);
    expect(cancelMessage.root.getFirstPropertyValue("method")).toBe("CANCEL");
    expect(status(cancelMessage.event(march)!)).toBe("CANCELLED");
    expect(cancelMessage.event(march)!.sequence).toBe(1);

    // redelivered (the same event id) and an old copy again: nothing changes; a later event of the
    // same key, then in the feed, shows they were consumed before it
    const again = confirmed(october, "2026-10-25T08:00:00Z", "2026-10-25T09:00:00Z");
    const eventId = await events.send(BookingConfirmedEvent, key, again);
    await events.send(BookingConfirmedEvent, key, again, { id: eventId });
    const marker = uniqueId("booking");
    await events.send(
      BookingConfirmedEvent,
      key,
      confirmed(marker, "2026-12-03T14:00:00Z", "2026-12-03T15:00:00Z", true),
    );
    const after = await feedWhen(personUrl, "the later booking in the feed", (f) => !!f.event(marker));
    expect(after.feed.event(october)!.sequence).toBe(1);
    expect(after.feed.event(october)!.startDate.toString()).toBe("2026-10-26T10:00:00");
    expect(after.feed.event(marker)!.location).toBe("A distanza (LTO Mantova)");
    const operatorAfter = parse((await svc.as().get(local(operatorUrl))).text);
    expect(operatorAfter.event(october)!.sequence).toBe(1);
    expect(status(operatorAfter.event(march)!)).toBe("CANCELLED");

    // the cancelled booking stays CALENDAR_FEED_CANCELLED_DAYS (30), then leaves the feeds
    svc.clock.advance(31 * 86_400_000);
    const later = parse((await svc.as().get(local(personUrl))).text);
    expect(later.event(march)).toBeUndefined();
    expect(later.event(october)).toBeDefined();
    svc.clock.advance(-31 * 86_400_000);
  }, 240_000);

  it("show the SEQUENCE the events carry, though one of them was skipped (parked on the DLQ, say)", async () => {
    const personUrl = await feedUrl("persons", person.id!);
    const skipped = uniqueId("booking");
    const key = person.id!;
    await events.send(
      BookingConfirmedEvent,
      key,
      BookingConfirmedEvent.create({
        ...confirmed(skipped, "2026-11-10T09:00:00Z", "2026-11-10T10:00:00Z"),
        sequence: 0,
      }),
    );
    // version 2 (the first move, SEQUENCE 1) never reaches the feeds: version 3 comes straight after
    await events.send(
      BookingRescheduledEvent,
      key,
      BookingRescheduledEvent.create({
        ...common(skipped, 3),
        sequence: 2,
        slot: slot("2026-11-12T09:00:00Z", "2026-11-12T10:00:00Z"),
        previousSlot: slot("2026-11-11T09:00:00Z", "2026-11-11T10:00:00Z"),
        hours: 1,
      }),
    );
    const { feed } = await feedWhen(personUrl, "the second move in the person's feed", (f) => {
      const e = f.event(skipped);
      return !!e && instant(e.startDate) === "2026-11-12T09:00:00.000Z";
    });
    expect(feed.event(skipped)!.sequence).toBe(2); // counting would say 1
    const operatorFeed = parse((await svc.as().get(local(await feedUrl("operators", operatorId)))).text);
    expect(operatorFeed.event(skipped)!.sequence).toBe(2);
    const invitation = await staff().get(`/v1/calendar/bookings/${skipped}.ics`);
    expect(invitation.status).toBe(200);
    expect(parse(invitation.text).event(skipped)!.sequence).toBe(2);
  }, 240_000);

  it("rotates a link: the old one answers 404, the new one the feed", async () => {
    const old = await feedUrl("operators", operatorId);
    expect((await svc.as().get(local(old))).status).toBe(200);
    const rotated = await staff().post(`/v1/calendar/operators/${operatorId}/feed/rotate`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.url).not.toBe(old);
    expect(rotated.body.generation).toBeGreaterThan(1);
    expect(rotated.headers.get("cache-control")).toBe("no-store");
    const gone = await svc.as().get(local(old));
    expect(gone.status).toBe(404);
    expect(gone.headers.get("content-type")).toMatch(/problem\+json/);
    expect((await svc.as().get(local(rotated.body.url))).status).toBe(200);
    expect(await feedUrl("operators", operatorId)).toBe(rotated.body.url);

    // the person rotates their own link (the learner whose account the person record names)
    const mine = await feedUrl("persons", person.id!, callers.learner);
    const renewed = await svc.as(callers.learner).post(`/v1/calendar/persons/${person.id}/feed/rotate`);
    expect(renewed.status).toBe(200);
    expect((await svc.as().get(local(mine))).status).toBe(404);
    expect((await svc.as().get(local(renewed.body.url))).status).toBe(200);
  });

  it("answers a wrong token, another feed's token or an unknown owner alike: 404, telling nothing", async () => {
    const operatorUrl = new URL(await feedUrl("operators", operatorId));
    const token = operatorUrl.searchParams.get("token")!;
    const wrong = [
      `/v1/calendar/operators/${operatorId}.ics?token=${"A".repeat(43)}`,
      `/v1/calendar/operators/${operatorId}.ics?token=short`,
      `/v1/calendar/persons/${person.id}.ics?token=${token}`,
      `/v1/calendar/operators/${uniqueId("op")}.ics?token=${token}`,
    ];
    const answers = await Promise.all(wrong.map((p) => svc.as().get(p)));
    expect(answers.map((a) => a.status)).toEqual([404, 404, 404, 404]);
    expect(new Set(answers.map((a) => a.body.detail)).size).toBe(1);
  });
});

describe("bad input", () => {
  it("is a 4xx problem naming it, and makes no link", async () => {
    const operatorPath = `/v1/calendar/operators/${operatorId}`;
    const cases: [string, string, number, RegExp][] = [
      ["GET", `${operatorPath}.ics`, 400, /token/],
      ["GET", `${operatorPath}.ics?token=${"a".repeat(201)}`, 400, /token/],
      ["GET", `${operatorPath}.ics?token=x&other=1`, 400, /other/],
      ["GET", `/v1/calendar/operators/${"x".repeat(65)}.ics?token=x`, 400, /operatorId/],
      ["GET", `${operatorPath}/feed?x=1`, 400, /x/],
      ["GET", `/v1/calendar/persons/${"x".repeat(65)}/feed`, 400, /personId/],
      ["POST", `/v1/calendar/operators/${"x".repeat(65)}/feed/rotate`, 400, /operatorId/],
      ["GET", `/v1/calendar/operators/${uniqueId("op")}/feed`, 404, /operator/],
      ["POST", `/v1/calendar/persons/${uniqueId("person")}/feed/rotate`, 404, /person/],
      ["GET", `/v1/calendar/bookings/${"x".repeat(65)}.ics`, 400, /bookingId/],
      ["GET", `/v1/calendar/bookings/${uniqueId("booking")}.ics?x=1`, 400, /x/],
      ["GET", `/v1/calendar/bookings/${uniqueId("booking")}.ics`, 404, /booking/],
    ];
    for (const [method, path, expected, names] of cases) {
      const res = await svc.as(callers.admin).request(method, path);
      expect(res.status, `${method} ${path}`).toBe(expected);
      expect(res.headers.get("content-type"), path).toMatch(/problem\+json/);
      expect(JSON.stringify(res.body), path).toMatch(names);
    }
    // a fresh person whose link was asked for only with bad input has none yet: the first is generation 1
    const fresh = await ok(staff(), "POST", "/v1/persons", personBody(svc));
    expect((await svc.as(callers.otherSiteStaff).get(`/v1/calendar/persons/${fresh.id}/feed`)).status).toBe(
      403,
    );
    expect((await svc.as(callers.staff).get(`/v1/calendar/persons/${fresh.id}/feed?x=1`)).status).toBe(400);
    expect((await ok(staff(), "GET", `/v1/calendar/persons/${fresh.id}/feed`)).generation).toBe(1);
  });
});

describe("the calendar links role matrix", () => {
  type Expected = Record<MatrixCaller, number>;
  const refused = (overrides: Partial<Expected>): Expected => ({
    ...(Object.fromEntries(MATRIX_CALLERS.map((c) => [c, 403])) as Expected),
    anonymous: 401,
    ...overrides,
  });
  const operatorManagers = refused({ staff: 200, admin: 200 });
  const personManagers = refused({ staff: 200, admin: 200, learner: 200 });
  // The feeds themselves: the link is the credential, whoever (or no one) is signed in.
  const everyone = Object.fromEntries(MATRIX_CALLERS.map((c) => [c, 200])) as Expected;
  const link = async (kind: "operators" | "persons", id: string) => local(await feedUrl(kind, id));
  const rows: [string, string, () => Promise<string>, Expected][] = [
    ["GET", "operator feed", () => link("operators", operatorId), everyone],
    ["GET", "person feed", () => link("persons", person.id!), everyone],
    ["GET", "operator feed link", async () => `/v1/calendar/operators/${operatorId}/feed`, operatorManagers],
    [
      "POST",
      "operator feed rotation",
      async () => `/v1/calendar/operators/${operatorId}/feed/rotate`,
      operatorManagers,
    ],
    ["GET", "person feed link", async () => `/v1/calendar/persons/${person.id}/feed`, personManagers],
    [
      "POST",
      "person feed rotation",
      async () => `/v1/calendar/persons/${person.id}/feed/rotate`,
      personManagers,
    ],
    ["GET", "booking invitation", async () => `/v1/calendar/bookings/${invited}.ics`, personManagers],
  ];
  it("covers every calendar feed operation", async () => {
    const documented = await operationsTagged(svc, "calendar feeds");
    expect(documented).toHaveLength(rows.length);
  });
  it.each(rows)("%s %s answers each caller as its rules say", async (method, _name, path, expected) => {
    const actual: Record<string, number> = {};
    for (const caller of MATRIX_CALLERS) {
      const client = caller === "anonymous" ? svc.as() : svc.as(callers[caller]);
      const res = await client.request(method, await path());
      actual[caller] = res.status;
      if (res.status >= 400) expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    expect(actual).toEqual(expected);
  });

  it("refuses a learner who is not the person", async () => {
    const stranger = { sub: "learner-someone-else", role: "learner", org: "learner-someone-else" } as const;
    expect((await svc.as(stranger).get(`/v1/calendar/persons/${person.id}/feed`)).status).toBe(403);
  });
});
