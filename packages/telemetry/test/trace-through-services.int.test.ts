// Issue 2, section 6e, on the real broker and store: one trace runs from an HTTP request through the
// outbox and Kafka into the consumer and on into a gRPC call, collected by the in-memory exporter.
//
// Only the platform packages' public APIs are used, wired the way a service's main.ts wires them:
// http-kit route -> pendingEvent + AggregateCollection.insert, state and event in ONE insert (@lto/store)
// -> the store's outbox relay -> Kafka -> createConsumer subscription -> grpc-kit client -> grpc-kit
// server (IdeasService contract).
// Telemetry runs with the platform's instrumentations (http, express, kafkajs, grpc, mongodb), as under
// `@lto/telemetry/register` in production.
import { SpanKind } from "@opentelemetry/api";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createLogger, startTestTelemetry, traceFields, type ReadableSpan } from "@lto/telemetry";

// Telemetry starts before anything imports express, kafkajs, mongodb or grpc-js (see README, "Tests"):
// the kits and the testkit are imported dynamically below, after the instrumentations are in place.
const telemetry = await startTestTelemetry({ serviceName: "trace-proof", instrumentations: true });
const { createHttpApp, z } = await import("@lto/http-kit");
const { AggregateStore } = await import("@lto/store");
const { createConsumer, decodeStoredEvent, ensureTopics, on, pendingEvent } = await import("@lto/messaging");
const { createGrpcClient, createGrpcServer } = await import("@lto/grpc-kit");
const { IdeaSubmittedEvent, ideasV1 } = await import("@lto/contracts");
const { createTestKafka, getInfra, testDbName, uniqueGroupId, uniqueTopic } = await import("@lto/testkit");

type Store = Awaited<ReturnType<typeof AggregateStore.open>>;
type PendingEvent = ReturnType<typeof pendingEvent>;

const logger = createLogger("trace-proof", { level: process.env.LOG_LEVEL ?? "warn" });
// The real IdeaSubmitted codec (type, source, protobuf encoding) on a topic of this file's own.
const codec = { ...IdeaSubmittedEvent, topic: uniqueTopic("trace-proof") };
const PLATFORM = "@lto/platform";
const HTTP = "@opentelemetry/instrumentation-http";
const KAFKAJS = "@opentelemetry/instrumentation-kafkajs";
const GRPC = "@opentelemetry/instrumentation-grpc";
const MONGODB = "@opentelemetry/instrumentation-mongodb";
const CHECK_ADOPTABLE = "grpc.lto.ideas.v1.IdeasService/CheckAdoptable";

interface Idea {
  id: string;
  version: number;
  schoolId: string;
  title: string;
}

let store: Store;
let stops: Array<() => Promise<unknown> | unknown> = [];
let baseUrl = "";
let relay: ReturnType<Store["outboxRelay"]>;

/** What the consumer's handler and the gRPC handler saw, with the trace ids active there. */
const seen: {
  delivery?: { ideaId: string; traceparent: string | undefined; trace: ReturnType<typeof traceFields> };
  grpc?: { ideaId: string; trace: ReturnType<typeof traceFields> };
  adoptable?: boolean;
} = {};

/** The events waiting in a stored idea's outbox, read as the relay reads them. */
async function storedOutbox(ideaId: string): Promise<PendingEvent[]> {
  const doc = await store.connection.db!.collection("ideas").findOne({ _id: ideaId as never });
  return ((doc?._outbox ?? []) as unknown[]).map((e) => decodeStoredEvent(e as never) as PendingEvent);
}

