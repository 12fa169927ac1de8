// Course suggestions for adopted teams, on the real broker and store: ideas and adoption events produced
// onto the real topics as their services publish them, the catalogue's consumer projecting them, the
// suggestions read through the public API; redelivery, out-of-order and poison events; the role matrix.
import { AdoptionEndedEvent, dlqTopic, IdeaAdoptedEvent, IdeaPublishedEvent, topics } from "@lto/contracts";
import { groupLag, uniqueId, waitFor } from "@lto/testkit";
import {
  eventProducer,
  watchTopic,
  type EventProducer,
  type TestService,
  type TopicWatch,
} from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  allPages,
  callers,
  courseBody,
  ok,
  sessionBody,
  startCatalogue,
  type CallerName,
} from "./support.js";
import { adoptionEnded, caughtUp, ideaAdopted, ideaPublished, produce, storedDb } from "./suggest-support.js";

let svc: TestService;
let events: EventProducer;
let dlq: TopicWatch;
let db: Awaited<ReturnType<typeof storedDb>>;
const school = callers.school.org;
const courseIds: Record<string, string> = {};

const admin = () => svc.as(callers.admin);
const schoolClient = () => svc.as(callers.school);

/** A published course (admin, any site) with one open session at `sessionSite`. */
async function course(name: string, over: Record<string, unknown>, sessionSite?: string) {
  const draft = await ok(admin(), "POST", "/v1/courses", courseBody({ titleIt: `Corso ${name}`, ...over }));
  await ok(admin(), "POST", `/v1/courses/${draft.id}/publish`);
  if (sessionSite) await ok(admin(), "POST", "/v1/sessions", sessionBody(draft.id, { site: sessionSite }));
  courseIds[name] = draft.id;
  return draft.id as string;
}
const digcomp = (competence: string, level: number) => [
  { framework: "digcomp", version: "2.2", competence, level },
];

