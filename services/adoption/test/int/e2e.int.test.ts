// The proof, across both services through their public HTTP APIs on the real broker and
// store: a school publishes an idea (ideas service), it appears in the company's browse list
// (projection via Kafka), the company holds it and offers, the school accepts (gRPC CheckAdoptable to
// the real ideas service), the idea becomes adopted in the ideas service (via Kafka), commitments are
// logged and confirmed, the adoption completes and the idea becomes completed.
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
  dayOf,
  offerBody,
  startHarness,
  verifiedCompany,
  waitFor,
  type Harness,
  type Res,
  stored,
} from "./support.js";

let ideas: IdeasHarness;
let h: Harness;

beforeAll(async () => {
  ideas = await startIdeas();
  h = await startHarness({ auth: ideas.auth, ideasAddress: ideas.grpcAddress });
  // Companies hold and offer only in the call's adoption phase (openCallBody: from day 40 to day 80),
  // when the school can also accept: the adoption service's clock is 45 days on.
  h.clock.advance(45 * 24 * 3_600_000);
});
afterAll(async () => {
  await h?.close();
  await ideas?.close();
});

async function ok(res: Promise<{ status: number; body: unknown }>, status = 200) {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body as { id: string; [k: string]: unknown };
}

let sharedCall: { id: string; [k: string]: unknown } | undefined;
let sharedTeam: { id: string; [k: string]: unknown } | undefined;

/** A school drafts an idea, staff evaluate and publish it (ideas service HTTP API). */
async function publishInIdeas(title: string): Promise<string> {
  ideas.clock.set(new Date());
  if (!sharedCall || !sharedTeam) {
    sharedCall = await ok(
      ideas.request("POST", "/v1/calls", { as: callers.staff, body: openCallBody() }),
      201,
    );
    sharedTeam = await ok(
      ideas.request("POST", "/v1/teams", {
        as: callers.school,
        body: teamBody(sharedCall.schoolYear as string),
      }),
      201,
    );
  }
  const draft = await ok(
    ideas.request("POST", "/v1/ideas", {
      as: callers.school,
      body: { ...ideaContent, title, callId: sharedCall.id, teamId: sharedTeam.id },
    }),
    201,
  );
  await ok(ideas.request("POST", `/v1/ideas/${draft.id}/submit`, { as: callers.school }));
  await evaluateAndPublish(ideas, draft.id);
  await waitFor(
    "the idea in the projection",
    async () => (await stored(h).ideas.findOne({ _id: draft.id })) !== null,
    60_000,
  );
  return draft.id;
}

