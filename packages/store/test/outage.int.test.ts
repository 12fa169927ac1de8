// Issue 2, section 6 b: with the broker stopped, writes through the store still succeed and keep their
// pending events;
// once it is back every event is delivered, in order per aggregate, none lost, also across a relay
// restart during the outage. Stopping a broker needs a broker of our own: this file starts one with
// @lto/local-runtime on free ports in a temp dir (the shared broker of the run is never touched).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Kafka, logLevel } from "kafkajs";
import { freePorts, startKafka, type ManagedProcess } from "@lto/local-runtime";
import { testDbName, uniqueGroupId } from "@lto/testkit";
import {
  createConsumer,
  decodeStoredEvent,
  on,
  pendingEvent,
  type ConsumerRunner,
  type OutboxRelay,
  type PendingEvent,
} from "@lto/messaging";
import type { AggregateCollection, AggregateStore } from "../src/index.js";
import {
  IDEAS,
  ideaSubmittedOnOwnTopic,
  openStore,
  testLogger,
  waitFor,
  type Idea,
  type IdeaSubmitted,
} from "./helpers.js";

const quiet = { ...testLogger, warn: () => undefined, info: () => undefined, debug: () => undefined };
const codec = ideaSubmittedOnOwnTopic("outage-int");
const IDS = ["idea-o1", "idea-o2", "idea-o3"];

let dir: string;
let ports: number[];
let broker: ManagedProcess | undefined;
let kafka: Kafka;
const dbName = testDbName("store_outage");
const stores: AggregateStore[] = [];
let consumer: ConsumerRunner;
const received: Array<{ id: string; ideaId: string; version: number }> = [];

async function startBroker(): Promise<ManagedProcess> {
  return startKafka({ port: ports[0]!, controllerPort: ports[1]!, dataDir: dir, heap: "512m" });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "lto-messaging-outage-"));
  ports = await freePorts(2);
  broker = await startBroker();
  kafka = new Kafka({
    clientId: "messaging-outage",
    brokers: [broker.address],
    logLevel: logLevel.NOTHING, // the outage makes every client complain; the assertions tell the story
    connectionTimeout: 1000,
    retry: { retries: 5, initialRetryTime: 200, maxRetryTime: 2000 },
  });
  consumer = createConsumer({
    kafka,
    groupId: uniqueGroupId("messaging-outage"),
    logger: quiet,
    // The consumer loses its session in the outage; a short session lets the group settle quickly after.
    sessionTimeout: 6000,
    heartbeatInterval: 1000,
    subscriptions: [
      on(codec, async (e) => {
        received.push({ id: e.id, ideaId: e.data.ideaId, version: e.data.version });
      }),
    ],
  });
  await consumer.start();
}, 180_000);

afterAll(async () => {
  await consumer?.stop().catch(() => undefined);
  await broker?.stop();
  await stores[0]?.connection.dropDatabase();
  for (const s of stores) await s.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

function msg(ideaId: string, version: number): IdeaSubmitted {
  return codec.create({ ideaId, callId: "c", schoolId: "s", title: `v${version}`, version });
}

/** A process of the writing service: its own store and its relay (not started). */
async function writer(): Promise<{
  store: AggregateStore;
  ideas: AggregateCollection<Idea>;
  relay: OutboxRelay;
}> {
  const store = await openStore(dbName);
  stores.push(store);
  const ideas = store.aggregates<Idea>(IDEAS);
  await store.ensureIndexes();
  const relay = store.outboxRelay({
    kafka,
    logger: quiet,
    sweepIntervalMs: 300,
    backoff: { initialBackoffMs: 100, maxBackoffMs: 1000 },
    drainTimeoutMs: 3000,
  });
  return { store, ideas, relay };
}

/** One state change and its event in one update, as a service's repository does it. */
async function bump(ideas: AggregateCollection<Idea>, ideaId: string, version: number): Promise<void> {
  const ev = pendingEvent(codec, ideaId, msg(ideaId, version));
  const current = (await ideas.get(ideaId))!;
  const stored = await ideas.updateIf({ ...current, title: `v${version}` }, version - 1, { events: [ev] });
  expect(stored?.version).toBe(version);
}

/** Versions per idea in first-delivery order, duplicates (same ce_id) dropped as a consumer would. */
function deliveredVersions(): Record<string, number[]> {
  const seen = new Set<string>();
  const out: Record<string, number[]> = {};
  for (const r of received) {
    if (seen.has(r.id)) continue;
    seen.add(r.id);
    (out[r.ideaId] ??= []).push(r.version);
  }
  return out;
}

describe("outbox across a broker outage", () => {
  it("b. writes succeed while the broker is down; afterwards every event arrives, in order, none lost", async () => {
    const first = await writer();
    const { ideas, store } = first;
    let relay = first.relay;
    await relay.start();

    // Broker up: version 1 of each idea goes straight through.
    for (const id of IDS) {
      await ideas.insert(
        { id, schoolId: "s", title: "v1", version: 1 },
        { events: [pendingEvent(codec, id, msg(id, 1))] },
      );
    }
    await waitFor("version 1 of each idea", () => IDS.every((id) => deliveredVersions()[id]?.length === 1));

    // Broker down: writes still succeed and keep their events.
    await broker!.stop();
    broker = undefined;
    for (const v of [2, 3]) {
      for (const id of IDS) {
        await bump(ideas, id, v);
      }
    }
    await new Promise((r) => setTimeout(r, 1500)); // the relay tries, fails and backs off
    expect(await relay.pending()).toBe(6);

    // The service restarts during the outage: the relay stops (nothing lost), more writes arrive.
    const stopStarted = Date.now();
    await relay.stop();
    expect(Date.now() - stopStarted).toBeLessThan(10_000);
    for (const v of [4, 5]) for (const id of IDS) await bump(ideas, id, v);
    for (const id of IDS) {
      expect((await ideas.get(id))?.version).toBe(5);
      const doc = await store.connection.db!.collection("ideas").findOne({ _id: id as never });
      // Stored entries come back with BSON Binary data: read them as the relay does.
      const stored = ((doc?._outbox ?? []) as unknown[]).map(
        (e) => decodeStoredEvent(e as never) as PendingEvent,
      );
      expect(stored.map((e) => codec.decode(e.data).version)).toEqual([2, 3, 4, 5]);
    }

    // Broker back (same data dir and ports), a new relay: the sweep publishes everything.
    broker = await startBroker();
    relay = (await writer()).relay;
    await relay.start();
    try {
      await waitFor(
        "every version of every idea",
        () => IDS.every((id) => deliveredVersions()[id]?.length === 5),
        120_000,
      );
      await relay.flush(30_000);
    } finally {
      await relay.stop();
    }
    const versions = deliveredVersions();
    for (const id of IDS) expect(versions[id]).toEqual([1, 2, 3, 4, 5]);
    expect(await relay.pending()).toBe(0);
  }, 240_000);
});
