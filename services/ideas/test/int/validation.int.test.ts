// Bad input of every field gets a 4xx problem+json naming the field, and nothing is stored.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  callers,
  fullScores,
  ideaContent,
  openCallBody,
  startIdeas,
  teamBody,
  type Caller,
  type IdeasHarness,
} from "./support.js";

let h: IdeasHarness;
let callId: string;
let schoolYear: string;
let teamId: string;
let ideaId: string;

async function refused(method: string, path: string, as: Caller, body: unknown, field: string, status = 400) {
  const res = await h.request(method, path, { as, body });
  expect(
    res.status,
    `${method} ${path} ${JSON.stringify(body).slice(0, 120)} -> ${JSON.stringify(res.body)}`,
  ).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  if (status === 400) expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(field);
  return res;
}

beforeAll(async () => {
  h = await startIdeas();
  const call = await h.request("POST", "/v1/calls", { as: callers.staff, body: openCallBody() });
  callId = call.body.id;
  schoolYear = call.body.schoolYear;
  teamId = (await h.request("POST", "/v1/teams", { as: callers.school, body: teamBody(schoolYear) })).body.id;
  ideaId = (
    await h.request("POST", "/v1/ideas", { as: callers.school, body: { ...ideaContent, callId, teamId } })
  ).body.id;
});

afterAll(async () => {
  await h?.close();
});

