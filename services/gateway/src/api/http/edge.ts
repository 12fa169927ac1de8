// The edge: /api/<service>/<rest> forwarded to that service's /<rest> as a stream (bodies untouched),
// with the request id and trace context passed on, a per-client rate limit and a body size limit; the
// services' OpenAPI documents gathered at /api/openapi; the built portal at / with its SPA fallback.
import { existsSync } from "node:fs";
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";
import { join } from "node:path";
import { decodeJwt } from "jose";
import express, { type Express, type Request, type Response } from "express";
import { nameHttpRoute, type Logger } from "@lto/telemetry";
import { WindowLimiter } from "../../app/index.js";
import { EDGE_SERVICES, type EdgeService } from "../../config.js";
import { clientAddress } from "./client-address.js";
import { portalMissingPage } from "./pages.js";

export interface EdgeOptions {
  services: Record<EdgeService, string>;
  ratePerMinute: number;
  bodyLimitBytes: number;
  portalDist: string;
  logger: Logger;
  /** See TRUSTED_PROXY_HOPS. */
  trustedProxyHops: number;
  now?: () => number;
}

// Hop-by-hop headers (RFC 9110 7.6.1) are the connection's, not the message's: never forwarded.
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "host",
]);

function forwardable(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  return out;
}

const problem = (
  res: Response,
  status: number,
  type: string,
  title: string,
  detail: string,
  headers: Record<string, string> = {},
) => {
  res
    .status(status)
    .set({ "content-type": "application/problem+json", ...headers })
    .send(
      JSON.stringify({
        type: `https://lto.local/problems/${type}`,
        title,
        status,
        detail,
        requestId: res.locals.requestId,
      }),
    );
};

/**
 * Who a request counts against: its token's subject (not verified here: the service verifies it; a
 * forged subject only spends that subject's allowance), else the client's address.
 */
function clientKey(req: Request, trustedProxyHops: number): string {
  const auth = req.get("authorization");
  const token = auth && /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
  if (token) {
    try {
      const sub = decodeJwt(token).sub;
      if (sub) return `sub:${sub}`;
    } catch {
      // not a JWT: counted by address
    }
  }
  return `ip:${clientAddress(req, trustedProxyHops)}`;
}

