// Every list of the catalogue pages with the platform cursor (issue 11: "every list pages"): walked
// through the public API with a small limit, each list gives every item exactly once, in its order,
// with waiting positions right on every page; a tampered cursor or a bad limit is a 400 naming it.
import type { TokenClaims } from "@lto/auth";
import { addDays, romeDate } from "@lto/civil-time";
import { uniqueId } from "@lto/testkit";
import type { Client, TestService } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  allPages,
  callers,
  confirmEnrolmentsFixture,
  courseBody,
  ok,
  sessionBody,
  startCatalogue,
  type ListPage,
} from "./support.js";

let svc: TestService;
const staff = () => svc.as(callers.staff);
const learner = (sub: string): TokenClaims => ({ sub, role: "learner", org: sub });
const company = (): TokenClaims => ({ sub: uniqueId("hr"), role: "company", org: uniqueId("company") });
const SECOND = 1000;

async function publishedCourse(title: string) {
  const draft = await ok(staff(), "POST", "/v1/courses", courseBody({ titleIt: title }));
  await ok(staff(), "POST", `/v1/courses/${draft.id}/publish`);
  return draft.id as string;
}
async function openSession(title: string, capacity = 5) {
  const courseId = await publishedCourse(title);
  return (await ok(staff(), "POST", "/v1/sessions", sessionBody(courseId, { capacity }))).id as string;
}
/** A session whose meetings are over, `people` confirmed, present at each meeting and passed: credentials. */
async function completedSession(title: string, people: string[]) {
  const today = romeDate(new Date());
  const courseId = await publishedCourse(title);
  const window = { enrolment: { opensOn: addDays(today, -30), closesOn: addDays(today, -21) } };
  const s = await ok(staff(), "POST", "/v1/sessions", sessionBody(courseId, window, -20));
  await confirmEnrolmentsFixture(svc, s.id, people);
  for (const m of s.meetings as { id: string }[])
    await ok(staff(), "PUT", `/v1/sessions/${s.id}/meetings/${m.id}/attendance`, {
      marks: people.map((personId) => ({ personId, status: "present" })),
    });
  const done = await ok(staff(), "POST", `/v1/sessions/${s.id}/completion`, {
    assessments: people.map((personId) => ({ personId, result: "passed" })),
  });
  return Object.fromEntries(
    (done.outcomes as { personId: string; credentialId: string }[]).map((o) => [o.personId, o.credentialId]),
  );
}

/**
 * Walks the list `limit` at a time: every page but the last is full and names the next; nothing is
 * repeated. Returns the items in the order the pages gave them, and the pages.
 */
async function walk(client: Client, path: string, limit: number, key = "id") {
  const { items, pages } = await allPages(client, path, limit);
  pages.forEach((page, i) => {
    const last = i === pages.length - 1;
    expect(page.items.length, `page ${i + 1} of ${path}`).toBe(last ? page.items.length : limit);
    expect(page.items.length).toBeLessThanOrEqual(limit);
    expect(page.nextCursor === undefined, `page ${i + 1} of ${path}: nextCursor`).toBe(last);
  });
  const keys = items.map((item) => String(item[key]));
  expect(new Set(keys).size, `${path}: an item repeated`).toBe(keys.length);
  return { items, keys, pages };
}

/** A cursor the list did not give out, and limits out of range, are 400s naming the parameter. */
async function refusesBadPaging(client: Client, path: string) {
  const first = (await ok(client, "GET", `${path}${path.includes("?") ? "&" : "?"}limit=1`)) as ListPage;
  expect(first.nextCursor, `${path} has a second page`).toBeTruthy();
  const cursor = first.nextCursor!;
  const tampered = [
    `${cursor[0] === "e" ? "f" : "e"}${cursor.slice(1)}`, // one byte changed
    `${cursor}x`, // one byte added
    Buffer.from(JSON.stringify({ id: { $gt: "" } })).toString("base64url"), // an operator for the store
    Buffer.from(JSON.stringify({ id: "z", key: { $ne: null } })).toString("base64url"),
  ];
  const sep = path.includes("?") ? "&" : "?";
  for (const bad of tampered) {
    const res = await client.get(`${path}${sep}limit=1&cursor=${encodeURIComponent(bad)}`);
    expect(res.status, `${path} cursor ${bad}`).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/problem\+json/);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain("cursor");
  }
  for (const limit of ["0", "101", "abc", "2.5"]) {
    const res = await client.get(`${path}${sep}limit=${limit}`);
    expect(res.status, `${path} limit=${limit}`).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain("limit");
  }
}

