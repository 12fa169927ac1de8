// Parental consent through the public API: a recorded consent stays until it is explicitly withdrawn,
// and a team change cannot break consent once the team's work is public.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  callers,
  fullScores,
  ideaContent,
  openCall,
  startIdeas,
  teamBody,
  type IdeasHarness,
} from "./support.js";

let h: IdeasHarness;
let schoolYear: string;
let callId: string;

beforeAll(async () => {
  h = await startIdeas();
  ({ id: callId, schoolYear } = await openCall(h));
});
afterAll(async () => {
  await h?.close();
});

const ifMatch = (version: number) => ({ "if-match": `"${version}"` });

describe("PUT /v1/teams/{id} and recorded consent", () => {
  it("keeps a recorded consent when parentalConsentOn is omitted, and withdraws it only on null", async () => {
    const team = await h.request("POST", "/v1/teams", { as: callers.school, body: teamBody(schoolYear) });
    expect(team.status).toBe(201);
    const [minor, adult] = team.body.members;
    const consentOn = minor.parentalConsentOn as string;
    expect(consentOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    // The school renames the team and resends the members without the consent date.
    const renamed = await h.request("PUT", `/v1/teams/${team.body.id}`, {
      as: callers.school,
      headers: ifMatch(team.body.version),
      body: teamBody(schoolYear, {
        name: "Nome nuovo",
        members: [
          { id: minor.id, pseudonym: minor.pseudonym, minor: true },
          { id: adult.id, pseudonym: adult.pseudonym, minor: false },
        ],
      }),
    });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect(renamed.body.members[0]).toMatchObject({ id: minor.id, parentalConsentOn: consentOn });
    const read = await h.request("GET", `/v1/teams/${team.body.id}`, { as: callers.school });
    expect(read.body.members[0].parentalConsentOn).toBe(consentOn);

    // Withdrawing it is explicit.
    const withdrawn = await h.request("PUT", `/v1/teams/${team.body.id}`, {
      as: callers.school,
      headers: ifMatch(read.body.version),
      body: teamBody(schoolYear, {
        members: [
          { id: minor.id, pseudonym: minor.pseudonym, minor: true, parentalConsentOn: null },
          { id: adult.id, pseudonym: adult.pseudonym, minor: false },
        ],
      }),
    });
    expect(withdrawn.status, JSON.stringify(withdrawn.body)).toBe(200);
    expect(withdrawn.body.members[0]).not.toHaveProperty("parentalConsentOn");
  });

  it("documents the rule in the OpenAPI schema", async () => {
    const doc = (await h.request("GET", "/openapi.json")).body;
    expect(JSON.stringify(doc)).toContain("null: the consent is withdrawn");
  });
});

async function step(
  method: string,
  path: string,
  as: (typeof callers)[keyof typeof callers],
  body?: unknown,
) {
  const res = await h.request(method, path, { as, ...(body === undefined ? {} : { body }) });
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
  return res.body;
}

describe("consent while the team's idea is public", () => {
  it("refuses a team change that adds a minor without consent, or withdraws one, once the idea is published", async () => {
    const team = await step("POST", "/v1/teams", callers.school, teamBody(schoolYear));
    const idea = await step("POST", "/v1/ideas", callers.school, { ...ideaContent, callId, teamId: team.id });
    await step("POST", `/v1/ideas/${idea.id}/submit`, callers.school);
    await step("PUT", `/v1/ideas/${idea.id}/evaluators`, callers.staff, {
      evaluators: [callers.evaluator.sub],
    });
    await step("PUT", `/v1/ideas/${idea.id}/scores`, callers.evaluator, { scores: fullScores });
    await step("POST", `/v1/ideas/${idea.id}/publish`, callers.staff, { answer: "Pubblicata" });
    const [minor, adult] = team.members;
    const kept = [
      { id: minor.id, pseudonym: minor.pseudonym, minor: true },
      { id: adult.id, pseudonym: adult.pseudonym, minor: false },
    ];

    const added = await h.request("PUT", `/v1/teams/${team.id}`, {
      as: callers.school,
      headers: ifMatch(team.version),
      body: teamBody(schoolYear, { members: [...kept, { pseudonym: "Nuovo Arrivo", minor: true }] }),
    });
    expect(added.status, JSON.stringify(added.body)).toBe(409);
    expect(added.body.detail).toContain("Nuovo Arrivo");
    expect(added.body.detail).toContain("record the consent first");
    expect(added.body.pseudonymsLackingConsent).toEqual(["Nuovo Arrivo"]);

    const withdrawn = await h.request("PUT", `/v1/teams/${team.id}`, {
      as: callers.school,
      headers: ifMatch(team.version),
      body: teamBody(schoolYear, { members: [{ ...kept[0], parentalConsentOn: null }, kept[1]] }),
    });
    expect(withdrawn.status, JSON.stringify(withdrawn.body)).toBe(409);
    expect(withdrawn.body.detail).toContain(minor.pseudonym);

    const unchanged = await h.request("GET", `/v1/teams/${team.id}`, { as: callers.school });
    expect(unchanged.body.version).toBe(team.version);
    expect(unchanged.body.members).toHaveLength(2);

    // With the consent recorded, the same change goes through.
    const withConsent = await h.request("PUT", `/v1/teams/${team.id}`, {
      as: callers.school,
      headers: ifMatch(team.version),
      body: teamBody(schoolYear, {
        members: [
          ...kept,
          { pseudonym: "Nuovo Arrivo", minor: true, parentalConsentOn: minor.parentalConsentOn },
        ],
      }),
    });
    expect(withConsent.status, JSON.stringify(withConsent.body)).toBe(200);
  });
});
