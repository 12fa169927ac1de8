// A small ideas-like API exercising every feature of the kit, shared by the integration tests.
import { Writable } from "node:stream";
import { createJwtVerifier, generateSigningKey, requireRole, signToken } from "@lto/auth";
import type { TokenClaims } from "@lto/auth";
import { NotFoundError, PreconditionFailedError } from "@lto/errors";
import { createLogger } from "@lto/telemetry";
import type { IdempotencyStore } from "../src/index.js";
import {
  createHttpApp,
  decodeCursor,
  encodeCursor,
  InMemoryIdempotencyStore,
  pageOf,
  pageQuery,
  platformIds,
  z,
} from "../src/index.js";

const issuer = "https://auth.test";
const audience = "lto";

export const ideaSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    area: z.enum(["agrifood", "mechanics"]),
    version: z.number().int(),
  })
  .openapi("Idea");
const createIdea = z
  .object({
    title: z.string().min(3).max(120),
    area: z.enum(["agrifood", "mechanics"]),
    team: z.object({ name: z.string().min(1), size: z.number().int().min(1).max(6) }),
  })
  .openapi("CreateIdea");
const idParams = z.object({ id: z.string().regex(/^i\d+$/, "Must look like i<number>") });

export async function startFixture(
  opts: {
    idempotencyStore?: IdempotencyStore;
    readiness?: Record<string, () => Promise<void>>;
    bodyLimit?: string;
  } = {},
) {
  const key = await generateSigningKey();
  const logs: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const logger = createLogger("http-kit-test", { level: "debug", destination });
  const ideas = new Map<string, z.infer<typeof ideaSchema>>();
  let created = 0;
  let handlerCalls = 0;
  let drawFailures = 0;
  const drawn: string[][] = [];
  // A create whose title is "Slow idea" waits here until the test opens the gate (requests in flight).
  let openGate: () => void = () => {};
  let gate = Promise.resolve();
  const closeGate = () => {
    gate = new Promise<void>((resolve) => (openGate = resolve));
    return () => openGate();
  };

  const http = createHttpApp({
    serviceName: "fixture",
    logger,
    authenticate: createJwtVerifier({ issuer, audience, jwks: { keys: [key.publicJwk] } }),
    readiness: opts.readiness ?? { store: async () => {} },
    idempotencyStore: opts.idempotencyStore ?? new InMemoryIdempotencyStore(),
    openapi: { title: "Fixture API", version: "1.0.0" },
    ...(opts.bodyLimit ? { bodyLimit: opts.bodyLimit } : {}),
    routes(api) {
      api.route({
        method: "post",
        path: "/v1/ideas",
        summary: "Create an idea",
        tags: ["ideas"],
        auth: "required",
        idempotent: true,
        request: { body: createIdea },
        responses: { 201: { description: "Created", schema: ideaSchema } },
        async handler({ body, identity }) {
          requireRole(identity, "school");
          handlerCalls++;
          if (body.title === "Slow idea") await gate;
          const idea = { id: `i${++created}`, title: body.title, area: body.area, version: 1 };
          ideas.set(idea.id, idea);
          return {
            status: 201,
            body: idea,
            etag: idea.version,
            headers: { Location: `/v1/ideas/${idea.id}` },
          };
        },
      });
      // Makes ids and answers them; fails after making them while failDraws(n) says so (a run that
      // wrote and then failed).
      api.route({
        method: "post",
        path: "/v1/draws",
        summary: "Make two ids",
        auth: "required",
        idempotent: true,
        request: { body: z.object({ note: z.string() }) },
        responses: { 201: { description: "Made", schema: z.object({ ids: z.array(z.string()) }) } },
        async handler() {
          const ids = [platformIds.newId(), platformIds.newId()];
          drawn.push(ids);
          if (drawFailures > 0) {
            drawFailures--;
            throw new Error("failed after making its ids");
          }
          return { status: 201, body: { ids } };
        },
      });
      api.route({
        method: "get",
        path: "/v1/ideas",
        summary: "List ideas",
        auth: "optional",
        request: { query: pageQuery.extend({ area: z.enum(["agrifood", "mechanics"]).optional() }) },
        responses: { 200: { description: "A page of ideas", schema: pageOf(ideaSchema) } },
        async handler({ query }) {
          const after = query.cursor ? decodeCursor(query.cursor, z.object({ after: z.number() })).after : 0;
          const all = [...ideas.values()].filter((i) => !query.area || i.area === query.area);
          const items = all.slice(after, after + query.limit);
          const next =
            after + items.length < all.length ? encodeCursor({ after: after + items.length }) : undefined;
          return { status: 200, body: { items, ...(next ? { nextCursor: next } : {}) } };
        },
      });
      api.route({
        method: "get",
        path: "/v1/ideas/{id}",
        summary: "Get an idea",
        auth: "none",
        request: { params: idParams },
        responses: { 200: { description: "The idea", schema: ideaSchema } },
        async handler({ params }) {
          const idea = ideas.get(params.id);
          if (!idea) throw new NotFoundError("Idea", params.id);
          return { status: 200, body: idea, etag: idea.version };
        },
      });
      api.route({
        method: "patch",
        path: "/v1/ideas/{id}",
        summary: "Rename an idea",
        auth: "required",
        ifMatch: "required",
        request: { params: idParams, body: z.object({ title: z.string().min(3) }) },
        responses: { 200: { description: "Updated", schema: ideaSchema } },
        async handler({ params, body, requireIfMatch }) {
          const idea = ideas.get(params.id);
          if (!idea) throw new NotFoundError("Idea", params.id);
          if (idea.version !== requireIfMatch()) throw new PreconditionFailedError();
          const updated = { ...idea, title: body.title, version: idea.version + 1 };
          ideas.set(idea.id, updated);
          return { status: 200, body: updated, etag: updated.version };
        },
      });
      api.route({
        method: "get",
        path: "/v1/boom",
        summary: "Fails unexpectedly",
        auth: "none",
        responses: { 200: { description: "never" } },
        async handler() {
          throw new Error("connection string mongodb://admin:hunter2@db failed");
        },
      });
      api.route({
        method: "get",
        path: "/v1/calendars/{id}.ics",
        summary: "An idea as a calendar (a body that is not JSON)",
        auth: "none",
        request: { params: z.object({ id: z.string().max(20) }) },
        responses: { 200: { description: "The calendar", contentType: "text/calendar" } },
        async handler({ params }) {
          return {
            status: 200,
            contentType: "text/calendar; charset=utf-8",
            body: `BEGIN:VCALENDAR\r\nX-ID:${params.id}\r\nEND:VCALENDAR\r\n`,
          };
        },
      });
      api.route({
        method: "get",
        path: "/v1/store-down",
        summary: "Store unreachable",
        auth: "none",
        responses: { 200: { description: "never" } },
        async handler() {
          const err = new Error("Server selection timed out");
          err.name = "MongoServerSelectionError";
          throw err;
        },
      });
    },
  });

  const server = await http.listen(0, "127.0.0.1");
  const base = `http://127.0.0.1:${server.port}`;
  const token = (claims: Partial<TokenClaims> = {}) =>
    signToken(key, { sub: "u1", role: "school", org: "school-1", ...claims }, { issuer, audience });
  return {
    http,
    base,
    logs,
    token,
    handlerCalls: () => handlerCalls,
    failDraws: (n: number) => void (drawFailures = n),
    /** The ids each run of /v1/draws made, in order (the live list). */
    draws: () => drawn,
    /** Holds every "Slow idea" create until the returned function is called. */
    closeGate,
    close: () => server.close(),
  };
}

export type Fixture = Awaited<ReturnType<typeof startFixture>>;
