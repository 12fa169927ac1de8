// The ideas service's API contract through its real HTTP edge on the real broker and store: one
// problem shape for bad input, naming the resource's own fields.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callers, openCallBody, startIdeas, teamBody, type IdeasHarness } from "./support.js";

let h: IdeasHarness;
let callId: string;
let teamId: string;

const INVALID = "https://lto.mantova.it/problems/invalid";

beforeAll(async () => {
  h = await startIdeas();
  const call = await h.request("POST", "/v1/calls", { as: callers.staff, body: openCallBody() });
  callId = call.body.id;
  const team = await h.request("POST", "/v1/teams", {
    as: callers.school,
    body: teamBody(call.body.schoolYear),
  });
  teamId = team.body.id;
  expect([call.status, team.status]).toEqual([201, 201]);
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
