// The express 5 app every service uses: validation, problem+json, auth, idempotency, ETags, request
// ids, health, readiness, metrics and the OpenAPI document, wired the same way everywhere.
import { randomUUID } from "node:crypto";
import { createServer, maxHeaderSize, STATUS_CODES } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { Identity } from "@lto/auth";
import type { FieldIssue, ProblemDetails } from "@lto/errors";
import {
  PreconditionRequiredError,
  retryTransient,
  toProblem,
  UnauthenticatedError,
  ValidationError,
} from "@lto/errors";
import type { Logger } from "@lto/telemetry";
import express from "express";
import type { ErrorRequestHandler, Express, Request, RequestHandler, Response } from "express";
import type { Registry } from "prom-client";
import type { z } from "zod";
import type { IdempotencyStore, StoredResponse } from "./idempotency.js";
import { IDEMPOTENCY_KEY_PATTERN, requestHash } from "./idempotency.js";
import { idempotentRequestToken, runIdempotentRequest, type IdempotentRequest } from "./ids.js";
import { createHttpMetrics } from "./metrics.js";
import { buildOpenApiDocument } from "./openapi.js";
import { PROBLEM_CONTENT_TYPE, sendProblem, transportProblem } from "./problem.js";
import type { ApiRouter, HandlerContext, HandlerResult, RouteDefinition } from "./routes.js";
import { toExpressPath } from "./routes.js";
import { hostileTextIssues } from "./text.js";
import { fieldIssues, withFieldNames } from "./validation.js";

export interface HttpAppOptions {
  serviceName: string;
  logger: Logger;
  /** Bearer header -> identity; undefined when absent; throws UnauthenticatedError when invalid. */
  authenticate?: (authorizationHeader: string | undefined) => Promise<Identity | undefined>;
  /** Checks run by /readyz, e.g. { store: () => pingMongo(conn), broker: ... }. */
  readiness?: Record<string, () => Promise<void>>;
  idempotencyStore?: IdempotencyStore;
  routes: (api: ApiRouter) => void;
  /** `servers` defaults to the origin the document is served from ("/"). */
  openapi: { title: string; version: string; servers?: Array<{ url: string; description?: string }> };
  /** Largest JSON body accepted (bytes or "100kb"); larger ones get 413. */
  bodyLimit?: number | string;
  readinessTimeoutMs?: number;
  /** How long close() lets in-flight requests finish before cutting connections. */
  shutdownGraceMs?: number;
  /** Registries appended to /metrics besides the app's own (default: prom-client's global one). */
  extraMetricsRegistries?: Registry[];
  /**
   * Serve /metrics only on a port of its own (`listenMetrics`), never on the app's: an app published to
   * the internet (the gateway) keeps its metrics inside the network. Default: on the app's port.
   */
  metricsOnOwnPort?: boolean;
  /**
   * Handlers that are not JSON endpoints (an OpenID Connect provider, a proxy, static files), added
   * after the routes and before the 404: they see every request no route answered.
   */
  mount?: (app: Express) => void;
}

export interface RunningHttpServer {
  port: number;
  /** Stops accepting, lets in-flight requests finish (up to the grace period), then closes. */
  close(): Promise<void>;
}

export interface HttpApp {
  app: Express;
  /** The app's own Prometheus registry, for service-specific metrics. */
  metricsRegistry: Registry;
  openapiDocument: ReturnType<typeof buildOpenApiDocument>;
  listen(port: number, host?: string): Promise<RunningHttpServer>;
  /** Serves GET /metrics alone on `port` (with `metricsOnOwnPort`: for Prometheus inside the network). */
  listenMetrics(port: number, host?: string): Promise<RunningHttpServer>;
}

/** A problem produced by the transport layer rather than by an AppError. */
class TransportError extends Error {
  constructor(
    readonly problem: ProblemDetails,
    readonly headers: Record<string, string> = {},
  ) {
    super(problem.detail);
  }
}

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
const OPS_ROUTES = new Set(["/healthz", "/readyz", "/metrics", "/openapi.json"]);

