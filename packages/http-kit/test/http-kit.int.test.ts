// The kit over real HTTP: listen on port 0, talk to it with fetch.
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Fixture } from "./fixture.js";
import { startFixture } from "./fixture.js";

let f: Fixture;
beforeAll(async () => {
  f = await startFixture();
});
afterAll(() => f.close());

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  body: JSON.stringify(body),
  headers: { "content-type": "application/json", ...headers },
});
const auth = async (claims = {}) => ({ authorization: `Bearer ${await f.token(claims)}` });
const goodIdea = { title: "Smart vineyard sensors", area: "agrifood", team: { name: "4B", size: 4 } };

async function problem(res: Response, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  const body = (await res.json()) as Record<string, unknown>;
  expect(body.status).toBe(status);
  expect(body.type).toMatch(/^https:\/\/lto\.mantova\.it\/problems\//);
  expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/); // no stack traces
  return body;
}

async function create(body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${f.base}/v1/ideas`, { method: "POST", ...json(body, { ...(await auth()), ...headers }) });
}

describe("validation and problem+json", () => {
  it("lists every bad field of params, query and body in one 400", async () => {
    const res = await create({ title: "x", area: "fashion", team: { size: 9 } });
    const body = await problem(res, 400);
    const paths = (body.errors as { path: string }[]).map((e) => e.path).sort();
    expect(paths).toEqual(["area", "team.name", "team.size", "title"]);
    expect(body.detail).toContain("title");

    const list = await problem(await fetch(`${f.base}/v1/ideas?limit=500&area=space`), 400);
    expect((list.errors as { path: string }[]).map((e) => e.path).sort()).toEqual(["area", "limit"]);

    const get = await problem(await fetch(`${f.base}/v1/ideas/not-an-id`), 400);
    expect(get.errors).toEqual([{ path: "id", message: "Must look like i<number>" }]);
  });

  it("lists hostile text with the other bad fields, each field once", async () => {
    const res = await create({ title: "x\u0000", area: "fashion", team: { name: "\ud800", size: 2 } });
    const body = await problem(res, 400);
    expect((body.errors as { path: string }[]).map((e) => e.path).sort()).toEqual([
      "area",
      "team.name",
      "title",
    ]);
    const listed = await problem(await fetch(`${f.base}/v1/ideas?area=%01`), 400);
    expect(listed.errors).toEqual([{ path: "area", message: expect.stringContaining("U+0001") }]);
  });

  it("answers malformed JSON with 400, a wrong content type with 415 and a huge body with 413", async () => {
    const headers = { ...(await auth()), "content-type": "application/json" };
    const malformed = await fetch(`${f.base}/v1/ideas`, { method: "POST", headers, body: '{"title": ' });
    expect((await problem(malformed, 400)).type).toBe("https://lto.mantova.it/problems/malformed-json");

    const form = await fetch(`${f.base}/v1/ideas`, {
      method: "POST",
      headers: { ...(await auth()), "content-type": "application/x-www-form-urlencoded" },
      body: "title=hello",
    });
    expect((await problem(form, 415)).detail).toContain("application/json");

    const huge = await fetch(`${f.base}/v1/ideas`, {
      method: "POST",
      headers,
      body: JSON.stringify({ ...goodIdea, title: "x".repeat(200_000) }),
    });
    await problem(huge, 413);
  });

  it('answers a missing body with 400 naming the body as a whole ("")', async () => {
    const res = await fetch(`${f.base}/v1/ideas`, { method: "POST", headers: await auth() });
    expect((await problem(res, 400)).errors).toEqual([{ path: "", message: "Required: send a JSON body" }]);
  });

  it("answers unknown routes with a 404 problem", async () => {
    const body = await problem(await fetch(`${f.base}/v2/nothing`), 404);
    expect(body.detail).toContain("GET /v2/nothing");
  });

  it("maps domain errors, hides internals of unknown ones and logs them with the request id", async () => {
    await problem(await fetch(`${f.base}/v1/ideas/i999`), 404);

    const res = await fetch(`${f.base}/v1/boom`, { headers: { "x-request-id": "req-boom-1" } });
    const body = await problem(res, 500);
    expect(JSON.stringify(body)).not.toContain("hunter2");
    expect(body.requestId).toBe("req-boom-1");
    const logged = f.logs.find((l) => l.requestId === "req-boom-1" && l.level === "error");
    expect(logged).toBeDefined();
    expect(JSON.stringify(logged)).toContain("hunter2"); // the log keeps what the client must not see

    const down = await fetch(`${f.base}/v1/store-down`);
    await problem(down, 503);
    expect(down.headers.get("retry-after")).toBe("5");
  });

  it("echoes x-request-id, or makes one", async () => {
    const echoed = await fetch(`${f.base}/healthz`, { headers: { "x-request-id": "abc-123" } });
    expect(echoed.headers.get("x-request-id")).toBe("abc-123");
    const made = await fetch(`${f.base}/healthz`, { headers: { "x-request-id": "bad id with spaces" } });
    expect(made.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("authentication", () => {
  it("answers 401 without or with an invalid token, 403 for the wrong role", async () => {
    const none = await fetch(`${f.base}/v1/ideas`, { method: "POST", ...json(goodIdea) });
    expect(none.headers.get("www-authenticate")).toBe("Bearer");
    await problem(none, 401);
    const invalid = await fetch(`${f.base}/v1/ideas`, {
      method: "POST",
      ...json(goodIdea, { authorization: "Bearer nope" }),
    });
    expect((await problem(invalid, 401)).detail).toMatch(/malformed/);
    const company = await fetch(`${f.base}/v1/ideas`, {
      method: "POST",
      ...json(goodIdea, await auth({ role: "company" })),
    });
    expect((await problem(company, 403)).detail).toContain("school");
  });

  it("runs optional-auth routes anonymously but still refuses a bad token", async () => {
    expect((await fetch(`${f.base}/v1/ideas`)).status).toBe(200);
    await problem(await fetch(`${f.base}/v1/ideas`, { headers: { authorization: "Bearer bad" } }), 401);
  });
});

describe("Idempotency-Key", () => {
  it("replays the stored response for the same key and body, and creates only once", async () => {
    const before = f.handlerCalls();
    const first = await create(goodIdea, { "idempotency-key": "key-1" });
    expect(first.status).toBe(201);
    const firstBody = await first.json();
    const again = await create(
      { team: goodIdea.team, area: "agrifood", title: goodIdea.title },
      { "idempotency-key": "key-1" },
    );
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.headers.get("location")).toBe(first.headers.get("location"));
    expect(again.headers.get("etag")).toBe('"1"');
    expect(await again.json()).toEqual(firstBody);
    expect(f.handlerCalls()).toBe(before + 1);
  });

  it("refuses the same key with a different body with 422", async () => {
    await create(goodIdea, { "idempotency-key": "key-2" });
    const other = await create({ ...goodIdea, title: "Another idea" }, { "idempotency-key": "key-2" });
    expect((await problem(other, 422)).type).toBe("https://lto.mantova.it/problems/idempotency-key-reused");
  });

  it("keeps keys per user", async () => {
    await create(goodIdea, { "idempotency-key": "key-3" });
    const otherUser = await fetch(`${f.base}/v1/ideas`, {
      method: "POST",
      ...json(goodIdea, { ...(await auth({ sub: "u2" })), "idempotency-key": "key-3" }),
    });
    expect(otherUser.status).toBe(201);
    expect(otherUser.headers.get("idempotent-replayed")).toBeNull();
  });

  it("does not remember failures, so the client can fix and retry with the same key", async () => {
    const refused = await fetch(`${f.base}/v1/ideas`, {
      method: "POST",
      ...json(goodIdea, { ...(await auth({ role: "company", sub: "u9" })), "idempotency-key": "key-4" }),
    });
    expect(refused.status).toBe(403);
    const retried = await fetch(`${f.base}/v1/ideas`, {
      method: "POST",
      ...json(goodIdea, { ...(await auth({ sub: "u9" })), "idempotency-key": "key-4" }),
    });
    expect(retried.status).toBe(201);
  });

  it("makes the same ids each time a request with a key runs (a retry after a failure); others otherwise", async () => {
    const draw = async (key?: string, note = "n") =>
      (
        await fetch(`${f.base}/v1/draws`, {
          method: "POST",
          ...json({ note }, { ...(await auth()), ...(key ? { "idempotency-key": key } : {}) }),
        })
      ).status;
    const runs = f.draws();
    f.failDraws(2);
    // Twice it makes its ids (and might have written with them) and fails; the third run succeeds.
    expect([await draw("draw-1"), await draw("draw-1"), await draw("draw-1")]).toEqual([500, 500, 201]);
    const [first, second, third] = runs.slice(-3);
    expect(second).toEqual(first);
    expect(third).toEqual(first);
    expect(new Set(first).size).toBe(2);
    // Another key, no key: other ids; the same key with another body is refused.
    await draw("draw-2");
    await draw(undefined);
    await draw(undefined);
    const others = runs.slice(-3).flat();
    expect(new Set([...others, ...first!]).size).toBe(others.length + 2);
    expect(await draw("draw-1", "another body")).toBe(422);
  });
});

/** Sends raw bytes and reads everything the server answers until it closes the connection. */
function rawRequest(base: string, request: string): Promise<string> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    socket.on("error", reject);
    socket.write(request);
  });
}

describe("requests over Node's header limit", () => {
  it("answers a 60,000-character Idempotency-Key with a 431 problem, not a bare 431 or a reset", async () => {
    const raw = await rawRequest(
      f.base,
      `POST /v1/ideas HTTP/1.1\r\nHost: x\r\nIdempotency-Key: ${"k".repeat(60_000)}\r\n` +
        `Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`,
    );
    const [head = "", body = ""] = raw.split("\r\n\r\n");
    expect(head).toMatch(/^HTTP\/1\.1 431 /);
    expect(head.toLowerCase()).toContain("content-type: application/problem+json");
    const problemBody = JSON.parse(body) as Record<string, unknown>;
    expect(problemBody).toMatchObject({
      type: "https://lto.mantova.it/problems/request-header-fields-too-large",
      status: 431,
    });
    expect(String(problemBody.detail)).toMatch(/headers|URL/);
  });

  it("answers a very long query through fetch with a 431 problem", async () => {
    const res = await fetch(`${f.base}/v1/ideas?area=${"a".repeat(40_000)}`);
    const body = await problem(res, 431);
    expect(body.type).toBe("https://lto.mantova.it/problems/request-header-fields-too-large");
  });

  it("answers a request line HTTP cannot parse with a 400 problem", async () => {
    const raw = await rawRequest(f.base, "GET /v1/ideas HTTP/1.1\r\nHost x\r\n\r\n");
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    expect(raw.toLowerCase()).toContain("content-type: application/problem+json");
  });
});

describe("Idempotency-Key in flight", () => {
  it("answers 409 idempotency-key-in-progress to a second request while the first runs", async () => {
    const open = f.closeGate();
    const slow = { ...goodIdea, title: "Slow idea" };
    const first = create(slow, { "idempotency-key": "key-inflight" });
    // The first request holds the key once its handler runs; then the same request again.
    const calls = f.handlerCalls();
    const started = Date.now();
    while (f.handlerCalls() === calls && Date.now() - started < 5000)
      await new Promise((r) => setTimeout(r, 10));
    const second = await create(slow, { "idempotency-key": "key-inflight" });
    const body = await problem(second, 409);
    expect(body.type).toBe("https://lto.mantova.it/problems/idempotency-key-in-progress");
    expect(String(body.detail)).toMatch(/still in progress/);
    expect(second.headers.get("retry-after")).toBe("1");
    open();
    expect((await first).status).toBe(201);
    const replay = await create(slow, { "idempotency-key": "key-inflight" });
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
  });
});

describe("ETag and If-Match", () => {
  it("sends the version as ETag, needs If-Match on updates, refuses stale ones", async () => {
    const created = await create({ ...goodIdea, title: "Versioned idea" });
    const { id } = (await created.json()) as { id: string };
    const read = await fetch(`${f.base}/v1/ideas/${id}`);
    expect(read.headers.get("etag")).toBe('"1"');

    const patch = async (ifMatch?: string) =>
      fetch(`${f.base}/v1/ideas/${id}`, {
        method: "PATCH",
        ...json(
          { title: "Renamed idea" },
          { ...(await auth()), ...(ifMatch ? { "if-match": ifMatch } : {}) },
        ),
      });
    await problem(await patch(), 428);
    const malformed = await problem(await patch("*"), 400);
    expect(malformed.errors).toEqual([{ path: "If-Match", message: expect.any(String) }]);
    const ok = await patch('"1"');
    expect(ok.status).toBe(200);
    expect(ok.headers.get("etag")).toBe('"2"');
    await problem(await patch('"1"'), 412);
    expect((await patch('W/"2"')).status).toBe(200);
  });
});

describe("pagination", () => {
  it("walks a list with cursors and refuses a forged cursor", async () => {
    for (let i = 0; i < 3; i++) await create({ ...goodIdea, area: "mechanics", title: `Machine ${i}` });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const url = `${f.base}/v1/ideas?area=mechanics&limit=2${cursor ? `&cursor=${cursor}` : ""}`;
      const page = (await (await fetch(url)).json()) as { items: { title: string }[]; nextCursor?: string };
      seen.push(...page.items.map((i) => i.title));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(["Machine 0", "Machine 1", "Machine 2"]);
    const forged = await problem(await fetch(`${f.base}/v1/ideas?cursor=Zm9v`), 400);
    expect(forged.errors).toEqual([{ path: "cursor", message: "Invalid cursor" }]);
  });
});

describe("a body that is not JSON", () => {
  it("goes out as the route's text with its media type, documented as such", async () => {
    const res = await fetch(`${f.base}/v1/calendars/i7.ics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    expect(await res.text()).toBe("BEGIN:VCALENDAR\r\nX-ID:i7\r\nEND:VCALENDAR\r\n");
    await problem(await fetch(`${f.base}/v1/calendars/${"x".repeat(30)}.ics`), 400);
    const doc = (await (await fetch(`${f.base}/openapi.json`)).json()) as {
      paths: Record<string, { get: { responses: Record<string, { content: object }> } }>;
    };
    const ok = doc.paths["/v1/calendars/{id}.ics"]!.get.responses["200"]!;
    expect(ok.content).toEqual({ "text/calendar": { schema: { type: "string" } } });
  });
});

