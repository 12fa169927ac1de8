// The Mantova demo: loaded by the service on an empty store, every idea state present, idempotent.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IDEA_STATES, schoolYearOf } from "../../src/domain/index.js";
import { runIdeasSeed } from "../../src/seed/index.js";
import { callers, startIdeas, type IdeasHarness } from "./support.js";

let h: IdeasHarness;

beforeAll(async () => {
  h = await startIdeas({ SEED_DEMO_WHEN_EMPTY: "true" });
});

afterAll(async () => {
  await h?.close();
});

describe("demo data", () => {
  it("has an open and a challenge call for the current school year", async () => {
    const calls = (await h.request("GET", "/v1/calls")).body.items;
    const current = calls.filter((c: { schoolYear: string }) => c.schoolYear === schoolYearOf(new Date()));
    expect(current.map((c: { model: string }) => c.model).sort()).toEqual(["challenge", "open"]);
    expect(current.find((c: { model: string }) => c.model === "challenge").sponsor.name).toBe(
      "Officine Meccaniche Virgiliane S.r.l.",
    );
  });

  it("has a call in its adoption phase today, with published ideas a company can adopt (issue 7 item 11)", async () => {
    const calls = (await h.request("GET", "/v1/calls")).body.items as { id: string; phase: string }[];
    const adopting = calls.filter((c) => c.phase === "adoption");
    expect(adopting.length).toBeGreaterThan(0);
    const published = (await h.request("GET", "/v1/ideas?state=published&limit=100")).body.items as {
      callId: string;
    }[];
    expect(published.some((i) => adopting.some((c) => c.id === i.callId))).toBe(true);
  });

  it("has ideas in every state, from schools of several districts", async () => {
    const ideas = (await h.request("GET", "/v1/ideas?limit=100", { as: callers.admin })).body.items;
    expect(new Set(ideas.map((i: { state: string }) => i.state))).toEqual(new Set(IDEA_STATES));
    expect(new Set(ideas.map((i: { district: string }) => i.district)).size).toBe(6);
    const teams = (await h.request("GET", "/v1/teams?limit=100", { as: callers.staff })).body.items;
    expect(teams.some((t: { schoolName: string }) => t.schoolName === "CFP For.Ma Castiglione")).toBe(true);
    const published = (await h.request("GET", "/v1/ideas?state=published")).body.items;
    expect(published.length).toBeGreaterThan(0);
  });

  it("does not duplicate anything when loaded again", async () => {
    // Through the public seed entry, as `npm run seed` loads it.
    const again = await runIdeasSeed({ NODE_ENV: "test", MONGO_URL: h.mongoUrl, MONGO_DB: h.dbName });
    expect(again.created).toEqual({ calls: 0, teams: 0, ideas: 0 });
  });
});
