// Minors and personal data across both real services (ideas + adoption) on the real broker and store:
// consent is checked again at accept (CheckAdoptable), and a student's erasure and export reach the
// adoption service too.
import { romeDate } from "@lto/civil-time";
import { freePort } from "@lto/testkit";
import mongoose from "mongoose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  callers,
  evaluateAndPublish,
  ideaContent,
  openCallBody,
  startIdeas,
  teamBody,
  type IdeasHarness,
} from "../../../ideas/test/int/support.js";
import {
  caughtUp,
  client,
  startHarness,
  verifiedCompany,
  waitFor,
  type Harness,
  stored as storedCollections,
} from "./support.js";

let ideas: IdeasHarness;
let h: Harness;
let ideasDb: mongoose.Connection;

beforeAll(async () => {
  const adoptionGrpcPort = await freePort();
  ideas = await startIdeas({ ADOPTION_GRPC_ADDRESS: `127.0.0.1:${adoptionGrpcPort}` });
  h = await startHarness({
    auth: ideas.auth,
    ideasAddress: ideas.grpcAddress,
    grpcPort: adoptionGrpcPort,
  });
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
  await evaluateAndPublish(ideas, draft.id);
  await waitFor(
    "the idea in the projection",
    async () => (await storedCollections(h).ideas.findOne({ _id: draft.id })) !== null,
    60_000,
  );
  return { ideaId: draft.id, team };
}

async function offerFromNewCompany(ideaId: string, seed: number) {
  const staff = client(h, { sub: "staff-lto", role: "staff", org: "provincia-mantova" });
  const { company, orgId } = await verifiedCompany(h, staff, seed);
  await caughtUp(h);
  const made = await ok(company("POST", `/v1/ideas/${ideaId}/offers`, offer), 201);
  return { company, orgId, offerId: made.id };
}

const consented = () => romeDate(new Date(Date.now() - 60 * DAY));

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

describe("a student's erasure and export reach the adoption service", () => {
  it("erases right after an accept without a spurious 412, retries as a no-op, and rewrites the adoption side", async () => {
    const { ideaId, team } = await publishedIdea([
      { pseudonym: "Volpe Blu", minor: true, parentalConsentOn: consented() },
      { pseudonym: "Airone", minor: false },
      { pseudonym: "Gheppio", minor: false },
    ]);
    const [, airone, gheppio] = team.members as { id: string; pseudonym: string }[];
    const { company, offerId } = await offerFromNewCompany(ideaId, 420);
    const school = client(h, callers.school);
    const accepted = await school("POST", `/v1/offers/${offerId}/accept`);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
    const adoptionId = accepted.body.id as string;

    // Right after the accept (the ideas service is recording the adoption meanwhile), no If-Match.
    const erase = () =>
      ideas.request("POST", `/v1/teams/${team.id}/members/${gheppio!.id}/erase`, { as: callers.school });
    const first = await erase();
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(JSON.stringify(first.body)).not.toContain("Gheppio");
    const again = await erase();
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.members).toEqual(first.body.members);

    // The company logs a mentoring session with Airone; the school confirms it.
    await waitFor(
      "the erased member gone from the adoption",
      async () => {
        const a = await company("GET", `/v1/adoptions/${adoptionId}`);
        return a.status === 200 && !JSON.stringify(a.body).includes("Gheppio") && a;
      },
      60_000,
    );
    let etag = (await company("GET", `/v1/adoptions/${adoptionId}`)).headers.get("etag")!;
    const logged = await company(
      "POST",
      `/v1/adoptions/${adoptionId}/records`,
      { kind: "mentoring", date: romeDate(new Date()), hours: 2, pseudonyms: ["Airone"] },
      { "if-match": etag },
    );
    expect(logged.status, JSON.stringify(logged.body)).toBe(201);
    etag = logged.headers.get("etag")!;
    const recordId = logged.body.records.at(-1).id as string;
    const confirmed = await school(
      "POST",
      `/v1/adoptions/${adoptionId}/records/${recordId}/confirm`,
      undefined,
      {
        "if-match": etag,
      },
    );
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);

    // The export covers the adoption side: the record naming Airone and their PCTO hours.
    const exported = await ideas.request("GET", `/v1/teams/${team.id}/members/${airone!.id}/export`, {
      as: callers.school,
    });
    expect(exported.status, JSON.stringify(exported.body)).toBe(200);
    expect(exported.body.adoptions).toHaveLength(1);
    expect(exported.body.adoptions[0]).toMatchObject({
      adoptionId,
      ideaId,
      state: "active",
      pctoHours: { mentoring: 2, internship: 0, total: 2 },
    });
    expect(exported.body.adoptions[0].records).toMatchObject([
      { id: recordId, kind: "mentoring", status: "confirmed", hours: 2 },
    ]);

    // Erasing Airone reaches the adoption's team, its records and the browse projection.
    const erased = await ideas.request("POST", `/v1/teams/${team.id}/members/${airone!.id}/erase`, {
      as: callers.school,
    });
    expect(erased.status, JSON.stringify(erased.body)).toBe(200);
    const placeholder = erased.body.members[1].pseudonym as string;
    expect(placeholder).toMatch(/^anonimo-\d+$/);
    const adoption = await waitFor(
      "the erased member gone from the adoption",
      async () => {
        const a = await company("GET", `/v1/adoptions/${adoptionId}`);
        return !JSON.stringify(a.body).includes("Airone") && a.body;
      },
      60_000,
    );
    expect(adoption.teamPseudonyms).toEqual(["Volpe Blu", placeholder, "anonimo-1"]);
    expect(adoption.records.at(-1).pseudonyms).toEqual([placeholder]);
    const projected = await waitFor(
      "the erased member gone from the projection",
      async () => {
        const d = await storedCollections(h).ideas.findOne({ _id: ideaId });
        return d && !JSON.stringify(d).includes("Airone") && d;
      },
      60_000,
    );
    expect(projected!.memberPseudonyms).toEqual(["Volpe Blu", placeholder, "anonimo-1"]);
    const pcto = await school("GET", `/v1/adoptions/${adoptionId}/pcto`);
    expect(JSON.stringify(pcto.body)).not.toMatch(/Airone|Gheppio/);

    // Nothing of the old pseudonyms is left in the ideas service either, and the export still works.
    const after = await ideas.request("GET", `/v1/teams/${team.id}/members/${airone!.id}/export`, {
      as: callers.school,
    });
    expect(after.status).toBe(200);
    expect(JSON.stringify(after.body)).not.toMatch(/Airone|Gheppio/);
    expect(after.body.adoptions[0].pctoHours.total).toBe(2);
    const stored = await ideasDb.collection("teams").findOne({ _id: team.id as never });
    expect(JSON.stringify(stored)).not.toMatch(/Airone|Gheppio/);
  }, 240_000);
});
