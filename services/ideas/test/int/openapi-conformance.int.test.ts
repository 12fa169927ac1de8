// The ideas service answers exactly what its live /openapi.json documents: every operation is sent
// unauthenticated, with the wrong role, with invalid input and with a valid request (and, where they
// apply, without or with a stale If-Match, a body that is not JSON, a reused Idempotency-Key); each
// answer's status must be documented for that operation, with its content type and body schema.
import { conformance, operations, type Answer, type Operation } from "@lto/testkit/openapi-conformance";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  callers,
  fullScores,
  ideaContent,
  openCallBody,
  startIdeas,
  teamBody,
  type Caller,
  type IdeasHarness,
} from "./support.js";

let h: IdeasHarness;
let schoolYear: string;
const ids: Record<string, string> = {};

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
    if (!tokens.has(probe.as)) tokens.set(probe.as, await h.auth.token(probe.as));
    headers.authorization = `Bearer ${tokens.get(probe.as)}`;
  }
  const body = probe.raw ?? (probe.body === undefined ? undefined : JSON.stringify(probe.body));
  if (body !== undefined) headers["content-type"] ??= "application/json";
  const res = await fetch(`${h.service.http.url}${path}`, { method, headers, body });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

async function ok(method: string, path: string, as: Caller, body?: unknown) {
  const res = await send(method, path, { as, body });
  if (res.status >= 300) throw new Error(`${method} ${path} -> ${res.status} ${res.text}`);
  return JSON.parse(res.text);
}
const newTeam = () => ok("POST", "/v1/teams", callers.school, teamBody(schoolYear));
async function newIdea(state: "draft" | "submitted" | "under_review" | "scored") {
  const team = await newTeam();
  const idea = await ok("POST", "/v1/ideas", callers.school, {
    ...ideaContent,
    callId: ids.callId,
    teamId: team.id,
  });
  const at = `/v1/ideas/${idea.id}`;
  if (state === "draft") return at;
  await ok("POST", `${at}/submit`, callers.school);
  if (state === "submitted") return at;
  await ok("PUT", `${at}/evaluators`, callers.staff, { evaluators: [callers.evaluator.sub] });
  if (state === "under_review") return at;
  await ok("PUT", `${at}/scores`, callers.evaluator, { scores: fullScores });
  return at;
}
const yesterday = () => new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
const v1 = { "if-match": '"1"' };

