// Replaying a consumer group's dead-lettered messages once their cause is fixed: each parked message is
// sent again to the topic and partition it came from, with its key, value and CloudEvents headers as
// they were published. The consumer applies it like any delivery (its event id is the same, so one it
// had applied after all is skipped) and parks it again if it still fails.
//
// How far replays have gone is the committed offset of a group of its own, `<group>.dlq-replay`, on the
// dead-letter topic: a second run sends only what was parked since. `offset` replays one message
// without moving that mark; `dryRun` lists without sending.
import { dlqTopic as dlqTopicOf } from "@lto/contracts";
import type { Admin, IHeaders, Kafka, KafkaMessage } from "kafkajs";
import type { MessagingLogger } from "./logger.js";

/** Headers the consumer adds when it parks a message (consumer.ts toDlq), dropped on replay. */
const PARKING_HEADERS = [
  "lto_error_message",
  "lto_error_type",
  "lto_error_attempts",
  "lto_original_topic",
  "lto_original_partition",
  "lto_original_offset",
  "lto_failed_at",
  "lto_consumer_group",
];

export interface DlqReplayOptions {
  kafka: Kafka;
  /** The consumer group whose dead-letter topic (`lto.dlq.<group>`) is replayed, e.g. `lto-adoption`. */
  group: string;
  logger: MessagingLogger;
  /** Only the parked message at this offset of the dead-letter topic; the replay mark stays where it is. */
  offset?: number;
  /** List what would be replayed, send nothing, move nothing. */
  dryRun?: boolean;
  /** Give up reading the dead-letter topic after this long (default 60 s). */
  timeoutMs?: number;
}

export interface ParkedMessage {
  /** Its offset on the dead-letter topic. */
  offset: number;
  originalTopic: string;
  originalPartition: number;
  originalOffset: string;
  type?: string;
  eventId?: string;
  error: string;
  failedAt?: string;
}

export interface DlqReplayReport {
  dlqTopic: string;
  /** What was sent again (or, in a dry run, would be). */
  messages: ParkedMessage[];
  /** Where the replay mark stands now: the next dead-letter offset a plain run would replay. */
  mark: number;
  dryRun: boolean;
}

export class DlqReplayError extends Error {
  override name = "DlqReplayError";
}

const text = (headers: IHeaders | undefined, name: string): string | undefined => {
  const v = headers?.[name];
  if (v === undefined) return undefined;
  return (Array.isArray(v) ? v[0] : v)?.toString();
};

function parkedFrom(message: KafkaMessage): ParkedMessage {
  const h = message.headers;
  const originalTopic = text(h, "lto_original_topic");
  const originalPartition = Number(text(h, "lto_original_partition"));
  if (!originalTopic || !Number.isInteger(originalPartition))
    throw new DlqReplayError(
      `dead-letter offset ${message.offset} has no lto_original_topic/lto_original_partition headers: it was not parked by an LTO consumer; replay it by hand`,
    );
  const type = text(h, "ce_type");
  const eventId = text(h, "ce_id");
  const failedAt = text(h, "lto_failed_at");
  return {
    offset: Number(message.offset),
    originalTopic,
    originalPartition,
    originalOffset: text(h, "lto_original_offset") ?? "?",
    ...(type ? { type } : {}),
    ...(eventId ? { eventId } : {}),
    error: `${text(h, "lto_error_type") ?? "Error"}: ${text(h, "lto_error_message") ?? ""}`,
    ...(failedAt ? { failedAt } : {}),
  };
}

