// Holds, offers and accepts under contention and failure, on the real broker and store.
import { uniqueId } from "@lto/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  client,
  createCall,
  offerBody,
  publishIdea,
  startHarness,
  verifiedCompany,
  waitFor,
  withdrawIdea,
  type Client,
  type Harness,
  visible,
  stored,
} from "./support.js";

let h: Harness;
let staff: Client;
const schoolOrg = uniqueId("school");
let school: Client;

beforeAll(async () => {
  h = await startHarness();
  staff = client(h, { sub: uniqueId("staff"), role: "staff", org: "lto", sites: ["mantova"] });
  school = client(h, { sub: uniqueId("teacher"), role: "school", org: schoolOrg });
});
afterAll(async () => {
  await h?.close();
});

async function publishedAndVisible(spec: Parameters<typeof publishIdea>[1], panel: string[] = []) {
  return visible(h, await publishIdea(h, spec, panel));
}

describe("racing accepts", () => {
  it("exactly one adoption per idea when accepts of different offers race; the losers get 409", async () => {
    const ideaId = await publishedAndVisible({ schoolId: schoolOrg });
    const companies = await Promise.all([1, 2, 3, 4, 5].map((i) => verifiedCompany(h, staff, 100 + i)));
    const offers = [];
    for (const c of companies) {
      const r = await c.company("POST", `/v1/ideas/${ideaId}/offers`, offerBody);
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      offers.push(r.body.id as string);
    }
    const results = await Promise.all(offers.map((id) => school("POST", `/v1/offers/${id}/accept`)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409]);
    const winner = results.find((r) => r.status === 201)!.body;
    const adoptions = await staff("GET", `/v1/adoptions?ideaId=${ideaId}`);
    expect(adoptions.body.items.map((a: { id: string }) => a.id)).toEqual([winner.id]);
    const all = await staff("GET", `/v1/offers?ideaId=${ideaId}&limit=100`);
    const byStatus = all.body.items.map((o: { status: string }) => o.status).sort();
    expect(byStatus).toEqual(["accepted", "declined", "declined", "declined", "declined"]);
    for (const loser of results.filter((r) => r.status === 409))
      expect(loser.headers.get("content-type")).toContain("application/problem+json");
  });

  it("the same offer accepted twice at once yields one adoption", async () => {
    const ideaId = await publishedAndVisible({ schoolId: schoolOrg });
    const { company } = await verifiedCompany(h, staff, 200);
    const offer = await company("POST", `/v1/ideas/${ideaId}/offers`, offerBody);
    const results = await Promise.all(
      [1, 2, 3].map(() => school("POST", `/v1/offers/${offer.body.id}/accept`)),
    );
    expect(results.filter((r) => r.status === 201).length).toBeGreaterThanOrEqual(1);
    const ids = new Set(results.filter((r) => r.status === 201).map((r) => r.body.id));
    expect(ids.size).toBe(1);
    expect((await staff("GET", `/v1/adoptions?ideaId=${ideaId}`)).body.items).toHaveLength(1);
  });
});

describe("holds", () => {
  it("are exclusive, and lapse by the clock so the idea returns to the pool", async () => {
    const ideaId = await publishedAndVisible({ schoolId: schoolOrg });
    const a = await verifiedCompany(h, staff, 300);
    const b = await verifiedCompany(h, staff, 301);
    const hold = await a.company("POST", `/v1/ideas/${ideaId}/holds`, { hours: 24 });
    expect(hold.status).toBe(201);
    expect((await b.company("POST", `/v1/ideas/${ideaId}/holds`, {})).status).toBe(409);
    const blocked = await b.company("POST", `/v1/ideas/${ideaId}/offers`, offerBody);
    expect(blocked.status).toBe(409);
    expect(blocked.body.detail).toMatch(/holds this idea until/);

    h.clock.advance(25 * 3_600_000); // the sweeper (every 200 ms here) lapses it
    await waitFor(
      "the hold lapsed",
      async () => (await a.company("GET", `/v1/holds/${hold.body.id}`)).body.status === "lapsed",
    );
    h.clock.advance(-25 * 3_600_000);
    expect((await b.company("POST", `/v1/ideas/${ideaId}/offers`, offerBody)).status).toBe(201);
    // one hold per idea per company, ever
    expect((await a.company("POST", `/v1/ideas/${ideaId}/holds`, {})).status).toBe(409);
  });

  it("refuse more than 7 days", async () => {
    const ideaId = await publishedAndVisible({ schoolId: schoolOrg });
    const a = await verifiedCompany(h, staff, 310);
    const r = await a.company("POST", `/v1/ideas/${ideaId}/holds`, { hours: 169 });
    expect(r.status).toBe(400);
    expect(r.body.errors ?? r.body.issues ?? r.body).toBeTruthy();
  });
});

