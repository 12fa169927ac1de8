import { ValidationError } from "@lto/errors";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  hostileTextIssues,
  multiLineText,
  singleLineText,
  decodeCursor,
  encodeCursor,
  InMemoryIdempotencyStore,
  pageQuery,
  parseIfMatch,
  requestHash,
  currentIdempotentRequest,
  idempotentRequestToken,
  platformIds,
  runIdempotentRequest,
} from "../src/index.js";
import { buildOpenApiDocument } from "../src/openapi.js";
import { toExpressPath } from "../src/routes.js";

describe("cursors", () => {
  it("round-trip any JSON position as an opaque base64url string", () => {
    const cursor = encodeCursor({ createdAt: "2025-01-01T00:00:00.000Z", id: "abc" });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual({ createdAt: "2025-01-01T00:00:00.000Z", id: "abc" });
  });

  it("reject garbage or a wrong shape as a 400 naming the cursor", () => {
    const shape = z.object({ id: z.string() });
    for (const bad of ["%%%", encodeCursor({ id: 3 }), "bm90IGpzb24"]) {
      let err: unknown;
      try {
        decodeCursor(bad, shape);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).issues).toEqual([{ path: "cursor", message: "Invalid cursor" }]);
    }
  });

  it("pageQuery coerces the limit, defaults it to 20 and bounds it to 1..100", () => {
    expect(pageQuery.parse({})).toEqual({ limit: 20 });
    expect(pageQuery.parse({ limit: "5", cursor: "x" })).toEqual({ limit: 5, cursor: "x" });
    expect(pageQuery.safeParse({ limit: "0" }).success).toBe(false);
    expect(pageQuery.safeParse({ limit: "101" }).success).toBe(false);
    expect(pageQuery.safeParse({ limit: "ten" }).success).toBe(false);
  });
});

describe("If-Match", () => {
  it("reads strong, weak and bare versions and refuses anything else", () => {
    expect(parseIfMatch('"3"')).toBe(3);
    expect(parseIfMatch('W/"12"')).toBe(12);
    expect(parseIfMatch("7")).toBe(7);
    expect(parseIfMatch("*")).toBeUndefined();
    expect(parseIfMatch('"1", "2"')).toBeUndefined();
    expect(parseIfMatch('"abc"')).toBeUndefined();
  });
});

describe("idempotency", () => {
  it("hashes bodies independently of key order but not of content or path", () => {
    const a = requestHash("post", "/v1/ideas", { title: "x", tags: ["a", "b"] });
    expect(requestHash("POST", "/v1/ideas", { tags: ["a", "b"], title: "x" })).toBe(a);
    expect(requestHash("POST", "/v1/ideas", { tags: ["b", "a"], title: "x" })).not.toBe(a);
    expect(requestHash("POST", "/v1/teams", { title: "x", tags: ["a", "b"] })).not.toBe(a);
  });

  it("in-memory store claims once, replays after completion, frees a released key", async () => {
    const store = new InMemoryIdempotencyStore();
    expect(await store.claim("u1", "k", "h")).toMatchObject({ state: "claimed" });
    expect(await store.claim("u1", "k", "h")).toEqual({ state: "in_progress", requestHash: "h" });
    expect(await store.claim("u2", "k", "h")).toMatchObject({ state: "claimed" });
    await store.complete("u1", "k", { status: 201, body: { id: 1 }, headers: {} });
    expect(await store.claim("u1", "k", "h")).toMatchObject({
      state: "completed",
      response: { status: 201 },
    });
    await store.release("u2", "k");
    expect(await store.claim("u2", "k", "other")).toMatchObject({ state: "claimed" });
    await store.release("u1", "k"); // completed: stays
    expect(await store.claim("u1", "k", "h")).toMatchObject({ state: "completed" });
  });

  it("takes over a claim abandoned by a crashed request, keeping the first claim's time", async () => {
    const store = new InMemoryIdempotencyStore(0);
    const first = await store.claim("u1", "k", "h");
    await new Promise((r) => setTimeout(r, 5));
    const again = await store.claim("u1", "k", "h");
    expect(again.state).toBe("claimed");
    expect(first.state === "claimed" && again.state === "claimed" && again.firstClaimedAt).toEqual(
      first.state === "claimed" && first.firstClaimedAt,
    );
  });
});

