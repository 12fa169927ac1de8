// The catalogue service answers exactly what its live /openapi.json documents: every operation is sent
// unauthenticated, with the wrong role, with invalid input and with a valid request (and, where they
// apply, without or with a stale If-Match, a body that is not JSON, a reused Idempotency-Key); each
// answer's status must be documented for that operation, with its content type and body schema.
import { operations, probeOperations, type Probe } from "@lto/testkit/openapi-conformance";
import { IdeaPublishedEvent } from "@lto/contracts";
import { uniqueId, waitFor } from "@lto/testkit";
import { eventProducer, type TestService } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, romeDate } from "@lto/civil-time";
import { callers, confirmEnrolmentsFixture, courseBody, ok, sessionBody, startCatalogue } from "./support.js";
import { ideaPublished, produce } from "./suggest-support.js";

let svc: TestService;
const ids: Record<string, string> = {};
const staff = () => svc.as(callers.staff);
const draft = () => ok(staff(), "POST", "/v1/courses", courseBody());
const published = async () => ok(staff(), "POST", `/v1/courses/${(await draft()).id}/publish`);
const partnerDraft = () =>
  ok(svc.as(callers.partner), "POST", "/v1/courses", courseBody({ titleIt: "Corso CFP" }));
const session = async () => ok(staff(), "POST", "/v1/sessions", sessionBody((await published()).id));
const v1 = { "if-match": '"1"' };
// ---- enrolments: a fresh learner each time, enrolled (or offered a seat) in a fresh session
let learners = 0;
const newLearner = () => {
  const n = ++learners;
  return { sub: `learner-oa-${n}`, role: "learner" as const, org: `learner-oa-${n}` };
};
async function enrolled(capacity = 5) {
  const s = await ok(staff(), "POST", "/v1/sessions", sessionBody((await published()).id, { capacity }));
  const who = newLearner();
  const enrolment = await ok(svc.as(who), "POST", `/v1/sessions/${s.id}/enrolments`, {});
  return { who, enrolment, courseId: s.courseId as string, sessionId: s.id as string };
}
async function offered() {
  const first = await enrolled(1);
  const who = newLearner();
  const enrolment = await ok(svc.as(who), "POST", `/v1/sessions/${first.sessionId}/enrolments`, {});
  await ok(svc.as(first.who), "POST", `/v1/enrolments/${first.enrolment.id}/withdrawal`, {});
  return { who, enrolment };
}

