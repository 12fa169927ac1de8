// Issue 2, section 6 a and c on the real broker and store: a write through the outbox reaches a consumer
// with correct CloudEvents headers and protobuf payload and is applied once; a relay that dies after
// publishing but before removing republishes on restart and the consumer still applies the effect once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SpanKind, trace } from "@opentelemetry/api";
import type { Kafka } from "kafkajs";
import { docLockKey, withDocLock } from "@lto/mongo";
import { inSpan, startTestTelemetry, type TestTelemetry } from "@lto/telemetry";
import { connectTestDb, createTestKafka, uniqueGroupId, type TestDb } from "@lto/testkit";
import {
  OUTBOX_INDEX,
  OutboxRelay,
  applyOnce,
  createConsumer,
  on,
  pendingEvent,
  withOutbox,
  withOutboxDoc,
  type ConsumerRunner,
  type PendingEvent,
  type ReceivedEvent,
} from "../src/index.js";
import {
  counterModel,
  ideaModel,
  ideaSubmittedOnOwnTopic,
  testLogger,
  waitFor,
  type IdeaSubmitted,
} from "./helpers.js";

const UUIDV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let db: TestDb;
let kafka: Kafka;
let telemetry: TestTelemetry;
let Idea: ReturnType<typeof ideaModel>;
let Counter: ReturnType<typeof counterModel>;
const codec = ideaSubmittedOnOwnTopic("outbox-int");

/** Every delivery the handler saw, and whether applyOnce applied it. */
const deliveries: Array<{ event: ReceivedEvent<IdeaSubmitted>; applied: boolean }> = [];
let consumer: ConsumerRunner;

beforeAll(async () => {
  telemetry = await startTestTelemetry({ serviceName: "messaging-int" });
  db = await connectTestDb({ prefix: "messaging_outbox" });
  kafka = await createTestKafka({ clientPrefix: "messaging-outbox" });
  Idea = ideaModel(db.connection);
  Counter = counterModel(db.connection);
  await Idea.collection.createIndex(OUTBOX_INDEX);
  consumer = createConsumer({
    kafka,
    groupId: uniqueGroupId("messaging-outbox"),
    logger: testLogger,
    subscriptions: [
      on(codec, async (event) => {
        const applied = await applyOnce(
          Counter,
          { _id: event.data.schoolId },
          event.id,
          { $inc: { submitted: 1 }, $set: { lastTitle: event.data.title } },
          { upsert: true },
        );
        deliveries.push({ event, applied });
      }),
    ],
    retry: { attempts: 3, initialBackoffMs: 50, maxBackoffMs: 200 },
  });
  await consumer.start();
});

afterAll(async () => {
  await consumer?.stop();
  await db?.close();
  await telemetry?.shutdown();
});

/** A state change with its event, under the document lock as the services' repositories take it. */
async function update(ideaId: string, version: number, title: string, ev: PendingEvent): Promise<number> {
  const r = await withDocLock(docLockKey({ dbName: db.dbName, collectionName: "ideas" }, ideaId), () =>
    Idea.updateOne({ _id: ideaId, version: version - 1 }, withOutbox({ $set: { title, version } }, [ev])),
  );
  return r.modifiedCount;
}

function submitted(ideaId: string, schoolId: string, title: string, version = 1): IdeaSubmitted {
  return codec.create({
    ideaId,
    callId: "call-1",
    schoolId,
    title,
    version,
    occurredAt: new Date().toISOString(),
  });
}

