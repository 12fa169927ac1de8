// The role matrix of every enrolment endpoint (each role and no token; each cell on a fresh enrolment in
// the state the endpoint needs), and bad input in every field answered 4xx problem+json with nothing
// stored.
import type { TestService } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUDIENCES } from "../../src/domain/index.js";
import {
  callers,
  courseBody,
  MATRIX_CALLERS,
  ok,
  publishedCourseWithSession,
  sessionBody,
  startCatalogue,
  type MatrixCaller,
} from "./support.js";

let svc: TestService;
type Who = MatrixCaller;
const WHO = MATRIX_CALLERS;
const client = (who: Who) => (who === "anonymous" ? svc.as() : svc.as(callers[who]));
const staff = () => svc.as(callers.staff);
const me = () => svc.as(callers.learner);

/** Reads of someone else's enrolment: the person, staff of the site, programme, admin; others 404. */
const reading = {
  staff: 200,
  otherSiteStaff: 404,
  programme: 200,
  admin: 200,
  partner: 404,
  otherPartner: 404,
  school: 404,
  company: 404,
  learner: 200,
  anonymous: 401,
};
/** Acting on it: the same but the programme office reads only. */
const acting = { ...reading, programme: 403 };

let courseId: string;
const freshSession = async (capacity = 5) =>
  ok(staff(), "POST", "/v1/sessions", sessionBody(courseId, { capacity }));
async function myEnrolment(capacity = 5) {
  const session = await freshSession(capacity);
  return { session, enrolment: await ok(me(), "POST", `/v1/sessions/${session.id}/enrolments`, {}) };
}
/** The learner is offered a seat: someone held it and left. */
async function myOffer() {
  const session = await freshSession(1);
  const holder = { sub: "learner-holder", role: "learner" as const, org: "learner-holder" };
  const held = await ok(svc.as(holder), "POST", `/v1/sessions/${session.id}/enrolments`, {});
  const enrolment = await ok(me(), "POST", `/v1/sessions/${session.id}/enrolments`, {});
  await ok(svc.as(holder), "POST", `/v1/enrolments/${held.id}/withdrawal`, {});
  return { session, enrolment };
}

beforeAll(async () => {
  svc = await startCatalogue();
  // For everyone, so each role's own kind of enrolment is possible (audiences are tested in the flow).
  courseId = (await publishedCourseWithSession(svc, courseBody({ audiences: [...AUDIENCES] }))).course.id;
});
afterAll(async () => {
  await svc?.close();
});

describe("role matrix of the enrolment endpoints", () => {
  const cases: [string, Record<Who, number>, (who: Who) => Promise<{ status: number }>][] = [
    [
      "POST /v1/sessions/{id}/enrolments",
      {
        staff: 201,
        otherSiteStaff: 403,
        programme: 403,
        admin: 201,
        partner: 403,
        otherPartner: 403,
        school: 201,
        company: 403,
        learner: 201,
        anonymous: 401,
      },
      async (who) => {
        const session = await freshSession();
        const body = ["staff", "otherSiteStaff", "admin"].includes(who) ? { personId: `p-${who}` } : {};
        return client(who).post(`/v1/sessions/${session.id}/enrolments`, body);
      },
    ],
    [
      "GET /v1/sessions/{id}/enrolments",
      {
        ...acting,
        programme: 200,
        learner: 403,
        school: 403,
        company: 403,
        partner: 403,
        otherPartner: 403,
        otherSiteStaff: 403,
      },
      async (who) => client(who).get(`/v1/sessions/${(await myEnrolment()).session.id}/enrolments`),
    ],
    [
      "GET /v1/enrolments/mine",
      { ...Object.fromEntries(WHO.map((w) => [w, 200])), anonymous: 401 } as Record<Who, number>,
      async (who) => client(who).get("/v1/enrolments/mine"),
    ],
    [
      "GET /v1/enrolments/{id}",
      reading,
      async (who) => client(who).get(`/v1/enrolments/${(await myEnrolment()).enrolment.id}`),
    ],
    [
      "POST /v1/enrolments/{id}/withdrawal",
      acting,
      async (who) => client(who).post(`/v1/enrolments/${(await myEnrolment()).enrolment.id}/withdrawal`, {}),
    ],
    [
      "POST /v1/enrolments/{id}/accept-offer",
      acting,
      async (who) => client(who).post(`/v1/enrolments/${(await myOffer()).enrolment.id}/accept-offer`),
    ],
    [
      "POST /v1/enrolments/{id}/decline-offer",
      acting,
      async (who) => client(who).post(`/v1/enrolments/${(await myOffer()).enrolment.id}/decline-offer`),
    ],
    [
      "POST /v1/enrolments/{id}/move",
      acting,
      async (who) => {
        const { enrolment } = await myEnrolment();
        const target = await freshSession();
        return client(who).post(`/v1/enrolments/${enrolment.id}/move`, { targetSessionId: target.id });
      },
    ],
  ];

  for (const [name, expected, run] of cases)
    it(name, async () => {
      const seen: Record<string, number> = {};
      for (const who of WHO) seen[who] = (await run(who)).status;
      expect(seen).toEqual(expected);
    });
});