describe("ideas -> adoption -> ideas", () => {
  it("publish, browse, hold, offer, accept, adopted, deliver, completed", async () => {
    const call = await ok(
      ideas.request("POST", "/v1/calls", { as: callers.staff, body: openCallBody() }),
      201,
    );
    const team = await ok(
      ideas.request("POST", "/v1/teams", { as: callers.school, body: teamBody(call.schoolYear as string) }),
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
    await evaluateAndPublish(ideas, draft.id);
    const ideaId = draft.id;

    // the company browses it in the adoption service (projection built from Kafka)
    const staff = client(h, { sub: "staff-lto", role: "staff", org: "provincia-mantova" });
    const { company } = await verifiedCompany(h, staff, 900);
    await caughtUp(h);
    const browsed = await waitFor("the idea in the browse list", async () => {
      const r = await company("GET", `/v1/ideas?district=viadana&technology=iot&limit=100`);
      return r.body.items.find((i: { id: string }) => i.id === ideaId);
    });
    expect(browsed).toMatchObject({
      title: ideaContent.title,
      area: "agroalimentare",
      schoolId: callers.school.org,
    });
    expect(browsed.memberPseudonyms).toEqual(["Volpe Blu", "Airone"]);

    await ok(company("POST", `/v1/ideas/${ideaId}/holds`, { hours: 72 }), 201);
    const offer = await ok(company("POST", `/v1/ideas/${ideaId}/offers`, offerBody), 201);

    // the call's adoption phase opens (the ideas service derives phases from its clock)
    ideas.clock.set(new Date(Date.now() + 45 * 86_400_000));
    const school = client(h, callers.school);
    const accepted = await school("POST", `/v1/offers/${offer.id}/accept`);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);

    const ideaState = async () =>
      (await ideas.request("GET", `/v1/ideas/${ideaId}`, { as: callers.school })).body.state;
    await waitFor("the idea adopted", async () => (await ideaState()) === "adopted", 60_000);

    // commitments logged by the company and confirmed by the school
    let etag = accepted.headers.get("etag")!;
    const step = async (res: Promise<Res>, status = 200) => {
      const r = await res;
      expect(r.status, JSON.stringify(r.body)).toBe(status);
      etag = r.headers.get("etag")!;
      return r.body;
    };
    const id = accepted.body.id;
    const last = (a: { records: { id: string }[] }) => a.records[a.records.length - 1]!.id;
    const logAndConfirm = async (body: unknown) => {
      const a = await step(company("POST", `/v1/adoptions/${id}/records`, body, { "if-match": etag }), 201);
      return step(
        school("POST", `/v1/adoptions/${id}/records/${last(a)}/confirm`, undefined, { "if-match": etag }),
      );
    };
    // deliveries happen on the adoption's days, up to today: the clock moves on 61 days to log them
    const on = (days: number) => dayOf(accepted.body.startedAt, days);
    h.clock.advance(61 * 24 * 3_600_000);
    await logAndConfirm({ kind: "kickoff", date: on(1) });
    await logAndConfirm({
      kind: "mentoring",
      date: on(8),
      hours: 3,
      pseudonyms: ["Volpe Blu", "Airone"],
    });
    await logAndConfirm({ kind: "funding", date: on(31), amountCents: 20_000 });
    await logAndConfirm({ kind: "equipment", date: on(32), item: "Arduino kit", quantity: 2 });
    let a = await step(
      company(
        "POST",
        `/v1/adoptions/${id}/records`,
        { kind: "internship", pseudonym: "Airone", startedOn: on(40) },
        { "if-match": etag },
      ),
      201,
    );
    const internship = last(a);
    await step(
      company(
        "POST",
        `/v1/adoptions/${id}/records/${internship}/end`,
        { endedOn: on(60), hours: 60 },
        { "if-match": etag },
      ),
    );
    a = await step(
      school("POST", `/v1/adoptions/${id}/records/${internship}/confirm`, undefined, { "if-match": etag }),
    );
    expect(a.status).toBe("completed");
    h.clock.advance(-61 * 24 * 3_600_000); // back where it was

    await waitFor("the idea completed", async () => (await ideaState()) === "completed", 60_000);
  }, 240_000);

  it("an offer is refused because the idea was withdrawn meanwhile", async () => {
    const ideaId = await publishInIdeas("Idea ritirata nel frattempo");
    const staff = client(h, { sub: "staff-lto", role: "staff", org: "provincia-mantova" });
    const { company } = await verifiedCompany(h, staff, 910);
    const offer = await ok(company("POST", `/v1/ideas/${ideaId}/offers`, offerBody), 201);
    const current = await ideas.request("GET", `/v1/ideas/${ideaId}`, { as: callers.school });
    await ok(
      ideas.request("POST", `/v1/ideas/${ideaId}/withdraw`, {
        as: callers.school,
        body: { reason: "Il team si è sciolto" },
        headers: { "if-match": current.headers.get("etag")! },
      }),
    );
    ideas.clock.set(new Date(Date.now() + 45 * 86_400_000));
    const refused = await client(h, callers.school)("POST", `/v1/offers/${offer.id}/accept`);
    expect(refused.status).toBe(409);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    await waitFor(
      "the offer cancelled",
      async () => (await company("GET", `/v1/offers/${offer.id}`)).body.status === "cancelled",
      60_000,
    );
  }, 120_000);

  it("the ideas service stopped during an accept: 503, retryable, nothing stored", async () => {
    const ideaId = await publishInIdeas("Idea durante il guasto");
    const staff = client(h, { sub: "staff-lto", role: "staff", org: "provincia-mantova" });
    const { company } = await verifiedCompany(h, staff, 920);
    const offer = await ok(company("POST", `/v1/ideas/${ideaId}/offers`, offerBody), 201);
    await ideas.running.stop();
    const r = await client(h, callers.school)("POST", `/v1/offers/${offer.id}/accept`);
    expect(r.status).toBe(503);
    expect(r.headers.get("retry-after")).toBeTruthy();
    expect((await company("GET", `/v1/offers/${offer.id}`)).body.status).toBe("open");
    expect((await staff("GET", `/v1/adoptions?ideaId=${ideaId}`)).body.items).toEqual([]);
  }, 120_000);
});