beforeAll(async () => {
  svc = await startCatalogue();
}, 120_000);

afterAll(async () => {
  await svc?.close();
});

describe("enrolment lists page", () => {
  it("a session's enrolments: first come first, every waiting position of the whole line", async () => {
    const sessionId = await openSession("Corso affollato", 2);
    const people = Array.from({ length: 7 }, (_, i) => `crowd-${i}`);
    const enrolmentIds: string[] = [];
    for (const personId of people) {
      svc.clock.advance(SECOND); // the order they came is the order of the list and of the line
      enrolmentIds.push((await ok(staff(), "POST", `/v1/sessions/${sessionId}/enrolments`, { personId })).id);
    }
    const path = `/v1/sessions/${sessionId}/enrolments`;
    const line = (items: Record<string, unknown>[]) => items.map((e) => [e.personId, e.status, e.position]);
    for (const limit of [2, 3]) {
      const { items, keys, pages } = await walk(staff(), path, limit);
      expect(keys).toEqual(enrolmentIds);
      expect(line(items)).toEqual([
        ["crowd-0", "confirmed", undefined],
        ["crowd-1", "confirmed", undefined],
        ["crowd-2", "waitlisted", 1],
        ["crowd-3", "waitlisted", 2],
        ["crowd-4", "waitlisted", 3],
        ["crowd-5", "waitlisted", 4],
        ["crowd-6", "waitlisted", 5],
      ]);
      for (const page of pages) expect(page).toMatchObject({ capacity: 2, seatsTaken: 2 });
    }
    // The first waiting person leaves: everyone behind moves up, on every page.
    await ok(staff(), "POST", `/v1/enrolments/${enrolmentIds[2]}/withdrawal`, {});
    const after = await walk(svc.as(callers.programme), path, 2);
    expect(after.keys).toEqual(enrolmentIds);
    expect(line(after.items)).toEqual([
      ["crowd-0", "confirmed", undefined],
      ["crowd-1", "confirmed", undefined],
      ["crowd-2", "withdrawn", undefined],
      ["crowd-3", "waitlisted", 1],
      ["crowd-4", "waitlisted", 2],
      ["crowd-5", "waitlisted", 3],
      ["crowd-6", "waitlisted", 4],
    ]);
    await refusesBadPaging(staff(), path);
  });

  it("the caller's enrolments: newest first, a waiting one with its place in line", async () => {
    const me = svc.as(learner("many-courses"));
    const full = await openSession("Corso pieno", 1);
    await ok(staff(), "POST", `/v1/sessions/${full}/enrolments`, { personId: "holder" });
    svc.clock.advance(SECOND);
    await ok(staff(), "POST", `/v1/sessions/${full}/enrolments`, { personId: "ahead" });
    const sessions = [
      await openSession("Corso A"),
      await openSession("Corso B"),
      full,
      await openSession("Corso C"),
      await openSession("Corso D"),
    ];
    const mine: string[] = [];
    for (const sessionId of sessions) {
      svc.clock.advance(SECOND);
      mine.push((await ok(me, "POST", `/v1/sessions/${sessionId}/enrolments`, {})).id);
    }
    for (const limit of [1, 2]) {
      const { items, keys } = await walk(me, "/v1/enrolments/mine", limit);
      expect(keys).toEqual([...mine].reverse());
      expect(items.map((e) => [e.sessionId, e.status, e.position])).toEqual(
        [...sessions].reverse().map((s) => (s === full ? [s, "waitlisted", 2] : [s, "confirmed", undefined])),
      );
    }
    await refusesBadPaging(me, "/v1/enrolments/mine");
    // An id-order cursor (another list's) is refused here: this list resumes on (createdAt, id).
    const other = (await ok(staff(), "GET", "/v1/courses?limit=1&state=published")) as ListPage;
    const res = await me.get(`/v1/enrolments/mine?limit=1&cursor=${encodeURIComponent(other.nextCursor!)}`);
    expect(res.status).toBe(400);
  });
});

