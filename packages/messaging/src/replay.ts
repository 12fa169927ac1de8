// A projection's rebuild reads its topics from the first event with a consumer group of its own, into
// handlers that fold the events in memory, until it has caught up with the topics; the caller then
// writes what it folded in bulk, and may hand the replay's end over to the service's own group so that
// its consumer goes on from there. The replay group is removed afterwards, and its dead-letter topic too
// unless the replay parked events there.
import type { Kafka } from "kafkajs";
import { createConsumer, type Subscriptions } from "./consumer.js";
import type { MessagingLogger } from "./logger.js";

export interface ReplayOptions {
  kafka: Kafka;
  /** The replay's own consumer group (a new one per replay: it must start from the beginning). */
  groupId: string;
  logger: MessagingLogger;
  subscriptions: Subscriptions;
  /** Caught up means no lag on these topics (default: every topic the subscriptions read). */
  topics?: readonly string[];
  /** Give up after this long (default 10 minutes). */
  timeoutMs?: number;
}

/** Where a replay stopped: the next offset of each partition it read. */
export interface ReplayEnd {
  offsets: { topic: string; partitions: { partition: number; offset: string }[] }[];
  /** Events that broke their contract, parked on the replay's dead-letter topic (kept when not empty). */
  parked: { topic: string; count: number };
}

export async function replayFromBeginning(opts: ReplayOptions): Promise<ReplayEnd> {
  const consumer = createConsumer({
    kafka: opts.kafka,
    groupId: opts.groupId,
    logger: opts.logger,
    fromBeginning: true,
    subscriptions: opts.subscriptions,
  });
  const timeoutMs = opts.timeoutMs ?? 600_000;
  let parked = 0;
  const admin = opts.kafka.admin();
  await admin.connect();
  try {
    await consumer.start();
    const deadline = Date.now() + timeoutMs;
    const counted = (topic: string) => !opts.topics || opts.topics.includes(topic);
    for (;;) {
      const lag = await consumer.lag();
      if (lag.every((l) => !counted(l.topic) || l.lag === 0)) break;
      if (Date.now() > deadline)
        throw new Error(
          `the replay (${opts.groupId}) did not catch up with the topics in ${Math.round(timeoutMs / 1000)} s: give it more time`,
        );
      await new Promise((r) => setTimeout(r, 200));
    }
    await consumer.stop();
    const read = [...new Set(opts.subscriptions.map((s) => s.codec.topic))];
    const offsets = await admin.fetchOffsets({ groupId: opts.groupId, topics: read });
    parked = (await admin.fetchTopicOffsets(consumer.dlqTopic)).reduce((n, p) => n + Number(p.high), 0);
    if (parked > 0)
      opts.logger.warn(
        { dlqTopic: consumer.dlqTopic, parked },
        "the replay parked events that break their contract: they are kept on its dead-letter topic",
      );
    return {
      parked: { topic: consumer.dlqTopic, count: parked },
      offsets: offsets.map(({ topic, partitions }) => ({
        topic,
        partitions: partitions
          .filter((p) => Number(p.offset) >= 0)
          .map(({ partition, offset }) => ({ partition, offset })),
      })),
    };
  } finally {
    await consumer.stop().catch(() => undefined);
    await admin.deleteGroups([opts.groupId]).catch(() => undefined);
    // An empty dead-letter topic goes with the replay; one holding parked events stays for a look.
    if (parked === 0) await admin.deleteTopics({ topics: [consumer.dlqTopic] }).catch(() => undefined);
    await admin.disconnect();
  }
}

/**
 * Commits for `group` (the service's own) the offsets a replay reached, so that its consumer goes on from
 * there instead of reading it all again. Takes only where the group has no running member; elsewhere
 * that member reads the events again and applies them idempotently.
 */
export async function handOverReplay(
  kafka: Kafka,
  group: string,
  end: ReplayEnd,
  logger: MessagingLogger,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (const { topic, partitions } of end.offsets) {
      if (partitions.length === 0) continue;
      try {
        await admin.setOffsets({ groupId: group, topic, partitions });
      } catch (err) {
        logger.warn({ err, group, topic }, "could not move the consumer group past the replay");
      }
    }
  } finally {
    await admin.disconnect();
  }
}

/**
 * A rebuild that replaces what the service's consumer writes runs with the service stopped: this
 * refuses, and says so, while `group` has a running member.
 */
export async function refuseWhileGroupRuns(kafka: Kafka, group: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [described] = (await admin.describeGroups([group])).groups;
    const members = described?.members.length ?? 0;
    if (members > 0)
      throw new Error(
        `consumer group ${group} has ${members} running member(s): stop every instance of the service before rebuilding its projection, and start it again afterwards`,
      );
  } finally {
    await admin.disconnect();
  }
}