describe("withdrawn ideas", () => {
  it("cancel open holds and offers, and an accept meanwhile is refused", async () => {
    const ideaId = await publishedAndVisible({ schoolId: schoolOrg });
    const a = await verifiedCompany(h, staff, 400);
    const b = await verifiedCompany(h, staff, 401);
    const offer = await a.company("POST", `/v1/ideas/${ideaId}/offers`, offerBody);
    const hold = await b.company("POST", `/v1/ideas/${ideaId}/holds`, {});
    expect([offer.status, hold.status]).toEqual([201, 201]);

    await withdrawIdea(h, ideaId, schoolOrg); // the ideas service now answers "withdrawn" and emits the event
    const refused = await school("POST", `/v1/offers/${offer.body.id}/accept`);
    expect(refused.status).toBe(409);
    await waitFor(
      "the offer cancelled",
      async () => (await a.company("GET", `/v1/offers/${offer.body.id}`)).body.status === "cancelled",
    );
    expect((await b.company("GET", `/v1/holds/${hold.body.id}`)).body.status).toBe("cancelled");
    expect((await a.company("GET", `/v1/ideas/${ideaId}`)).body.status).toBe("withdrawn");
    expect((await a.company("POST", `/v1/ideas/${ideaId}/offers`, offerBody)).status).toBe(409);
    expect((await staff("GET", `/v1/adoptions?ideaId=${ideaId}`)).body.items).toHaveLength(0);
  });
});

describe("the ideas service down during an accept", () => {
  it("answers 503 with Retry-After, stores nothing, and the retry succeeds once it is back", async () => {
    const ideaId = await publishedAndVisible({ schoolId: schoolOrg });
    const a = await verifiedCompany(h, staff, 500);
    const offer = await a.company("POST", `/v1/ideas/${ideaId}/offers`, offerBody);
    const port = h.ideasServer.port;
    await h.ideasServer.stop();
    try {
      const r = await school("POST", `/v1/offers/${offer.body.id}/accept`);
      expect(r.status).toBe(503);
      expect(r.headers.get("retry-after")).toBeTruthy();
      expect(r.headers.get("content-type")).toContain("application/problem+json");
      expect((await a.company("GET", `/v1/offers/${offer.body.id}`)).body.status).toBe("open");
      expect((await staff("GET", `/v1/adoptions?ideaId=${ideaId}`)).body.items).toHaveLength(0);
    } finally {
      await h.ideasServer.start(port);
    }
    const retry = await waitFor("the accept to succeed once the ideas service is back", async () => {
      const r = await school("POST", `/v1/offers/${offer.body.id}/accept`);
      return r.status === 201 && r;
    });
    expect(retry.body).toMatchObject({ ideaId, status: "active" });
  });
});

