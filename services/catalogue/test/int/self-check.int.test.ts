// The DigComp self-check through the public API on the real store: the public questionnaire, a learner's
// answers scored to levels with the next courses, the placements recorded for enrolment prerequisites,
// bad input refused with nothing stored, and every role (and no token) on each endpoint.
import type { TestService } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callers, courseBody, ok, startCatalogue, type CallerName } from "./support.js";
import { storedDb } from "./suggest-support.js";

let svc: TestService;
let db: Awaited<ReturnType<typeof storedDb>>;
let nextCourse = "";
const learner = () => svc.as(callers.learner);
const digcomp = (competence: string, level: number) => [
  { framework: "digcomp", version: "2.2", competence, level },
];

beforeAll(async () => {
  svc = await startCatalogue();
  db = await storedDb(svc);
  const staff = svc.as(callers.staff);
  const publish = async (over: Record<string, unknown>) => {
    const draft = await ok(staff, "POST", "/v1/courses", courseBody(over));
    await ok(staff, "POST", `/v1/courses/${draft.id}/publish`);
    return draft.id as string;
  };
  nextCourse = await publish({
    titleIt: "Python livello 4",
    audiences: ["young_people"],
    competences: digcomp("3.4", 4),
  });
  await publish({ titleIt: "Python per docenti", audiences: ["teachers"], competences: digcomp("3.4", 4) });
  await publish({ titleIt: "Python livello 5", audiences: ["adults"], competences: digcomp("3.4", 5) });
  // a draft is never suggested
  await ok(staff, "POST", "/v1/courses", courseBody({ titleIt: "Bozza", competences: digcomp("3.4", 4) }));
}, 120_000);

afterAll(async () => {
  await db?.close();
  await svc?.close();
});

const body = (answers: { competence: string; answers: number[] }[]) => ({
  framework: "digcomp",
  version: "2.2",
  answers,
});

