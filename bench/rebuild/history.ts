// What the rebuild benchmarks share: an event history produced in bulk onto a broker of the run's own,
// the baseline reader, and the figures they print.
import type { RegisteredEventCodec } from "@lto/contracts";
import { pendingEvent, toKafkaMessage } from "@lto/messaging";
import type { Kafka, Message } from "kafkajs";
import { fmt, timed } from "../race/measure.js";

const BATCH = 2_000;

/** One event of a history: its type, its key (the aggregate's id) and its message. */
export interface HistoryEvent {
  codec: RegisteredEventCodec<unknown>;
  key: string;
  message: unknown;
}

export function event<T>(codec: RegisteredEventCodec<T>, key: string, message: Partial<T>): HistoryEvent {
  return { codec: codec as RegisteredEventCodec<unknown>, key, message: codec.create(message) as unknown };
}

/** Produces events `from`..`to` of `make` in batches (acks from the leader; one broker). */
export async function produce(kafka: Kafka, from: number, to: number, make: (i: number) => HistoryEvent) {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    for (let i = from; i < to; i += BATCH) {
      const byTopic = new Map<string, Message[]>();
      for (let j = i; j < Math.min(to, i + BATCH); j++) {
        const e = make(j);
        const list = byTopic.get(e.codec.topic) ?? [];
        list.push(toKafkaMessage(pendingEvent(e.codec, e.key, e.message)));
        byTopic.set(e.codec.topic, list);
      }
      await producer.sendBatch({
        acks: 1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
    }
  } finally {
    await producer.disconnect();
  }
}

/** The baseline: a consumer group of its own reads `count` records of `topicList` and does nothing. */
export async function plainRead(kafka: Kafka, topicList: string[], count: number): Promise<number> {
  const consumer = kafka.consumer({ groupId: `bench-plain-${Date.now()}`, maxBytes: 50 * 1024 * 1024 });
  await consumer.connect();
  await consumer.subscribe({ topics: topicList, fromBeginning: true });
  let seen = 0;
  const { ms } = await timed(
    () =>
      new Promise<void>((resolve) => {
        void consumer.run({
          eachBatch: async ({ batch }) => {
            seen += batch.messages.length;
            if (seen >= count) resolve();
          },
        });
      }),
  );
  await consumer.disconnect();
  return ms;
}

/** Events per second. */
export const rate = (events: number, ms: number) => (events / ms) * 1000;

/** The process's resident memory so far at its peak (the folds hold a whole replay in memory). */
export const peakRss = () => `peak RSS ${fmt(process.resourceUsage().maxRSS / 1024)} MB`;
