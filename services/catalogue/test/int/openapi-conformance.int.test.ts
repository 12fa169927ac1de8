// The catalogue service answers exactly what its live /openapi.json documents: every operation is sent
// unauthenticated, with the wrong role, with invalid input and with a valid request (and, where they
// apply, without or with a stale If-Match, a body that is not JSON, a reused Idempotency-Key); each
// answer's status must be documented for that operation, with its content type and body schema.
import { conformance, operations, type Answer, type Operation } from "@lto/testkit/openapi-conformance";
import type { TestService } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callers, courseBody, ok, sessionBody, startCatalogue } from "./support.js";

let svc: TestService;
const ids: Record<string, string> = {};
type Caller = (typeof callers)[keyof typeof callers];

interface Probe {
  path?: string;
  as?: Caller;
  body?: unknown;
  headers?: Record<string, string>;
}

const tokens = new Map<Caller, string>();
async function send(method: string, path: string, probe: Probe & { raw?: string }): Promise<Answer> {
  const headers: Record<string, string> = { ...probe.headers };
  if (probe.as) {
    if (!tokens.has(probe.as)) tokens.set(probe.as, await svc.auth.token(probe.as));
    headers.authorization = `Bearer ${tokens.get(probe.as)}`;
  }
  const body = probe.raw ?? (probe.body === undefined ? undefined : JSON.stringify(probe.body));
  if (body !== undefined) headers["content-type"] ??= "application/json";
  const res = await fetch(`${svc.url}${path}`, { method, headers, body });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

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

/** A request each operation should accept, on a resource in the state it needs. */
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
  "GET /v1/sessions/{sessionId}": async () => ({}),
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

const fill = (template: string, values: Record<string, string>) =>
  template.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? "unknown");

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
    const doc = JSON.parse((await send("GET", "/openapi.json", {})).text);
    expect(doc.info.title).toMatch(/catalogue/);
    const check = conformance(doc);
    const violations: string[] = [];
    const probe = async (op: Operation, what: string, path: string, p: Probe & { raw?: string }) => {
      const answer = await send(op.method, path, p);
      violations.push(...check(op, answer, what));
      return answer;
    };
    const ops = operations(doc);
    expect(ops.length).toBe(Object.keys(valid).length);
    for (const op of ops) {
      const key = `${op.method} ${op.path}`;
      const make = valid[key];
      expect(make, `a valid request for ${key}`).toBeDefined();
      const path = fill(op.path, ids);
      const hasBody = op.spec.requestBody !== undefined;
      const secured = (op.spec.security ?? []).every((s: object) => Object.keys(s).length > 0);
      const good = await make!();
      const goodPath = good.path ?? path;

      const anonymous = await probe(op, "unauthenticated", goodPath, { body: good.body });
      if (secured) expect(anonymous.status, key).toBe(401);
      await probe(op, "wrong role", goodPath, {
        as: callers.company,
        body: good.body,
        headers: good.headers,
      });
      const params = op.path.includes("{");
      const invalid = hasBody
        ? await probe(op, "invalid body", goodPath, { ...good, body: { unknownField: "\u0000" } })
        : params
          ? await probe(op, "invalid id", fill(op.path, {}).replace(/unknown/g, "x".repeat(300)), good)
          : await probe(op, "invalid query", `${path}?limit=0`, good);
      expect(invalid.status, `${key} invalid`).toBe(400);
      if (hasBody) {
        const form = await probe(op, "not JSON", goodPath, {
          ...good,
          raw: "a=b",
          headers: { ...good.headers, "content-type": "application/x-www-form-urlencoded" },
        });
        expect(form.status, `${key} not JSON`).toBe(415);
      }
      const ifMatch = doc.paths[op.path][op.method.toLowerCase()].parameters?.find(
        (p: { in: string; name: string }) => p.in === "header" && p.name === "If-Match",
      );
      if (ifMatch) await probe(op, "stale If-Match", goodPath, { ...good, headers: { "if-match": '"999"' } });
      if (ifMatch?.required) {
        const missing = await probe(op, "no If-Match", goodPath, { ...good, headers: {} });
        expect(missing.status, `${key} without If-Match`).toBe(428);
      }
      const answer = await probe(op, "valid", goodPath, good);
      expect(answer.status, `${key} valid -> ${answer.text.slice(0, 300)}`).toBeLessThan(300);
      if (op.spec.parameters?.some((p: { name: string }) => p.name === "Idempotency-Key")) {
        const fresh = await make!();
        const key1 = { ...fresh.headers, "idempotency-key": `k-${Math.random()}` };
        await probe(op, "idempotent", fresh.path ?? path, { ...fresh, headers: key1 });
        await probe(op, "idempotent replay", fresh.path ?? path, { ...fresh, headers: key1 });
        const other = await make!();
        await probe(op, "key reused", other.path ?? path, { ...other, headers: key1 });
      }
    }
    expect(violations).toEqual([]);
  });

  it("replays a create with the same Idempotency-Key instead of creating twice", async () => {
    const headers = { "idempotency-key": `course-${Math.random()}` };
    const first = await staff().post("/v1/courses", courseBody({ titleIt: "Una volta sola" }), { headers });
    const again = await staff().post("/v1/courses", courseBody({ titleIt: "Una volta sola" }), { headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
  });
});