async function suggestions(teamId: string) {
  const res = await schoolClient().get(`/v1/teams/${teamId}/suggestions`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** Waits until the team's suggestions satisfy `pred`. */
async function until(
  teamId: string,
  what: string,
  pred: (body: { items: { students: { courseId: string }[] }[] }) => boolean,
) {
  return waitFor(
    what,
    async () => {
      const res = await schoolClient().get(`/v1/teams/${teamId}/suggestions`);
      return res.status === 200 && pred(res.body) ? res.body : undefined;
    },
    30_000,
  );
}

async function adoptionTopicDone() {
  await waitFor(
    "the adoption topic consumed",
    async () => (await groupLag(svc.groupId, topics.adoption)) === 0,
    30_000,
  );
}
async function ideasTopicDone() {
  await waitFor(
    "the ideas topic consumed",
    async () => (await groupLag(svc.groupId, topics.ideas)) === 0,
    30_000,
  );
}

beforeAll(async () => {
  svc = await startCatalogue();
  events = await eventProducer();
  db = await storedDb(svc);
  // Agroalimentare courses: the idea (iot, Viadana) fits 3.4 and 4.1, not 2.5; another area never fits.
  await course(
    "near-3.4",
    {
      audiences: ["students"],
      areas: ["agroalimentare"],
      competences: digcomp("3.4", 2),
      sites: ["lto-suzzara"],
    },
    "lto-suzzara",
  );
  await course(
    "same-4.1",
    {
      audiences: ["students", "teachers"],
      areas: ["agroalimentare"],
      competences: digcomp("4.1", 3),
      sites: ["lto-viadana"],
    },
    "lto-viadana",
  );
  await course(
    "far-3.4",
    {
      audiences: ["students"],
      areas: ["agroalimentare"],
      competences: digcomp("3.4", 3),
      sites: ["lto-ostiglia"],
    },
    "lto-ostiglia",
  );
  await course(
    "no-fit",
    {
      audiences: ["students"],
      areas: ["agroalimentare"],
      competences: digcomp("2.5", 2),
      sites: ["lto-viadana"],
    },
    "lto-viadana",
  );
  await course(
    "other-area",
    { audiences: ["students"], areas: ["turismo"], competences: digcomp("3.4", 2), sites: ["lto-viadana"] },
    "lto-viadana",
  );
  // A fresh group reads both topics from the beginning (other tests' events too).
  await caughtUp(svc);
  // The consumer has created its DLQ topic by now.
  dlq = await watchTopic(dlqTopic(svc.groupId));
}, 240_000);

afterAll(async () => {
  await dlq?.stop();
  await events?.stop();
  await db?.close();
  await svc?.close();
});

describe("suggestions for an adopted team", () => {
  const teamId = uniqueId("team");
  let ideaId = "";
  let adoptionId = "";

  it("come once the idea is published and adopted: fitting courses of its area, sessions near the school first", async () => {
    const published = ideaPublished({ teamId, schoolId: school });
    ideaId = published.ideaId;
    await produce(events, IdeaPublishedEvent, published);
    await waitFor("the idea in the projection", () => db.findOne("teamIdeas", { _id: ideaId }), 30_000);
    // published, not adopted: the team is known, nothing suggested yet
    expect((await suggestions(teamId)).items).toEqual([]);

    const adopted = ideaAdopted(ideaId, school);
    adoptionId = adopted.adoptionId;
    await produce(events, IdeaAdoptedEvent, adopted);
    const body = await until(teamId, "the suggestions", (b) => b.items.length === 1);
    const [item] = body.items;
    expect(item).toMatchObject({
      teamId,
      teamName: "Green Bits",
      schoolId: school,
      ideaId,
      area: "agroalimentare",
      district: "viadana",
      technologies: ["iot"],
      adoption: { adoptionId, companyId: "company-omv", companyName: "OMV S.p.A." },
    });
    expect(item.students.map((s: { courseId: string }) => s.courseId)).toEqual([
      courseIds["same-4.1"],
      courseIds["near-3.4"],
      courseIds["far-3.4"],
    ]);
    expect(item.students[0].session).toMatchObject({ site: "lto-viadana", nearness: "same_district" });
    expect(item.students[1].session.nearness).toBe("neighbouring_district");
    expect(item.students[0].matched).toEqual([{ competence: "4.1", level: 3, technologies: ["iot"] }]);
    // the referent teacher: courses for teachers only
    expect(item.referent.map((s: { courseId: string }) => s.courseId)).toEqual([courseIds["same-4.1"]]);

    const mine = await schoolClient().get("/v1/suggestions/mine");
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((i: { ideaId: string }) => i.ideaId)).toContain(ideaId);
  });

  it("include a matching course published later (computed when read)", async () => {
    const later = await course(
      "later",
      {
        audiences: ["teachers"],
        areas: ["agroalimentare"],
        competences: digcomp("3.4", 4),
        sites: ["lto-viadana"],
      },
      "lto-viadana",
    );
    const body = await suggestions(teamId);
    expect(body.items[0].referent.map((s: { courseId: string }) => s.courseId)).toEqual([
      courseIds["same-4.1"],
      later,
    ]);
  });

  it("a redelivered event changes nothing: same suggestions, same stored version", async () => {
    const before = await db.findOne("teamIdeas", { _id: ideaId });
    const answer = await suggestions(teamId);
    const again = ideaAdopted(ideaId, school, adoptionId);
    const id = uniqueId("event");
    await produce(events, IdeaAdoptedEvent, again, id);
    await produce(events, IdeaAdoptedEvent, again, id);
    await adoptionTopicDone();
    const first = await db.findOne("teamIdeas", { _id: ideaId });
    // the fact was known (same adoption): its id is recorded, the version stays
    expect(first!.version).toBe(before!.version);

    // an idea snapshot applied twice (same event id): written once
    const republished = ideaPublished({ id: ideaId, teamId, schoolId: school, version: 9 });
    const pid = uniqueId("event");
    await produce(events, IdeaPublishedEvent, republished, pid);
    await produce(events, IdeaPublishedEvent, republished, pid);
    // and an older snapshot after it: ignored
    await produce(
      events,
      IdeaPublishedEvent,
      ideaPublished({ id: ideaId, teamId, schoolId: school, version: 4, district: "asola" }),
    );
    await ideasTopicDone();
    const after = await db.findOne("teamIdeas", { _id: ideaId });
    expect(after!.version).toBe(before!.version + 1);
    expect(after!.ideaVersion).toBe(9);
    expect(after!.district).toBe("viadana");
    expect(await suggestions(teamId)).toEqual(answer);
  });

  it("an adoption that arrives before its idea is kept until the idea is published", async () => {
    const team = uniqueId("team");
    const early = ideaPublished({ teamId: team, schoolId: school, district: "mantova" });
    await produce(events, IdeaAdoptedEvent, ideaAdopted(early.ideaId, school));
    await waitFor(
      "the placeholder",
      () => db.findOne("teamIdeas", { _id: early.ideaId, status: "unknown" }),
      30_000,
    );
    // the team is not known yet: no idea of it was published
    expect((await schoolClient().get(`/v1/teams/${team}/suggestions`)).status).toBe(404);
    await produce(events, IdeaPublishedEvent, early);
    const body = await until(team, "the suggestions after the publication", (b) => b.items.length === 1);
    // from Mantova: Suzzara and Viadana border it, Ostiglia too
    expect(body.items[0].students.length).toBeGreaterThan(0);
  });

  it("an ended adoption takes the suggestions away; an end of another adoption changes nothing", async () => {
    await produce(events, IdeaAdoptedEvent, ideaAdopted(ideaId, school, adoptionId)); // already known
    await produce(events, AdoptionEndedEvent, adoptionEnded(ideaId, school, "another-adoption"));
    await adoptionTopicDone();
    expect((await suggestions(teamId)).items).toHaveLength(1);
    await produce(events, AdoptionEndedEvent, adoptionEnded(ideaId, school, adoptionId));
    await until(teamId, "no suggestions once the adoption ended", (b) => b.items.length === 0);
  });

  it("a poison event goes to the DLQ at once and the partition moves on", async () => {
    const key = uniqueId("idea");
    const poison = { ...ideaAdopted(key, school), adoptionId: "" };
    const poisonId = await events.send(IdeaAdoptedEvent, key, poison);
    // the next event of the same key (so the same partition) is applied
    const team = uniqueId("team");
    await produce(events, IdeaPublishedEvent, ideaPublished({ id: key, teamId: team, schoolId: school }));
    await events.send(IdeaAdoptedEvent, key, ideaAdopted(key, school));
    const parked = await waitFor(
      "the poison on the DLQ",
      async () => dlq.records.find((r) => r.key === key),
      30_000,
    );
    expect(parked.headers).toMatchObject({
      ce_id: poisonId,
      lto_error_type: "ContractViolationError",
      lto_error_attempts: "1",
      lto_consumer_group: svc.groupId,
    });
    expect(parked.headers.lto_error_message).toMatch(/adoption_id is empty/);
    await until(team, "the good event after the poison applied", (b) => b.items.length === 1);
    // applied once: inserted by the publication, then adopted
    expect((await db.findOne("teamIdeas", { _id: key }))!.version).toBe(2);
  });

  it("the readiness includes the consumer", async () => {
    const res = await fetch(`${svc.url}/readyz`);
    const text = await res.text();
    expect(res.status, text).toBe(200);
    expect(text).toMatch(/consumer/);
  });
});

describe("suggestions page, one adopted idea per item", () => {
  it("walks a team's and a school's adopted ideas newest first, each once; a tampered cursor is a 400", async () => {
    const schoolId = uniqueId("school-paging");
    const teamId = uniqueId("team-paging");
    const base = uniqueId("idea-paging");
    // Ids in the order they were made, as the ideas service's time-ordered ids are.
    const ideaIds = [1, 2, 3].map((n) => `${base}-${n}`);
    for (const id of ideaIds) {
      await produce(events, IdeaPublishedEvent, ideaPublished({ id, teamId, schoolId }));
      await produce(events, IdeaAdoptedEvent, ideaAdopted(id, schoolId));
    }
    const referent = svc.as({ ...callers.school, org: schoolId });
    await waitFor(
      "three adopted ideas",
      async () => {
        const res = await referent.get(`/v1/teams/${teamId}/suggestions?limit=100`);
        return res.status === 200 && res.body.items.length === 3;
      },
      30_000,
    );
    for (const path of [`/v1/teams/${teamId}/suggestions`, "/v1/suggestions/mine"]) {
      const { items, pages } = await allPages(referent, path, 2);
      expect(pages.map((p) => p.items.length)).toEqual([2, 1]);
      expect(pages[1]!.nextCursor).toBeUndefined();
      expect(items.map((i: { ideaId: string }) => i.ideaId)).toEqual([...ideaIds].reverse());
      expect(items.every((i: { students: unknown[] }) => i.students.length > 0)).toBe(true);
      const tampered = `${pages[0]!.nextCursor!}x`;
      const bad = await referent.get(`${path}?limit=2&cursor=${encodeURIComponent(tampered)}`);
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e: { path: string }) => e.path)).toContain("cursor");
      const badLimit = await referent.get(`${path}?limit=0`);
      expect(badLimit.status).toBe(400);
      expect(badLimit.body.errors.map((e: { path: string }) => e.path)).toContain("limit");
    }
  });
});