export async function replayDeadLetters(opts: DlqReplayOptions): Promise<DlqReplayReport> {
  const dlqTopic = dlqTopicOf(opts.group);
  const markGroup = `${opts.group}.dlq-replay`;
  const admin = opts.kafka.admin();
  await admin.connect();
  try {
    const topics = await admin.listTopics();
    if (!topics.includes(dlqTopic))
      throw new DlqReplayError(
        `there is no ${dlqTopic}: consumer group ${opts.group} never parked a message (a service's group is its KAFKA_CONSUMER_GROUP, lto-<service> by default)`,
      );
    const [partition] = await admin.fetchTopicOffsets(dlqTopic);
    const low = Number(partition!.low);
    const high = Number(partition!.high);
    const [marked] = (await admin.fetchOffsets({ groupId: markGroup, topics: [dlqTopic] }))[0]!.partitions;
    const mark = Math.max(low, Number(marked?.offset ?? -1));

    let from: number;
    let to: number; // exclusive
    if (opts.offset !== undefined) {
      if (!Number.isInteger(opts.offset) || opts.offset < low || opts.offset >= high)
        throw new DlqReplayError(
          `${dlqTopic} holds offsets ${low} to ${high - 1}${high === low ? " (none)" : ""}: there is no offset ${opts.offset}`,
        );
      [from, to] = [opts.offset, opts.offset + 1];
    } else [from, to] = [mark, high];

    const parked = from < to ? await readRange(opts, admin, dlqTopic, from, to) : [];
    const messages = parked.map(parkedFrom);
    if (opts.dryRun || parked.length === 0) return { dlqTopic, messages, mark, dryRun: !!opts.dryRun };

    const producer = opts.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      for (const [i, message] of parked.entries()) {
        const about = messages[i]!;
        const headers: IHeaders = { ...message.headers };
        for (const name of PARKING_HEADERS) delete headers[name];
        headers.lto_replayed_from = `${dlqTopic}@${message.offset}`;
        await producer.send({
          topic: about.originalTopic,
          acks: -1,
          messages: [{ key: message.key, value: message.value, headers, partition: about.originalPartition }],
        });
        opts.logger.info(
          {
            dlqTopic,
            offset: about.offset,
            topic: about.originalTopic,
            type: about.type,
            eventId: about.eventId,
          },
          "dead-lettered message sent again",
        );
      }
    } finally {
      await producer.disconnect();
    }
    if (opts.offset !== undefined) return { dlqTopic, messages, mark, dryRun: false };
    await admin.setOffsets({
      groupId: markGroup,
      topic: dlqTopic,
      partitions: [{ partition: 0, offset: String(to) }],
    });
    return { dlqTopic, messages, mark: to, dryRun: false };
  } finally {
    await admin.disconnect();
  }
}

/** The dead-letter topic's messages at offsets [from, to), read by a consumer that commits nothing. */
async function readRange(
  opts: DlqReplayOptions,
  admin: Admin,
  dlqTopic: string,
  from: number,
  to: number,
): Promise<KafkaMessage[]> {
  // A throwaway group: the mark group's offset is only ever set, after the messages are sent.
  const readGroup = `${opts.group}.dlq-read-${Date.now()}-${process.pid}`;
  const consumer = opts.kafka.consumer({ groupId: readGroup });
  const got = new Map<number, KafkaMessage>();
  const timeoutMs = opts.timeoutMs ?? 60_000;
  let done!: () => void;
  const complete = new Promise<void>((resolve) => (done = resolve));
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [dlqTopic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ message }) => {
        const offset = Number(message.offset);
        if (offset >= from && offset < to) got.set(offset, message);
        if (got.size === to - from) done();
      },
    });
    consumer.seek({ topic: dlqTopic, partition: 0, offset: String(from) });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new DlqReplayError(
              `read ${got.size} of the ${to - from} parked messages of ${dlqTopic} in ${timeoutMs / 1000} s: is the broker reachable? Nothing was sent`,
            ),
          ),
        timeoutMs,
      );
    });
    await Promise.race([complete, late]).finally(() => clearTimeout(timer));
  } finally {
    await consumer.disconnect();
    await admin.deleteGroups([readGroup]).catch(() => undefined);
  }
  return [...got.keys()].sort((a, b) => a - b).map((o) => got.get(o)!);
}
