// Shared by the messaging integration tests: real codecs on per-file topics, a consumer on the real
// broker with a producer beside it, polling.
import { IdeaSubmittedEvent, type RegisteredEventCodec, type ideasEventsV1 } from "@lto/contracts";
import { createLogger } from "@lto/telemetry";
import { createTestKafka, uniqueTopic } from "@lto/testkit";
import type { Kafka, Message, Producer } from "kafkajs";
import {
  createConsumer,
  ensureTopics,
  pendingEvent,
  toKafkaMessage,
  type ConsumerOptions,
  type ConsumerRunner,
} from "../src/index.js";

export type IdeaSubmitted = ideasEventsV1.IdeaSubmitted;

export const testLogger = createLogger("messaging-test", { level: process.env.LOG_LEVEL ?? "warn" });

/** The generated IdeaSubmitted codec (real protobuf encode/decode, real type/source) on a topic of its own. */
export function ideaSubmittedOnOwnTopic(prefix: string): RegisteredEventCodec<IdeaSubmitted> {
  return { ...IdeaSubmittedEvent, topic: uniqueTopic(prefix) };
}

/** An IdeaSubmitted as it stands on Kafka (CloudEvents headers, protobuf value), keyed by its idea. */
export function ideaSubmittedMessage(
  codec: RegisteredEventCodec<IdeaSubmitted>,
  ideaId: string,
  title: string,
): Message {
  return toKafkaMessage(pendingEvent(codec, ideaId, codec.create({ ideaId, schoolId: "s", title })));
}

export interface ConsumerOnTopic {
  kafka: Kafka;
  /** Idempotent, one request in flight: what it sends stays in order on a partition. */
  producer: Producer;
  consumer: ConsumerRunner;
  /** Stops the consumer and disconnects the producer (for afterAll). */
  close(): Promise<void>;
}

/**
 * Makes the codec's topic on the real broker and starts a consumer on it (its subscriptions, logger
 * and retries given) with a producer to feed it.
 */
export async function startConsumerOnTopic(
  codec: RegisteredEventCodec<IdeaSubmitted>,
  options: Omit<ConsumerOptions, "kafka">,
): Promise<ConsumerOnTopic> {
  const kafka = await createTestKafka({ clientPrefix: options.groupId });
  await ensureTopics(kafka, [codec.topic]);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const consumer = createConsumer({ kafka, ...options });
  await consumer.start();
  return {
    kafka,
    producer,
    consumer,
    async close() {
      await consumer.stop();
      await producer.disconnect();
    },
  };
}

/** The testkit's polling (no sleeps in tests). */
export { waitFor } from "@lto/testkit";
