// Publish courses and sessions, then browse the catalogue anonymously with each filter and page through
// it; a partner body's course is reviewed before it appears; the events go out on the catalogue topic.
import { romeDate } from "@lto/civil-time";
import { SessionCancelledEvent, SessionScheduledEvent, topics } from "@lto/contracts";
import { readTopic } from "@lto/testkit/service";
import type { TestService, TopicRecord } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  callers,
  courseBody,
  ok,
  publishedCourseWithSession,
  sessionBody,
  startCatalogue,
} from "./support.js";

let svc: TestService;
let python: { id: string };
let sheets: { id: string };
let teachers: { id: string };
let full: { id: string };

const ids = (res: { body: { items: { id: string }[] } }) => res.body.items.map((c) => c.id).sort();

beforeAll(async () => {
  svc = await startCatalogue();
  python = (await publishedCourseWithSession(svc)).course;
  sheets = (
    await publishedCourseWithSession(
      svc,
      courseBody({
        titleIt: "Fogli di calcolo",
        audiences: ["adults"],
        areas: ["servizi_commerciali"],
        competences: [{ framework: "digcomp", version: "2.2", competence: "1.3", level: 3 }],
        mode: "in_person",
      }),
      60,
    )
  ).course;
  teachers = (
    await publishedCourseWithSession(
      svc,
      courseBody({
        titleIt: "Didattica digitale",
        audiences: ["teachers"],
        competences: [{ framework: "digcomp", version: "2.2", competence: "2.4", level: 4 }],
        secondFramework: [{ framework: "syllabus-pa", version: "2024", competence: "2.1", level: 2 }],
        mode: "online",
      }),
      90,
    )
  ).course;
  // A published course whose only session is cancelled: it has no open session.
  const c = await publishedCourseWithSession(svc, courseBody({ titleIt: "Corso annullato" }), 40);
  full = c.course;
  await ok(svc.as(callers.staff), "POST", `/v1/sessions/${c.session.id}/cancel`, {
    reason: "Formatore malato",
  });
  // A draft never shows in the public catalogue.
  await ok(svc.as(callers.staff), "POST", "/v1/courses", courseBody({ titleIt: "Bozza nascosta" }));
});

afterAll(async () => {
  await svc?.close();
});