async function waitFor<T>(what: string, check: () => T | undefined | false, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  const infra = await getInfra();
  const kafka = await createTestKafka({ clientPrefix: "trace-proof" });

  // Store: the aggregate is written with its pending events; indexes created explicitly.
  store = await AggregateStore.open({ url: infra.mongoUrl, dbName: testDbName("trace_proof") });
  stops.push(async () => {
    await store.connection.dropDatabase();
    await store.close();
  });
  const ideasStore = store.aggregates<Idea>({ name: "ideas" });
  await store.ensureIndexes();
  await ensureTopics(kafka, [codec.topic]);

  // The callee: IdeasService over gRPC (grpc.health.v1 served too).
  const grpcServer = createGrpcServer({ logger });
  grpcServer.addService(ideasV1.IdeasServiceService, {
    async checkAdoptable(request) {
      seen.grpc = { ideaId: request.ideaId, trace: traceFields() };
      return ideasV1.CheckAdoptableResponse.create({ adoptable: true, ideaId: request.ideaId });
    },
    async getIdea() {
      throw new Error("not used by this test");
    },
    async listPublishedIdeas() {
      throw new Error("not used by this test");
    },
  });
  const { port: grpcPort } = await grpcServer.listen(0, "127.0.0.1");
  stops.push(() => grpcServer.stop());
  const ideas = createGrpcClient(ideasV1.IdeasServiceClient, `127.0.0.1:${grpcPort}`, { deadlineMs: 5000 });
  stops.push(() => ideas.close());

  // The consumer: on IdeaSubmitted, ask the ideas service (gRPC) whether the idea can be adopted.
  const consumer = createConsumer({
    kafka,
    groupId: uniqueGroupId("trace-proof"),
    logger,
    subscriptions: [
      on(codec, async (event) => {
        seen.delivery = {
          ideaId: event.data.ideaId,
          traceparent: event.headers.traceparent,
          trace: traceFields(),
        };
        const answer = await ideas.checkAdoptable({ ideaId: event.data.ideaId, companyId: "" });
        seen.adoptable = answer.adoptable;
      }),
    ],
    retry: { attempts: 2, initialBackoffMs: 50 },
  });
  await consumer.start();
  stops.push(() => consumer.stop());

  // The relay exists but is not started yet: the event has to wait in the store (see the test).
  relay = store.outboxRelay({ kafka, logger, sweepIntervalMs: 200 });
  stops.push(() => relay.stop());

  // The HTTP edge: the state change and its event in ONE insert, the event capturing the request's trace.
  const http = createHttpApp({
    serviceName: "trace-proof",
    logger,
    readiness: {},
    openapi: { title: "trace proof", version: "1.0.0" },
    routes: (api) => {
      api.route({
        method: "post",
        path: "/v1/ideas",
        summary: "Submit an idea",
        auth: "none",
        request: { body: z.object({ schoolId: z.string().min(1), title: z.string().min(1) }) },
        responses: { 201: { description: "submitted" } },
        handler: async ({ body }) => {
          const ideaId = `idea-${Date.now().toString(36)}`;
          const event = pendingEvent(
            codec,
            ideaId,
            codec.create({
              ideaId,
              callId: "call-2025",
              schoolId: body.schoolId,
              title: body.title,
              version: 1,
              occurredAt: new Date().toISOString(),
            }),
          );
          await ideasStore.insert(
            { id: ideaId, version: 1, schoolId: body.schoolId, title: body.title },
            { events: [event] },
          );
          return { status: 201, body: { id: ideaId } };
        },
      });
    },
  });
  const server = await http.listen(0, "127.0.0.1");
  stops.push(() => server.close());
  baseUrl = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  for (const stop of stops.reverse()) await stop();
  stops = [];
  await telemetry.shutdown();
});

/** The trace as an indented tree (names, kinds, scopes), for failure messages and the curious reader. */
function render(spans: ReadableSpan[]): string {
  const byParent = new Map<string | undefined, ReadableSpan[]>();
  const ids = new Set(spans.map((s) => s.spanContext().spanId));
  for (const s of spans) {
    const parent = s.parentSpanContext?.spanId;
    const key = parent && ids.has(parent) ? parent : undefined;
    byParent.set(key, [...(byParent.get(key) ?? []), s]);
  }
  const lines: string[] = [];
  const walk = (parent: string | undefined, depth: number) => {
    const children = (byParent.get(parent) ?? []).sort((a, b) =>
      a.startTime[0] - b.startTime[0] === 0
        ? a.startTime[1] - b.startTime[1]
        : a.startTime[0] - b.startTime[0],
    );
    for (const s of children) {
      lines.push(`${"  ".repeat(depth)}${s.name} [${SpanKind[s.kind]}] (${s.instrumentationScope.name})`);
      walk(s.spanContext().spanId, depth + 1);
    }
  };
  walk(undefined, 0);
  return lines.join("\n");
}

