// Bad input in every field gets a 4xx problem+json naming the field, and nothing is stored: the
// catalogue (as staff see it, every state) and the course's sessions are the same before and after.
import { addDays, lastSundayOf, romeDate } from "@lto/civil-time";
import type { TestService } from "@lto/testkit/service";
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
let course: { id: string; version: number };
let session: { id: string; version: number; meetings: { id: string }[] };

const staff = () => svc.as(callers.staff);

async function refused(method: string, path: string, body: unknown, field: string, status = 400) {
  // Updates carry the current version, so only the bad field can be the refusal.
  const headers: Record<string, string> =
    method === "PUT" && path.startsWith("/v1/courses/") ? { "if-match": `"${course.version}"` } : {};
  const res = await staff().request(method, path, { body, headers });
  expect(
    res.status,
    `${method} ${path} ${JSON.stringify(body).slice(0, 160)} -> ${JSON.stringify(res.body)}`,
  ).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  if (status === 400) expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(field);
}

/** Everything a bad request could have left behind. */
async function snapshot() {
  const courses = [];
  for (const state of ["draft", "submitted", "returned", "published", "archived"])
    courses.push(...(await ok(staff(), "GET", `/v1/courses?state=${state}&limit=100`)).items);
  const sessions = (await ok(staff(), "GET", `/v1/courses/${course.id}/sessions?limit=100`)).items;
  return JSON.stringify({ courses, sessions });
}

beforeAll(async () => {
  svc = await startCatalogue();
  ({ course, session } = await publishedCourseWithSession(svc));
});
afterAll(async () => {
  await svc?.close();
});