describe("browsing the published catalogue without a token", () => {
  const anon = () => svc.as();

  it("lists published courses only, and reads a course, its sessions and a session", async () => {
    const all = await anon().get("/v1/courses");
    expect(all.status).toBe(200);
    expect(ids(all)).toEqual([python.id, sheets.id, teachers.id, full.id].sort());
    const course = await anon().get(`/v1/courses/${python.id}`);
    expect(course.body).toMatchObject({
      id: python.id,
      state: "published",
      titleIt: "Programmare con Python",
    });
    expect(course.body.history).toBeUndefined();
    expect(course.headers.get("etag")).toBe(`"${course.body.version}"`);
    const sessions = await anon().get(`/v1/courses/${python.id}/sessions`);
    expect(sessions.body.items).toHaveLength(1);
    const session = await anon().get(`/v1/sessions/${sessions.body.items[0].id}`);
    expect(session.body).toMatchObject({
      courseId: python.id,
      site: "lto-mantova",
      capacity: 12,
      freeSeats: 12,
    });
    expect(session.body.meetings[0]).toMatchObject({ zone: "Europe/Rome", start: "15:00", minutes: 180 });
    expect(session.body.hours).toBe(9);
  });

  it("filters by audience, area, competence, level, competence at a level, site and mode", async () => {
    expect(ids(await anon().get("/v1/courses?audience=teachers"))).toEqual([teachers.id]);
    expect(ids(await anon().get("/v1/courses?area=servizi_commerciali"))).toEqual([sheets.id]);
    expect(ids(await anon().get("/v1/courses?competence=1.3"))).toEqual([sheets.id]);
    expect(ids(await anon().get("/v1/courses?level=3"))).toEqual([sheets.id]);
    expect(ids(await anon().get("/v1/courses?competence=3.4&level=4"))).toEqual([python.id, full.id].sort());
    expect(ids(await anon().get("/v1/courses?competence=3.4&level=3"))).toEqual([]);
    expect(ids(await anon().get("/v1/courses?site=lto-asola"))).toEqual([]);
    expect(ids(await anon().get("/v1/courses?mode=online"))).toEqual([teachers.id]);
  });

  it("filters by session dates and free seats (open sessions only)", async () => {
    const day = (n: number) => romeDate(new Date(Date.now() + n * 86_400_000));
    expect(ids(await anon().get(`/v1/courses?from=${day(50)}`))).toEqual([sheets.id, teachers.id].sort());
    expect(ids(await anon().get(`/v1/courses?to=${day(45)}`))).toEqual([python.id]);
    expect(ids(await anon().get(`/v1/courses?from=${day(50)}&to=${day(70)}`))).toEqual([sheets.id]);
    expect(ids(await anon().get("/v1/courses?freeSeats=true"))).toEqual(
      [python.id, sheets.id, teachers.id].sort(),
    );
  });

  it("pages with the platform cursor, newest first, without repeats", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await anon().get(`/v1/courses?limit=1${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(1);
      seen.push(...res.body.items.map((c: { id: string }) => c.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([full.id, teachers.id, sheets.id, python.id]);
    expect((await anon().get("/v1/courses?cursor=not-a-cursor")).status).toBe(400);
  });
});

describe("a partner body's course", () => {
  it("is submitted, returned with a reason, submitted again and published by staff before it appears", async () => {
    const partner = svc.as(callers.partner);
    const staff = svc.as(callers.staff);
    const draft = await ok(partner, "POST", "/v1/courses", courseBody({ titleIt: "Tecnico cloud ITS" }));
    expect(draft).toMatchObject({ providerId: "partner-cfp-for-ma", state: "draft" });
    expect((await staff.post(`/v1/courses/${draft.id}/publish`)).status).toBe(409);
    await ok(partner, "POST", `/v1/courses/${draft.id}/submit`);
    expect((await svc.as().get(`/v1/courses/${draft.id}`)).status).toBe(404);
    const returned = await ok(staff, "POST", `/v1/courses/${draft.id}/return`, {
      reason: "Manca il livello atteso",
    });
    expect(returned).toMatchObject({ state: "returned", returnReason: "Manca il livello atteso" });
    await ok(partner, "POST", `/v1/courses/${draft.id}/submit`);
    await ok(staff, "POST", `/v1/courses/${draft.id}/publish`);
    expect((await svc.as().get(`/v1/courses/${draft.id}`)).body.state).toBe("published");
    const mine = await partner.get("/v1/courses?state=submitted");
    expect(mine.status).toBe(200);
  });
});

describe("sessions", () => {
  it("moves a meeting (its sequence increases) and cancels the session, with events on the topic", async () => {
    const staff = svc.as(callers.staff);
    const { course, session } = await publishedCourseWithSession(svc, courseBody({ titleIt: "Da spostare" }));
    const meeting = session.meetings[1];
    const moved = await ok(staff, "PUT", `/v1/sessions/${session.id}/meetings/${meeting.id}`, {
      date: meeting.date,
      start: "16:00",
      end: "19:30",
      room: "Aula magna",
      trainer: "Anna Ferri",
    });
    const after = moved.meetings.find((m: { id: string }) => m.id === meeting.id);
    expect(after).toMatchObject({ start: "16:00", minutes: 210, sequence: 1, room: "Aula magna" });
    expect(moved.hours).toBe(9.5);
    const cancelled = await ok(staff, "POST", `/v1/sessions/${session.id}/cancel`, {
      reason: "Aula inagibile",
    });
    expect(cancelled.state).toBe("cancelled");
    expect(cancelled.meetings.every((m: { cancelled: boolean }) => m.cancelled)).toBe(true);
    expect((await staff.post(`/v1/sessions/${session.id}/cancel`, { reason: "ancora" })).status).toBe(409);
    // The course's and the session's events sit on different partitions, which arrive in any order:
    // wait for all of them.
    const published = (rs: readonly TopicRecord[]) =>
      rs.some((r) => r.key === course.id && r.headers.ce_type === "lto.catalogue.v1.CoursePublished");
    const records = await readTopic(
      topics.catalogue,
      (rs) =>
        published(rs) &&
        ["SessionCancelled", "SessionRescheduled", "SessionScheduled"].every((t) =>
          rs.some((r) => r.key === session.id && r.headers.ce_type === `lto.catalogue.v1.${t}`),
        ),
    );
    expect(published(records)).toBe(true);
    // Payloads carry what a projection needs without calling back.
    const scheduled = records.find(
      (r) => r.key === session.id && r.headers.ce_type === "lto.catalogue.v1.SessionScheduled",
    )!;
    expect(SessionScheduledEvent.decode(scheduled.value)).toMatchObject({
      sessionId: session.id,
      courseId: course.id,
      site: "lto-mantova",
      economicAreas: ["ECONOMIC_AREA_CULTURA"],
      competences: [{ framework: "digcomp", frameworkVersion: "2.2", competence: "3.4", level: 4 }],
      hours: 9,
    });
    const cancelledRecord = records.find(
      (r) => r.key === session.id && r.headers.ce_type === "lto.catalogue.v1.SessionCancelled",
    )!;
    expect(SessionCancelledEvent.decode(cancelledRecord.value)).toMatchObject({ reason: "Aula inagibile" });
  });

  it("refuses a session of a course that is not published", async () => {
    const staff = svc.as(callers.staff);
    const draft = await ok(staff, "POST", "/v1/courses", courseBody({ titleIt: "Non ancora" }));
    const res = await staff.post("/v1/sessions", sessionBody(draft.id));
    expect(res.status).toBe(409);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
  });
});