it("6e. one trace: HTTP request -> outbox -> relay -> Kafka -> consumer -> gRPC client -> gRPC server", async () => {
  // 1. The HTTP request writes the idea and its event. Nothing is published yet.
  const res = await fetch(`${baseUrl}/v1/ideas`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ schoolId: "school-mantova-1", title: "Orto didattico" }),
  });
  expect(res.status).toBe(201);
  const { id: ideaId } = (await res.json()) as { id: string };

  const httpServer = await waitFor("the HTTP server span", () =>
    telemetry
      .spans()
      .find(
        (s) => s.kind === SpanKind.SERVER && s.instrumentationScope.name === HTTP && s.name.includes("POST"),
      ),
  );
  const traceId = httpServer.spanContext().traceId;
  expect(httpServer.parentSpanContext).toBeUndefined(); // the request starts the trace
  expect(httpServer.attributes["http.route"] ?? httpServer.attributes["http.target"]).toMatch(/\/v1\/ideas/);

  // 2. The outbox holds the event with the request's trace context: that is all that crosses the gap
  // to the relay, which runs later, in a context of its own.
  const stored = await storedOutbox(ideaId);
  expect(stored).toHaveLength(1);
  const storedParent = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(stored[0]!.traceparent ?? "");
  expect(storedParent?.[1]).toBe(traceId);
  expect(seen.delivery).toBeUndefined();

  // 3. Now the relay publishes it; the consumer receives it and calls the ideas service over gRPC.
  await relay.start();
  await waitFor("the gRPC answer in the consumer", () => seen.adoptable);
  await relay.flush();
  // The kafkajs consumer span ends after the handler: wait for it, the last span of the trace.
  await waitFor("the kafkajs consumer span", () =>
    telemetry.spans().find((s) => s.instrumentationScope.name === KAFKAJS && s.kind === SpanKind.CONSUMER),
  );

  const spans = telemetry.spans().filter((s) => s.spanContext().traceId === traceId);
  const tree = render(spans);
  const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
  const parentOf = (s: ReadableSpan) => {
    const id = s.parentSpanContext?.spanId;
    return id === undefined ? undefined : byId.get(id);
  };
  /** The span's ancestors, nearest first; fails if a parent is missing from the trace. */
  const ancestors = (s: ReadableSpan): ReadableSpan[] => {
    const chain: ReadableSpan[] = [];
    for (let cur = s; cur.parentSpanContext;) {
      const parent = parentOf(cur);
      expect(parent, `parent of "${cur.name}" is in the trace\n${tree}`).toBeDefined();
      chain.push(parent!);
      cur = parent!;
    }
    return chain;
  };
  const one = (what: string, pred: (s: ReadableSpan) => boolean) => {
    const found = spans.filter(pred);
    expect(found, `exactly one ${what} in the trace\n${tree}`).toHaveLength(1);
    return found[0]!;
  };

  // The outbox write: the insert of the document carrying `_outbox`, inside the request.
  const insert = one(
    "mongodb insert",
    (s) => s.instrumentationScope.name === MONGODB && /insert/.test(s.name),
  );
  expect(insert.attributes["db.collection.name"] ?? insert.attributes["db.mongodb.collection"]).toBe("ideas");
  expect(ancestors(insert)).toContain(httpServer);
  // The stored traceparent names a span of the request (the one active in the route handler).
  const storedSpan = byId.get(storedParent![2]!);
  expect(storedSpan, `stored parent span is in the trace\n${tree}`).toBeDefined();
  expect([storedSpan, ...ancestors(storedSpan!)]).toContain(httpServer);

  // The relay's publish: a PRODUCER span, child of the context stored with the event.
  const producer = one(
    "producer span",
    (s) => s.kind === SpanKind.PRODUCER && s.attributes["messaging.destination.name"] === codec.topic,
  );
  expect(producer.instrumentationScope.name).toBe(KAFKAJS);
  expect(producer.parentSpanContext?.spanId).toBe(storedParent![2]);
  // ...and the traceparent that travelled in the Kafka headers is the producer span's.
  expect(seen.delivery?.traceparent).toBe(`00-${traceId}-${producer.spanContext().spanId}-01`);

  // The consumer: kafkajs' receive span, and the messaging runner's span around the handler under it.
  const kafkaConsumer = one(
    "kafkajs consumer span",
    (s) => s.kind === SpanKind.CONSUMER && s.instrumentationScope.name === KAFKAJS,
  );
  expect(kafkaConsumer.parentSpanContext?.spanId).toBe(producer.spanContext().spanId);
  const handler = one(
    "handler span",
    (s) => s.name === `${codec.type} process` && s.instrumentationScope.name === PLATFORM,
  );
  expect(handler.kind).toBe(SpanKind.CONSUMER);
  expect(handler.attributes["messaging.destination.name"]).toBe(codec.topic);
  expect(handler.attributes["messaging.message.id"]).toBe(stored[0]!.id);
  expect(parentOf(handler)).toBe(kafkaConsumer);
  expect(seen.delivery).toMatchObject({
    ideaId,
    trace: { trace_id: traceId, span_id: handler.spanContext().spanId },
  });

  // The gRPC hop, made inside the handler: client span under the handler, server span under the client.
  const grpcClient = one("gRPC client span", (s) => s.name === CHECK_ADOPTABLE && s.kind === SpanKind.CLIENT);
  const grpcServer = one("gRPC server span", (s) => s.name === CHECK_ADOPTABLE && s.kind === SpanKind.SERVER);
  expect(grpcClient.instrumentationScope.name).toBe(GRPC);
  expect(grpcServer.instrumentationScope.name).toBe(GRPC);
  expect(parentOf(grpcClient)).toBe(handler);
  expect(parentOf(grpcServer)).toBe(grpcClient);
  expect(seen.grpc).toEqual({
    ideaId,
    trace: { trace_id: traceId, span_id: grpcServer.spanContext().spanId, trace_flags: "01" },
  });

  // One unbroken chain from the gRPC server back to the HTTP request, through every hop.
  expect(ancestors(grpcServer)).toEqual([
    grpcClient,
    handler,
    kafkaConsumer,
    producer,
    ...ancestors(producer),
  ]);
  expect(ancestors(grpcServer).at(-1)).toBe(httpServer);
  // And one trace only: every span the hops made belongs to it (none started a trace of its own).
  const hopSpans = telemetry
    .spans()
    .filter(
      (s) =>
        s.kind !== SpanKind.INTERNAL &&
        (s.instrumentationScope.name !== MONGODB || /insert/.test(s.name)) &&
        !(s.kind === SpanKind.SERVER && s.instrumentationScope.name === HTTP && s !== httpServer),
    );
  expect(new Set(hopSpans.map((s) => s.spanContext().traceId)), tree).toEqual(new Set([traceId]));
  if (process.env.LTO_PRINT_TRACE) console.log(tree);
});
