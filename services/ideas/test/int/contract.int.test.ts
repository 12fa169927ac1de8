// The ideas service's API contract through its real HTTP edge on the real broker and store: one
// problem shape for bad input, naming the resource's own fields; hostile text refused everywhere.
import { requestHash } from "@lto/http-kit";
import { MongoIdempotencyStore } from "@lto/mongo";
import { expectHostileTextRefused, withField } from "@lto/testkit/service";
import mongoose from "mongoose";
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
let teamId: string;

const INVALID = "https://lto.mantova.it/problems/invalid";

beforeAll(async () => {
  h = await startIdeas();
  const call = await openCall(h);
  callId = call.id;
  const team = await h.request("POST", "/v1/teams", { as: callers.school, body: teamBody(call.schoolYear) });
  teamId = team.body.id;
  expect(team.status).toBe(201);
});

afterAll(async () => {
  await h?.close();
});

describe("one problem shape for validation errors", () => {
  it("names the resource's field, whether the schema or a domain rule refuses it", async () => {
    const bySchema = await h.request("POST", "/v1/ideas", {
      as: callers.school,
      body: { callId, teamId, title: "ab", colour: "blue" },
    });
    expect(bySchema.status).toBe(400);
    expect(bySchema.headers.get("content-type")).toContain("application/problem+json");
    expect(bySchema.body.type).toBe(INVALID);
    expect(bySchema.body.errors).toEqual(
      expect.arrayContaining([
        { path: "title", message: expect.any(String) },
        { path: "colour", message: expect.any(String) },
      ]),
    );

    // A submit has no body: the idea's own missing fields are named, not "body.summary".
    const draft = await h.request("POST", "/v1/ideas", {
      as: callers.school,
      body: { callId, teamId, title: "Serra connessa" },
    });
    expect(draft.status).toBe(201);
    const submit = await h.request("POST", `/v1/ideas/${draft.body.id}/submit`, { as: callers.school });
    expect(submit.status).toBe(400);
    expect(submit.body.type).toBe(INVALID);
    const paths = submit.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(["summary", "problem", "solution", "area"]));
    expect(paths.some((p: string) => p.startsWith("body."))).toBe(false);

    const query = await h.request("GET", "/v1/ideas?limit=0", { as: callers.staff });
    expect(query.body).toMatchObject({
      type: INVALID,
      errors: [{ path: "limit", message: expect.any(String) }],
    });
    const header = await h.request("PATCH", `/v1/ideas/${draft.body.id}`, {
      as: callers.school,
      body: { title: "Serra nuova" },
      headers: { "if-match": "yesterday" },
    });
    expect(header.body).toMatchObject({
      type: INVALID,
      errors: [{ path: "If-Match", message: expect.any(String) }],
    });
  });
});

describe("hostile text on every write endpoint", () => {
  it("refuses control characters and invalid Unicode with a 400 naming the field, and stores nothing", async () => {
    const schoolYear = (await h.request("GET", `/v1/calls/${callId}`, { as: callers.staff })).body.schoolYear;
    const idea = await h.request("POST", "/v1/ideas", {
      as: callers.school,
      body: { ...ideaContent, callId, teamId },
    });
    expect(idea.status).toBe(201);
    const ideaId = idea.body.id as string;
    const v1 = { "if-match": '"1"' };
    const cases: Array<[string, string, Caller, unknown, string[], Record<string, string>?]> = [
      [
        "POST",
        "/v1/calls",
        callers.staff,
        openCallBody(),
        ["title", "description", "panel.0.subject", "panel.0.organisationId"],
      ],
      ["PUT", `/v1/calls/${callId}`, callers.staff, openCallBody(), ["title", "description"], v1],
      [
        "POST",
        "/v1/teams",
        callers.school,
        teamBody(schoolYear),
        ["name", "schoolName", "referentTeacher", "members.1.pseudonym"],
      ],
      [
        "PUT",
        `/v1/teams/${teamId}`,
        callers.school,
        teamBody(schoolYear),
        ["name", "members.0.pseudonym"],
        v1,
      ],
      [
        "POST",
        "/v1/ideas",
        callers.school,
        { ...ideaContent, callId, teamId },
        ["title", "summary", "problem", "solution", "attachments.0.title"],
      ],
      [
        "PATCH",
        `/v1/ideas/${ideaId}`,
        callers.school,
        { title: "Serra nuova", summary: ideaContent.summary },
        ["title", "summary"],
        v1,
      ],
      [
        "POST",
        `/v1/ideas/${ideaId}/withdraw`,
        callers.school,
        { reason: "La squadra si è sciolta" },
        ["reason"],
      ],
      [
        "POST",
        `/v1/ideas/${ideaId}/request-changes`,
        callers.staff,
        { reason: "Manca il piano" },
        ["reason"],
      ],
      ["POST", `/v1/ideas/${ideaId}/publish`, callers.staff, { answer: "Complimenti" }, ["answer"]],
      ["POST", `/v1/ideas/${ideaId}/reject`, callers.staff, { answer: "Non ora, grazie" }, ["answer"]],
      [
        "PUT",
        `/v1/ideas/${ideaId}/evaluators`,
        callers.staff,
        { evaluators: [callers.evaluator.sub] },
        ["evaluators.0"],
      ],
      [
        "PUT",
        `/v1/ideas/${ideaId}/scores`,
        callers.evaluator,
        { scores: fullScores, notes: "Buona idea" },
        ["notes"],
      ],
      ["PUT", `/v1/ideas/${ideaId}/answer`, callers.staff, { answer: "Complimenti" }, ["answer"]],
    ];
    await expectHostileTextRefused(
      cases.map(([method, path, as, body, fields, headers]) => ({
        what: `${method} ${path}`,
        body,
        fields,
        send: (b) => h.request(method, path, { as, body: b, ...(headers ? { headers } : {}) }),
      })),
    );
    // Hostile text in the query and the path is refused the same way.
    const query = await h.request("GET", "/v1/ideas?q=serra%00", { as: callers.staff });
    expect(query.status).toBe(400);
    expect(query.body.errors[0].path).toBe("q");
    expect((await h.request("GET", "/v1/ideas/abc%01", { as: callers.staff })).body.errors[0].path).toBe(
      "ideaId",
    );

    // Nothing was stored: one call, one team, and the idea as it was created.
    expect((await h.request("GET", "/v1/calls", { as: callers.staff })).body.items).toHaveLength(1);
    expect((await h.request("GET", "/v1/teams", { as: callers.school })).body.items).toHaveLength(1);
    const ideas = (await h.request("GET", "/v1/ideas", { as: callers.school })).body.items;
    expect(ideas.map((i: { id: string }) => i.id).sort()).toHaveLength(2); // this one and the draft above
    const stored = await h.request("GET", `/v1/ideas/${ideaId}`, { as: callers.school });
    expect(stored.body).toMatchObject({ version: 1, title: ideaContent.title, state: "draft" });
  });

  it("refuses line breaks and tabs in single-line fields and keeps them in multi-line ones", async () => {
    const body = { ...ideaContent, callId, teamId };
    for (const [field, value] of [
      ["title", "Serra\nconnessa"],
      ["title", "Serra\tconnessa"],
      ["attachments.0.title", "Presentazione\r\n"],
    ] as const) {
      const res = await h.request("POST", "/v1/ideas", {
        as: callers.school,
        body: withField(body, field, () => value),
      });
      expect(res.status, field).toBe(400);
      expect(res.body.errors).toContainEqual({ path: field, message: expect.stringMatching(/single line/) });
    }
    const team = await h.request("POST", "/v1/teams", {
      as: callers.school,
      body: withField(teamBody("2026/27"), "members.0.pseudonym", () => "Volpe\nBlu"),
    });
    expect(team.status).toBe(400);
    expect(team.body.errors.map((e: { path: string }) => e.path)).toContain("members.0.pseudonym");

    const multiLine = await h.request("POST", "/v1/ideas", {
      as: callers.school,
      body: { ...body, summary: `${ideaContent.summary}\n\tSecondo paragrafo.\r\nTerzo.` },
    });
    expect(multiLine.status).toBe(201);
    expect(multiLine.body.summary).toContain("\n\tSecondo paragrafo.\r\nTerzo.");
  });
});

