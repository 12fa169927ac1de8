// Issue 2, section 6 b: with the broker stopped, writes still succeed and keep their pending events;
// once it is back every event is delivered, in order per aggregate, none lost, also across a relay
// restart during the outage. Stopping a broker needs a broker of our own: this file starts one with
// @lto/local-runtime on free ports in a temp dir (the shared broker of the run is never touched).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Kafka, logLevel } from "kafkajs";
import { freePorts, startKafka, type ManagedProcess } from "@lto/local-runtime";
import { docLockKey, withDocLock } from "@lto/mongo";
import { connectTestDb, uniqueGroupId, type TestDb } from "@lto/testkit";
import {
  OUTBOX_INDEX,
  OutboxRelay,
  createConsumer,
  decodeStoredEvent,
  on,
  pendingEvent,
  withOutbox,
  withOutboxDoc,
  type ConsumerRunner,
  type PendingEvent,
} from "../src/index.js";
import { ideaModel, ideaSubmittedOnOwnTopic, testLogger, waitFor, type IdeaSubmitted } from "./helpers.js";

const quiet = { ...testLogger, warn: () => undefined, info: () => undefined, debug: () => undefined };
const codec = ideaSubmittedOnOwnTopic("outage-int");
const ideas = ["idea-o1", "idea-o2", "idea-o3"];

let dir: string;
let ports: number[];
let broker: ManagedProcess | undefined;
let kafka: Kafka;
let db: TestDb;
let Idea: ReturnType<typeof ideaModel>;
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
  db = await connectTestDb({ prefix: "messaging_outage" });
  Idea = ideaModel(db.connection);
  await Idea.collection.createIndex(OUTBOX_INDEX);
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
  await db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

function msg(ideaId: string, version: number): IdeaSubmitted {
  return codec.create({ ideaId, callId: "c", schoolId: "s", title: `v${version}`, version });
}

/** One state change and its event in one update, as a service's repository does it. */
async function bump(ideaId: string, version: number): Promise<void> {
  const ev = pendingEvent(codec, ideaId, msg(ideaId, version));
  const r = await withDocLock(docLockKey({ dbName: db.dbName, collectionName: "ideas" }, ideaId), () =>
    Idea.updateOne(
      { _id: ideaId, version: version - 1 },
      withOutbox({ $set: { version, title: `v${version}` } }, [ev]),
    ),
  );
  expect(r.modifiedCount).toBe(1);
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
    let relay = new OutboxRelay({
      kafka,
      collections: [Idea],
      logger: quiet,
      sweepIntervalMs: 300,
      backoff: { initialBackoffMs: 100, maxBackoffMs: 1000 },
      drainTimeoutMs: 3000,
    });
    await relay.start();

    // Broker up: version 1 of each idea goes straight through.
    for (const id of ideas) {
      await Idea.create(
        withOutboxDoc({ _id: id, schoolId: "s", title: "v1", version: 1 }, [
          pendingEvent(codec, id, msg(id, 1)),
        ]),
      );
      relay.nudge();
    }
    await waitFor("version 1 of each idea", () => ideas.every((id) => deliveredVersions()[id]?.length === 1));

    // Broker down: writes still succeed and keep their events.
    await broker!.stop();
    broker = undefined;
    for (const v of [2, 3]) {
      for (const id of ideas) {
        await bump(id, v);
        relay.nudge();
      }
    }
    await new Promise((r) => setTimeout(r, 1500)); // the relay tries, fails and backs off
    expect(await relay.pending()).toBe(6);

    // The service restarts during the outage: the relay stops (nothing lost), more writes arrive.
    const stopStarted = Date.now();
    await relay.stop();
    expect(Date.now() - stopStarted).toBeLessThan(10_000);
    for (const v of [4, 5]) for (const id of ideas) await bump(id, v);
    for (const id of ideas) {
      const doc = await Idea.findById(id).lean();
      expect(doc?.version).toBe(5);
      // Stored entries come back with BSON Binary data: read them as the relay does.
      const stored = (doc?._outbox ?? []).map((e) => decodeStoredEvent(e as never) as PendingEvent);
      expect(stored.map((e) => codec.decode(e.data).version)).toEqual([2, 3, 4, 5]);
    }

    // Broker back (same data dir and ports), a new relay: the sweep publishes everything.
    broker = await startBroker();
    relay = new OutboxRelay({ kafka, collections: [Idea], logger: quiet, sweepIntervalMs: 300 });
    await relay.start();
    try {
      await waitFor(
        "every version of every idea",
        () => ideas.every((id) => deliveredVersions()[id]?.length === 5),
        120_000,
      );
      await relay.flush(30_000);
    } finally {
      await relay.stop();
    }
    const versions = deliveredVersions();
    for (const id of ideas) expect(versions[id]).toEqual([1, 2, 3, 4, 5]);
    expect(await relay.pending()).toBe(0);
  }, 240_000);
});
