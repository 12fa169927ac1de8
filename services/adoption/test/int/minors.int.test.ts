// Minors and personal data across both real services (ideas + adoption) on the real broker and store:
// consent is checked again at accept (CheckAdoptable), and a student's erasure and export reach the
// adoption service too.
import mongoose from "mongoose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  callers,
  fullScores,
  ideaContent,
  openCallBody,
  startIdeas,
  teamBody,
  type IdeasHarness,
} from "../../../ideas/test/int/support.js";
import { caughtUp, client, startHarness, verifiedCompany, waitFor, type Harness } from "../support.js";

let ideas: IdeasHarness;
let h: Harness;
let ideasDb: mongoose.Connection;

beforeAll(async () => {
  ideas = await startIdeas();
  h = await startHarness({ auth: ideas.auth, ideasAddress: ideas.service.grpc.address });
  ideasDb = await mongoose.createConnection(ideas.mongoUrl, { dbName: ideas.dbName }).asPromise();
}, 240_000);
afterAll(async () => {
  await ideasDb?.close();
  await h?.close();
  await ideas?.close();
});

const DAY = 86_400_000;
const offer = {
  commitments: { mentoringHours: 6, internships: [], fundingCents: 0, equipment: [] },
  message: "Vi seguiamo con sei ore di mentoring sul prototipo.",
};

async function ok(res: Promise<{ status: number; body: unknown }>, status = 200) {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body as { id: string; version: number; [k: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/**
 * A call whose adoption phase is open today: ideas are drafted and submitted with the ideas service's
 * clock 45 days back (submission phase), then evaluated and published today.
 */
async function publishedIdea(members: unknown[]) {
  ideas.clock.set(new Date(Date.now() - 45 * DAY));
  const call = await ok(
    ideas.request("POST", "/v1/calls", { as: callers.staff, body: openCallBody(ideas.clock.now()) }),
    201,
  );
  const team = await ok(
    ideas.request("POST", "/v1/teams", {
      as: callers.school,
      body: teamBody(call.schoolYear as string, { members }),
    }),
    201,
  );
  const draft = await ok(
    ideas.request("POST", "/v1/ideas", {
      as: callers.school,
      body: { ...ideaContent, callId: call.id, teamId: team.id },
    }),
    201,
  );
  await ok(ideas.request("POST", `/v1/ideas/${draft.id}/submit`, { as: callers.school }));
  ideas.clock.set(new Date());
  await ok(
    ideas.request("PUT", `/v1/ideas/${draft.id}/evaluators`, {
      as: callers.staff,
      body: { evaluators: [callers.evaluator.sub] },
    }),
  );
  await ok(
    ideas.request("PUT", `/v1/ideas/${draft.id}/scores`, {
      as: callers.evaluator,
      body: { scores: fullScores },
    }),
  );
  await ok(
    ideas.request("POST", `/v1/ideas/${draft.id}/publish`, {
      as: callers.staff,
      body: { answer: "Pubblicata" },
    }),
  );
  await waitFor(async () => (await h.svc.store.cols.ideas.findOne({ _id: draft.id })) !== null, 60_000);
  return { ideaId: draft.id, team };
}

async function offerFromNewCompany(ideaId: string, seed: number) {
  const staff = client(h, { sub: "staff-lto", role: "staff", org: "provincia-mantova" });
  const { company, orgId } = await verifiedCompany(h, staff, seed);
  await caughtUp(h);
  const made = await ok(company("POST", `/v1/ideas/${ideaId}/offers`, offer), 201);
  return { company, orgId, offerId: made.id };
}

const consented = () => new Date(Date.now() - 60 * DAY).toISOString().slice(0, 10);

describe("consent at accept", () => {
  it("refuses an accept when a minor of the team lacks consent, even if the data say otherwise", async () => {
    const { ideaId, team } = await publishedIdea([
      { pseudonym: "Volpe Blu", minor: true, parentalConsentOn: consented() },
      { pseudonym: "Airone", minor: false },
    ]);
    const { offerId } = await offerFromNewCompany(ideaId, 410);

    // The public API refuses to add a minor without consent to a published idea's team...
    const refused = await ideas.request("PUT", `/v1/teams/${team.id}`, {
      as: callers.school,
      headers: { "if-match": `"${team.version}"` },
      body: teamBody(team.schoolYear, {
        members: [...team.members, { pseudonym: "Senza Consenso", minor: true }],
      }),
    });
    expect(refused.status, JSON.stringify(refused.body)).toBe(409);
    // ...and if the store were inconsistent anyway (data from before this rule), accept still refuses.
    await ideasDb
      .collection("teams")
      .updateOne(
        { _id: team.id as never },
        { $push: { members: { id: "m-senza-consenso", pseudonym: "Senza Consenso", minor: true } } as never },
      );

    const school = client(h, callers.school);
    const accepted = await school("POST", `/v1/offers/${offerId}/accept`);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(409);
    expect(accepted.body.detail).toContain("parental consent");
    expect(accepted.body.detail).toContain("Senza Consenso");
    const idea = await ideas.request("GET", `/v1/ideas/${ideaId}`, { as: callers.school });
    expect(idea.body.state).toBe("published");
    expect((await school("GET", `/v1/offers/${offerId}`)).body.status).toBe("open");
  }, 240_000);
});