describe("bad input", () => {
  it("refuses every bad field of a call", async () => {
    const good = openCallBody();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ title: "x" }, "body.title"],
      [{ model: "weird" }, "body.model"],
      [{ schoolYear: "2026-27" }, "body.schoolYear"],
      [{ schoolYear: "2026/28" }, "body.schoolYear"],
      [{ model: "challenge" }, "body.sponsor"],
      [
        { phaseStarts: { ...good.phaseStarts, evaluation: good.phaseStarts.submission } },
        "body.phaseStarts.evaluation",
      ],
      [{ phaseStarts: { ...good.phaseStarts, adoption: "2027-02-30" } }, "body.phaseStarts.adoption"],
      [{ phaseStarts: { ...good.phaseStarts, closed: "soon" } }, "body.phaseStarts.closed"],
      [{ panel: [{ subject: "x", organisationId: "o", kind: "boss" }] }, "body.panel.0.kind"],
      [{ panel: [{ subject: "x", organisationId: "o", kind: "company" }] }, "body.panel.0.kind"],
      [{ rubric: [{ key: "innovation", label: "I", weight: 0 }] }, "body.rubric.0.weight"],
      [{ rubric: [{ key: "Innovation!", label: "I", weight: 1 }] }, "body.rubric.0.key"],
      [{ rubric: [] }, "body.rubric"],
      [{ extra: true }, "body"],
    ];
    for (const [change, field] of cases)
      await refused("POST", "/v1/calls", callers.staff, { ...good, ...change }, field);
    await refused("POST", "/v1/calls", callers.staff, { ...good, title: undefined }, "body.title");
  });

  it("refuses every bad field of a team", async () => {
    const good = teamBody(schoolYear);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ name: "" }, "body.name"],
      [{ schoolName: "x" }, "body.schoolName"],
      [{ className: "9Z" }, "body.className"],
      [{ schoolYear: "next year" }, "body.schoolYear"],
      [{ referentTeacher: "" }, "body.referentTeacher"],
      [{ members: [] }, "body.members"],
      [
        { members: Array.from({ length: 13 }, (_, i) => ({ pseudonym: `Membro ${i}`, minor: false })) },
        "body.members",
      ],
      [{ members: [{ pseudonym: "mario.rossi@example.org", minor: false }] }, "body.members.0.pseudonym"],
      [{ members: [{ pseudonym: "Lince", minor: "yes" }] }, "body.members.0.minor"],
      [
        { members: [{ pseudonym: "Lince", minor: false, parentalConsentOn: "2026-10-01" }] },
        "body.members.0.parentalConsentOn",
      ],
      [
        { members: [{ pseudonym: "Lince", minor: true, parentalConsentOn: "2999-01-01" }] },
        "body.members.0.parentalConsentOn",
      ],
      [
        {
          members: [
            { pseudonym: "Lince", minor: false },
            { pseudonym: "lince", minor: false },
          ],
        },
        "body.members.1.pseudonym",
      ],
      [{ colour: "blue" }, "body"],
    ];
    for (const [change, field] of cases)
      await refused("POST", "/v1/teams", callers.school, { ...good, ...change }, field);
  });

  it("refuses every bad field of an idea", async () => {
    const good = { ...ideaContent, callId, teamId };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ title: "ab" }, "body.title"],
      [{ title: 42 }, "body.title"],
      [{ summary: "s".repeat(601) }, "body.summary"],
      [{ problem: "p".repeat(4001) }, "body.problem"],
      [{ solution: ["no"] }, "body.solution"],
      [{ area: "fashion" }, "body.area"],
      [{ district: "milano" }, "body.district"],
      [{ technologies: ["iot", "teleportation"] }, "body.technologies.1"],
      [{ needs: ["money"] }, "body.needs.0"],
      [{ attachments: [{ title: "x", url: "javascript:alert(1)" }] }, "body.attachments.0.url"],
      [{ attachments: [{ title: "", url: "https://example.org" }] }, "body.attachments.0.title"],
      [{ callId: "" }, "body.callId"],
      [{ secret: 1 }, "body"],
    ];
    for (const [change, field] of cases)
      await refused("POST", "/v1/ideas", callers.school, { ...good, ...change }, field);
    await refused("POST", "/v1/ideas", callers.school, { ...good, teamId: "no-such-team" }, "", 404);
    await refused("POST", "/v1/ideas", callers.school, { ...good, callId: "no-such-call" }, "", 404);
  });

  it("refuses malformed JSON, bad queries, bad cursors and bad commands", async () => {
    const broken = await h.request("POST", "/v1/ideas", {
      as: callers.school,
      body: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(broken.status).toBe(400);
    expect(broken.headers.get("content-type")).toContain("application/problem+json");
    for (const [query, field] of [
      ["limit=0", "query.limit"],
      ["limit=abc", "query.limit"],
      ["state=lost", "query.state"],
      ["district=milano", "query.district"],
      ["cursor=not-a-cursor", "query.cursor"],
      ["q=x", "query.q"],
      ["unknown=1", "query"],
    ]) {
      const res = await h.request("GET", `/v1/ideas?${query}`, { as: callers.staff });
      expect(res.status, query).toBe(400);
      expect(
        res.body.errors.map((e: { path: string }) => e.path),
        query,
      ).toContain(field);
    }
    await refused("POST", `/v1/ideas/${ideaId}/withdraw`, callers.school, {}, "body.reason");
    await refused("POST", `/v1/ideas/${ideaId}/withdraw`, callers.school, { reason: "no" }, "body.reason");
    await refused("PATCH", `/v1/ideas/${ideaId}`, callers.school, {}, "body");
    await refused(
      "PUT",
      `/v1/ideas/${ideaId}/evaluators`,
      callers.staff,
      { evaluators: [] },
      "body.evaluators",
    );
    await refused(
      "PUT",
      `/v1/ideas/${ideaId}/scores`,
      callers.evaluator,
      { scores: { ...fullScores, innovation: 6 } },
      "body.scores.innovation",
    );
    await refused(
      "POST",
      `/v1/teams/${teamId}/members/x/consent`,
      callers.school,
      { parentalConsentOn: "yesterday" },
      "body.parentalConsentOn",
    );
  });

  it("stored nothing of all that", async () => {
    expect(
      (await h.request("GET", "/v1/calls", { as: callers.staff })).body.items.map(
        (c: { id: string }) => c.id,
      ),
    ).toEqual([callId]);
    expect(
      (await h.request("GET", "/v1/teams", { as: callers.school })).body.items.map(
        (t: { id: string }) => t.id,
      ),
    ).toEqual([teamId]);
    const ideas = await h.request("GET", "/v1/ideas", { as: callers.school });
    expect(ideas.body.items.map((i: { id: string }) => i.id)).toEqual([ideaId]);
    expect(ideas.body.items[0]).toMatchObject({ title: ideaContent.title, state: "draft", version: 1 });
  });
});
