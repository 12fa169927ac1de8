// The demo catalogue `npm start` loads on an empty store (and `npm run seed` loads again, idempotently):
// courses from DigComp level 1 to 6 for every audience, with sessions at the six sites this school year.
import { addDays, romeDate, schoolYearDays, schoolYearOf } from "@lto/civil-time";
import { SITES } from "@lto/reference";
import { getInfra } from "@lto/testkit";
import type { TestService } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUDIENCES } from "../../src/domain/index.js";
import { runCatalogueSeed } from "../../src/seed/index.js";
import { allPages, callers, startCatalogue } from "./support.js";

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

/** Every session of every published course, as the programme office reads them (all states). */
async function allSessions() {
  const programme = svc.as(callers.programme);
  const sessions: Record<string, unknown>[] = [];
  for (const course of await all("/v1/courses")) {
    const res = await programme.get(`/v1/courses/${course.id as string}/sessions?limit=100`);
    expect(res.status).toBe(200);
    sessions.push(...res.body.items);
  }
  return sessions;
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

  it("has full sessions with people waiting, enrolled through the enrolment use cases", async () => {
    const full = (await allSessions()).filter((s) => s.freeSeats === 0);
    expect(full).toHaveLength(3);
    for (const s of full) {
      const res = await allPages(svc.as(callers.admin), `/v1/sessions/${s.id as string}/enrolments`);
      const { capacity, seatsTaken } = res.pages[0]!;
      expect(seatsTaken).toBe(capacity);
      const statuses = (res.items as { status: string }[]).map((e) => e.status);
      expect(statuses.filter((x) => x === "confirmed")).toHaveLength(capacity as number);
      expect(statuses.filter((x) => x === "waitlisted")).toHaveLength(3);
      expect(s.state).toBe("scheduled");
    }
  });

  it("has recently completed sessions, with attendance, outcomes and valid credentials", async () => {
    // This school year's, or last year's (ending in June) when September leaves no room yet.
    const { first } = schoolYearDays(schoolYearOf(new Date()));
    const lastYear = addDays(first, -200);
    const completed = (await allSessions()).filter((s) => s.state === "completed");
    expect(completed).toHaveLength(3);
    const admin = svc.as(callers.admin);
    for (const s of completed) {
      expect((s.firstDay as string) >= lastYear && (s.lastDay as string) < romeDate(new Date())).toBe(true);
      const meetings = s.meetings as { id: string }[];
      const register = await admin.get(
        `/v1/sessions/${s.id as string}/meetings/${meetings[1]!.id}/attendance`,
      );
      expect(register.status).toBe(200);
      const outcomes = await admin.get(`/v1/sessions/${s.id as string}/completion`);
      expect(outcomes.status).toBe(200);
      const list = outcomes.body.outcomes as { outcome: string; credentialId?: string }[];
      expect(list.map((o) => o.outcome).sort()).toEqual([...Array(5).fill("completed"), "not_completed"]);
      for (const o of list.filter((x) => x.outcome === "completed")) {
        const jwt = await admin.request("GET", `/v1/credentials/${o.credentialId!}`, {
          headers: { accept: "application/vc+jwt" },
        });
        expect(jwt.status).toBe(200);
        const verdict = await svc.as().post("/v1/credentials/verify", { credential: jwt.text });
        expect(verdict.body.verdict).toBe("valid");
      }
    }
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
    expect(again.created).toEqual({ courses: 0, sessions: 0, enrolments: 0, credentials: 0 });
    // Nothing changed in the sessions it had filled or completed either.
    const sessions = await allSessions();
    expect(sessions.filter((s) => s.freeSeats === 0)).toHaveLength(3);
    expect(sessions.filter((s) => s.state === "completed")).toHaveLength(3);
  });
});
