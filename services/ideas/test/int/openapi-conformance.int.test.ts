// The ideas service answers exactly what its live /openapi.json documents: every operation is sent
// unauthenticated, with the wrong role, with invalid input and with a valid request (and, where they
// apply, without or with a stale If-Match, a body that is not JSON, a reused Idempotency-Key); each
// answer's status must be documented for that operation, with its content type and body schema.
import { romeDate } from "@lto/civil-time";
import { operations, probeOperations, type Probe } from "@lto/testkit/openapi-conformance";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  callers,
  fullScores,
  ideaContent,
  openCall,
  openCallBody,
  startIdeas,
  teamBody,
  type IdeasHarness,
} from "./support.js";

let h: IdeasHarness;
let schoolYear: string;
const ids: Record<string, string> = {};

const newTeam = () => h.ok("POST", "/v1/teams", callers.school, teamBody(schoolYear));
async function newIdea(state: "draft" | "submitted" | "under_review" | "scored") {
  const team = await newTeam();
  const idea = await h.ok("POST", "/v1/ideas", callers.school, {
    ...ideaContent,
    callId: ids.callId,
    teamId: team.id,
  });
  const at = `/v1/ideas/${idea.id}`;
  if (state === "draft") return at;
  await h.ok("POST", `${at}/submit`, callers.school);
  if (state === "submitted") return at;
  await h.ok("PUT", `${at}/evaluators`, callers.staff, { evaluators: [callers.evaluator.sub] });
  if (state === "under_review") return at;
  await h.ok("PUT", `${at}/scores`, callers.evaluator, { scores: fullScores });
  return at;
}
const yesterday = () => romeDate(new Date(Date.now() - 86_400_000));
const v1 = { "if-match": '"1"' };

/** A request each operation should accept, on a resource in the state it needs. */
const valid: Record<string, () => Promise<Probe>> = {
  "GET /v1/calls": async () => ({ as: callers.staff }),
  "POST /v1/calls": async () => ({ as: callers.staff, body: openCallBody() }),
  "GET /v1/calls/{callId}": async () => ({ as: callers.staff }),
  "PUT /v1/calls/{callId}": async () => {
    const call = await openCall(h);
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

beforeAll(async () => {
  h = await startIdeas();
  const call = await openCall(h);
  ids.callId = call.id;
  schoolYear = call.schoolYear;
  const team = await newTeam();
  ids.teamId = team.id;
  ids.memberId = team.members[0].id;
  ids.ideaId = (
    await h.ok("POST", "/v1/ideas", callers.school, { ...ideaContent, callId: call.id, teamId: team.id })
  ).id;
});

afterAll(async () => {
  await h?.close();
});

describe("the OpenAPI document", () => {
  it("names its servers and documents every answer as the service sends it", async () => {
    const doc = (await h.as().get("/openapi.json")).body;
    expect.soft(doc.servers).toEqual([expect.objectContaining({ url: expect.any(String) })]);
    expect(operations(doc).length).toBeGreaterThanOrEqual(24);
    const violations = await probeOperations({ doc, as: h.as, valid, wrongRole: callers.company, ids });
    expect(violations).toEqual([]);
  });

  it("answers headers over Node's limit with a documented-style problem", async () => {
    const res = await h.as(callers.school).post(
      "/v1/ideas",
      {},
      {
        headers: { "idempotency-key": "k".repeat(60_000) },
      },
    );
    expect(res.status).toBe(431);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(JSON.parse(res.text)).toMatchObject({ status: 431 });
  });
});
