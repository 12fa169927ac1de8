// Issue 12: the consumer lag on /metrics (lto_consumer_lag) comes from the broker's offsets, so it is
// still measured when the consumer is dead: its loop stopped while the process lives and events keep
// arriving. The lag grows with them, which is what the lag alert is for.
import { createTestKafka, uniqueGroupId } from "@lto/testkit";
import type { Kafka, Producer } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createConsumer,
  ensureTopics,
  messagingMetrics,
  on,
  pendingEvent,
  toKafkaMessage,
  watchConsumerLag,
  type ConsumerRunner,
} from "../src/index.js";
import { ideaSubmittedOnOwnTopic, testLogger, waitFor } from "./helpers.js";

const codec = ideaSubmittedOnOwnTopic("lag-int");
const groupId = uniqueGroupId("messaging-lag");

let kafka: Kafka;
let producer: Producer;
let consumer: ConsumerRunner;
let unwatch: () => void = () => undefined;
const handled: string[] = [];

async function publish(count: number, prefix: string): Promise<void> {
  const messages = Array.from({ length: count }, (_, i) => {
    const id = `${prefix}-${i}`;
    return toKafkaMessage(pendingEvent(codec, id, codec.create({ ideaId: id, schoolId: "s", title: id })));
  });
  await producer.send({ topic: codec.topic, acks: -1, messages });
}

/** lto_consumer_lag of the group, summed over the topic's partitions, as /metrics shows it. */
async function groupLag(): Promise<number> {
  const { values } = await messagingMetrics.consumerLag.get();
  return values
    .filter((v) => v.labels.group === groupId && v.labels.topic === codec.topic)
    .reduce((sum, v) => sum + v.value, 0);
}

beforeAll(async () => {
  kafka = await createTestKafka({ clientPrefix: "messaging-lag" });
  await ensureTopics(kafka, [codec.topic]);
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  consumer = createConsumer({
    kafka,
    groupId,
    logger: testLogger,
    subscriptions: [on(codec, async (e) => void handled.push(e.data.title))],
  });
  unwatch = watchConsumerLag(consumer, 200, testLogger);
  await consumer.start();
});

afterAll(async () => {
  unwatch();
  await consumer?.stop();
  await producer?.disconnect();
});

describe("consumer lag", () => {
  it("is none while the consumer keeps up", async () => {
    await publish(3, "live");
    await waitFor("the consumer handled them", () => handled.length >= 3);
    await waitFor("no lag", async () => ((await groupLag()) === 0 ? true : undefined));
  });

  it("keeps growing on /metrics once the consumer is dead and events keep arriving", async () => {
    await consumer.stop();
    expect(consumer.state()).toBe("stopped");
    await publish(4, "after-death");
    await waitFor("the lag of the 4 events", async () => ((await groupLag()) === 4 ? true : undefined));
    await publish(5, "still-dead");
    await waitFor("the lag of 9 events", async () => ((await groupLag()) === 9 ? true : undefined));
    expect(handled).toHaveLength(3);
  });
});