describe("platform ids", () => {
  const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  const request = (key: string) => ({
    token: idempotentRequestToken("u1", key, requestHash("POST", "/v1/ideas", { title: "x" })),
    firstClaimedAt: new Date("2026-03-01T10:00:00.000Z"),
  });
  const threeIds = () => [platformIds.newId(), platformIds.newId(), platformIds.newId()];

  it("are random UUIDv7s, in time order, outside an idempotent request", () => {
    const ids = threeIds();
    for (const id of ids) expect(id).toMatch(UUID_V7);
    expect(new Set(ids).size).toBe(3);
    expect([...ids].sort()).toEqual(ids);
    expect(currentIdempotentRequest()).toBeUndefined();
  });

  it("are the same, in the same order, each time the same idempotent request runs", async () => {
    const first = await runIdempotentRequest(request("k1"), async () => threeIds());
    const again = await runIdempotentRequest(request("k1"), async () => {
      await new Promise((r) => setTimeout(r, 2)); // across awaits too
      return threeIds();
    });
    expect(again).toEqual(first);
    for (const id of first) expect(id).toMatch(UUID_V7);
    expect(new Set(first).size).toBe(3);
    expect([...first].sort()).toEqual(first);
    // The first claim's time is their timestamp (48 bits of milliseconds).
    expect(parseInt(first[0]!.replace(/-/g, "").slice(0, 12), 16)).toBe(Date.parse("2026-03-01T10:00:00Z"));
    const other = await runIdempotentRequest(request("k2"), async () => threeIds());
    expect(other.filter((id) => first.includes(id))).toEqual([]);
    expect(await runIdempotentRequest(request("k1"), async () => currentIdempotentRequest())).toEqual(
      request("k1"),
    );
  });
});

describe("paths", () => {
  it("turns OpenAPI templates into express paths", () => {
    expect(toExpressPath("/v1/calls/{callId}/ideas/{id}")).toBe("/v1/calls/:callId/ideas/:id");
    expect(toExpressPath("/v1/accounts/{subject}/sessions:revoke")).toBe(
      "/v1/accounts/:subject/sessions\\:revoke",
    );
  });
});

describe("text rules", () => {
  it("refuse control characters and lone surrogates anywhere, naming the field (and bad key names)", () => {
    expect(hostileTextIssues({ a: "ok\ttab\nline", b: ["x", "y\u0000"], c: { d: "\ud800" } })).toEqual([
      { path: "b.1", message: expect.stringContaining("U+0000") },
      { path: "c.d", message: expect.stringContaining("Unicode") },
    ]);
    expect(hostileTextIssues({ "k\u0007": 1 })[0]!.message).toMatch(/name/);
    expect(
      hostileTextIssues({ emoji: "idea \u{1F4A1}", del: "\u007f", c1: "\u0085" }).map((i) => i.path),
    ).toEqual(["del", "c1"]);
  });

  it("single-line text refuses line breaks and tabs; multi-line keeps them; minimums ignore blanks", () => {
    const one = singleLineText({ min: 3, max: 10 });
    expect(one.safeParse("abc").success).toBe(true);
    expect(one.safeParse("a\nbc").success).toBe(false);
    expect(one.safeParse("a\tbc").success).toBe(false);
    expect(one.safeParse("   ab   ").success).toBe(false);
    expect(one.safeParse("x".repeat(11)).success).toBe(false);
    const many = multiLineText({ max: 100 });
    expect(many.safeParse("a\n\tb\r\n").success).toBe(true);
    expect(many.safeParse("a\u0000").success).toBe(false);
    expect(many.safeParse("\udc00").success).toBe(false);
  });
});

describe("OpenAPI alternatives", () => {
  it("documents a response's other media types beside its JSON schema", () => {
    const doc = buildOpenApiDocument({ title: "t", version: "1" }, [
      {
        method: "get",
        path: "/v1/table",
        summary: "A table",
        auth: "none",
        responses: {
          200: {
            description: "The table",
            schema: z.object({ rows: z.array(z.string()) }),
            alternatives: [{ contentType: "text/csv" }],
          },
        },
        handler: async () => ({ status: 200 }),
      },
    ]);
    const content = (
      doc.paths?.["/v1/table"]?.get?.responses?.["200"] as { content: Record<string, unknown> }
    ).content;
    expect(Object.keys(content)).toEqual(["application/json", "text/csv"]);
    expect(content["text/csv"]).toEqual({ schema: { type: "string" } });
  });
});
