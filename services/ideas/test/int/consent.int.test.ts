// Parental consent through the public API: a recorded consent stays until it is explicitly withdrawn,
// and a team change cannot break consent once the team's work is public.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callers, openCallBody, startIdeas, teamBody, type IdeasHarness } from "./support.js";

let h: IdeasHarness;
let schoolYear: string;

beforeAll(async () => {
  h = await startIdeas();
  const call = await h.request("POST", "/v1/calls", { as: callers.staff, body: openCallBody() });
  schoolYear = call.body.schoolYear;
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
