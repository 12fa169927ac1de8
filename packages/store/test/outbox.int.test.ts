// Issue 2, section 6 a and c on the real broker and store: a write through the store reaches a consumer
// with correct CloudEvents headers and protobuf payload and is applied once; a relay that dies after
// publishing but before removing republishes on restart and the consumer still applies the effect once.
// Each "process" (a writer, a restarted writer, the consumer's service) opens its own store.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SpanKind, trace } from "@opentelemetry/api";
import type { Kafka } from "kafkajs";
import { inSpan, startTestTelemetry, type TestTelemetry } from "@lto/telemetry";
import { createTestKafka, testDbName, uniqueGroupId } from "@lto/testkit";
import {
  createConsumer,
  decodeStoredEvent,
  on,
  pendingEvent,
  type ConsumerRunner,
  type PendingEvent,
  type ReceivedEvent,
} from "@lto/messaging";
import type { AggregateCollection, AggregateStore, RelayOptions } from "../src/index.js";
import {
  COUNTERS,
  IDEAS,
  countOnce,
  ideaSubmittedOnOwnTopic,
  openStore,
  testLogger,
  waitFor,
  type Idea,
  type IdeaSubmitted,
  type SchoolCounter,
} from "./helpers.js";

const UUIDV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const ideasDb = testDbName("store_outbox_ideas");
const countersDb = testDbName("store_outbox_counters");
let kafka: Kafka;
let telemetry: TestTelemetry;
const stores: AggregateStore[] = [];
let consumerStore: AggregateStore;
let counters: AggregateCollection<SchoolCounter>;
const codec = ideaSubmittedOnOwnTopic("outbox-int");

/** Every delivery the handler saw, and whether the store applied it. */
const deliveries: Array<{ event: ReceivedEvent<IdeaSubmitted>; applied: boolean }> = [];
let consumer: ConsumerRunner;

/** A writer process: its own store on the ideas database, and its relay (not started). */
async function writer(relay: Partial<RelayOptions> = {}) {
  const store = await openStore(ideasDb);
  stores.push(store);
  const ideas = store.aggregates<Idea>(IDEAS);
  await store.ensureIndexes();
  const outboxRelay = store.outboxRelay({ kafka, logger: testLogger, sweepIntervalMs: 500, ...relay });
  return { store, ideas, relay: outboxRelay };
}

/** The stored document as the relay sees it (outbox included). */
async function rawIdea(store: AggregateStore, id: string) {
  return store.connection.db!.collection("ideas").findOne({ _id: id as never });
}

/** The ids of the events a school's counter has applied, as stored. */
async function appliedIds(schoolId: string): Promise<unknown> {
  const doc = await consumerStore.connection
    .db!.collection("school_counters")
    .findOne({ _id: schoolId as never });
  return doc?._processed;
}

/** The ids of the events still in a document's outbox. */
async function outboxIds(store: AggregateStore, id: string): Promise<string[]> {
  const doc = await rawIdea(store, id);
  return ((doc?._outbox ?? []) as unknown[]).map((e) => (decodeStoredEvent(e as never) as PendingEvent).id);
}

beforeAll(async () => {
  telemetry = await startTestTelemetry({ serviceName: "store-int" });
  kafka = await createTestKafka({ clientPrefix: "store-outbox" });
  consumerStore = await openStore(countersDb);
  stores.push(consumerStore);
  counters = consumerStore.aggregates<SchoolCounter>(COUNTERS);
  await consumerStore.ensureIndexes();
  consumer = createConsumer({
    kafka,
    groupId: uniqueGroupId("store-outbox"),
    logger: testLogger,
    subscriptions: [
      on(codec, async (event) => {
        const applied = await countOnce(counters, event);
        deliveries.push({ event, applied });
      }),
    ],
    retry: { attempts: 3, initialBackoffMs: 50, maxBackoffMs: 200 },
  });
  await consumer.start();
});

afterAll(async () => {
  await consumer?.stop();
  await stores[0]?.connection.useDb(ideasDb).dropDatabase();
  await stores[0]?.connection.dropDatabase();
  for (const s of stores) await s.close();
  await telemetry?.shutdown();
});

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

/** A state change with its event in one update, at the version it was based on. */
async function update(
  ideas: AggregateCollection<Idea>,
  ideaId: string,
  version: number,
  title: string,
  ev: PendingEvent,
): Promise<Idea | undefined> {
  const current = (await ideas.get(ideaId))!;
  return ideas.updateIf({ ...current, title }, version - 1, { events: [ev] });
}

