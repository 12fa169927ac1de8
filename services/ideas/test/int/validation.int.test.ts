// Bad input of every field gets a 4xx problem+json naming the field, and nothing is stored.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  callers,
  fullScores,
  ideaContent,
  openCall,
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
  ({ id: callId, schoolYear } = await openCall(h));
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
      [{ title: "x" }, "title"],
      [{ model: "weird" }, "model"],
      [{ schoolYear: "2026-27" }, "schoolYear"],
      [{ schoolYear: "2026/28" }, "schoolYear"],
      [{ model: "challenge" }, "sponsor"],
      [
        { phaseStarts: { ...good.phaseStarts, evaluation: good.phaseStarts.submission } },
        "phaseStarts.evaluation",
      ],
      [{ phaseStarts: { ...good.phaseStarts, adoption: "2027-02-30" } }, "phaseStarts.adoption"],
      [{ phaseStarts: { ...good.phaseStarts, closed: "soon" } }, "phaseStarts.closed"],
      [{ panel: [{ subject: "x", organisationId: "o", kind: "boss" }] }, "panel.0.kind"],
      [{ panel: [{ subject: "x", organisationId: "o", kind: "company" }] }, "panel.0.kind"],
      [{ rubric: [{ key: "innovation", label: "I", weight: 0 }] }, "rubric.0.weight"],
      [{ rubric: [{ key: "Innovation!", label: "I", weight: 1 }] }, "rubric.0.key"],
      [{ rubric: [] }, "rubric"],
      [{ extra: true }, "extra"],
    ];
    for (const [change, field] of cases)
      await refused("POST", "/v1/calls", callers.staff, { ...good, ...change }, field);
    await refused("POST", "/v1/calls", callers.staff, { ...good, title: undefined }, "title");
  });

  it("refuses every bad field of a team", async () => {
    const good = teamBody(schoolYear);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ name: "" }, "name"],
      [{ schoolName: "x" }, "schoolName"],
      [{ className: "9Z" }, "className"],
      [{ schoolYear: "next year" }, "schoolYear"],
      [{ referentTeacher: "" }, "referentTeacher"],
      [{ members: [] }, "members"],
      [
        { members: Array.from({ length: 13 }, (_, i) => ({ pseudonym: `Membro ${i}`, minor: false })) },
        "members",
      ],
      [{ members: [{ pseudonym: "mario.rossi@example.org", minor: false }] }, "members.0.pseudonym"],
      [{ members: [{ pseudonym: "Lince", minor: "yes" }] }, "members.0.minor"],
      [
        { members: [{ pseudonym: "Lince", minor: false, parentalConsentOn: "2026-10-01" }] },
        "members.0.parentalConsentOn",
      ],
      [
        { members: [{ pseudonym: "Lince", minor: true, parentalConsentOn: "2999-01-01" }] },
        "members.0.parentalConsentOn",
      ],
      [
        {
          members: [
            { pseudonym: "Lince", minor: false },
            { pseudonym: "lince", minor: false },
          ],
        },
        "members.1.pseudonym",
      ],
      [{ colour: "blue" }, "colour"],
    ];
    for (const [change, field] of cases)
      await refused("POST", "/v1/teams", callers.school, { ...good, ...change }, field);
  });

  it("refuses every bad field of an idea", async () => {
    const good = { ...ideaContent, callId, teamId };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ title: "ab" }, "title"],
      [{ title: 42 }, "title"],
      [{ summary: "s".repeat(601) }, "summary"],
      [{ problem: "p".repeat(4001) }, "problem"],
      [{ solution: ["no"] }, "solution"],
      [{ area: "fashion" }, "area"],
      [{ district: "milano" }, "district"],
      [{ technologies: ["iot", "teleportation"] }, "technologies.1"],
      [{ needs: ["money"] }, "needs.0"],
      [{ attachments: [{ title: "x", url: "javascript:alert(1)" }] }, "attachments.0.url"],
      [{ attachments: [{ title: "", url: "https://example.org" }] }, "attachments.0.title"],
      [{ callId: "" }, "callId"],
      [{ secret: 1 }, "secret"],
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
      ["limit=0", "limit"],
      ["limit=abc", "limit"],
      ["state=lost", "state"],
      ["district=milano", "district"],
      ["cursor=not-a-cursor", "cursor"],
      ["q=x", "q"],
      ["unknown=1", "unknown"],
    ]) {
      const res = await h.request("GET", `/v1/ideas?${query}`, { as: callers.staff });
      expect(res.status, query).toBe(400);
      expect(
        res.body.errors.map((e: { path: string }) => e.path),
        query,
      ).toContain(field);
    }
    await refused("POST", `/v1/ideas/${ideaId}/withdraw`, callers.school, {}, "reason");
    await refused("POST", `/v1/ideas/${ideaId}/withdraw`, callers.school, { reason: "no" }, "reason");
    await refused("PATCH", `/v1/ideas/${ideaId}`, callers.school, {}, "");
    await refused("PUT", `/v1/ideas/${ideaId}/evaluators`, callers.staff, { evaluators: [] }, "evaluators");
    await refused(
      "PUT",
      `/v1/ideas/${ideaId}/scores`,
      callers.evaluator,
      { scores: { ...fullScores, innovation: 6 } },
      "scores.innovation",
    );
    await refused(
      "POST",
      `/v1/teams/${teamId}/members/x/consent`,
      callers.school,
      { parentalConsentOn: "yesterday" },
      "parentalConsentOn",
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