export function mountEdge(server: Express, opts: EdgeOptions): void {
  const limiter = new WindowLimiter(opts.ratePerMinute, 60_000, opts.now);

  server.get("/api/openapi", (_req, res) => {
    res.json({
      services: EDGE_SERVICES.map((name) => ({ name, openapi: `/api/${name}/openapi.json` })),
      gathered: "/api/openapi/all",
    });
  });
  server.get("/api/openapi/all", async (_req, res) => {
    const documents = await Promise.all(
      EDGE_SERVICES.map(async (name) => {
        try {
          const r = await fetch(`${opts.services[name]}/openapi.json`, { signal: AbortSignal.timeout(3000) });
          return [name, r.ok ? await r.json() : { unavailable: `answered ${r.status}` }] as const;
        } catch {
          return [name, { unavailable: "unreachable" }] as const;
        }
      }),
    );
    res.json(Object.fromEntries(documents));
  });

  server.all(/^\/api\/([a-z-]+)(\/.*)?$/, (req, res) => {
    const name = (req.params as Record<string, string>)[0] as EdgeService;
    const base = EDGE_SERVICES.includes(name) ? opts.services[name] : undefined;
    if (!base) {
      problem(
        res,
        404,
        "not-found",
        "Not found",
        `No service ${name}; the services are ${EDGE_SERVICES.join(", ")}`,
      );
      return;
    }
    // One route per service in the request metrics and the trace (the pattern above is a regex).
    res.locals.route = `/api/${name}/*`;
    nameHttpRoute(`/api/${name}/*`);
    // The services' metrics are for Prometheus inside the network, not for the public edge.
    if (/^\/metrics\/?$/.test(req.path.slice(`/api/${name}`.length))) {
      problem(res, 404, "not-found", "Not found", `/api/${name}/metrics is not served at the edge`);
      return;
    }
    const limited = limiter.hit(clientKey(req, opts.trustedProxyHops));
    if (!limited.allowed) {
      problem(
        res,
        429,
        "too-many-requests",
        "Too many requests",
        `Slow down: at most ${opts.ratePerMinute} requests a minute; retry in ${limited.retryAfterSeconds} s`,
        { "retry-after": String(limited.retryAfterSeconds) },
      );
      return;
    }
    const length = Number(req.get("content-length") ?? 0);
    if (length > opts.bodyLimitBytes) {
      problem(
        res,
        413,
        "payload-too-large",
        "Payload too large",
        `The body exceeds the limit of ${opts.bodyLimitBytes} bytes`,
      );
      req.resume();
      return;
    }
    const rest = req.originalUrl.slice(`/api/${name}`.length) || "/";
    // Appended to the base, not resolved against it: "//other-host/x" must stay a path on the service.
    const target = new URL(`${base.replace(/\/+$/, "")}${rest.startsWith("/") ? rest : `/${rest}`}`);
    const headers = forwardable(req.headers);
    // The browser's cookies are the sign-in session's: the services authenticate by bearer token only.
    delete headers.cookie;
    headers["x-request-id"] = res.locals.requestId as string;
    headers["x-forwarded-for"] = [req.get("x-forwarded-for"), req.socket.remoteAddress]
      .filter(Boolean)
      .join(", ");
    headers["x-forwarded-prefix"] = `/api/${name}`;
    const send = target.protocol === "https:" ? httpsRequest : httpRequest;
    const upstream = send(target, { method: req.method, headers }, (answer) => {
      const out = forwardable(answer.headers);
      res.status(answer.statusCode ?? 502).set(out);
      answer.pipe(res);
    });
    upstream.setTimeout(60_000, () => upstream.destroy(new Error("the service did not answer in 60 s")));
    let tooLarge = false;
    upstream.on("error", (err) => {
      if (tooLarge) return;
      opts.logger.warn({ err, service: name }, "edge: the service did not answer");
      if (!res.headersSent) {
        problem(
          res,
          503,
          "service-unavailable",
          "Service unavailable",
          `The ${name} service is unreachable; retry shortly`,
          { "retry-after": "5" },
        );
      } else res.destroy();
    });
    // Count what streams through: a chunked body may not announce its length.
    let received = 0;
    req.on("data", (chunk: Buffer) => {
      received += chunk.length;
      if (received > opts.bodyLimitBytes && !tooLarge) {
        tooLarge = true;
        upstream.destroy();
        req.unpipe(upstream);
        if (!res.headersSent)
          problem(
            res,
            413,
            "payload-too-large",
            "Payload too large",
            `The body exceeds the limit of ${opts.bodyLimitBytes} bytes`,
          );
        req.resume();
      }
    });
    req.pipe(upstream);
  });

  // The portal: its files, and index.html for any other GET that wants a page (client-side routes).
  const index = join(opts.portalDist, "index.html");
  server.use(express.static(opts.portalDist, { index: false, fallthrough: true, redirect: false }));
  // Not for the sign-in pages' assets (mounted before, in sign-in.ts): a missing one is a 404, not a page.
  server.get(/^(?!\/api\/|\/oidc\/|\/signin-assets\/).*/, (req, res, next) => {
    if (!req.accepts("html")) return next();
    if (!existsSync(index)) {
      res
        .status(404)
        .set({ "content-type": "text/html; charset=utf-8", "cache-control": "no-store" })
        .send(portalMissingPage(opts.portalDist));
      return;
    }
    // Relative to its root: `send` refuses any path with a dot-segment (a dist under ~/.cache or .tmp).
    res.set("cache-control", "no-cache").sendFile("index.html", { root: opts.portalDist });
  });
}