describe("credential, passport, talent and self-check lists page", () => {
  const ada = learner("ada-paging");
  const bea = learner("bea-paging");
  const cloe = learner("cloe-paging");
  let credentials: string[] = [];
  let profiles: Record<string, string> = {};

  beforeAll(async () => {
    const people = [ada.sub, bea.sub, cloe.sub];
    credentials = [];
    for (const title of ["Fogli di calcolo", "Sicurezza online", "Programmare con Python"])
      credentials.push((await completedSession(title, people))[ada.sub]!);
    profiles = {};
    for (const who of [ada, bea, cloe]) {
      const own = (await allPages(svc.as(who), "/v1/credentials/mine")).items;
      const profile = await ok(svc.as(who), "PUT", "/v1/talent/profile/mine", {
        birthDate: "1995-05-20",
        credentialIds: own.map((c) => c.id),
        district: "mantova",
        areas: ["cultura"],
        headline: "Cerco lavoro nel digitale",
      });
      profiles[who.sub] = profile.profileId;
    }
  }, 240_000);

  it("the caller's credentials, newest first, and the passport without the revoked ones", async () => {
    const { items, keys } = await walk(svc.as(ada), "/v1/credentials/mine", 2);
    expect(keys).toEqual([...credentials].reverse());
    expect(items.every((c) => c.personId === ada.sub)).toBe(true);
    await refusesBadPaging(svc.as(ada), "/v1/credentials/mine");

    await ok(staff(), "POST", `/v1/credentials/${credentials[1]}/revocation`, {
      reason: "Rilasciata per errore",
    });
    const revoked = await walk(svc.as(ada), "/v1/credentials/mine", 2);
    expect(revoked.keys).toEqual([...credentials].reverse());
    expect(revoked.items.map((c) => c.revoked)).toEqual([false, true, false]);
    const passport = await walk(svc.as(ada), "/v1/passport/mine", 1, "credentialId");
    expect(passport.keys).toEqual([credentials[2], credentials[0]]);
    for (const page of passport.pages) expect(page.personId).toBe(ada.sub);
    const read = await walk(
      svc.as(callers.programme),
      `/v1/passport/${ada.sub}?reason=Controllo`,
      1,
      "credentialId",
    );
    expect(read.keys).toEqual(passport.keys);
    await refusesBadPaging(svc.as(ada), "/v1/passport/mine");
    await refusesBadPaging(svc.as(callers.programme), `/v1/passport/${ada.sub}?reason=Controllo`);
  });

  it("who looked at the profile, and the contact requests on both sides, newest first", async () => {
    const companies = [company(), company(), company()];
    const requests: string[] = [];
    for (const c of companies) {
      await ok(svc.as(c), "GET", `/v1/talent/profiles/${profiles[ada.sub]}`);
      const sent = await ok(svc.as(c), "POST", `/v1/talent/profiles/${profiles[ada.sub]}/contact-requests`, {
        message: "Buongiorno, possiamo sentirci?",
      });
      requests.push(sent.id);
    }
    const views = await walk(svc.as(ada), "/v1/talent/profile/mine/views", 2, "companyId");
    expect(views.keys).toEqual(companies.map((c) => c.org).reverse());
    expect(views.items.every((v) => v.profileId === profiles[ada.sub])).toBe(true);
    await refusesBadPaging(svc.as(ada), "/v1/talent/profile/mine/views");

    const received = await walk(svc.as(ada), "/v1/talent/contact-requests/mine", 2);
    expect(received.keys).toEqual([...requests].reverse());
    await refusesBadPaging(svc.as(ada), "/v1/talent/contact-requests/mine");

    // one company asking three people sees its own three, newest first
    const hr = companies[0]!;
    const more: string[] = [requests[0]!];
    for (const who of [bea, cloe])
      more.push(
        (
          await ok(svc.as(hr), "POST", `/v1/talent/profiles/${profiles[who.sub]}/contact-requests`, {
            message: "Buongiorno, possiamo sentirci?",
          })
        ).id,
      );
    const sent = await walk(svc.as(hr), "/v1/talent/contact-requests/mine", 2);
    expect(sent.keys).toEqual([...more].reverse());
    expect(sent.items.every((r) => r.companyId === hr.org)).toBe(true);
    await refusesBadPaging(svc.as(hr), "/v1/talent/contact-requests/mine");
  });

  it("the caller's self-checks, newest first, with every placement on each page", async () => {
    const me = svc.as(bea);
    const checks: string[] = [];
    for (const [competence, answers] of [
      ["3.4", [2, 2, 0, 0]],
      ["1.1", [3, 3, 3, 3]],
      ["3.4", [3, 3, 0, 0]],
    ] as const)
      checks.push(
        (
          await ok(me, "POST", "/v1/self-checks", {
            framework: "digcomp",
            version: "2.2",
            answers: [{ competence, answers }],
          })
        ).id,
      );
    const { keys, pages } = await walk(me, "/v1/self-checks/mine", 2);
    expect(keys).toEqual([...checks].reverse());
    for (const page of pages)
      expect((page.placements as { competence: string }[]).map((p) => p.competence).sort()).toEqual([
        "1.1",
        "3.4",
      ]);
    await refusesBadPaging(me, "/v1/self-checks/mine");
  });
});

