// Refusals name the resource's real state; why the state is not enough travels beside it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callers, ideaContent, openCall, startIdeas, teamBody, type IdeasHarness } from "./support.js";
import { IDEA_STATES } from "../../src/domain/index.js";

let h: IdeasHarness;

beforeAll(async () => {
  h = await startIdeas();
});
afterAll(async () => {
  await h?.close();
});

describe("409 answers carry a real state", () => {
  it("refuses to publish an unscored idea with currentState under_review and reason not_scored", async () => {
    const call = await openCall(h);
    const team = await h.request("POST", "/v1/teams", {
      as: callers.school,
      body: teamBody(call.schoolYear, {
        members: [{ pseudonym: "Gheppio", minor: false }],
      }),
    });
    const idea = await h.request("POST", "/v1/ideas", {
      as: callers.school,
      body: { ...ideaContent, callId: call.id, teamId: team.body.id },
    });
    expect((await h.request("POST", `/v1/ideas/${idea.body.id}/submit`, { as: callers.school })).status).toBe(
      200,
    );
    const assigned = await h.request("PUT", `/v1/ideas/${idea.body.id}/evaluators`, {
      as: callers.staff,
      body: { evaluators: [callers.evaluator.sub] },
    });
    expect(assigned.status).toBe(200);

    const refused = await h.request("POST", `/v1/ideas/${idea.body.id}/publish`, {
      as: callers.staff,
      body: { answer: "Pubblicata" },
    });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ currentState: "under_review", reason: "not_scored" });
    expect(IDEA_STATES).toContain(refused.body.currentState);
    expect(refused.body.detail).toContain("score");
  });
});
