// A transient store error through the kit's HTTP edge (issue 7 item 17): an operation that did not
// apply (FerretDB's SQLITE_BUSY) is retried a bounded number of times; when it keeps failing, or when
// its outcome is unknown, the answer is 503 problem+json with Retry-After, never 500.
import { createLogger } from "@lto/telemetry";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpApp, z, type RunningHttpServer } from "../src/index.js";

function driverError(name: string, message: string, code?: number): Error {
  const err = new Error(message);
  err.name = name;
  return Object.assign(err, code === undefined ? {} : { code });
}
const busy = () => driverError("MongoServerError", "database is locked (5) (SQLITE_BUSY)", 1);

let server: RunningHttpServer;
let url: string;
const calls: Record<string, number> = {};

beforeAll(async () => {
  const http = createHttpApp({
    serviceName: "transient",
    logger: createLogger("transient-test", { level: "silent" }),
    openapi: { title: "t", version: "1" },
    routes(api) {
      const route = (path: `/${string}`, fail: (n: number) => Error | undefined) =>
        api.route({
          method: "post",
          path,
          summary: path,
          auth: "none",
          responses: { 201: { description: "ok", schema: z.object({ calls: z.number() }) } },
          handler: async () => {
            const n = (calls[path] = (calls[path] ?? 0) + 1);
            const err = fail(n);
            if (err) throw err;
            return { status: 201, body: { calls: n } };
          },
        });
      route("/v1/busy-twice", (n) => (n <= 2 ? busy() : undefined));
      route("/v1/always-busy", () => busy());
      route("/v1/connection-lost", () => driverError("MongoNetworkError", "connection 3 closed"));
    },
  });
  server = await http.listen(0, "127.0.0.1");
  url = `http://127.0.0.1:${server.port}`;
});
afterAll(async () => {
  await server?.close();
});

describe("transient store errors over HTTP", () => {
  it("retries a write that did not apply, and answers its success", async () => {
    const res = await fetch(`${url}/v1/busy-twice`, { method: "post" });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ calls: 3 });
  });

  it("a store that stays busy: 503 with Retry-After after a bounded number of attempts", async () => {
    const res = await fetch(`${url}/v1/always-busy`, { method: "post" });
    expect(res.status).toBe(503);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.headers.get("retry-after")).toBe("1");
    expect(calls["/v1/always-busy"]).toBeGreaterThan(1);
    expect(calls["/v1/always-busy"]).toBeLessThanOrEqual(5);
  });

  it("a connection lost mid-write is not repeated (it may have applied): 503", async () => {
    const res = await fetch(`${url}/v1/connection-lost`, { method: "post" });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
    expect(calls["/v1/connection-lost"]).toBe(1);
  });
});