describe("Idempotency-Key on concurrent requests", () => {
  it("answers 409 idempotency-key-in-progress while the first request with the key is running", async () => {
    const schoolYear = (await h.request("GET", `/v1/calls/${callId}`, { as: callers.staff })).body.schoolYear;
    const key = `team-first-${Date.now()}`;
    const body = teamBody(schoolYear, { name: "Squadra in corso" });
    // The first request (on this or another instance) holds the key in the service's real store.
    const conn = await mongoose.createConnection(h.mongoUrl, { dbName: h.dbName }).asPromise();
    try {
      const store = new MongoIdempotencyStore(conn);
      const first = await store.claim(callers.school.sub, key, requestHash("POST", "/v1/teams", body));
      expect(first.state).toBe("claimed");
      const second = await h.request("POST", "/v1/teams", {
        as: callers.school,
        body,
        headers: { "idempotency-key": key },
      });
      expect(second.status).toBe(409);
      expect(second.headers.get("content-type")).toContain("application/problem+json");
      expect(second.headers.get("retry-after")).toBe("1");
      expect(second.body).toMatchObject({
        type: "https://lto.mantova.it/problems/idempotency-key-in-progress",
        status: 409,
        detail: expect.stringMatching(/still in progress/),
      });
      // The first one failed and let the key go: the retry runs.
      await store.release(callers.school.sub, key);
      const retry = await h.request("POST", "/v1/teams", {
        as: callers.school,
        body,
        headers: { "idempotency-key": key },
      });
      expect(retry.status).toBe(201);
    } finally {
      await conn.close();
    }
  });

  it("answers the same request sent at once either with the one result or 409 in progress, never 503", async () => {
    const schoolYear = (await h.request("GET", `/v1/calls/${callId}`, { as: callers.staff })).body.schoolYear;
    const headers = { "idempotency-key": `team-${Date.now()}` };
    const body = teamBody(schoolYear, { name: "Squadra concorrente" });
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => h.request("POST", "/v1/teams", { as: callers.school, body, headers })),
    );
    const statuses = answers.map((a) => a.status);
    expect(
      statuses.every((s) => s === 201 || s === 409),
      JSON.stringify(statuses),
    ).toBe(true);
    const created = answers.filter((a) => a.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((a) => a.body.id)).size).toBe(1);
    for (const busy of answers.filter((a) => a.status === 409)) {
      expect(busy.headers.get("content-type")).toContain("application/problem+json");
      expect(busy.body.type).toBe("https://lto.mantova.it/problems/idempotency-key-in-progress");
      expect(busy.headers.get("retry-after")).toBe("1");
    }
    const teams = (await h.request("GET", "/v1/teams?limit=100", { as: callers.school })).body.items;
    expect(teams.filter((t: { name: string }) => t.name === "Squadra concorrente")).toHaveLength(1);
  });
});
