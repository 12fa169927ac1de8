// The edge: /api/<service>/... forwarded as a stream with the request id and trace context, the rate
// and body limits, the OpenAPI documents gathered, the portal's files with the SPA fallback, and the
// sign-in pages' design system files (not swallowed by that fallback). The upstream here is a plain
// HTTP server that answers what it received (the real-service path is in sign-in.int.test.ts).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@lto/testkit";
import type { TestService } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STYLESHEETS } from "../../src/api/http/assets.js";
import { startGateway } from "./support.js";

let gateway: TestService;
let upstream: Server;
let dist: string;
const seen: { method: string; url: string; headers: IncomingHttpHeaders; body: Buffer }[] = [];

beforeAll(async () => {
  upstream = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      res.writeHead(200, { "content-type": "application/octet-stream", "x-upstream": "yes" });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  const port = (upstream.address() as AddressInfo).port;
  dist = mkdtempSync(join(tmpdir(), "portal-dist-"));
  mkdirSync(join(dist, "assets"));
  writeFileSync(join(dist, "index.html"), "<!doctype html><title>portale</title>");
  writeFileSync(join(dist, "assets", "app.js"), "console.log('portal')");
  gateway = await startGateway({
    NOTIFICATIONS_HTTP_URL: `http://127.0.0.1:${port}`,
    INSIGHTS_HTTP_URL: `http://127.0.0.1:${await freePort()}`,
    EDGE_BODY_LIMIT_BYTES: "65536",
    EDGE_RATE_PER_MINUTE: "40",
    PORTAL_DIST: dist,
  });
}, 60_000);

afterAll(async () => {
  await gateway?.close();
  await new Promise((resolve) => upstream?.close(resolve));
  rmSync(dist, { recursive: true, force: true });
});

const last = () => seen.at(-1)!;

