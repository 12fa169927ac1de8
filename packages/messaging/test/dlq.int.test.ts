// Issue 2, section 6 d on the real broker: a poison message reaches the DLQ with its error in the headers
// after its retries, and the messages behind it on the same partition are still processed. Also: bad
// CloudEvents headers go to the DLQ (no crash, no retries), unknown types are skipped, a transient
// failure is retried and succeeds.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KafkaMessage } from "kafkajs";
import { uniqueGroupId, uniqueId } from "@lto/testkit";
import { DLQ_PARTITIONS, IdeaPublishedEvent } from "@lto/contracts";
import { messagingMetrics, on, pendingEvent, toKafkaMessage } from "../src/index.js";
import {
  ideaSubmittedMessage,
  ideaSubmittedOnOwnTopic,
  startConsumerOnTopic,
  testLogger,
  waitFor,
  type ConsumerOnTopic,
} from "./helpers.js";

const codec = ideaSubmittedOnOwnTopic("dlq-int");
const groupId = uniqueGroupId("messaging-dlq");
const key = "idea-d"; // one key: every message lands on the same partition, in this order

let rig: ConsumerOnTopic;
const processed: string[] = [];
const attemptsByTitle = new Map<string, number>();

const event = (title: string) => ideaSubmittedMessage(codec, key, title);

beforeAll(async () => {
  rig = await startConsumerOnTopic(codec, {
    groupId,
    logger: { ...testLogger, error: () => undefined, warn: () => undefined },
    retry: { attempts: 3, initialBackoffMs: 20, maxBackoffMs: 100 },
    subscriptions: [
      on(codec, async (e) => {
        const n = (attemptsByTitle.get(e.data.title) ?? 0) + 1;
        attemptsByTitle.set(e.data.title, n);
        if (e.data.title === "poison") throw new TypeError("cannot project idea: school missing");
        if (e.data.title === "flaky" && n < 3) throw new Error("store briefly unavailable");
        processed.push(e.data.title);
      }),
    ],
  });
});

afterAll(async () => {
  await rig?.close();
});

async function readDlq(count: number): Promise<KafkaMessage[]> {
  const got: KafkaMessage[] = [];
  const reader = rig.kafka.consumer({ groupId: uniqueId("dlq-reader") });
  await reader.connect();
  await reader.subscribe({ topics: [rig.consumer.dlqTopic], fromBeginning: true });
  await reader.run({ eachMessage: async ({ message }) => void got.push(message) });
  try {
    await waitFor(`${count} DLQ messages`, () => got.length >= count);
  } finally {
    await reader.disconnect();
  }
  return got;
}

describe("consumer runner: retries, DLQ, moving on", () => {
  it("d. parks a poison message on lto.dlq.<group> with its error, and the partition moves on", async () => {
    const poison = event("poison");
    const unknownType = toKafkaMessage(
      pendingEvent(IdeaPublishedEvent, key, IdeaPublishedEvent.create({ ideaId: key })),
    );
    const badHeaders = {
      key,
      value: Buffer.from("not a CloudEvent"),
      headers: { "content-type": "text/plain" },
    };
    await rig.producer.send({
      topic: codec.topic,
      acks: -1,
      messages: [event("first"), poison, event("flaky"), { ...unknownType }, badHeaders, event("last")],
    });

    await waitFor("the messages behind the poison", () => processed.includes("last"));
    expect(processed).toEqual(["first", "flaky", "last"]);
    expect(attemptsByTitle.get("poison")).toBe(3);
    expect(attemptsByTitle.get("flaky")).toBe(3);

    const dlq = await readDlq(2);
    expect(dlq).toHaveLength(2);
    // Made by the consumer with the one partition every dead-letter topic has.
    const admin = rig.kafka.admin();
    await admin.connect();
    const [meta] = (await admin.fetchTopicMetadata({ topics: [rig.consumer.dlqTopic] })).topics;
    await admin.disconnect();
    expect(meta?.partitions).toHaveLength(DLQ_PARTITIONS);
    const [parked, invalid] = dlq;
    const h = (m: KafkaMessage, name: string) => m.headers?.[name]?.toString();

    // The poison message: original key, value and CloudEvents headers, plus the error.
    expect(parked!.key?.toString()).toBe(key);
    expect(Buffer.compare(parked!.value!, poison.value as Buffer)).toBe(0);
    for (const [name, value] of Object.entries(poison.headers!)) expect(h(parked!, name)).toBe(value);
    expect(h(parked!, "lto_error_message")).toBe("cannot project idea: school missing");
    expect(h(parked!, "lto_error_type")).toBe("TypeError");
    expect(h(parked!, "lto_error_attempts")).toBe("3");
    expect(h(parked!, "lto_original_topic")).toBe(codec.topic);
    expect(h(parked!, "lto_original_partition")).toMatch(/^[0-2]$/);
    expect(h(parked!, "lto_original_offset")).toBe("1");

    // Bad headers: straight to the DLQ (no retries), the reason listed.
    expect(invalid!.value?.toString()).toBe("not a CloudEvent");
    expect(h(invalid!, "lto_error_type")).toBe("InvalidCloudEventError");
    expect(h(invalid!, "lto_error_attempts")).toBe("0");
    expect(h(invalid!, "lto_error_message")).toMatch(
      /ce_specversion missing.*content-type must be application\/protobuf/,
    );
    expect(h(invalid!, "lto_original_offset")).toBe("4");

    // Metrics: two parked, one skipped (unknown type), lag back to zero.
    const dlqCount = (await messagingMetrics.consumerDlq.get()).values
      .filter((v) => v.labels.group === groupId)
      .reduce((a, v) => a + v.value, 0);
    expect(dlqCount).toBe(2);
    const skipped = (await messagingMetrics.consumerHandled.get()).values.find(
      (v) => v.labels.group === groupId && v.labels.outcome === "skipped",
    );
    expect(skipped?.value).toBe(1);
    await waitFor("zero lag", async () => (await rig.consumer.lag()).every((p) => p.lag === 0));
  });
});
