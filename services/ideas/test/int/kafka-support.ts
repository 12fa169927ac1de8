// Reads the ideas topic and writes adoption events, as a real consumer and producer would.
import { IdeaAdoptedEvent, topics, type EventCodec } from "@lto/contracts";
import { pendingEvent, toKafkaMessage } from "@lto/messaging";
import { createTestKafka, uniqueGroupId } from "@lto/testkit";
import type { Consumer, IHeaders, Producer } from "kafkajs";

export interface SeenEvent {
  headers: Record<string, string>;
  key: string;
  value: Buffer;
}

function strings(headers: IHeaders | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers ?? {}).map(([k, v]) => [k, String(Array.isArray(v) ? v[0] : v)]),
  );
}

/** Collects every event of the ideas topic from now on. */
export async function watchIdeasTopic(): Promise<{
  seen: SeenEvent[];
  waitFor(pred: (e: SeenEvent) => boolean, ms?: number): Promise<SeenEvent>;
  stop(): Promise<void>;
}> {
  const kafka = await createTestKafka();
  const consumer: Consumer = kafka.consumer({ groupId: uniqueGroupId("watch"), maxWaitTimeInMs: 100 });
  const seen: SeenEvent[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic: topics.ideas, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      seen.push({
        headers: strings(message.headers),
        key: message.key?.toString() ?? "",
        value: message.value ?? Buffer.alloc(0),
      });
    },
  });
  return {
    seen,
    async waitFor(pred, ms = 20_000) {
      const deadline = Date.now() + ms;
      while (Date.now() < deadline) {
        const found = seen.find(pred);
        if (found) return found;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(
        `event not seen within ${ms} ms; seen: ${seen.map((e) => e.headers.ce_type).join(", ")}`,
      );
    },
    stop: () => consumer.disconnect(),
  };
}

export async function adoptionProducer(): Promise<{
  send<T>(codec: EventCodec<T>, ideaId: string, message: T, id?: string): Promise<string>;
  stop(): Promise<void>;
}> {
  const kafka = await createTestKafka();
  const producer: Producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  return {
    async send(codec, ideaId, message, id) {
      const event = pendingEvent(codec, ideaId, message, id ? { id } : {});
      await producer.send({ topic: codec.topic, messages: [toKafkaMessage(event)] });
      return event.id;
    },
    stop: () => producer.disconnect(),
  };
}

export { IdeaAdoptedEvent };