describe("a site's calendar pages", () => {
  it("GET /v1/sessions?site&from&to: the site's sessions meeting in the range, any state, a page at a time", async () => {
    // Sessions 200 days ahead meet on days no other test of this file uses: the range holds only these.
    const courseId = await publishedCourse("Corso della settimana");
    const start = addDays(romeDate(new Date()), 200);
    const made: string[] = [];
    for (let i = 0; i < 3; i++)
      made.push((await ok(staff(), "POST", "/v1/sessions", sessionBody(courseId, {}, 200))).id);
    const cancelled = made[2]!;
    await ok(staff(), "POST", `/v1/sessions/${cancelled}/cancel`, { reason: "Aula non disponibile" });
    // A week holding the second meeting (day +7) only.
    const week = `/v1/sessions?site=lto-mantova&from=${addDays(start, 5)}&to=${addDays(start, 9)}`;
    const { items, keys } = await walk(staff(), week, 2);
    expect(new Set(keys)).toEqual(new Set(made));
    expect(items.find((s) => s.id === cancelled)?.state).toBe("cancelled");
    // Out of range, and another site: none of them.
    const before = (await ok(
      staff(),
      "GET",
      `/v1/sessions?site=lto-mantova&to=${addDays(start, -1)}&from=${addDays(start, -3)}`,
    )) as ListPage;
    expect(before.items.map((s) => s.id)).not.toEqual(expect.arrayContaining([made[0]]));
    const admin = svc.as(callers.admin);
    const elsewhere = (await ok(admin, "GET", "/v1/sessions?site=lto-asola")) as ListPage;
    expect(elsewhere.items.map((s) => s.id)).not.toContain(made[0]);
    await refusesBadPaging(staff(), week);
    // Staff of another site are refused with the site named.
    const other = await svc.as(callers.otherSiteStaff).get(week);
    expect(other.status).toBe(403);
    expect(other.body.detail).toContain("lto-mantova");
  });
});