describe("/openapi.json", () => {
  it("documents the paths, parameters and named schemas of the routes", async () => {
    const doc = (await (await fetch(`${f.base}/openapi.json`)).json()) as {
      openapi: string;
      info: { title: string };
      paths: Record<string, Record<string, Record<string, unknown>>>;
      components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
    };
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info.title).toBe("Fixture API");
    expect(Object.keys(doc.paths).sort()).toEqual([
      "/v1/boom",
      "/v1/calendars/{id}.ics",
      "/v1/draws",
      "/v1/ideas",
      "/v1/ideas/{id}",
      "/v1/store-down",
    ]);
    expect(Object.keys(doc.paths["/v1/ideas/{id}"]!).sort()).toEqual(["get", "patch"]);
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(["Idea", "CreateIdea", "Problem"]),
    );
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });

    const post = doc.paths["/v1/ideas"]!.post!;
    expect(post.security).toEqual([{ bearerAuth: [] }]);
    expect(JSON.stringify(post.requestBody)).toContain("#/components/schemas/CreateIdea");
    expect(post.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ in: "header", name: "Idempotency-Key" })]),
    );
    expect(Object.keys(post.responses as object)).toEqual(
      expect.arrayContaining(["201", "400", "401", "422", "default"]),
    );

    const patch = doc.paths["/v1/ideas/{id}"]!.patch!;
    expect(patch.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ in: "path", name: "id", required: true }),
        expect.objectContaining({ in: "header", name: "If-Match", required: true }),
      ]),
    );
    expect(Object.keys(patch.responses as object)).toEqual(expect.arrayContaining(["412", "428"]));

    const list = doc.paths["/v1/ideas"]!.get!;
    expect((list.parameters as { name: string }[]).map((p) => p.name).sort()).toEqual([
      "area",
      "cursor",
      "limit",
    ]);
  });
});

