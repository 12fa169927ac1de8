// One cursor codec for every list (issue 7 item 5): a cursor the service did not give out is a 400
// naming the cursor, and a real next cursor still pages.
import { expectForeignCursorsRefused } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callers, ideaContent, openCallBody, startIdeas, teamBody, type IdeasHarness } from "./support.js";

let h: IdeasHarness;
const LISTS = ["/v1/teams", "/v1/ideas"];

beforeAll(async () => {
  h = await startIdeas();
  const call = await h.request("POST", "/v1/calls", { as: callers.staff, body: openCallBody() });
  expect(call.status).toBe(201);
  for (let i = 0; i < 3; i++) {
    const team = await h.request("POST", "/v1/teams", {
      as: callers.school,
      body: teamBody(call.body.schoolYear, { name: `Squadra ${i}` }),
    });
    expect(team.status).toBe(201);
    const idea = await h.request("POST", "/v1/ideas", {
      as: callers.school,
      body: {
        ...ideaContent,
        title: `${ideaContent.title} ${i}`,
        callId: call.body.id,
        teamId: team.body.id,
      },
    });
    expect(idea.status, JSON.stringify(idea.body)).toBe(201);
  }
});
afterAll(async () => {
  await h?.close();
});

describe("list cursors", () => {
  it("every list answers 400 naming the cursor to a cursor it did not give out", async () => {
    await expectForeignCursorsRefused(LISTS, (path) => h.request("GET", path, { as: callers.school }));
  });

  it("a next cursor pages through without repeats", async () => {
    for (const path of LISTS) {
      const first = await h.request("GET", `${path}?limit=2`, { as: callers.school });
      expect(first.status).toBe(200);
      expect(first.body.items).toHaveLength(2);
      const next = await h.request("GET", `${path}?limit=2&cursor=${first.body.nextCursor}`, {
        as: callers.school,
      });
      expect(next.status, JSON.stringify(next.body)).toBe(200);
      const ids = [...first.body.items, ...next.body.items].map((i: { id: string }) => i.id);
      expect(ids).toHaveLength(3);
      expect(new Set(ids).size).toBe(3);
      expect(next.body.nextCursor).toBeUndefined();
    }
  });
});
