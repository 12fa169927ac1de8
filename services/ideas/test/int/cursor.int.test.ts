// One cursor codec for every list (issue 7 item 5): a cursor the service did not give out is a 400
// naming the cursor, and a real next cursor still pages.
import { expectForeignCursorsRefused } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  callers,
  day,
  ideaContent,
  openCall,
  openCallBody,
  startIdeas,
  teamBody,
  type IdeasHarness,
} from "./support.js";

let h: IdeasHarness;
const LISTS = ["/v1/calls", "/v1/teams", "/v1/ideas"];

beforeAll(async () => {
  h = await startIdeas();
  const call = await openCall(h);
  // Three calls, two of them in their submission phase: enough for more than one page of each list.
  for (const [title, submissionFrom] of [
    ["LTO Idee seconda", -3],
    ["LTO Idee futura", 3],
  ] as const) {
    const { phaseStarts } = openCallBody();
    await openCall(h, {
      title,
      phaseStarts: { ...phaseStarts, submission: day(submissionFrom, new Date()) },
    });
  }
  for (let i = 0; i < 3; i++) {
    const team = await h.request("POST", "/v1/teams", {
      as: callers.school,
      body: teamBody(call.schoolYear, { name: `Squadra ${i}` }),
    });
    expect(team.status).toBe(201);
    const idea = await h.request("POST", "/v1/ideas", {
      as: callers.school,
      body: {
        ...ideaContent,
        title: `${ideaContent.title} ${i}`,
        callId: call.id,
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

  it("calls page within a phase: the filter holds on every page", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await h.request(
        "GET",
        `/v1/calls?phase=submission&limit=1${cursor ? `&cursor=${cursor}` : ""}`,
        { as: callers.school },
      );
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      expect(page.body.items).toHaveLength(1);
      expect(page.body.items[0].phase).toBe("submission");
      seen.push(page.body.items[0].title as string);
      cursor = page.body.nextCursor as string | undefined;
    } while (cursor && seen.length < 5);
    expect(seen).toEqual(["LTO Idee seconda", "LTO Idee test"]);
    const upcoming = await h.request("GET", "/v1/calls?phase=upcoming", { as: callers.school });
    expect(upcoming.body.items.map((c: { title: string }) => c.title)).toEqual(["LTO Idee futura"]);
  });
});
