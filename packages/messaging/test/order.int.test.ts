// One aggregate's events written to different documents (a hold, an offer, an adoption of one idea)
// reach Kafka in the order they were written, whatever the order the relay reads its collections in,
// also when the second write lands while a pass is reading.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Kafka } from "kafkajs";
import { connectTestDb, createTestKafka, uniqueGroupId, type TestDb } from "@lto/testkit";
import type { Collection, Db, Document } from "mongodb";
import { documentWriteGuard, type DocumentWriteGuard } from "@lto/mongo";
import {
  OUTBOX_INDEX,
  OutboxRelay,
  createConsumer,
  on,
  pendingEvent,
  withOutboxDoc,
  type ConsumerRunner,
} from "../src/index.js";
import { ideaSubmittedOnOwnTopic, testLogger, waitFor } from "./helpers.js";

let db: TestDb;
let kafka: Kafka;
let consumer: ConsumerRunner;
let first: Collection<Document>;
let second: Collection<Document>;
let guard: DocumentWriteGuard;
const codec = ideaSubmittedOnOwnTopic("outbox-order");
const seen: string[] = [];

beforeAll(async () => {
  db = await connectTestDb({ prefix: "messaging_order" });
  kafka = await createTestKafka({ clientPrefix: "messaging-order" });
  const native = db.connection.db as unknown as Db;
  first = native.collection("holds");
  second = native.collection("adoptions");
  for (const c of [first, second]) await c.createIndex(OUTBOX_INDEX);
  guard = await documentWriteGuard(native); // as the store gives its relay
  consumer = createConsumer({
    kafka,
    groupId: uniqueGroupId("messaging-order"),
    logger: testLogger,
    subscriptions: [
      on(codec, async (e) => {
        seen.push(e.data.title);
      }),
    ],
  });
  await consumer.start();
});

afterAll(async () => {
  await consumer?.stop();
  await db?.close();
});

const event = (ideaId: string, title: string) =>
  pendingEvent(codec, ideaId, codec.create({ ideaId, schoolId: "s", callId: "c", title, version: 1 }));

async function write(col: Collection<Document>, id: string, ideaId: string, title: string) {
  await col.insertOne(withOutboxDoc({ _id: id as never, ideaId }, [event(ideaId, title)]));
}

describe("relay order across documents of one aggregate", () => {
  it("publishes in write order although the later event's collection is read first", async () => {
    const relay = new OutboxRelay({ kafka, collections: [second, first], logger: testLogger, guard });
    await write(first, "h1", "idea-1", "1: hold ended");
    await write(second, "a1", "idea-1", "1: adopted again");
    await relay.start();
    try {
      await waitFor("both events", () => seen.filter((t) => t.startsWith("1:")).length === 2);
      expect(seen.filter((t) => t.startsWith("1:"))).toEqual(["1: hold ended", "1: adopted again"]);
    } finally {
      await relay.stop();
    }
  });

  it("holds back an event written mid-pass so an earlier one missed by the pass goes first", async () => {
    // The pass reads `first` (empty), then both writes land, then it reads `second`.
    let armed = true;
    const relay = new OutboxRelay({
      kafka,
      collections: [first, second],
      logger: testLogger,
      guard,
      hooks: {
        afterRead: async (name) => {
          if (!armed || name !== "holds") return;
          armed = false;
          await write(first, "h2", "idea-2", "2: adoption ended");
          await write(second, "a2", "idea-2", "2: adopted by another company");
        },
      },
    });
    await relay.start();
    try {
      await waitFor("both events", () => seen.filter((t) => t.startsWith("2:")).length === 2);
      expect(seen.filter((t) => t.startsWith("2:"))).toEqual([
        "2: adoption ended",
        "2: adopted by another company",
      ]);
      // Nothing left pending, and the flag is gone with the events.
      // (the relay clears documents after publishing, one by one: the consumer may see both first)
      await waitFor(
        "flags cleared",
        async () =>
          (await first.countDocuments({ _pending: true })) === 0 &&
          (await second.countDocuments({ _pending: true })) === 0,
      );
      expect(await first.findOne({ _id: "h2" as never })).toMatchObject({ _outbox: [] });
    } finally {
      await relay.stop();
    }
  });
});