describe("bad input", () => {
  it("refuses every bad field of a course, on create and on update", async () => {
    const before = await snapshot();
    const mapping = { framework: "digcomp", version: "2.2", competence: "3.4", level: 4 };
    const cases: [Record<string, unknown>, string][] = [
      [{ titleIt: "x" }, "titleIt"],
      [{ titleIt: "a\u0000b c" }, "titleIt"],
      [{ descriptionIt: "troppo corta" }, "descriptionIt"],
      [{ titleEn: "x" }, "titleEn"],
      [{ descriptionEn: "An English description only" }, "titleEn"],
      [{ audiences: [] }, "audiences"],
      [{ audiences: ["pensionati"] }, "audiences.0"],
      [{ audiences: ["adults", "adults"] }, "audiences"],
      [{ areas: ["spazio"] }, "areas.0"],
      [{ areas: [] }, "areas"],
      [{ competences: [] }, "competences"],
      [{ competences: [{ ...mapping, framework: "eqf" }] }, "competences.0.framework"],
      [{ competences: [{ ...mapping, version: "2.1" }] }, "competences.0.version"],
      [{ competences: [{ ...mapping, competence: "6.1" }] }, "competences.0.competence"],
      [{ competences: [{ ...mapping, level: 9 }] }, "competences.0.level"],
      [{ competences: [{ ...mapping, level: 2.5 }] }, "competences.0.level"],
      [{ competences: [mapping, mapping] }, "competences.1.competence"],
      [{ competences: [{ ...mapping, extra: 1 }] }, "competences.0.extra"],
      [{ secondFramework: [mapping] }, "secondFramework.0.framework"],
      [
        { secondFramework: [{ framework: "syllabus-pa", version: "2024", competence: "1.1", level: 4 }] },
        "secondFramework.0.level",
      ],
      [{ prerequisites: [{ ...mapping, competence: "9.9" }] }, "prerequisites.0.competence"],
      [{ hours: 0 }, "hours"],
      [{ hours: 0.3 }, "hours"],
      [{ hours: 5000 }, "hours"],
      [{ hours: "venti" }, "hours"],
      [{ mode: "via radio" }, "mode"],
      [{ sites: [] }, "sites"],
      [{ sites: ["lto-roma"] }, "sites.0"],
      [{ unknown: true }, "unknown"],
    ];
    for (const [change, field] of cases) {
      await refused("POST", "/v1/courses", courseBody(change), field);
      await refused("PUT", `/v1/courses/${course.id}`, courseBody(change), field);
    }
    const draft = await staff().request("PUT", `/v1/courses/${course.id}`, {
      body: courseBody(),
      headers: { "if-match": `"${course.version + 5}"` },
    });
    expect(draft.status).toBe(412);
    expect(await snapshot()).toBe(before);
  });

  it("refuses every bad field of a session, and meetings the clocks skip or pass twice", async () => {
    const before = await snapshot();
    const good = sessionBody(course.id);
    const meeting = good.meetings[0]!;
    const year = Number(romeDate(new Date()).slice(0, 4)) + 1;
    const march = lastSundayOf(year, 3);
    const october = lastSundayOf(year, 10);
    const at = (date: string, start: string, end: string) => ({
      meetings: [{ ...meeting, date, start, end }],
      enrolment: { opensOn: romeDate(new Date()), closesOn: addDays(date, -1) },
      completionRule: { minimumAttendanceShare: 0.5, mandatoryMeetings: [], finalAssessment: false },
    });
    const cases: [Record<string, unknown>, string, number?][] = [
      [{ courseId: "no-such-course" }, "courseId", 404],
      [{ site: "lto-roma" }, "site"],
      [{ site: "lto-asola" }, "site", 403],
      [{ meetings: [] }, "meetings"],
      [{ meetings: [{ ...meeting, date: "2027-02-30" }] }, "meetings.0.date"],
      [{ meetings: [{ ...meeting, start: "25:00" }] }, "meetings.0.start"],
      [{ meetings: [{ ...meeting, start: "3pm" }] }, "meetings.0.start"],
      [{ meetings: [{ ...meeting, end: "14:00" }] }, "meetings.0.end"],
      [{ meetings: [{ ...meeting, room: "" }] }, "meetings.0.room"],
      [{ meetings: [{ ...meeting, trainer: "M" }] }, "meetings.0.trainer"],
      [{ meetings: [good.meetings[1], good.meetings[0]] }, "meetings.1"],
      [at(march, "02:30", "04:00"), "meetings.0.start"],
      [at(october, "01:00", "02:30"), "meetings.0.end"],
      [{ capacity: 0 }, "capacity"],
      [{ capacity: 2.5 }, "capacity"],
      [{ capacity: 100000 }, "capacity"],
      [{ enrolment: { opensOn: "ieri", closesOn: good.enrolment.closesOn } }, "enrolment.opensOn"],
      [
        { enrolment: { opensOn: good.enrolment.closesOn, closesOn: good.enrolment.opensOn } },
        "enrolment.closesOn",
      ],
      [
        { enrolment: { opensOn: good.enrolment.opensOn, closesOn: addDays(meeting.date, 1) } },
        "enrolment.closesOn",
      ],
      [
        { completionRule: { minimumAttendanceShare: 1.2, mandatoryMeetings: [], finalAssessment: false } },
        "completionRule.minimumAttendanceShare",
      ],
      [
        { completionRule: { minimumAttendanceShare: 0.5, mandatoryMeetings: [7], finalAssessment: false } },
        "completionRule.mandatoryMeetings.0",
      ],
      [
        {
          completionRule: { minimumAttendanceShare: 0.5, mandatoryMeetings: [0, 0], finalAssessment: false },
        },
        "completionRule.mandatoryMeetings",
      ],
      [
        { completionRule: { minimumAttendanceShare: 0.5, mandatoryMeetings: [], finalAssessment: "yes" } },
        "completionRule.finalAssessment",
      ],
      [{ extra: 1 }, "extra"],
    ];
    for (const [change, field, status] of cases)
      await refused("POST", "/v1/sessions", { ...good, ...change }, field, status);
    expect(await snapshot()).toBe(before);
  });

  it("refuses a bad meeting change and a bad reason, leaving the session as it was", async () => {
    const before = await snapshot();
    const path = `/v1/sessions/${session.id}/meetings/${session.meetings[1]!.id}`;
    const meeting = sessionBody(course.id).meetings[1]!;
    await refused("PUT", path, { ...meeting, start: "99:00" }, "start");
    await refused("PUT", path, { ...meeting, end: "10:00" }, "end");
    await refused("PUT", path, { ...meeting, date: sessionBody(course.id).meetings[0]!.date }, "start");
    await refused("PUT", path, { ...meeting, room: "" }, "room");
    await refused("PUT", `/v1/sessions/${session.id}/meetings/nope`, meeting, "meetingId");
    await refused("POST", `/v1/sessions/${session.id}/cancel`, { reason: "" }, "reason");
    await refused("POST", `/v1/sessions/${session.id}/cancel`, {}, "reason");
    await refused("POST", `/v1/courses/${course.id}/return`, { reason: "no" }, "reason");
    expect(await snapshot()).toBe(before);
  });

  it("refuses bad catalogue filters", async () => {
    for (const [query, field] of [
      ["audience=pensionati", "audience"],
      ["area=spazio", "area"],
      ["competence=tutte", "competence"],
      ["level=9", "level"],
      ["site=lto-roma", "site"],
      ["from=ieri", "from"],
      ["to=2027-13-01", "to"],
      ["mode=radio", "mode"],
      ["freeSeats=forse", "freeSeats"],
      ["state=lost", "state"],
      ["limit=0", "limit"],
      ["cursor=abc", "cursor"],
      ["colour=red", "colour"],
    ] as const) {
      const res = await svc.as().get(`/v1/courses?${query}`);
      expect(res.status, query).toBe(400);
      expect(
        res.body.errors.map((e: { path: string }) => e.path),
        query,
      ).toContain(field);
    }
  });
});