describe("outbox -> relay -> Kafka -> consumer", () => {
  it("a. delivers a write with CloudEvents headers and protobuf payload, in the writer's trace, applied once", async () => {
    const relay = new OutboxRelay({ kafka, collections: [Idea], logger: testLogger, sweepIntervalMs: 500 });
    await relay.start();
    try {
      const ideaId = "idea-a1";
      const schoolId = "school-a";
      let ev!: PendingEvent;
      let requestTraceId = "";
      const message = submitted(ideaId, schoolId, "Orto didattico");
      // The write happens inside a "request" span: the event carries its trace context.
      await inSpan("POST /v1/ideas", { kind: SpanKind.SERVER }, async (span) => {
        requestTraceId = span.spanContext().traceId;
        ev = pendingEvent(codec, ideaId, message);
        await Idea.create(
          withOutboxDoc({ _id: ideaId, schoolId, title: "Orto didattico", version: 1 }, [ev]),
        );
      });
      relay.nudge();

      const got = await waitFor("the delivery", () => deliveries.find((d) => d.event.id === ev.id));
      expect(got.applied).toBe(true);
      const { event } = got;
      expect(event.id).toMatch(UUIDV7);
      expect(event.headers).toMatchObject({
        ce_specversion: "1.0",
        ce_id: ev.id,
        ce_source: "/lto/ideas",
        ce_type: "lto.ideas.v1.IdeaSubmitted",
        ce_time: ev.time.toISOString(),
        ce_subject: ideaId,
        "content-type": "application/protobuf",
      });
      expect(event.headers.traceparent).toMatch(new RegExp(`^00-${requestTraceId}-[0-9a-f]{16}-01$`));
      expect(event.key).toBe(ideaId);
      expect(event.topic).toBe(codec.topic);
      expect(event.data).toEqual(message);

      // The outbox entry is gone, the projection got the effect once.
      await waitFor(
        "the outbox to empty",
        async () => (await Idea.findById(ideaId).lean())?._outbox?.length === 0,
      );
      expect(await relay.pending()).toBe(0);
      expect(await Counter.findById(schoolId).lean()).toMatchObject({ submitted: 1, _processed: [ev.id] });

      // The handler's span belongs to the request's trace (HTTP -> outbox -> Kafka -> consumer).
      const spans = telemetry.spans();
      const handlerSpan = spans.find((s) => s.name === "lto.ideas.v1.IdeaSubmitted process");
      expect(handlerSpan?.spanContext().traceId).toBe(requestTraceId);
      expect(handlerSpan?.kind).toBe(SpanKind.CONSUMER);
      expect(trace.getActiveSpan()).toBeUndefined();
    } finally {
      await relay.stop();
    }
  });

  it("a. an update's state change and its event are one document update, published in order", async () => {
    const relay = new OutboxRelay({ kafka, collections: [Idea], logger: testLogger, sweepIntervalMs: 500 });
    await relay.start();
    try {
      const ideaId = "idea-a2";
      const first = pendingEvent(codec, ideaId, submitted(ideaId, "school-a2", "v1", 1));
      await Idea.create(
        withOutboxDoc({ _id: ideaId, schoolId: "school-a2", title: "v1", version: 1 }, [first]),
      );
      const ids = [first.id];
      for (let v = 2; v <= 4; v++) {
        const ev = pendingEvent(codec, ideaId, submitted(ideaId, "school-a2", `v${v}`, v));
        ids.push(ev.id);
        expect(await update(ideaId, v, `v${v}`, ev)).toBe(1);
        relay.nudge();
      }
      await waitFor("four deliveries", () => ids.every((id) => deliveries.some((d) => d.event.id === id)));
      const seen = deliveries.filter((d) => d.event.subject === ideaId).map((d) => d.event.data.version);
      expect(seen).toEqual([1, 2, 3, 4]);
      expect(await Counter.findById("school-a2").lean()).toMatchObject({ submitted: 4, lastTitle: "v4" });
    } finally {
      await relay.stop();
    }
  });

  it("a. rapid writes racing the relay's removals keep every state change and every event", async () => {
    const relay = new OutboxRelay({ kafka, collections: [Idea], logger: testLogger, sweepIntervalMs: 500 });
    await relay.start();
    try {
      const ideaId = "idea-race";
      const ids: string[] = [];
      const first = pendingEvent(codec, ideaId, submitted(ideaId, "school-race", "v1", 1));
      ids.push(first.id);
      await Idea.create(
        withOutboxDoc({ _id: ideaId, schoolId: "school-race", title: "v1", version: 1 }, [first]),
      );
      relay.nudge();
      for (let v = 2; v <= 30; v++) {
        const ev = pendingEvent(codec, ideaId, submitted(ideaId, "school-race", `v${v}`, v));
        ids.push(ev.id);
        expect(await update(ideaId, v, `v${v}`, ev)).toBe(1);
        relay.nudge();
      }
      await waitFor("all 30 deliveries", () => ids.every((id) => deliveries.some((d) => d.event.id === id)));
      await relay.flush();
      const doc = await Idea.findById(ideaId).lean();
      expect(doc).toMatchObject({ version: 30, title: "v30", _outbox: [] });
      const firsts = new Map<string, number>();
      for (const d of deliveries)
        if (d.event.subject === ideaId && !firsts.has(d.event.id))
          firsts.set(d.event.id, d.event.data.version);
      expect([...firsts.values()]).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      expect(await Counter.findById("school-race").lean()).toMatchObject({ submitted: 30 });
    } finally {
      await relay.stop();
    }
  });

  it("c. a relay that dies after publishing and before removing republishes on restart; applied once", async () => {
    const ideaId = "idea-c1";
    const schoolId = "school-c";
    let published: readonly PendingEvent[] = [];
    const dying = new OutboxRelay({
      kafka,
      collections: [Idea],
      logger: {
        ...testLogger,
        warn: () => undefined,
        debug: () => undefined,
        info: () => undefined,
        error: testLogger.error.bind(testLogger),
      },
      sweepIntervalMs: 60_000,
      // A dead process never retries: without this its own retry (after 100 ms) could republish
      // before stop() and the deliveries below would count three.
      backoff: { initialBackoffMs: 60_000, maxBackoffMs: 60_000 },
      hooks: {
        afterPublish: (events) => {
          published = events;
          throw new Error("simulated crash between publish and removal");
        },
      },
    });
    await dying.start();
    const ev = pendingEvent(codec, ideaId, submitted(ideaId, schoolId, "Robotica"));
    await Idea.create(withOutboxDoc({ _id: ideaId, schoolId, title: "Robotica", version: 1 }, [ev]));
    dying.nudge();
    await waitFor("the dying relay to publish", () => published.some((p) => p.id === ev.id));
    await dying.stop();

    // Kafka has it and the consumer applied it; the document still holds the event.
    await waitFor("the first delivery", () => deliveries.some((d) => d.event.id === ev.id));
    expect((await Idea.findById(ideaId).lean())?._outbox?.map((e) => e.id)).toEqual([ev.id]);

    // A new relay (the restart) publishes it again and removes it.
    const restarted = new OutboxRelay({
      kafka,
      collections: [Idea],
      logger: testLogger,
      sweepIntervalMs: 500,
    });
    await restarted.start();
    try {
      await waitFor(
        "the republished delivery",
        () => deliveries.filter((d) => d.event.id === ev.id).length === 2,
      );
      await waitFor(
        "the outbox to empty",
        async () => (await Idea.findById(ideaId).lean())?._outbox?.length === 0,
      );
    } finally {
      await restarted.stop();
    }
    const mine = deliveries.filter((d) => d.event.id === ev.id);
    expect(mine.map((d) => d.applied)).toEqual([true, false]);
    expect(await Counter.findById(schoolId).lean()).toMatchObject({ submitted: 1, _processed: [ev.id] });
  });
});