describe("conflict of interest", () => {
  it("a company on the call's evaluation panel cannot hold, offer or be accepted", async () => {
    const a = await verifiedCompany(h, staff, 600);
    const callId = uniqueId("call");
    await createCall(h, callId, ["lto", a.orgId]);
    await waitFor(
      "the call in the projection",
      async () => (await stored(h).calls.findOne({ _id: callId })) !== null,
    );
    const ideaId = await publishedAndVisible({ schoolId: schoolOrg, callId }, ["lto", a.orgId]);
    const hold = await a.company("POST", `/v1/ideas/${ideaId}/holds`, {});
    expect(hold.status).toBe(409);
    expect(hold.body.detail).toMatch(/conflict of interest/);
    expect((await a.company("POST", `/v1/ideas/${ideaId}/offers`, offerBody)).status).toBe(409);
  });

  it("a conflict only the ideas service knows is caught at accept: 409 and the offer declined", async () => {
    const a = await verifiedCompany(h, staff, 610);
    // the local projection's panel of the call is empty (stale); only the ideas service knows a is on it
    const callId = uniqueId("stale-call");
    await createCall(h, callId, []);
    await waitFor(
      "the call in the projection",
      async () => (await stored(h).calls.findOne({ _id: callId })) !== null,
    );
    const ideaId = await publishedAndVisible({ schoolId: schoolOrg, callId }, [a.orgId]);
    const offer = await a.company("POST", `/v1/ideas/${ideaId}/offers`, offerBody);
    expect(offer.status).toBe(201);
    const r = await school("POST", `/v1/offers/${offer.body.id}/accept`);
    expect(r.status).toBe(409);
    expect(r.body.reason ?? r.body.details?.reason ?? JSON.stringify(r.body)).toMatch(/conflict_of_interest/);
    expect((await a.company("GET", `/v1/offers/${offer.body.id}`)).body.status).toBe("declined");
  });
});

describe("holds and offers only in the call's adoption phase (issue 7 item 11)", () => {
  const ideaInCall = async (window: { fromDays: number; toDays: number }) => {
    const callId = uniqueId("call");
    await createCall(h, callId, [], window);
    await waitFor(
      "the call in the projection",
      async () => (await stored(h).calls.findOne({ _id: callId })) !== null,
    );
    return publishedAndVisible({ schoolId: schoolOrg, callId });
  };

  it("refuses a hold or an offer before the phase opens with a 409 naming the phase and when it opens", async () => {
    const ideaId = await ideaInCall({ fromDays: 40, toDays: 120 }); // the call is in its submission phase
    const a = await verifiedCompany(h, staff, 800);
    for (const r of [
      await a.company("POST", `/v1/ideas/${ideaId}/holds`, {}),
      await a.company("POST", `/v1/ideas/${ideaId}/offers`, offerBody),
    ]) {
      expect(r.status).toBe(409);
      expect(r.headers.get("content-type")).toContain("application/problem+json");
      expect(r.body.detail).toMatch(/not in its adoption phase yet: it opens on \d{4}-\d{2}-\d{2}T/);
      expect(r.body.reason ?? r.body.details?.reason).toBe("adoption_phase_not_started");
    }
    expect(await stored(h).holds.countDocuments({ ideaId })).toBe(0);
    expect(await stored(h).offers.countDocuments({ ideaId })).toBe(0);
  });

  it("refuses them once the phase is over, and a hold never outlasts the phase", async () => {
    const over = await ideaInCall({ fromDays: -120, toDays: -10 });
    const a = await verifiedCompany(h, staff, 810);
    const late = await a.company("POST", `/v1/ideas/${over}/holds`, {});
    expect(late.status).toBe(409);
    expect(late.body.reason ?? late.body.details?.reason).toBe("adoption_phase_ended");
    expect((await a.company("POST", `/v1/ideas/${over}/offers`, offerBody)).status).toBe(409);

    const closing = await ideaInCall({ fromDays: -30, toDays: 2 });
    const call = await stored(h).calls.findOne({
      _id: (await stored(h).ideas.findOne({ _id: closing }))!.callId,
    });
    const hold = await a.company("POST", `/v1/ideas/${closing}/holds`, { hours: 168 });
    expect(hold.status).toBe(201);
    expect(new Date(hold.body.expiresAt).getTime()).toBe((call!.adoptionEndsAt as Date).getTime());
  });
});
