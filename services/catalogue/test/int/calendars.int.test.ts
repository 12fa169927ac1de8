// Calendars through the public API on the real broker and store: a session's ICS and the personal
// feeds of a trainer and a learner, each read back with ical.js (Mozilla's parser, as Thunderbird uses
// it). Times come back through the VTIMEZONE in the file itself: ical.js has no zone database of its
// own, so a wrong or missing VTIMEZONE gives wrong instants here.
import type { TokenClaims } from "@lto/auth";
import { addDays, lastSundayOf, romeDate } from "@lto/civil-time";
import type { TestService } from "@lto/testkit/service";
import ICAL from "ical.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  callers,
  confirmEnrolmentsFixture,
  courseBody,
  ok,
  sessionBody,
  startCatalogue,
  type CallerName,
} from "./support.js";

let svc: TestService;

beforeAll(async () => {
  svc = await startCatalogue();
});

afterAll(async () => {
  await svc?.close();
});

afterEach(() => ICAL.TimezoneService.reset());

const staff = () => svc.as(callers.staff);
const anonymous = () => svc.as();
const UID_DOMAIN = "@catalogue.lto-mantova.it";
/** Trainers with an account: a partner body's trainer and a member of staff who also teaches. */
const trainer = { sub: "trainer-anna", role: "partner", org: "partner-cfp-for-ma" } satisfies TokenClaims;

async function publishedCourse(overrides: Record<string, unknown> = {}) {
  const draft = await ok(staff(), "POST", "/v1/courses", courseBody(overrides));
  return ok(staff(), "POST", `/v1/courses/${draft.id}/publish`);
}

async function scheduled(overrides: Record<string, unknown> = {}, inDays = 30) {
  const course = await publishedCourse();
  return ok(staff(), "POST", "/v1/sessions", sessionBody(course.id, overrides, inDays));
}

/** Meetings of `sessionBody` with a trainer id on the ones at `trained`. */
function meetingsTrainedBy(trainerId: string, trained: number[], inDays = 30) {
  const body = sessionBody("x", {}, inDays) as { meetings: Record<string, unknown>[] };
  return body.meetings.map((m, i) => (trained.includes(i) ? { ...m, trainerId } : m));
}

