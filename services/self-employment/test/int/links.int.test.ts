// The four jobs linked, over the real broker and store: an adopted idea whose sponsor promised
// internships opens the team's path with the internship tutoring proposed and planned (the commitment
// recorded on it); persons linked to their learner accounts by the staff of their site (one person per
// account, with history), and a learner reading their own record and open path (GET /v1/me).
import { IdeaAdoptedEvent, PathOpenedEvent, topics } from "@lto/contracts";
import { uniqueId, waitFor } from "@lto/testkit";
import {
  eventProducer,
  readTopic,
  type EventProducer,
  type TestService,
  type TopicRecord,
} from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ideaAdopted } from "./paths-support.js";
import {
  callers,
  MATRIX_CALLERS,
  ok,
  operationsTagged,
  personBody,
  startSelfEmployment,
  type MatrixCaller,
} from "./support.js";

let svc: TestService;
let events: EventProducer;
const staff = () => svc.as(callers.staff);
const school = () => svc.as(callers.school);

beforeAll(async () => {
  svc = await startSelfEmployment();
  events = await eventProducer();
}, 240_000);
afterAll(async () => {
  await events?.stop();
  await svc?.close();
});

function withInternships(ideaId: string, places: number, adoptionId = uniqueId("adoption")) {
  return {
    ...ideaAdopted(ideaId, callers.school.org, adoptionId),
    commitments: [
      {
        id: "kickoff",
        kind: "COMMITMENT_KIND_KICK_OFF" as const,
        description: "Kick-off meeting with the team",
        promised: 1,
        delivered: 0,
        confirmed: 0,
        periodStart: "",
        periodEnd: "",
      },
      {
        id: "internships",
        kind: "COMMITMENT_KIND_INTERNSHIP" as const,
        description: `${places} internship places`,
        promised: places,
        delivered: 0,
        confirmed: 0,
        periodStart: "2027-06-14",
        periodEnd: "2027-07-30",
      },
    ],
  };
}

async function teamPath(ideaId: string, ready: (path: Record<string, unknown>) => boolean = () => true) {
  return waitFor(
    "the team's path",
    async () => {
      const res = await school().get(`/v1/ideas/${ideaId}/path`);
      return res.status === 200 && ready(res.body) ? res.body : undefined;
    },
    170_000,
  );
}

describe("the sponsor's internship commitments", () => {
  it("open the team's path with tutoring proposed and planned, the commitment recorded, once", async () => {
    const ideaId = uniqueId("idea");
    const adopted = withInternships(ideaId, 2);
    const eventId = await events.send(IdeaAdoptedEvent, ideaId, adopted);
    const path = await teamPath(ideaId);
    expect(path).toMatchObject({
      proposed: ["consulenza_autoimpiego", "business_plan", "tutoring_tirocinio"],
      plan: [{ serviceCode: "tutoring_tirocinio", hours: 20 }],
      internships: [
        {
          adoptionId: adopted.adoptionId,
          commitmentId: "internships",
          companyId: "company-omv",
          companyName: "OMV S.p.A.",
          places: 2,
          periodStart: "2027-06-14",
          periodEnd: "2027-07-30",
        },
      ],
      version: 1,
    });
    expect(path.services).toContainEqual(
      expect.objectContaining({ serviceCode: "tutoring_tirocinio", plannedHours: 20, capHours: 30 }),
    );
    // staff of the site read it too (they book the tutoring slots)
    expect((await staff().get(`/v1/paths/${path.id}`)).body.internships).toHaveLength(1);

    // PathOpened carries the planned tutoring (this service's: other test services on the broker read
    // the adoption topic too, and open the same idea's path in their own databases)
    const ours = (r: TopicRecord) =>
      r.key === ideaId &&
      r.headers.ce_type === PathOpenedEvent.type &&
      PathOpenedEvent.decode(r.value).pathId === path.id;
    const opened = (await readTopic(topics.selfemployment, (rs) => rs.some(ours)))
      .filter(ours)
      .map((r) => PathOpenedEvent.decode(r.value));
    expect(opened).toHaveLength(1);
    expect(opened[0]!.services).toContainEqual({
      serviceType: "tutoring_tirocinio",
      plannedHours: 20,
      maxHours: 30,
    });

    // redelivered: nothing changes
    await events.send(IdeaAdoptedEvent, ideaId, adopted, { id: eventId });
    const later = withInternships(ideaId, 5); // a second sponsor after the first ended: capped at 30 h
    await events.send(IdeaAdoptedEvent, ideaId, later);
    const after = await teamPath(ideaId, (p) => (p.internships as unknown[]).length === 2);
    expect(after.plan).toEqual([{ serviceCode: "tutoring_tirocinio", hours: 30 }]);
    expect(after.version).toBe(2);
  });

  it("an adoption promising no internship proposes no tutoring", async () => {
    const ideaId = uniqueId("idea");
    await events.send(IdeaAdoptedEvent, ideaId, ideaAdopted(ideaId));
    const path = await teamPath(ideaId);
    expect(path.proposed).toEqual(["consulenza_autoimpiego", "business_plan"]);
    expect(path.plan).toEqual([]);
    expect(path).not.toHaveProperty("internships");
  });
});

