// The demo catalogue `npm start` loads on an empty store (and `npm run seed` loads again, idempotently):
// courses from DigComp level 1 to 6 for every audience, with sessions at the six sites this school year.
import { addDays, romeDate } from "@lto/civil-time";
import { SITES } from "@lto/reference";
import { getInfra } from "@lto/testkit";
import type { TestService } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUDIENCES } from "../../src/domain/index.js";
import { runCatalogueSeed } from "../../src/seed/index.js";
import { callers, startCatalogue } from "./support.js";

let svc: TestService;

beforeAll(async () => {
  svc = await startCatalogue({ env: { SEED_DEMO_WHEN_EMPTY: "true" } });
});
afterAll(async () => {
  await svc?.close();
});

async function all(path: string) {
  const items: Record<string, unknown>[] = [];
  let cursor: string | undefined;
  do {
    const res = await svc
      .as()
      .get(`${path}${path.includes("?") ? "&" : "?"}limit=100${cursor ? `&cursor=${cursor}` : ""}`);
    expect(res.status).toBe(200);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return items;
}

describe("the Mantova demo catalogue", () => {
  it("has published courses at levels 1 to 6 for every audience, with sessions at the six sites this school year", async () => {
    const courses = await all("/v1/courses");
    expect(courses.length).toBeGreaterThanOrEqual(15);
    for (const audience of AUDIENCES) {
      const levels = courses
        .filter((c) => (c.audiences as string[]).includes(audience))
        .flatMap((c) => (c.competences as { level: number }[]).map((m) => m.level));
      expect(levels.length, audience).toBeGreaterThan(0);
    }
    const levels = new Set(
      courses.flatMap((c) => (c.competences as { level: number }[]).map((m) => m.level)),
    );
    expect([...levels].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    // Upcoming: from two weeks to about ten weeks after the day the demo is loaded.
    const today = romeDate(new Date());
    const sites = new Set<string>();
    for (const course of courses) {
      const sessions = await all(`/v1/courses/${course.id as string}/sessions`);
      expect(sessions.length).toBeGreaterThan(0);
      for (const s of sessions) {
        sites.add(s.site as string);
        const firstDay = s.firstDay as string;
        expect(firstDay > today && firstDay <= addDays(today, 70), `${firstDay}`).toBe(true);
      }
    }
    expect([...sites].sort()).toEqual([...SITES].sort());
  });

  it("has a partner body's course waiting for review, seen by staff only", async () => {
    const submitted = await svc.as(callers.staff).get("/v1/courses?state=submitted");
    expect(submitted.body.items.map((c: { providerId: string }) => c.providerId)).toContain(
      "partner-cfp-for-ma",
    );
    expect((await svc.as().get(`/v1/courses/${submitted.body.items[0].id}`)).status).toBe(404);
  });

  it("`npm run seed` on the same store creates nothing twice", async () => {
    const infra = await getInfra();
    const again = await runCatalogueSeed({
      MONGO_URL: infra.mongoUrl,
      MONGO_DB: svc.dbName,
      NODE_ENV: "test",
    });
    expect(again.created).toEqual({ courses: 0, sessions: 0 });
  });
});