describe("who may read suggestions (every role and no token)", () => {
  const teamId = uniqueId("team");
  beforeAll(async () => {
    const published = ideaPublished({ teamId, schoolId: school });
    await produce(events, IdeaPublishedEvent, published);
    await produce(events, IdeaAdoptedEvent, ideaAdopted(published.ideaId, school));
    await until(teamId, "the team's suggestions", (b) => b.items.length === 1);
  });

  const team: Record<CallerName | "none" | "otherSchool", number> = {
    school: 200,
    staff: 200,
    otherSiteStaff: 200,
    programme: 200,
    admin: 200,
    otherSchool: 403,
    partner: 403,
    otherPartner: 403,
    company: 403,
    learner: 403,
    none: 401,
  };
  const mine: Record<CallerName | "none", number> = {
    school: 200,
    staff: 403,
    otherSiteStaff: 403,
    programme: 403,
    admin: 403,
    partner: 403,
    otherPartner: 403,
    company: 403,
    learner: 403,
    none: 401,
  };
  const as = (name: string) =>
    name === "none"
      ? svc.as()
      : name === "otherSchool"
        ? svc.as({ sub: "referent-virgilio", role: "school", org: "school-virgilio" })
        : svc.as(callers[name as CallerName]);

  it.each(Object.entries(team))("GET /v1/teams/{teamId}/suggestions as %s -> %i", async (name, status) => {
    const res = await as(name).get(`/v1/teams/${teamId}/suggestions`);
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    if (status >= 400) expect(res.headers.get("content-type")).toMatch(/problem\+json/);
  });

  it.each(Object.entries(mine))("GET /v1/suggestions/mine as %s -> %i", async (name, status) => {
    const res = await as(name).get("/v1/suggestions/mine");
    expect(res.status, JSON.stringify(res.body)).toBe(status);
  });

  it("an unknown team is a 404, a bad team id or an unknown parameter a 400", async () => {
    expect((await svc.as(callers.staff).get(`/v1/teams/${uniqueId("nobody")}/suggestions`)).status).toBe(404);
    const long = await svc.as(callers.staff).get(`/v1/teams/${"x".repeat(65)}/suggestions`);
    expect(long.status).toBe(400);
    expect(long.body.errors[0].path).toBe("teamId");
    // limit and cursor page the list; anything else is unknown
    expect((await schoolClient().get("/v1/suggestions/mine?size=5")).status).toBe(400);
  });
});