describe("the /api proxy", () => {
  it("forwards /api/<service>/<rest> to the service's /<rest> with its query, request id and trace context", async () => {
    const traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    const res = await fetch(`${gateway.url}/api/notifications/v1/notices?page=2&x=%C3%A8`, {
      headers: { traceparent, "x-request-id": "req-123", authorization: "Bearer abc", cookie: "_session=s" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-upstream")).toBe("yes");
    expect(last().url).toBe("/v1/notices?page=2&x=%C3%A8");
    expect(last().headers["x-request-id"]).toBe("req-123");
    expect(last().headers.traceparent).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
    expect(last().headers.authorization).toBe("Bearer abc");
    expect(last().headers.cookie).toBeUndefined();
  });

  it("counts forwarded requests under one route per service, not under the edge's pattern", async () => {
    await fetch(`${gateway.url}/api/notifications/v1/notices/n-1`);
    const metrics = await (await fetch(`${gateway.running.metrics!.url}/metrics`)).text();
    expect(metrics).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/api\/notifications\/\*"/);
    expect(metrics).not.toContain("[a-z-]");
  });

  it("makes a request id when the client sends none", async () => {
    const res = await fetch(`${gateway.url}/api/notifications/healthz`);
    expect(res.status).toBe(200);
    expect(last().headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("keeps the services' metrics inside: /api/<service>/metrics is not forwarded", async () => {
    const before = seen.length;
    for (const path of [
      "/api/notifications/metrics",
      "/api/notifications/metrics/",
      "/api/notifications/metrics?x=1",
    ]) {
      const res = await fetch(`${gateway.url}${path}`);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("content-type")).toMatch(/problem\+json/);
    }
    expect(seen.length).toBe(before);
    expect((await fetch(`${gateway.url}/api/notifications/v1/metrics`)).status).toBe(200);
  });

  it("keeps its own metrics inside: 404 on the public port, served on METRICS_PORT", async () => {
    for (const accept of ["*/*", "text/html", "text/plain"]) {
      const res = await fetch(`${gateway.url}/metrics`, { headers: { accept } });
      expect(res.status, accept).toBe(404);
      expect(await res.text()).not.toContain("http_request_duration_seconds");
    }
    const internal = gateway.running.metrics;
    expect(internal?.port).not.toBe(gateway.running.http.port);
    const res = await fetch(`${internal!.url}/metrics`);
    expect(res.status).toBe(200);
    const body = await res.text();
    // The public port's answers are counted here (the three refusals above among them).
    const refused =
      /http_request_duration_seconds_count\{service="gateway",method="GET",route="\/metrics",status="404"\} (\d+)/.exec(
        body,
      );
    expect(Number(refused?.[1])).toBeGreaterThanOrEqual(3);
    // Only /metrics there: not the API, the sign-in or the portal.
    expect((await fetch(`${internal!.url}/oidc/jwks`)).status).toBe(404);
    expect((await fetch(`${internal!.url}/`)).status).toBe(404);
  });

  it("keeps every path on the service's host: //host/... is a path there, never another host", async () => {
    const res = await fetch(`${gateway.url}/api/notifications//lto.invalid/steal?x=1`);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-upstream")).toBe("yes");
    expect(last().url).toBe("//lto.invalid/steal?x=1");
  });

  it("streams bodies untouched, binary and chunked", async () => {
    const bytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) % 256));
    const res = await fetch(`${gateway.url}/api/notifications/v1/upload`, {
      method: "PUT",
      headers: { "content-type": "application/octet-stream" },
      body: bytes,
    });
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    expect(last().body.equals(bytes)).toBe(true);
    const stream = new ReadableStream({
      start(c) {
        c.enqueue(new Uint8Array([1, 2, 3]));
        c.enqueue(new Uint8Array([4, 5]));
        c.close();
      },
    });
    const chunked = await fetch(`${gateway.url}/api/notifications/v1/upload`, {
      method: "POST",
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(chunked.status).toBe(200);
    expect([...last().body]).toEqual([1, 2, 3, 4, 5]);
  });

  it("refuses a body over the limit with 413, announced or streamed", async () => {
    const before = seen.length;
    const big = await fetch(`${gateway.url}/api/notifications/v1/upload`, {
      method: "POST",
      body: Buffer.alloc(70_000, 1),
    });
    expect(big.status).toBe(413);
    expect(big.headers.get("content-type")).toContain("application/problem+json");
    expect(seen.length).toBe(before);
    const chunks = Array.from({ length: 40 }, () => new Uint8Array(4096));
    const stream = new ReadableStream({
      pull(c) {
        const next = chunks.pop();
        if (next) c.enqueue(next);
        else c.close();
      },
    });
    const streamed = await fetch(`${gateway.url}/api/notifications/v1/upload`, {
      method: "POST",
      body: stream,
      duplex: "half",
    } as RequestInit).catch(() => undefined);
    // Cut short: a 413 when the answer could still be sent, else the connection closed; never forwarded whole.
    if (streamed) expect(streamed.status).toBe(413);
    expect(seen.every((s) => s.body.length <= 65_536)).toBe(true);
  });

  it("answers an unknown service 404 and an unreachable one 503 with Retry-After", async () => {
    const unknown = await fetch(`${gateway.url}/api/payroll/v1/x`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { detail: string }).detail).toMatch(/ideas, adoption/);
    const down = await fetch(`${gateway.url}/api/insights/v1/figures`);
    expect(down.status).toBe(503);
    expect(down.headers.get("retry-after")).toBe("5");
  });

  it("lists the services' OpenAPI documents and gathers them", async () => {
    const list = (await (await fetch(`${gateway.url}/api/openapi`)).json()) as {
      services: { name: string; openapi: string }[];
    };
    expect(list.services.map((s) => s.name)).toEqual([
      "ideas",
      "adoption",
      "catalogue",
      "self-employment",
      "insights",
      "notifications",
    ]);
    expect(list.services[0]!.openapi).toBe("/api/ideas/openapi.json");
    const all = (await (await fetch(`${gateway.url}/api/openapi/all`)).json()) as Record<string, unknown>;
    expect(all.insights).toEqual({ unavailable: "unreachable" });
    expect(Object.keys(all)).toHaveLength(6);
  });

  it("limits each client's rate with 429 and Retry-After (counted per token subject, else per address)", async () => {
    let limited: Response | undefined;
    for (let i = 0; i < 60 && !limited; i++) {
      const res = await fetch(`${gateway.url}/api/notifications/healthz`);
      if (res.status === 429) limited = res;
    }
    expect(limited, "no 429 within 60 requests at 40 a minute").toBeDefined();
    expect(Number(limited!.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another client (a token's subject) still has its own allowance.
    const header = { alg: "none" };
    const token =
      [header, { sub: "someone-else" }]
        .map((p) => Buffer.from(JSON.stringify(p)).toString("base64url"))
        .join(".") + ".x";
    const other = await fetch(`${gateway.url}/api/notifications/healthz`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(other.status).toBe(200);
  });
});

describe("the portal's files", () => {
  it("serves the files, and index.html for any other page", async () => {
    const js = await fetch(`${gateway.url}/assets/app.js`);
    expect(js.status).toBe(200);
    expect(await js.text()).toContain("portal");
    for (const path of ["/", "/scuola/idee/123"]) {
      const page = await fetch(`${gateway.url}${path}`, { headers: { accept: "text/html" } });
      expect(page.status, path).toBe(200);
      expect(await page.text(), path).toContain("<title>portale</title>");
    }
    const api = await fetch(`${gateway.url}/v1/nothing-here`, { headers: { accept: "application/json" } });
    expect(api.status).toBe(404);
  });

  it("says to build the portal when it is not built (not a 500)", async () => {
    const other = await startGateway({ PORTAL_DIST: join(dist, "missing") });
    try {
      const page = await fetch(`${other.url}/`, { headers: { accept: "text/html" } });
      expect(page.status).toBe(404);
      expect(await page.text()).toContain("npm run build -w @lto/portal");
    } finally {
      await other.close();
    }
  });
});

describe("the sign-in pages' stylesheets and fonts", () => {
  it("serves them for a year, and answers a missing one 404, not with the portal's index.html", async () => {
    let fontCss = "";
    for (const href of STYLESHEETS) {
      const res = await fetch(`${gateway.url}${href}`, { headers: { accept: "text/css,*/*;q=0.1" } });
      expect(res.status, href).toBe(200);
      expect(res.headers.get("content-type"), href).toContain("text/css");
      expect(res.headers.get("cache-control"), href).toMatch(/max-age=31536000.*immutable/);
      const css = await res.text();
      if (css.includes("@font-face")) fontCss = new URL(href, gateway.url).href;
      else expect(css, href).toContain(".form-control");
    }
    // The font faces' URLs, relative to their stylesheet, are served too.
    const fonts = [...(await (await fetch(fontCss)).text()).matchAll(/url\("([^"]+)"\)/g)].map((m) => m[1]!);
    expect(fonts.length).toBeGreaterThan(0);
    for (const url of fonts) {
      const font = await fetch(new URL(url, fontCss));
      expect(font.status, url).toBe(200);
      expect(font.headers.get("content-type"), url).toBe("font/woff2");
      await font.arrayBuffer();
    }
    const missing = await fetch(`${gateway.url}${STYLESHEETS[0].replace(/[^/]+$/, "missing.css")}`, {
      headers: { accept: "text/html" },
    });
    expect(missing.status).toBe(404);
    expect(await missing.text()).not.toContain("<title>portale</title>");
  });
});
