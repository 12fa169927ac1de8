// `mount`: handlers that are not JSON endpoints (a provider, a proxy, files) see what no route
// answered, after the routes and the ops endpoints, before the 404.
import { createLogger } from "@lto/telemetry";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpApp, z, type RunningHttpServer } from "../src/index.js";

let server: RunningHttpServer;
let url: string;

beforeAll(async () => {
  const http = createHttpApp({
    serviceName: "mount",
    logger: createLogger("mount-test", { level: "silent" }),
    openapi: { title: "t", version: "1" },
    routes(api) {
      api.route({
        method: "get",
        path: "/v1/thing",
        summary: "a route",
        auth: "none",
        responses: { 200: { description: "ok", schema: z.object({ from: z.string() }) } },
        handler: async () => ({ status: 200, body: { from: "route" } }),
      });
    },
    mount(app) {
      app.get(/^\/v1\/.*/, (_req, res) => void res.type("text/plain").send("mounted"));
      app.get(
        "/page",
        (_req, res) => void res.set("x-request-id-seen", String(res.locals.requestId)).send("page"),
      );
    },
  });
  server = await http.listen(0, "127.0.0.1");
  url = `http://127.0.0.1:${server.port}`;
});
afterAll(() => server?.close());

describe("mount", () => {
  it("runs after the routes and the ops endpoints, with the request id, before the 404", async () => {
    expect(await (await fetch(`${url}/v1/thing`)).json()).toEqual({ from: "route" });
    expect(await (await fetch(`${url}/v1/other`)).text()).toBe("mounted");
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const page = await fetch(`${url}/page`, { headers: { "x-request-id": "r-1" } });
    expect(page.headers.get("x-request-id-seen")).toBe("r-1");
    const missing = await fetch(`${url}/nothing`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toContain("application/problem+json");
  });
});