function parse(ics: string) {
  const root = new ICAL.Component(ICAL.parse(ics));
  for (const vtimezone of root.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(vtimezone);
  const events = root.getAllSubcomponents("vevent").map((vevent) => new ICAL.Event(vevent));
  const byUid = (meetingId: string) => {
    const found = events.find((e) => e.uid === `${meetingId}${UID_DOMAIN}`);
    if (!found) throw new Error(`no event for meeting ${meetingId}`);
    return found;
  };
  const status = (e: ICAL.Event) => e.component.getFirstPropertyValue("status");
  return { root, events, byUid, status };
}

async function ics(path: string, as?: TokenClaims) {
  const res = await svc.as(as).get(path);
  expect(res.status, `${path} -> ${res.text.slice(0, 300)}`).toBe(200);
  expect(res.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
  return parse(res.text);
}

const sessionIcs = (sessionId: string, as?: TokenClaims) => ics(`/v1/sessions/${sessionId}/calendar.ics`, as);
const feedPath = (url: string) => new URL(url).pathname;

async function newFeed(who: TokenClaims) {
  const res = await svc.as(who).post("/v1/calendars/mine");
  expect(res.status, res.text).toBe(201);
  expect(res.headers.get("cache-control")).toBe("no-store");
  expect(res.body.url).toMatch(/^http:\/\/.+\/v1\/calendars\/[A-Za-z0-9_-]{43}\.ics$/);
  return res.body as { url: string; rotated: boolean };
}

describe("a session's calendar", () => {
  it("has a stable UID per meeting, Rome's VTIMEZONE, and a SEQUENCE that follows moves and cancellations", async () => {
    const session = await scheduled();
    const [m0, m1, m2] = session.meetings as { id: string; date: string; room: string; trainer: string }[];

    const first = await sessionIcs(session.id);
    const again = await sessionIcs(session.id);
    expect(first.events.map((e) => e.uid)).toEqual(
      session.meetings.map((m: { id: string }) => m.id + UID_DOMAIN),
    );
    expect(again.events.map((e) => e.uid)).toEqual(first.events.map((e) => e.uid));
    expect(first.root.getFirstPropertyValue("prodid")).toBe("-//LTO Mantova//Catalogue//IT");
    expect(first.root.getFirstPropertyValue("method")).toBe("PUBLISH");
    expect(first.root.getAllSubcomponents("vtimezone").map((z) => z.getFirstPropertyValue("tzid"))).toEqual([
      "Europe/Rome",
    ]);
    const e0 = first.byUid(m0!.id);
    expect(e0.startDate.zone?.tzid).toBe("Europe/Rome");
    expect(e0.startDate.toString()).toBe(`${m0!.date}T15:00:00`);
    expect(new Date(e0.startDate.toUnixTime() * 1000)).toEqual(new Date(session.meetings[0].startsAt));
    expect(e0.summary).toBe("Programmare con Python");
    expect(first.events.map((e) => [e.sequence, first.status(e)])).toEqual([
      [0, "CONFIRMED"],
      [0, "CONFIRMED"],
      [0, "CONFIRMED"],
    ]);

    // The second meeting moves an hour later.
    await ok(staff(), "PUT", `/v1/sessions/${session.id}/meetings/${m1!.id}`, {
      date: m1!.date,
      start: "16:00",
      end: "19:00",
      room: m1!.room,
      trainer: m1!.trainer,
    });
    const moved = await sessionIcs(session.id);
    expect(moved.byUid(m1!.id).sequence).toBe(1);
    expect(moved.byUid(m1!.id).startDate.toString()).toBe(`${m1!.date}T16:00:00`);
    expect(moved.byUid(m0!.id).sequence).toBe(0);

    // The third is cancelled: kept in the feed, so apps remove it.
    await ok(staff(), "POST", `/v1/sessions/${session.id}/meetings/${m2!.id}/cancel`, { reason: "Sciopero" });
    const oneCancelled = await sessionIcs(session.id);
    expect(oneCancelled.byUid(m2!.id).sequence).toBe(1);
    expect(oneCancelled.status(oneCancelled.byUid(m2!.id))).toBe("CANCELLED");
    expect(oneCancelled.status(oneCancelled.byUid(m0!.id))).toBe("CONFIRMED");

    // SessionCancelled: every meeting cancelled; those still on go one SEQUENCE up.
    await ok(staff(), "POST", `/v1/sessions/${session.id}/cancel`, { reason: "Aula inagibile" });
    const cancelled = await sessionIcs(session.id);
    expect(cancelled.events.map((e) => [e.uid, e.sequence, cancelled.status(e)])).toEqual([
      [m0!.id + UID_DOMAIN, 1, "CANCELLED"],
      [m1!.id + UID_DOMAIN, 2, "CANCELLED"],
      [m2!.id + UID_DOMAIN, 1, "CANCELLED"],
    ]);
  });

  it("gives a meeting on the last Sunday of March its real length (the clocks skip 02:00)", async () => {
    const today = romeDate(new Date());
    const year = Number(today.slice(0, 4));
    const march = [year, year + 1].map((y) => lastSundayOf(y, 3)).find((d) => d > addDays(today, 2))!;
    const course = await publishedCourse();
    const session = await ok(staff(), "POST", "/v1/sessions", {
      ...sessionBody(course.id),
      meetings: [{ date: march, start: "01:30", end: "03:30", room: "Lab 1", trainer: "Marco Neri" }],
      enrolment: { opensOn: today, closesOn: addDays(march, -1) },
      completionRule: { minimumAttendanceShare: 0.75, mandatoryMeetings: [], finalAssessment: false },
    });
    expect(session.meetings[0].minutes).toBe(60);
    const { byUid } = await sessionIcs(session.id);
    const event = byUid(session.meetings[0].id);
    expect(event.startDate.toString()).toBe(`${march}T01:30:00`);
    expect(event.endDate.toString()).toBe(`${march}T03:30:00`);
    expect(event.endDate.toUnixTime() - event.startDate.toUnixTime()).toBe(3600);
    expect(new Date(event.startDate.toUnixTime() * 1000)).toEqual(new Date(session.meetings[0].startsAt));
  });
});

describe("a trainer's personal feed", () => {
  it("lists the meetings they train, follows a cancelled session, and its link can be rotated and revoked", async () => {
    const mine = await scheduled({ meetings: meetingsTrainedBy(trainer.sub, [0, 2]) });
    await scheduled({ meetings: meetingsTrainedBy("someone-else", [0, 1, 2]) });

    // The trainer's sign-in id is shown to staff and to the trainer, not to everyone.
    const meetingsAs = async (who?: TokenClaims) =>
      (await ok(svc.as(who), "GET", `/v1/sessions/${mine.id}`)).meetings.map(
        (m: { trainerId?: string }) => m.trainerId,
      );
    expect(await meetingsAs(callers.staff)).toEqual([trainer.sub, undefined, trainer.sub]);
    expect(await meetingsAs(trainer)).toEqual([trainer.sub, undefined, trainer.sub]);
    expect(await meetingsAs()).toEqual([undefined, undefined, undefined]);
    expect(await meetingsAs(callers.learner)).toEqual([undefined, undefined, undefined]);

    const link = await newFeed(trainer);
    expect(link.rotated).toBe(false);
    const feed = await ics(feedPath(link.url));
    expect(feed.events.map((e) => e.uid)).toEqual([
      mine.meetings[0].id + UID_DOMAIN,
      mine.meetings[2].id + UID_DOMAIN,
    ]);
    expect(feed.events.map((e) => feed.status(e))).toEqual(["CONFIRMED", "CONFIRMED"]);

    await ok(staff(), "POST", `/v1/sessions/${mine.id}/cancel`, { reason: "Formatore malato" });
    const afterCancel = await ics(feedPath(link.url));
    expect(afterCancel.events.map((e) => [e.sequence, afterCancel.status(e)])).toEqual([
      [1, "CANCELLED"],
      [1, "CANCELLED"],
    ]);

    const rotated = await newFeed(trainer);
    expect(rotated.rotated).toBe(true);
    expect(rotated.url).not.toBe(link.url);
    expect((await anonymous().get(feedPath(link.url))).status).toBe(404);
    expect((await ics(feedPath(rotated.url))).events).toHaveLength(2);

    // Two rotations at once both answer a link; the one stored last is the only one that works.
    const racing = await Promise.all([newFeed(trainer), newFeed(trainer)]);
    const working = await Promise.all(
      racing.map(async (l) => (await anonymous().get(feedPath(l.url))).status),
    );
    expect([...working].sort()).toEqual([200, 404]);
    const live = racing[working.indexOf(200)]!;
    expect((await anonymous().get(feedPath(rotated.url))).status).toBe(404);

    expect((await svc.as(trainer).request("DELETE", "/v1/calendars/mine")).status).toBe(204);
    const revoked = await anonymous().get(feedPath(live.url));
    expect(revoked.status).toBe(404);
    expect(revoked.headers.get("content-type")).toContain("application/problem+json");
    expect((await svc.as(trainer).request("DELETE", "/v1/calendars/mine")).status).toBe(404);
  });
});

describe("a learner's personal feed", () => {
  it("lists the meetings of the sessions where they hold or are offered a seat, not where they wait", async () => {
    const learner: TokenClaims = {
      sub: `learner-${Math.random().toString(36).slice(2)}`,
      role: "learner",
      org: "learner-x",
    };
    const confirmed = await scheduled({}, 20);
    const offered = await scheduled({ capacity: 1 }, 40);
    const waiting = await scheduled({ capacity: 1 }, 60);
    // Staff enrol on the learner's behalf through the public API. Each full session (one seat) has
    // someone else on its seat first, so the learner joins its waiting list.
    await confirmEnrolmentsFixture(svc, confirmed.id, [learner.sub]);
    const holders = {
      offered: await confirmEnrolmentsFixture(svc, offered.id, ["someone-first"]),
      waiting: await confirmEnrolmentsFixture(svc, waiting.id, ["someone-else"]),
    };
    for (const session of [offered, waiting]) {
      const joined = await ok(staff(), "POST", `/v1/sessions/${session.id}/enrolments`, {
        personId: learner.sub,
      });
      expect(joined.status).toBe("waitlisted");
    }
    // The holder of the one seat withdraws: the seat is offered to the learner, first in line.
    await ok(staff(), "POST", `/v1/enrolments/${holders.offered["someone-first"]}/withdrawal`, {});
    const mine = await ok(svc.as(learner), "GET", "/v1/enrolments/mine");
    const statusOf = (sessionId: string) =>
      (mine.items as { sessionId: string; status: string }[]).find((e) => e.sessionId === sessionId)?.status;
    expect([confirmed.id, offered.id, waiting.id].map(statusOf)).toEqual([
      "confirmed",
      "offered",
      "waitlisted",
    ]);

    const link = await newFeed(learner);
    const feed = await ics(feedPath(link.url));
    const expected = [...confirmed.meetings, ...offered.meetings].map(
      (m: { id: string }) => m.id + UID_DOMAIN,
    );
    expect(feed.events.map((e) => e.uid)).toEqual(expected);
    expect(feed.root.getAllSubcomponents("vtimezone")).toHaveLength(1);

    // A bearer token changes nothing: the link is the credential.
    const withToken = await svc.as(callers.company).get(feedPath(link.url));
    expect(withToken.status).toBe(200);
    expect(parse(withToken.text).events.map((e) => e.uid)).toEqual(expected);
  });
});

describe("who may read and change calendars", () => {
  const roles = Object.keys(callers) as CallerName[];
  const as = (role: CallerName | "none") => (role === "none" ? anonymous() : svc.as(callers[role]));

  it("GET a session's calendar: anyone for a published course; staff, programme and admin otherwise", async () => {
    const open = await scheduled();
    const hidden = await scheduled();
    await ok(staff(), "POST", `/v1/courses/${hidden.courseId}/archive`);
    const readsHidden = new Set<string>(["staff", "otherSiteStaff", "programme", "admin"]);
    for (const role of ["none", ...roles] as const) {
      const o = await as(role).get(`/v1/sessions/${open.id}/calendar.ics`);
      expect(o.status, `${role} published`).toBe(200);
      const h = await as(role).get(`/v1/sessions/${hidden.id}/calendar.ics`);
      expect(h.status, `${role} archived`).toBe(readsHidden.has(role) ? 200 : 404);
      const unknown = await as(role).get("/v1/sessions/no-such-session/calendar.ics");
      expect(unknown.status, `${role} unknown`).toBe(404);
    }
  });

  it("POST and DELETE /calendars/mine: every signed-in role for their own feed; no token 401", async () => {
    for (const role of roles) {
      const link = await newFeed(callers[role]);
      expect((await anonymous().get(feedPath(link.url))).status, role).toBe(200);
      expect((await as(role).request("DELETE", "/v1/calendars/mine")).status, role).toBe(204);
      expect((await anonymous().get(feedPath(link.url))).status, role).toBe(404);
    }
    const post = await anonymous().post("/v1/calendars/mine");
    expect(post.status).toBe(401);
    expect((await anonymous().request("DELETE", "/v1/calendars/mine")).status).toBe(401);
  });

  it("GET a feed by its link: anyone holding it, whatever token; an unknown link 404 for everyone", async () => {
    const link = await newFeed(callers.learner);
    const unknown = `/v1/calendars/${"A".repeat(43)}.ics`;
    for (const role of ["none", ...roles] as const) {
      expect((await as(role).get(feedPath(link.url))).status, role).toBe(200);
      expect((await as(role).get(unknown)).status, role).toBe(404);
    }
  });
});

describe("bad input", () => {
  it("is a 4xx problem naming the field, and nothing is stored", async () => {
    for (const token of ["short", "A".repeat(42), `${"A".repeat(42)}!`, "A".repeat(44)]) {
      const res = await anonymous().get(`/v1/calendars/${encodeURIComponent(token)}.ics`);
      expect(res.status, token).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(["token"]);
    }
    const longId = await anonymous().get(`/v1/sessions/${"x".repeat(300)}/calendar.ics`);
    expect(longId.status).toBe(400);
    expect(longId.body.errors.map((e: { path: string }) => e.path)).toEqual(["sessionId"]);

    const query = await svc.as(callers.learner).post("/v1/calendars/mine?rotate=yes");
    expect(query.status).toBe(400);
    expect(query.body.errors.map((e: { path: string }) => e.path)).toEqual(["rotate"]);
    const del = await svc.as(callers.learner).request("DELETE", "/v1/calendars/mine?all=1");
    expect(del.status).toBe(400);

    const course = await publishedCourse();
    for (const trainerId of ["Anna Ferri", "", "x".repeat(201)]) {
      const body = sessionBody(course.id) as { meetings: Record<string, unknown>[] };
      body.meetings[1] = { ...body.meetings[1], trainerId };
      const res = await staff().post("/v1/sessions", body);
      expect(res.status, JSON.stringify(trainerId)).toBe(400);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain("meetings.1.trainerId");
    }
    const sessions = await staff().get(`/v1/courses/${course.id}/sessions`);
    expect(sessions.body.items).toEqual([]);
  });
});