describe("the self-check", () => {
  it("publishes its questionnaire to anyone, Italian first with English", async () => {
    const res = await svc.as().get("/v1/self-checks/questionnaire?framework=digcomp&version=2.2");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ framework: "digcomp", version: "2.2" });
    expect(res.body.competences).toHaveLength(21);
    expect(res.body.competences[0].statements[0].text.it).toMatch(/Riesco a/);
    expect(res.body.scale.map((s: { value: number }) => s.value)).toEqual([0, 1, 2, 3]);
    const unknown = await svc.as().get("/v1/self-checks/questionnaire?framework=digcomp&version=9.9");
    expect(unknown.status).toBe(404);
    const missing = await svc.as().get("/v1/self-checks/questionnaire?framework=digcomp");
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((e: { path: string }) => e.path)).toContain("version");
  });

  it("scores a learner's answers, suggests the next level's courses and records the placements", async () => {
    const res = await learner().post(
      "/v1/self-checks",
      body([
        { competence: "3.4", answers: [2, 2, 0, 0] },
        { competence: "1.1", answers: [3, 3, 3, 3] },
      ]),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(
      res.body.results.map((r: { competence: string; level: number }) => [r.competence, r.level]),
    ).toEqual([
      ["3.4", 3],
      ["1.1", 8],
    ]);
    // 3.4 at level 3: published learners' courses at level 4 (not the teachers' one, not the draft)
    expect(res.body.results[0].nextCourses.map((c: { courseId: string }) => c.courseId)).toEqual([
      nextCourse,
    ]);
    expect(res.body.results[1].nextCourses).toEqual([]); // level 8 is the top

    const placements = await db.find("placements", { personId: callers.learner.sub });
    expect(
      placements
        .map(({ personId, framework, frameworkVersion, competence, level }) => ({
          personId,
          framework,
          frameworkVersion,
          competence,
          level,
        }))
        .sort((a, b) => a.competence.localeCompare(b.competence)),
    ).toEqual([
      {
        personId: callers.learner.sub,
        framework: "digcomp",
        frameworkVersion: "2.2",
        competence: "1.1",
        level: 8,
      },
      {
        personId: callers.learner.sub,
        framework: "digcomp",
        frameworkVersion: "2.2",
        competence: "3.4",
        level: 3,
      },
    ]);
    expect(placements[0]!.at).toBeInstanceOf(Date);

    // a later self-check moves the placement: still one per competence
    const again = await learner().post(
      "/v1/self-checks",
      body([{ competence: "3.4", answers: [3, 3, 0, 0] }]),
    );
    expect(again.body.results[0].level).toBe(4);
    const now = await db.find("placements", { personId: callers.learner.sub, competence: "3.4" });
    expect(now.map((p) => p.level)).toEqual([4]);

    const mine = await learner().get("/v1/self-checks/mine");
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((i: { id: string }) => i.id)).toEqual([again.body.id, res.body.id]);
    expect(mine.body.placements).toEqual([
      expect.objectContaining({ competence: "1.1", level: 8, version: "2.2" }),
      expect.objectContaining({ competence: "3.4", level: 4, selfCheckId: again.body.id }),
    ]);
  });

  it("refuses bad answers with a 4xx naming the field, and stores nothing", async () => {
    const before = (await db.find("selfChecks", {})).length;
    const cases: [unknown, number, string][] = [
      [body([{ competence: "9.9", answers: [0, 0, 0, 0] }]), 400, "answers.0.competence"],
      [body([{ competence: "3.4", answers: [0, 0] }]), 400, "answers.0.answers"],
      [body([{ competence: "3.4", answers: [0, 7, 0, 0] }]), 400, "answers.0.answers.1"],
      [body([{ competence: "3.4", answers: [0, 1.5, 0, 0] }]), 400, "answers.0.answers.1"],
      [
        body([
          { competence: "3.4", answers: [0, 0, 0, 0] },
          { competence: "3.4", answers: [0, 0, 0, 0] },
        ]),
        400,
        "answers.1.competence",
      ],
      [body([]), 400, "answers"],
      [{ ...body([{ competence: "3.4", answers: [0, 0, 0, 0] }]), extra: 1 }, 400, "extra"],
      [{ version: "2.2", answers: [{ competence: "3.4", answers: [0, 0, 0, 0] }] }, 400, "framework"],
      [{ ...body([{ competence: "3.4", answers: [0, 0, 0, 0] }]), version: "9.9" }, 404, ""],
    ];
    for (const [sent, status, path] of cases) {
      const res = await learner().post("/v1/self-checks", sent);
      expect(res.status, JSON.stringify(sent)).toBe(status);
      expect(res.headers.get("content-type")).toMatch(/problem\+json/);
      if (path)
        expect(
          res.body.errors.map((e: { path: string }) => e.path),
          JSON.stringify(sent),
        ).toContain(path);
    }
    expect(
      (
        await learner().post("/v1/self-checks", "not json", {
          headers: { "content-type": "application/json" },
        })
      ).status,
    ).toBe(400);
    expect((await db.find("selfChecks", {})).length).toBe(before);
  });
});

describe("who may use the self-check (every role and no token)", () => {
  const roles: (CallerName | "none")[] = [...(Object.keys(callers) as CallerName[]), "none"];
  const as = (name: CallerName | "none") => (name === "none" ? svc.as() : svc.as(callers[name]));
  const only = (allowed: CallerName[], ok: number) =>
    Object.fromEntries(
      roles.map((r) => [r, r === "none" ? 401 : allowed.includes(r as CallerName) ? ok : 403]),
    );

  const matrix: [string, string, unknown, Record<string, number>][] = [
    [
      "GET",
      "/v1/self-checks/questionnaire?framework=digcomp&version=2.2",
      undefined,
      Object.fromEntries(roles.map((r) => [r, 200])),
    ],
    ["POST", "/v1/self-checks", body([{ competence: "2.1", answers: [1, 0, 0, 0] }]), only(["learner"], 201)],
    ["GET", "/v1/self-checks/mine", undefined, only(["learner"], 200)],
  ];
  it.each(
    matrix.flatMap(([method, path, sent, expected]) =>
      roles.map((role) => [method, path, role, expected[role]!, sent] as const),
    ),
  )("%s %s as %s -> %i", async (method, path, role, status, sent) => {
    const res = await as(role).request(method, path, sent === undefined ? {} : { body: sent });
    expect(res.status, JSON.stringify(res.body)).toBe(status);
  });
});