describe("a person linked to their learner account", () => {
  it("is linked by staff of their site, with history; the learner reads themself and their open path", async () => {
    // a person registered without a learner account (the paths' fixtures give each person one)
    const personId = (await ok(staff(), "POST", "/v1/persons", personBody(svc))).id as string;
    const pathId = (await ok(staff(), "POST", `/v1/persons/${personId}/path`, {})).id as string;
    const account = uniqueId("learner");
    const learner = svc.as({ sub: account, role: "learner", org: account });

    const notYet = await learner.get("/v1/me");
    expect(notYet.status).toBe(404);
    expect(notYet.body.detail).toMatch(/ask the staff of your LTO site to link your person record/);

    const linked = await staff().put(`/v1/persons/${personId}/login`, { learnerSubject: account });
    expect(linked.status).toBe(200);
    expect(linked.body).toMatchObject({ id: personId, learnerSubject: account, version: 2 });
    expect(linked.body.loginHistory).toEqual([
      { at: expect.any(String), by: callers.staff.sub, what: "linked", learnerSubject: account },
    ]);
    // the same link again changes nothing
    expect(
      (await staff().put(`/v1/persons/${personId}/login`, { learnerSubject: account })).body.version,
    ).toBe(2);

    const me = await learner.get("/v1/me");
    expect(me.status).toBe(200);
    expect(me.body.person).toMatchObject({ id: personId, learnerSubject: account });
    expect(me.body.path).toMatchObject({ id: pathId, holderId: personId, status: "open" });

    // one person per account: another person is refused, naming the one linked
    const other = await ok(staff(), "POST", "/v1/persons", personBody(svc));
    const taken = await staff().put(`/v1/persons/${other.id}/login`, { learnerSubject: account });
    expect(taken.status).toBe(409);
    expect(taken.body.personId).toBe(personId);
    const registered = await staff().post("/v1/persons", personBody(svc, { learnerSubject: account }));
    expect(registered.status).toBe(409);
    expect(registered.body.personId).toBe(personId);

    // a new account replaces it (history keeps both); cleared, the learner is no one again
    const renewed = uniqueId("learner");
    const moved = await staff().put(
      `/v1/persons/${personId}/login`,
      { learnerSubject: renewed },
      {
        headers: { "if-match": '"2"' },
      },
    );
    expect(moved.status).toBe(200);
    expect(
      moved.body.loginHistory.map((c: { what: string; learnerSubject: string }) => [
        c.what,
        c.learnerSubject,
      ]),
    ).toEqual([
      ["linked", account],
      ["unlinked", account],
      ["linked", renewed],
    ]);
    expect((await learner.get("/v1/me")).status).toBe(404);
    // the old account is free for the other person now
    expect((await staff().put(`/v1/persons/${other.id}/login`, { learnerSubject: account })).status).toBe(
      200,
    );
    const stale = await staff().request("DELETE", `/v1/persons/${personId}/login`, {
      headers: { "if-match": '"2"' },
    });
    expect(stale.status).toBe(412);
    const cleared = await staff().request("DELETE", `/v1/persons/${personId}/login`);
    expect(cleared.status).toBe(200);
    expect(cleared.body).not.toHaveProperty("learnerSubject");
    expect(cleared.body.loginHistory.at(-1)).toMatchObject({ what: "unlinked", learnerSubject: renewed });
    expect((await svc.as({ sub: renewed, role: "learner", org: renewed }).get("/v1/me")).status).toBe(404);
  });

  it("links one account to one person when staff race to link it to two", async () => {
    const account = uniqueId("learner");
    const persons = await Promise.all(
      [1, 2, 3, 4].map(() => ok(staff(), "POST", "/v1/persons", personBody(svc))),
    );
    const answers = await Promise.all(
      persons.map((p) => staff().put(`/v1/persons/${p.id}/login`, { learnerSubject: account })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409, 409]);
    const winner = answers.find((a) => a.status === 200)!.body.id;
    const me = await svc.as({ sub: account, role: "learner", org: account }).get("/v1/me");
    expect(me.body.person.id).toBe(winner);
    expect(me.body.path).toBeNull();
  });
});