/** A request each operation should accept, on a resource in the state it needs. */
const valid: Record<string, () => Promise<Probe>> = {
  "GET /v1/calls": async () => ({ as: callers.staff }),
  "POST /v1/calls": async () => ({ as: callers.staff, body: openCallBody() }),
  "GET /v1/calls/{callId}": async () => ({ as: callers.staff }),
  "PUT /v1/calls/{callId}": async () => {
    const call = await ok("POST", "/v1/calls", callers.staff, openCallBody());
    return { path: `/v1/calls/${call.id}`, as: callers.staff, body: openCallBody(), headers: v1 };
  },
  "GET /v1/teams": async () => ({ as: callers.school }),
  "POST /v1/teams": async () => ({ as: callers.school, body: teamBody(schoolYear) }),
  "GET /v1/teams/{teamId}": async () => ({ as: callers.school }),
  "PUT /v1/teams/{teamId}": async () => ({
    path: `/v1/teams/${(await newTeam()).id}`,
    as: callers.school,
    body: teamBody(schoolYear),
    headers: v1,
  }),
  "POST /v1/teams/{teamId}/members/{memberId}/consent": async () => {
    const team = await newTeam();
    return {
      path: `/v1/teams/${team.id}/members/${team.members[0].id}/consent`,
      as: callers.school,
      body: { parentalConsentOn: yesterday() },
    };
  },
  "GET /v1/teams/{teamId}/members/{memberId}/export": async () => ({ as: callers.school }),
  "POST /v1/teams/{teamId}/members/{memberId}/erase": async () => {
    const team = await newTeam();
    return { path: `/v1/teams/${team.id}/members/${team.members[1].id}/erase`, as: callers.school };
  },
  "GET /v1/ideas": async () => ({ as: callers.school }),
  "POST /v1/ideas": async () => ({
    as: callers.school,
    body: { ...ideaContent, callId: ids.callId, teamId: (await newTeam()).id },
  }),
  "GET /v1/ideas/{ideaId}": async () => ({ as: callers.school }),
  "PATCH /v1/ideas/{ideaId}": async () => ({
    path: await newIdea("draft"),
    as: callers.school,
    body: { title: "Serra nuova" },
    headers: v1,
  }),
  "POST /v1/ideas/{ideaId}/submit": async () => ({
    path: `${await newIdea("draft")}/submit`,
    as: callers.school,
  }),
  "POST /v1/ideas/{ideaId}/withdraw": async () => ({
    path: `${await newIdea("submitted")}/withdraw`,
    as: callers.school,
    body: { reason: "La squadra si è sciolta" },
  }),
  "POST /v1/ideas/{ideaId}/start-review": async () => ({
    path: `${await newIdea("submitted")}/start-review`,
    as: callers.staff,
  }),
  "POST /v1/ideas/{ideaId}/request-changes": async () => ({
    path: `${await newIdea("under_review")}/request-changes`,
    as: callers.staff,
    body: { reason: "Manca il piano dei costi" },
  }),
  "POST /v1/ideas/{ideaId}/publish": async () => ({
    path: `${await newIdea("scored")}/publish`,
    as: callers.staff,
    body: { answer: "Complimenti, pubblicata" },
  }),
  "POST /v1/ideas/{ideaId}/reject": async () => ({
    path: `${await newIdea("scored")}/reject`,
    as: callers.staff,
    body: { answer: "Non in questo bando" },
  }),
  "PUT /v1/ideas/{ideaId}/evaluators": async () => ({
    path: `${await newIdea("submitted")}/evaluators`,
    as: callers.staff,
    body: { evaluators: [callers.evaluator.sub] },
  }),
  "PUT /v1/ideas/{ideaId}/scores": async () => ({
    path: `${await newIdea("under_review")}/scores`,
    as: callers.evaluator,
    body: { scores: fullScores, notes: "Solida" },
  }),
  "PUT /v1/ideas/{ideaId}/answer": async () => ({
    path: `${await newIdea("scored")}/answer`,
    as: callers.staff,
    body: { answer: "Complimenti, pubblicata" },
  }),
};

const fill = (template: string, values: Record<string, string>) =>
  template.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? "unknown");

beforeAll(async () => {
  h = await startIdeas();
  const call = await ok("POST", "/v1/calls", callers.staff, openCallBody());
  ids.callId = call.id;
  schoolYear = call.schoolYear;
  const team = await newTeam();
  ids.teamId = team.id;
  ids.memberId = team.members[0].id;
  ids.ideaId = (
    await ok("POST", "/v1/ideas", callers.school, { ...ideaContent, callId: call.id, teamId: team.id })
  ).id;
});

afterAll(async () => {
  await h?.close();
});

describe("the OpenAPI document", () => {
  it("names its servers and documents every answer as the service sends it", async () => {
    const doc = JSON.parse((await send("GET", "/openapi.json", {})).text);
    expect.soft(doc.servers).toEqual([expect.objectContaining({ url: expect.any(String) })]);
    const check = conformance(doc);
    const violations: string[] = [];
    const probe = async (op: Operation, what: string, path: string, p: Probe & { raw?: string }) => {
      const answer = await send(op.method, path, p);
      violations.push(...check(op, answer, what));
      return answer;
    };
    const ops = operations(doc);
    expect(ops.length).toBeGreaterThanOrEqual(24);
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
        // Another valid request with the same key: replayed if it is the same, else 422.
        const other = await make!();
        await probe(op, "key reused", other.path ?? path, { ...other, headers: key1 });
      }
    }
    expect(violations).toEqual([]);
  });

  it("answers headers over Node's limit with a documented-style problem", async () => {
    const res = await send("POST", "/v1/ideas", {
      as: callers.school,
      body: {},
      headers: { "idempotency-key": "k".repeat(60_000) },
    });
    expect(res.status).toBe(431);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(JSON.parse(res.text)).toMatchObject({ status: 431 });
  });
});