describe("bad input", () => {
  it("refuses every bad field with 400 naming it, and stores nothing", async () => {
    const session = await freshSession(5);
    const other = await publishedCourseWithSession(svc);
    const { enrolment } = await myEnrolment();
    const snapshot = async () =>
      JSON.stringify([
        await ok(staff(), "GET", `/v1/sessions/${session.id}/enrolments`),
        await ok(staff(), "GET", `/v1/enrolments/${enrolment.id}`),
      ]);
    const before = await snapshot();
    const enrolPath = `/v1/sessions/${session.id}/enrolments`;
    const cases: [Who, string, string, unknown, string][] = [
      ["staff", "POST", enrolPath, { personId: "" }, "personId"],
      ["staff", "POST", enrolPath, { personId: "due parole" }, "personId"],
      ["staff", "POST", enrolPath, { personId: "x".repeat(65) }, "personId"],
      ["staff", "POST", enrolPath, {}, "personId"],
      ["staff", "POST", enrolPath, { personId: "p-1", overrideReason: "no" }, "overrideReason"],
      ["staff", "POST", enrolPath, { personId: "p-1", extra: 1 }, "extra"],
      [
        "staff",
        "POST",
        enrolPath,
        { personId: "p-1", student: { pseudonym: "s-1", minor: false } },
        "student",
      ],
      ["learner", "POST", enrolPath, { student: { pseudonym: "s-1", minor: false } }, "student"],
      ["school", "POST", enrolPath, { personId: "p-1" }, "personId"],
      ["school", "POST", enrolPath, { student: { pseudonym: "s", minor: false } }, "student.pseudonym"],
      ["school", "POST", enrolPath, { student: { pseudonym: "s 1 2", minor: false } }, "student.pseudonym"],
      ["school", "POST", enrolPath, { student: { pseudonym: "s-1", minor: "sì" } }, "student.minor"],
      [
        "school",
        "POST",
        enrolPath,
        { student: { pseudonym: "s-1", minor: true } },
        "student.parentalConsentOn",
      ],
      [
        "school",
        "POST",
        enrolPath,
        { student: { pseudonym: "s-1", minor: true, parentalConsentOn: "2026-02-30" } },
        "student.parentalConsentOn",
      ],
      [
        "school",
        "POST",
        enrolPath,
        { student: { pseudonym: "s-1", minor: true, parentalConsentOn: "2999-01-01" } },
        "student.parentalConsentOn",
      ],
      [
        "school",
        "POST",
        enrolPath,
        { student: { pseudonym: "s-1", minor: false, extra: 1 } },
        "student.extra",
      ],
      ["learner", "POST", `/v1/enrolments/${enrolment.id}/withdrawal`, { reason: "" }, "reason"],
      ["learner", "POST", `/v1/enrolments/${enrolment.id}/withdrawal`, { why: "x" }, "why"],
      ["learner", "POST", `/v1/enrolments/${enrolment.id}/move`, {}, "targetSessionId"],
      ["learner", "POST", `/v1/enrolments/${enrolment.id}/move`, { targetSessionId: "" }, "targetSessionId"],
      [
        "learner",
        "POST",
        `/v1/enrolments/${enrolment.id}/move`,
        { targetSessionId: other.session.id },
        "targetSessionId",
      ],
      [
        "learner",
        "POST",
        `/v1/enrolments/${enrolment.id}/move`,
        { targetSessionId: enrolment.sessionId },
        "targetSessionId",
      ],
      ["learner", "POST", `/v1/enrolments/${"x".repeat(300)}/withdrawal`, {}, "enrolmentId"],
      ["learner", "GET", `/v1/enrolments/${"x".repeat(300)}`, undefined, "enrolmentId"],
    ];
    for (const [who, method, path, body, field] of cases) {
      const res = await client(who).request(method, path, body === undefined ? {} : { body });
      const what = `${who} ${method} ${path.slice(0, 60)} ${JSON.stringify(body)} -> ${JSON.stringify(res.body)}`;
      expect(res.status, what).toBe(400);
      expect(res.headers.get("content-type"), what).toContain("application/problem+json");
      expect(
        res.body.errors.map((e: { path: string }) => e.path),
        what,
      ).toContain(field);
    }
    // Unknown ids are 404, never 5xx.
    expect((await me().post(`/v1/sessions/no-such-session/enrolments`, {})).status).toBe(404);
    expect((await me().post(`/v1/enrolments/no-such-enrolment/accept-offer`)).status).toBe(404);
    expect(await snapshot()).toBe(before);
  });
});