describe("operations endpoints", () => {
  it("/healthz is alive and /metrics has default metrics and the request histogram by route", async () => {
    expect(await (await fetch(`${f.base}/healthz`)).json()).toEqual({ status: "ok", service: "fixture" });
    await fetch(`${f.base}/v1/ideas/i424242`);
    const res = await fetch(`${f.base}/metrics`);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toContain("process_cpu_user_seconds_total");
    // Every series says which service it is (the default label of the app's registry).
    expect(text).toMatch(
      /http_request_duration_seconds_count\{service="fixture",method="GET",route="\/v1\/ideas\/\{id\}",status="404"\} \d+/,
    );
    expect(text).toMatch(
      /http_request_duration_seconds_count\{service="fixture",method="GET",route="unmatched",status="404"\} \d+/,
    );
    expect(text).toMatch(/process_cpu_user_seconds_total\{service="fixture"\} /);
  });

  it("/readyz passes when all checks pass", async () => {
    const res = await fetch(`${f.base}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ready", checks: { store: "ok" } });
  });

  it("/readyz answers 503 listing the failing checks", async () => {
    const sick = await startFixture({
      readiness: {
        store: async () => {},
        broker: async () => {
          throw new Error("ECONNREFUSED 127.0.0.1:9092");
        },
        slow: () => new Promise(() => {}),
      },
    });
    try {
      const res = await fetch(`${sick.base}/readyz`);
      const body = await problem(res, 503);
      expect(body.failing).toEqual(["broker", "slow"]);
      expect(body.checks).toEqual({ store: "ok", broker: "failing", slow: "failing" });
      expect(JSON.stringify(body)).not.toContain("ECONNREFUSED");
    } finally {
      await sick.close();
    }
  });
});

describe("listen and close", () => {
  it("lets an in-flight request finish, then refuses new connections", async () => {
    const g = await startFixture();
    const inflight = fetch(`${g.base}/readyz`);
    await new Promise((r) => setTimeout(r, 5));
    await g.close();
    expect((await inflight).status).toBe(200);
    await expect(fetch(`${g.base}/healthz`)).rejects.toThrow();
  });
});