// --- attendance, completion, credentials: a session whose meetings are over, one confirmed learner ---
const learner = callers.learner;
const pastSession = async () => {
  const today = romeDate(new Date());
  const body = sessionBody(
    (await published()).id,
    {
      enrolment: { opensOn: addDays(today, -30), closesOn: addDays(today, -21) },
    },
    -20,
  );
  const s = await ok(staff(), "POST", "/v1/sessions", body);
  await confirmEnrolmentsFixture(svc, s.id, [learner.sub]);
  return s as { id: string; meetings: { id: string }[] };
};
const completedSession = async () => {
  const s = await pastSession();
  for (const m of s.meetings)
    await ok(staff(), "PUT", `/v1/sessions/${s.id}/meetings/${m.id}/attendance`, {
      marks: [{ personId: learner.sub, status: "present" }],
    });
  const done = await ok(staff(), "POST", `/v1/sessions/${s.id}/completion`, {
    assessments: [{ personId: learner.sub, result: "passed" }],
  });
  return { sessionId: s.id, credentialId: done.outcomes[0].credentialId as string };
};
const credentialValid: Record<string, () => Promise<Probe>> = {
  "GET /v1/sessions/{sessionId}/meetings/{meetingId}/attendance": async () => ({ as: callers.staff }),
  "PUT /v1/sessions/{sessionId}/meetings/{meetingId}/attendance": async () => {
    const s = await pastSession();
    return {
      path: `/v1/sessions/${s.id}/meetings/${s.meetings[0]!.id}/attendance`,
      as: callers.staff,
      body: { marks: [{ personId: learner.sub, status: "late", lateMinutes: 10 }] },
    };
  },
  "POST /v1/sessions/{sessionId}/completion": async () => {
    const s = await pastSession();
    return {
      path: `/v1/sessions/${s.id}/completion`,
      as: callers.staff,
      body: { assessments: [{ personId: learner.sub, result: "failed" }] },
    };
  },
  "GET /v1/sessions/{sessionId}/completion": async () => ({
    path: `/v1/sessions/${(await completedSession()).sessionId}/completion`,
    as: callers.staff,
  }),
  "GET /v1/issuer": async () => ({}),
  "GET /v1/issuer/jwks.json": async () => ({}),
  "GET /v1/status-lists/{listId}": async () => {
    await completedSession();
    return { path: "/v1/status-lists/1" };
  },
  "POST /v1/credentials/verify": async () => {
    const { credentialId } = await completedSession();
    const res = await svc.as(learner).get(`/v1/credentials/${credentialId}`, {
      headers: { accept: "application/vc+jwt" },
    });
    return { body: { credential: res.text } };
  },
  "GET /v1/credentials/mine": async () => ({ as: learner }),
  "GET /v1/credentials/{credentialId}": async () => ({
    path: `/v1/credentials/${(await completedSession()).credentialId}`,
    as: learner,
  }),
  "GET /v1/credentials/{credentialId}/attestato.pdf": async () => ({
    path: `/v1/credentials/${(await completedSession()).credentialId}/attestato.pdf`,
    as: learner,
  }),
  "POST /v1/credentials/{credentialId}/revocation": async () => ({
    path: `/v1/credentials/${(await completedSession()).credentialId}/revocation`,
    as: callers.staff,
    body: { reason: "Rilasciata per errore" },
  }),
  "GET /v1/passport/mine": async () => ({ as: learner }),
  "GET /v1/passport/{personId}": async () => ({
    path: `/v1/passport/${learner.sub}?reason=Controllo`,
    as: callers.programme,
  }),
  "POST /v1/persons/{personId}/erasure": async () => ({
    path: "/v1/persons/someone-to-forget/erasure",
    as: callers.admin,
  }),
};

/** A request each operation should accept, on a resource in the state it needs. */
// ---- talent profiles: the learner (an adult) opts in with a credential from a completed session
const talentProfile = async (): Promise<string> => {
  const { credentialId } = await completedSession();
  const profile = await ok(svc.as(learner), "PUT", "/v1/talent/profile/mine", {
    birthDate: "1995-05-20",
    credentialIds: [credentialId],
    district: "mantova",
    areas: ["cultura"],
    headline: "Cerco un primo impiego nel digitale",
  });
  return profile.profileId as string;
};
const contactRequest = async () => {
  const profileId = await talentProfile();
  // A company other than the last: one pending request per company and profile.
  const company = { ...callers.company, sub: uniqueId("hr"), org: uniqueId("company") };
  return ok(svc.as(company), "POST", `/v1/talent/profiles/${profileId}/contact-requests`, {
    message: "Buongiorno, possiamo sentirci per un colloquio?",
  });
};
const talentValid: Record<string, () => Promise<Probe>> = {
  "PUT /v1/talent/profile/mine": async () => {
    const { credentialId } = await completedSession();
    return {
      as: learner,
      body: {
        birthDate: "1995-05-20",
        credentialIds: [credentialId],
        district: "asola",
        areas: ["meccanica"],
        headline: "Tecnica di automazione",
      },
    };
  },
  "GET /v1/talent/profile/mine": async () => ({ as: learner }),
  "GET /v1/talent/profile/mine/views": async () => ({ as: learner }),
  "DELETE /v1/talent/profile/mine": async () => {
    await talentProfile();
    return { as: learner };
  },
  "GET /v1/talent/profiles": async () => ({
    path: "/v1/talent/profiles?competence=3.4&minLevel=2&district=mantova",
    as: callers.company,
  }),
  "GET /v1/talent/profiles/{profileId}": async () => ({
    path: `/v1/talent/profiles/${await talentProfile()}`,
    as: callers.company,
  }),
  "POST /v1/talent/profiles/{profileId}/contact-requests": async () => ({
    path: `/v1/talent/profiles/${await talentProfile()}/contact-requests`,
    as: { ...callers.company, sub: uniqueId("hr"), org: uniqueId("company") },
    body: { message: "Salve, cerchiamo una figura per il nostro ufficio." },
  }),
  "GET /v1/talent/contact-requests/mine": async () => ({ as: learner }),
  "POST /v1/talent/contact-requests/{requestId}/accept": async () => ({
    path: `/v1/talent/contact-requests/${(await contactRequest()).id}/accept`,
    as: learner,
    body: { contact: "giulia@example.it" },
  }),
  "POST /v1/talent/contact-requests/{requestId}/decline": async () => ({
    path: `/v1/talent/contact-requests/${(await contactRequest()).id}/decline`,
    as: learner,
  }),
};

