// The service starts again on its own data (issue 7 item 1): stop, start on the same database, and a
// second instance beside the first; both answer for what the first one wrote.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callers, openCall, startIdeas, teamBody, type IdeasHarness } from "./support.js";

let first: IdeasHarness;
let beside: IdeasHarness | undefined;

beforeAll(async () => {
  first = await startIdeas();
});
afterAll(async () => {
  await beside?.close();
  await first?.close();
});

describe("restarting the ideas service on existing data", () => {
  it("starts again, and a second instance beside it, on the data the first wrote", async () => {
    const call = await openCall(first);
    const team = await first.request("POST", "/v1/teams", {
      as: callers.school,
      body: teamBody(call.schoolYear),
    });
    expect(team.status, JSON.stringify(team.body)).toBe(201);

    await first.restart();
    beside = await startIdeas({}, { sameStoreAs: first });
    for (const s of [first, beside]) {
      expect((await s.request("GET", `/v1/teams/${team.body.id}`, { as: callers.school })).status).toBe(200);
      expect((await s.request("GET", `/v1/calls/${call.id}`, { as: callers.staff })).status).toBe(200);
    }
  }, 120_000);
});