/** `"3"`, `W/"3"` or `3` -> 3; anything else (lists, *, junk) -> undefined. */
export function parseIfMatch(header: string): number | undefined {
  const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

function hasBody(req: Request): boolean {
  return req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function responseHeaders(result: HandlerResult): Record<string, string> {
  return {
    ...result.headers,
    ...(result.etag === undefined ? {} : { ETag: `"${result.etag}"` }),
    ...(result.contentType === undefined ? {} : { "Content-Type": result.contentType }),
  };
}

function send(res: Response, status: number, headers: Record<string, string>, body: unknown): void {
  res.status(status).set(headers);
  if (body === undefined) res.end();
  // A route that names its media type answers its own bytes or text (a PDF, a signed token, a calendar).
  else if (body instanceof Uint8Array) res.send(Buffer.from(body));
  else if (typeof body === "string" && res.get("content-type")) res.send(body);
  else res.json(body);
}

/** body-parser and router errors carry `type`/`status`; turn them into problems that say what to fix. */
function transportProblemOf(err: unknown): ProblemDetails | undefined {
  if (!err || typeof err !== "object") return undefined;
  const e = err as { type?: unknown; status?: unknown; limit?: unknown; expose?: unknown; message?: unknown };
  switch (e.type) {
    case "entity.parse.failed":
      return transportProblem(
        400,
        "malformed-json",
        "Malformed JSON",
        `The body is not valid JSON: ${String(e.message)}`,
      );
    case "entity.too.large":
      return transportProblem(
        413,
        "payload-too-large",
        "Payload too large",
        `The body exceeds the limit of ${String(e.limit)} bytes`,
      );
    case "encoding.unsupported":
    case "charset.unsupported":
      return transportProblem(415, "unsupported-media-type", "Unsupported media type", String(e.message));
    case "request.aborted":
      return transportProblem(
        400,
        "aborted",
        "Request aborted",
        "The request body was not received completely",
      );
  }
  if (typeof e.status === "number" && e.status >= 400 && e.status < 500 && e.expose === true) {
    return transportProblem(e.status, "bad-request", "Bad request", String(e.message));
  }
  return undefined;
}

/**
 * Node's HTTP parser refuses some requests before express sees them (headers or URL over
 * --max-http-header-size, bytes that are not HTTP) and by default answers a bare status or resets the
 * connection. Answer them as problem+json like every other error.
 */
function answerClientError(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = err.code === "HPE_HEADER_OVERFLOW";
  const timeout = err.code === "ERR_HTTP_REQUEST_TIMEOUT";
  const problem = tooLarge
    ? transportProblem(
        431,
        "request-header-fields-too-large",
        "Request header fields too large",
        `The request's headers and URL exceed the server's limit (${Math.round(maxHeaderSize / 1024)} KB together): shorten the query or the header values`,
      )
    : timeout
      ? transportProblem(408, "request-timeout", "Request timeout", "The request was not received in time")
      : transportProblem(400, "bad-request", "Bad request", "The request is not valid HTTP/1.1");
  const body = JSON.stringify(problem);
  socket.end(
    `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? "Error"}\r\n` +
      `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Connection: close\r\n\r\n${body}`,
  );
  // Read and drop what the client is still sending: closing with unread bytes would reset the
  // connection and the client would lose the answer. The timer bounds how long a client can keep it.
  socket.resume();
  setTimeout(() => socket.destroy(), 5_000).unref();
}

export function createHttpApp(opts: HttpAppOptions): HttpApp {
  const { logger } = opts;
  const readiness = opts.readiness ?? {};
  const metrics = createHttpMetrics(opts.extraMetricsRegistries, opts.serviceName);
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", false);
  let draining = false;

  // Request id, access log and the latency histogram, for every request including unmatched ones.
  app.use((req, res, next) => {
    const incoming = req.get("x-request-id");
    const requestId = incoming && REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = requestId;
    res.set("x-request-id", requestId);
    if (draining) res.set("Connection", "close"); // keep-alive clients move to another instance
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      const route = (res.locals.route as string | undefined) ?? "unmatched";
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.observe(req.method, route, res.statusCode, seconds);
      const fields = {
        requestId,
        method: req.method,
        route,
        status: res.statusCode,
        ms: Math.round(seconds * 1000),
      };
      if (OPS_ROUTES.has(route)) logger.debug(fields, "request");
      else logger.info(fields, "request");
    });
    next();
  });

  const ops = (path: string, handler: RequestHandler) =>
    app.get(path, (req, res, next) => {
      res.locals.route = path;
      return handler(req, res, next);
    });

  ops("/healthz", (_req, res) => void res.json({ status: "ok", service: opts.serviceName }));

  ops("/readyz", async (_req, res) => {
    if (draining) {
      sendProblem(res, transportProblem(503, "not-ready", "Not ready", "The service is shutting down"));
      return;
    }
    const timeoutMs = opts.readinessTimeoutMs ?? 2000;
    const results = await Promise.all(
      Object.entries(readiness).map(async ([name, check]) => {
        try {
          await withTimeout(check(), timeoutMs, `readiness check ${name}`);
          return { name, ok: true };
        } catch (err) {
          // A check that knows where it is (e.g. a consumer still joining its group) names its state:
          // expected while starting, so not a warning.
          const state = (err as { state?: unknown } | undefined)?.state;
          if (typeof state === "string") {
            logger.debug({ err, check: name }, "not ready yet");
            return { name, ok: false, state };
          }
          logger.warn({ err, check: name }, "readiness check failed");
          return { name, ok: false };
        }
      }),
    );
    const checks = Object.fromEntries(
      results.map((r) => [r.name, r.ok ? "ok" : "state" in r ? r.state : "failing"]),
    );
    const failing = results.filter((r) => !r.ok).map((r) => r.name);
    if (failing.length === 0) {
      res.json({ status: "ready", checks });
      return;
    }
    const problem = transportProblem(
      503,
      "not-ready",
      "Not ready",
      `Failing readiness checks: ${failing.join(", ")}`,
    );
    sendProblem(res, { ...problem, failing, checks }, { "Retry-After": "5" });
  });

  const serveMetrics: RequestHandler = async (_req, res) => {
    const { contentType, body } = await metrics.render();
    res.type(contentType).send(body);
  };
  // Answered here either way, so that nothing mounted after (a portal's page fallback) answers it.
  ops(
    "/metrics",
    opts.metricsOnOwnPort
      ? (_req, res) =>
          sendProblem(
            res,
            transportProblem(404, "not-found", "Not found", "/metrics is not served on this port"),
          )
      : serveMetrics,
  );

  // Routes. The OpenAPI document is built once, at creation, so a schema it cannot express fails
  // start-up instead of the first request for /openapi.json.
  const routes: RouteDefinition[] = [];
  const jsonParser = express.json({
    limit: opts.bodyLimit ?? "100kb",
    type: ["application/json", "application/*+json"],
  });
  const requireJson: RequestHandler = (req, _res, next) => {
    if (hasBody(req) && !req.is(["application/json", "application/*+json"])) {
      const type = req.get("content-type") ?? "none";
      next(
        new TransportError(
          transportProblem(
            415,
            "unsupported-media-type",
            "Unsupported media type",
            `Send the body as application/json (got ${type})`,
          ),
        ),
      );
    } else next();
  };

  const api: ApiRouter = {
    route(definition) {
      const route = definition as unknown as RouteDefinition;
      if (route.auth !== "none" && !opts.authenticate) {
        throw new Error(
          `${route.method.toUpperCase()} ${route.path} needs auth but the app has no authenticate()`,
        );
      }
      if (route.idempotent && !opts.idempotencyStore) {
        throw new Error(
          `${route.method.toUpperCase()} ${route.path} is idempotent but the app has no idempotencyStore`,
        );
      }
      routes.push(route);
      const chain: RequestHandler[] = [
        (_req, res, next) => {
          res.locals.route = route.path;
          next();
        },
      ];
      if (route.request?.body) chain.push(requireJson, jsonParser);
      chain.push(async (req, res) => handle(route, req, res));
      app[route.method](toExpressPath(route.path), ...chain);
    },
  };

  async function handle(route: RouteDefinition, req: Request, res: Response): Promise<void> {
    const requestId = res.locals.requestId as string;

    let identity: Identity | undefined;
    if (route.auth !== "none") {
      identity = await opts.authenticate?.(req.get("authorization"));
      if (!identity && route.auth === "required") {
        throw new UnauthenticatedError("Sign in to do this: send Authorization: Bearer <token>");
      }
    }

    // Every problem with the request is collected first, so one 400 lists them all. Hostile text
    // (control characters, lone surrogates) is looked for in every string wherever it hides, whatever
    // the schema: the schemas' own text rules are the documented contract, this is the net. A field it
    // names is not named again by the schema.
    const hostile = [req.params, req.query, req.body].flatMap((part) => hostileTextIssues(part));
    const hostilePaths = new Set(hostile.map((i) => i.path));
    const issues: FieldIssue[] = [...hostile];
    const parse = (schema: z.ZodType | undefined, value: unknown): unknown => {
      if (!schema) return undefined;
      const result = schema.safeParse(value);
      if (result.success) return result.data;
      issues.push(...fieldIssues(result.error).filter((i) => !hostilePaths.has(i.path)));
      return undefined;
    };
    const params = parse(route.request?.params, req.params);
    const query = parse(route.request?.query, req.query);
    const body = parse(route.request?.body, req.body);
    const ifMatchHeader = route.ifMatch ? req.get("if-match") : undefined;
    const ifMatch = ifMatchHeader === undefined ? undefined : parseIfMatch(ifMatchHeader);
    if (ifMatchHeader !== undefined && ifMatch === undefined) {
      issues.push({ path: "If-Match", message: 'Must be the ETag you received, e.g. "3"' });
    }
    const idempotencyKey = route.idempotent ? req.get("idempotency-key") : undefined;
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(idempotencyKey)) {
      issues.push({ path: "Idempotency-Key", message: "Must be 1-255 visible ASCII characters" });
    }
    if (issues.length > 0) {
      const fields = [...new Set(issues.map((i) => i.path || "the body"))].join(", ");
      throw new ValidationError(`Invalid request; fix these fields: ${fields}`, issues);
    }
    if (route.ifMatch === "required" && ifMatch === undefined) throw new PreconditionRequiredError();

    const ctx: HandlerContext = {
      params: params as never,
      query: query as never,
      body: body as never,
      identity,
      ifMatch,
      requireIfMatch() {
        if (ifMatch === undefined) throw new PreconditionRequiredError();
        return ifMatch;
      },
      requestId,
      log: logger.child({ requestId }),
      headers: req.headers,
    };

    // A store error whose operation did not apply (busy, locked, no server) is retried a few times:
    // the client's own retry after a 503, sooner. Use cases already survive that retry.
    const run = (idempotent?: IdempotentRequest) =>
      retryTransient(
        () => (idempotent ? runIdempotentRequest(idempotent, () => route.handler(ctx)) : route.handler(ctx)),
        {
          onRetry: (err, attempt) => ctx.log.debug({ err, attempt }, "transient store error; retrying"),
        },
      );
    const store = opts.idempotencyStore;
    if (!route.idempotent || idempotencyKey === undefined || !store) {
      const result = await run();
      send(res, result.status, responseHeaders(result), result.body);
      return;
    }

    const scope = identity?.subject ?? "anonymous";
    const hash = requestHash(req.method, req.path, req.body);
    const claim = await retryTransient(() => store.claim(scope, idempotencyKey, hash));
    if (claim.state !== "claimed") {
      if (claim.requestHash !== hash) {
        throw new TransportError(
          transportProblem(
            422,
            "idempotency-key-reused",
            "Idempotency-Key reused",
            "This Idempotency-Key was already used for a different request; use a new key for a new request",
          ),
        );
      }
      // Not a failure of ours (503) but of the request's timing: the same request is running now.
      if (claim.state === "in_progress") {
        throw new TransportError(
          transportProblem(
            409,
            "idempotency-key-in-progress",
            "Idempotency-Key in progress",
            "The first request with this Idempotency-Key is still in progress; retry shortly to get its response",
          ),
          { "Retry-After": "1" },
        );
      }
      send(
        res,
        claim.response.status,
        { ...claim.response.headers, "Idempotent-Replayed": "true" },
        claim.response.body,
      );
      return;
    }
    // Inside the claim the request's ids are repeatable (see ids.ts): a re-run after a crash between the
    // handler's writes and complete() finds what the first run wrote instead of writing it again.
    const idempotent: IdempotentRequest = {
      token: idempotentRequestToken(scope, idempotencyKey, hash),
      firstClaimedAt: claim.firstClaimedAt,
    };
    let result: HandlerResult;
    try {
      result = await run(idempotent);
    } catch (err) {
      await store
        .release(scope, idempotencyKey)
        .catch((e: unknown) => ctx.log.warn({ err: e }, "idempotency release failed"));
      throw err;
    }
    const stored: StoredResponse = {
      status: result.status,
      headers: responseHeaders(result),
      body: result.body,
    };
    // Only successes are remembered: a failed attempt may be retried with the same key.
    if (result.status < 300) {
      await store
        .complete(scope, idempotencyKey, stored)
        .catch((e: unknown) => ctx.log.warn({ err: e }, "idempotency completion failed"));
    } else {
      await store
        .release(scope, idempotencyKey)
        .catch((e: unknown) => ctx.log.warn({ err: e }, "idempotency release failed"));
    }
    send(res, stored.status, stored.headers, stored.body);
  }

  opts.routes(api);
  const openapiDocument = buildOpenApiDocument(opts.openapi, routes);
  ops("/openapi.json", (_req, res) => void res.json(openapiDocument));
  opts.mount?.(app);

  app.use((req, res) => {
    sendProblem(res, {
      ...transportProblem(
        404,
        "not-found",
        "Not found",
        `No endpoint matches ${req.method} ${req.path}; see /openapi.json`,
      ),
      instance: req.path,
      requestId: res.locals.requestId as string,
    });
  });

  const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
    const requestId = res.locals.requestId as string;
    const instance = req.originalUrl.split("?")[0] ?? req.path;
    let problem: ProblemDetails;
    let headers: Record<string, string> = {};
    const transport = err instanceof TransportError ? err.problem : transportProblemOf(err);
    if (transport) {
      problem = transport;
      if (err instanceof TransportError) headers = err.headers;
    } else {
      // A transient store or broker error becomes 503 with Retry-After in toProblem (@lto/errors).
      ({ body: problem, headers } = toProblem(err));
      if (problem.errors) problem.errors = withFieldNames(problem.errors);
    }
    if (problem.status >= 500)
      logger.error({ err, requestId, method: req.method, path: req.path }, "request failed");
    if (problem.status === 401) headers = { ...headers, "WWW-Authenticate": "Bearer" };
    if (res.headersSent) {
      res.destroy();
      return;
    }
    sendProblem(res, { ...problem, instance, requestId }, headers);
  };
  app.use(errorHandler);

  const listenOn = async (
    handler: Express,
    port: number,
    host: string | undefined,
    what: string,
  ): Promise<RunningHttpServer> => {
    const server = createServer(handler);
    server.on("clientError", answerClientError);
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    const bound = (server.address() as AddressInfo).port;
    logger.info({ port: bound, host: host ?? "*" }, `${opts.serviceName} ${what} listening`);
    return {
      port: bound,
      close: () =>
        new Promise<void>((resolve, reject) => {
          if (handler === app) draining = true;
          const force = setTimeout(() => server.closeAllConnections(), opts.shutdownGraceMs ?? 10_000);
          server.close((err) => {
            clearTimeout(force);
            if (err) reject(err);
            else resolve();
          });
          server.closeIdleConnections();
        }),
    };
  };

  return {
    app,
    metricsRegistry: metrics.registry,
    openapiDocument,
    listen: (port, host) => listenOn(app, port, host, "HTTP"),
    listenMetrics(port, host) {
      const metricsApp = express();
      metricsApp.disable("x-powered-by");
      metricsApp.get("/metrics", serveMetrics);
      metricsApp.use((req, res) =>
        sendProblem(
          res,
          transportProblem(404, "not-found", "Not found", `${req.path} is not served on the metrics port`),
        ),
      );
      return listenOn(metricsApp, port, host, "metrics");
    },
  };
}