describe("person logins: who may call, bad input", () => {
  let personId: string;
  beforeAll(async () => {
    personId = (await ok(staff(), "POST", "/v1/persons", personBody(svc))).id;
  });
  const client = (who: MatrixCaller) => (who === "anonymous" ? svc.as() : svc.as(callers[who]));
  // GET /v1/me: the learner caller has no linked person (404: allowed, nobody linked).
  const expected: Record<MatrixCaller, [link: number, unlink: number, me: number]> = {
    staff: [200, 200, 403],
    otherSiteStaff: [403, 403, 403],
    programme: [403, 403, 403],
    admin: [200, 200, 403],
    learner: [403, 403, 404],
    school: [403, 403, 403],
    company: [403, 403, 403],
    partner: [403, 403, 403],
    anonymous: [401, 401, 401],
  };
  it("covers every operation tagged logins", async () => {
    const mine = await operationsTagged(svc, "logins");
    expect(mine.sort()).toEqual(
      ["PUT /v1/persons/{personId}/login", "DELETE /v1/persons/{personId}/login", "GET /v1/me"].sort(),
    );
  });
  it.each(MATRIX_CALLERS)("%s", async (who) => {
    const c = client(who);
    const [link, unlink, me] = expected[who];
    const account = uniqueId("learner");
    expect((await c.put(`/v1/persons/${personId}/login`, { learnerSubject: account })).status).toBe(link);
    expect((await c.request("DELETE", `/v1/persons/${personId}/login`)).status).toBe(unlink);
    expect((await c.get("/v1/me")).status).toBe(me);
  });

  it("refuses bad input with the field named, storing nothing", async () => {
    const before = (await staff().get(`/v1/persons/${personId}`)).body;
    for (const body of [
      {},
      { learnerSubject: "" },
      { learnerSubject: " padded " },
      { learnerSubject: "x".repeat(201) },
      { learnerSubject: 42 },
      { learnerSubject: "a\u0000b" },
      { learnerSubject: "ok", extra: 1 },
    ]) {
      const res = await staff().put(`/v1/persons/${personId}/login`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(res.body.errors ?? res.body), JSON.stringify(body)).toMatch(
        /learnerSubject|extra/,
      );
    }
    expect(
      (
        await staff().put(
          `/v1/persons/${personId}/login`,
          { learnerSubject: "x" },
          { headers: { "if-match": "nope" } },
        )
      ).status,
    ).toBe(400);
    expect((await staff().put("/v1/persons/nobody/login", { learnerSubject: "x" })).status).toBe(404);
    expect((await staff().request("DELETE", "/v1/persons/nobody/login")).status).toBe(404);
    expect((await svc.as(callers.learner).get("/v1/me?person=someone")).status).toBe(400);
    expect((await staff().get(`/v1/persons/${personId}`)).body).toEqual(before);
  });
});