describe("store -> relay -> Kafka -> consumer", () => {
  it("a. delivers a write with CloudEvents headers and protobuf payload, in the writer's trace, applied once", async () => {
    const { store, ideas, relay } = await writer();
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
        expect(
          await ideas.insert({ id: ideaId, schoolId, title: "Orto didattico", version: 1 }, { events: [ev] }),
        ).toBe(true);
      });

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
      await waitFor("the outbox to empty", async () => (await outboxIds(store, ideaId)).length === 0);
      expect(await relay.pending()).toBe(0);
      expect(await counters.get(schoolId)).toMatchObject({ submitted: 1 });
      expect(await appliedIds(schoolId)).toEqual([ev.id]);

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
    const { ideas, relay } = await writer();
    await relay.start();
    try {
      const ideaId = "idea-a2";
      const first = pendingEvent(codec, ideaId, submitted(ideaId, "school-a2", "v1", 1));
      await ideas.insert({ id: ideaId, schoolId: "school-a2", title: "v1", version: 1 }, { events: [first] });
      const ids = [first.id];
      for (let v = 2; v <= 4; v++) {
        const ev = pendingEvent(codec, ideaId, submitted(ideaId, "school-a2", `v${v}`, v));
        ids.push(ev.id);
        expect(await update(ideas, ideaId, v, `v${v}`, ev)).toMatchObject({ version: v });
      }
      await waitFor("four deliveries", () => ids.every((id) => deliveries.some((d) => d.event.id === id)));
      const seen = deliveries.filter((d) => d.event.subject === ideaId).map((d) => d.event.data.version);
      expect(seen).toEqual([1, 2, 3, 4]);
      expect(await counters.get("school-a2")).toMatchObject({ submitted: 4, lastTitle: "v4" });
    } finally {
      await relay.stop();
    }
  });

  it("a. rapid writes racing the relay's removals keep every state change and every event", async () => {
    const { store, ideas, relay } = await writer();
    await relay.start();
    try {
      const ideaId = "idea-race";
      const ids: string[] = [];
      const first = pendingEvent(codec, ideaId, submitted(ideaId, "school-race", "v1", 1));
      ids.push(first.id);
      await ideas.insert(
        { id: ideaId, schoolId: "school-race", title: "v1", version: 1 },
        { events: [first] },
      );
      for (let v = 2; v <= 30; v++) {
        const ev = pendingEvent(codec, ideaId, submitted(ideaId, "school-race", `v${v}`, v));
        ids.push(ev.id);
        expect(await update(ideas, ideaId, v, `v${v}`, ev)).toMatchObject({ version: v });
      }
      await waitFor("all 30 deliveries", () => ids.every((id) => deliveries.some((d) => d.event.id === id)));
      await relay.flush();
      expect(await ideas.get(ideaId)).toMatchObject({ version: 30, title: "v30" });
      expect(await rawIdea(store, ideaId)).toMatchObject({ _outbox: [] });
      const firsts = new Map<string, number>();
      for (const d of deliveries)
        if (d.event.subject === ideaId && !firsts.has(d.event.id))
          firsts.set(d.event.id, d.event.data.version);
      expect([...firsts.values()]).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      expect(await counters.get("school-race")).toMatchObject({ submitted: 30 });
    } finally {
      await relay.stop();
    }
  });

  it("c. a relay that dies after publishing and before removing republishes on restart; applied once", async () => {
    const ideaId = "idea-c1";
    const schoolId = "school-c";
    let published: readonly PendingEvent[] = [];
    const hooks: RelayOptions["hooks"] = {
      afterPublish: (events) => {
        published = events;
        throw new Error("simulated crash between publish and removal");
      },
    };
    const dying = await writer({
      logger: {
        ...testLogger,
        warn: () => undefined,
        debug: () => undefined,
        info: () => undefined,
        error: testLogger.error.bind(testLogger),
      } as typeof testLogger,
      sweepIntervalMs: 60_000,
      // A dead process never retries: without this its own retry (after 100 ms) could republish
      // before stop() and the deliveries below would count three.
      backoff: { initialBackoffMs: 60_000, maxBackoffMs: 60_000 },
      hooks,
    });
    const ev = pendingEvent(codec, ideaId, submitted(ideaId, schoolId, "Robotica"));
    await dying.ideas.insert({ id: ideaId, schoolId, title: "Robotica", version: 1 }, { events: [ev] });
    // Started after the write: a nudge during its failing pass would cut its backoff short (by design:
    // new work may mean the broker is back) and it would publish twice before "dying".
    await dying.relay.start();
    await waitFor("the dying relay to publish", () => published.some((p) => p.id === ev.id));
    await dying.relay.stop();

    // Kafka has it and the consumer applied it; the document still holds the event.
    await waitFor("the first delivery", () => deliveries.some((d) => d.event.id === ev.id));
    expect(await outboxIds(dying.store, ideaId)).toEqual([ev.id]);

    // A new process (the restart) publishes it again and removes it.
    const restarted = await writer();
    await restarted.relay.start();
    try {
      await waitFor(
        "the republished delivery",
        () => deliveries.filter((d) => d.event.id === ev.id).length === 2,
      );
      await waitFor(
        "the outbox to empty",
        async () => (await outboxIds(restarted.store, ideaId)).length === 0,
      );
    } finally {
      await restarted.relay.stop();
    }
    const mine = deliveries.filter((d) => d.event.id === ev.id);
    expect(mine.map((d) => d.applied)).toEqual([true, false]);
    expect(await counters.get(schoolId)).toMatchObject({ submitted: 1 });
    expect(await appliedIds(schoolId)).toEqual([ev.id]);
  });
});