const valid: Record<string, () => Promise<Probe>> = {
  "GET /v1/frameworks": async () => ({}),
  "GET /v1/frameworks/{frameworkId}/{version}": async () => ({ path: "/v1/frameworks/digcomp/2.2" }),
  "GET /v1/courses": async () => ({}),
  "POST /v1/courses": async () => ({ as: callers.staff, body: courseBody() }),
  "GET /v1/courses/{courseId}": async () => ({}),
  "PUT /v1/courses/{courseId}": async () => ({
    path: `/v1/courses/${(await draft()).id}`,
    as: callers.staff,
    body: courseBody({ hours: 30 }),
    headers: v1,
  }),
  "POST /v1/courses/{courseId}/submit": async () => ({
    path: `/v1/courses/${(await partnerDraft()).id}/submit`,
    as: callers.partner,
  }),
  "POST /v1/courses/{courseId}/publish": async () => ({
    path: `/v1/courses/${(await draft()).id}/publish`,
    as: callers.staff,
  }),
  "POST /v1/courses/{courseId}/return": async () => {
    const course = await partnerDraft();
    await ok(svc.as(callers.partner), "POST", `/v1/courses/${course.id}/submit`);
    return {
      path: `/v1/courses/${course.id}/return`,
      as: callers.staff,
      body: { reason: "Manca il livello" },
    };
  },
  "POST /v1/courses/{courseId}/archive": async () => ({
    path: `/v1/courses/${(await published()).id}/archive`,
    as: callers.staff,
  }),
  "GET /v1/courses/{courseId}/sessions": async () => ({}),
  "POST /v1/sessions": async () => ({ as: callers.staff, body: sessionBody((await published()).id) }),
  "GET /v1/sessions": async () => {
    const s = await session();
    return { path: `/v1/sessions?site=lto-mantova&from=${s.meetings[0].date}`, as: callers.staff };
  },
  "GET /v1/sessions/{sessionId}": async () => ({}),
  "GET /v1/courses/mine": async () => ({ as: callers.partner }),
  "GET /v1/sessions/{sessionId}/counts": async () => ({
    path: `/v1/sessions/${(await session()).id}/counts`,
    as: callers.staff,
  }),

  "PUT /v1/sessions/{sessionId}/meetings/{meetingId}": async () => {
    const s = await session();
    const m = s.meetings[1];
    return {
      path: `/v1/sessions/${s.id}/meetings/${m.id}`,
      as: callers.staff,
      body: { date: m.date, start: "16:00", end: "19:00", room: m.room, trainer: m.trainer },
    };
  },
  "POST /v1/sessions/{sessionId}/meetings/{meetingId}/cancel": async () => {
    const s = await session();
    return {
      path: `/v1/sessions/${s.id}/meetings/${s.meetings[1].id}/cancel`,
      as: callers.staff,
      body: { reason: "Sciopero" },
    };
  },
  "POST /v1/sessions/{sessionId}/cancel": async () => ({
    path: `/v1/sessions/${(await session()).id}/cancel`,
    as: callers.staff,
    body: { reason: "Aula inagibile" },
  }),
  // --- suggestions and self-check ---
  "GET /v1/teams/{teamId}/suggestions": async () => {
    // A team is known once one of its ideas reached the service over Kafka.
    const teamId = uniqueId("team");
    const events = await eventProducer();
    await produce(events, IdeaPublishedEvent, ideaPublished({ teamId, schoolId: callers.school.org }));
    await events.stop();
    const path = `/v1/teams/${teamId}/suggestions`;
    await waitFor(
      "the team known",
      async () => (await svc.as(callers.school).get(path)).status === 200,
      170_000,
    );
    return { path, as: callers.school };
  },
  "GET /v1/suggestions/mine": async () => ({ as: callers.school }),
  "GET /v1/self-checks/questionnaire": async () => ({
    path: "/v1/self-checks/questionnaire?framework=digcomp&version=2.2",
  }),
  "POST /v1/self-checks": async () => ({
    as: callers.learner,
    body: { framework: "digcomp", version: "2.2", answers: [{ competence: "3.4", answers: [2, 1, 0, 0] }] },
  }),
  "GET /v1/self-checks/mine": async () => ({ as: callers.learner }),
  // --- calendars ---
  "GET /v1/sessions/{sessionId}/calendar.ics": async () => ({
    path: `/v1/sessions/${(await session()).id}/calendar.ics`,
  }),
  "POST /v1/calendars/mine": async () => ({ as: callers.learner }),
  "DELETE /v1/calendars/mine": async () => {
    await ok(svc.as(callers.school), "POST", "/v1/calendars/mine");
    return { as: callers.school };
  },
  "GET /v1/calendars/{token}.ics": async () => ({
    path: new URL((await ok(svc.as(callers.staff), "POST", "/v1/calendars/mine")).url).pathname,
  }),
  ...credentialValid,
  ...talentValid,
  // ---- enrolments
  "POST /v1/sessions/{sessionId}/enrolments": async () => ({
    path: `/v1/sessions/${(await session()).id}/enrolments`,
    as: newLearner(),
    body: {},
  }),
  "GET /v1/sessions/{sessionId}/enrolments": async () => ({
    path: `/v1/sessions/${(await session()).id}/enrolments`,
    as: callers.staff,
  }),
  "GET /v1/enrolments/mine": async () => ({ as: callers.learner }),
  "GET /v1/enrolments/{enrolmentId}": async () => {
    const { who, enrolment } = await enrolled();
    return { path: `/v1/enrolments/${enrolment.id}`, as: who };
  },
  "POST /v1/enrolments/{enrolmentId}/withdrawal": async () => {
    const { who, enrolment } = await enrolled();
    return { path: `/v1/enrolments/${enrolment.id}/withdrawal`, as: who, body: { reason: "Orari" } };
  },
  "POST /v1/enrolments/{enrolmentId}/accept-offer": async () => {
    const { who, enrolment } = await offered();
    return { path: `/v1/enrolments/${enrolment.id}/accept-offer`, as: who };
  },
  "POST /v1/enrolments/{enrolmentId}/decline-offer": async () => {
    const { who, enrolment } = await offered();
    return { path: `/v1/enrolments/${enrolment.id}/decline-offer`, as: who };
  },
  "POST /v1/enrolments/{enrolmentId}/move": async () => {
    const { who, enrolment, courseId } = await enrolled();
    const target = await ok(staff(), "POST", "/v1/sessions", sessionBody(courseId, {}, 50));
    return { path: `/v1/enrolments/${enrolment.id}/move`, as: who, body: { targetSessionId: target.id } };
  },
};

beforeAll(async () => {
  svc = await startCatalogue();
  const s = await session();
  ids.courseId = s.courseId;
  ids.sessionId = s.id;
  ids.meetingId = s.meetings[0].id;
  ids.frameworkId = "digcomp";
  ids.version = "2.2";
});

afterAll(async () => {
  await svc?.close();
});

describe("the OpenAPI document", () => {
  it("documents every answer as the service sends it", async () => {
    const doc = (await svc.as().get("/openapi.json")).body;
    expect(doc.info.title).toMatch(/catalogue/);
    expect(operations(doc).length).toBe(Object.keys(valid).length);
    const violations = await probeOperations({
      doc,
      as: (caller) => svc.as(caller),
      valid,
      wrongRole: callers.company,
      ids,
    });
    expect(violations).toEqual([]);
    // The team suggestions' valid request waits for the consumer to read the ideas topic.
  }, 300_000);

  it("replays a create with the same Idempotency-Key instead of creating twice", async () => {
    const headers = { "idempotency-key": `course-${Math.random()}` };
    const first = await staff().post("/v1/courses", courseBody({ titleIt: "Una volta sola" }), { headers });
    const again = await staff().post("/v1/courses", courseBody({ titleIt: "Una volta sola" }), { headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
  });
});
