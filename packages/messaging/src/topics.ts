// Topics must exist before kafkajs produces to or subscribes to them (on KRaft an unknown topic fails
// with "This server does not host this topic-partition"), so every producer and consumer here creates
// the topics it needs at start.
import type { Kafka } from "kafkajs";

export interface EnsureTopicsOptions {
  /** Partitions of a topic created here (default 3); existing topics are left as they are. */
  numPartitions?: number;
  /** Replication factor of a created topic (default -1: the broker's default.replication.factor). */
  replicationFactor?: number;
  /** Extra topic configs, e.g. { "retention.ms": "604800000" }. */
  configEntries?: Array<{ name: string; value: string }>;
}

/** Dead-letter topic of a consumer group: `lto.dlq.<groupId>`. */
export function dlqTopicFor(groupId: string): string {
  return `lto.dlq.${groupId}`;
}

function isAlreadyExists(err: unknown): boolean {
  const e = err as { type?: string; errors?: unknown[]; message?: string } | undefined;
  if (!e) return false;
  if (e.type === "TOPIC_ALREADY_EXISTS") return true;
  if (Array.isArray(e.errors) && e.errors.length > 0) return e.errors.every(isAlreadyExists);
  return /already exists/i.test(e.message ?? "");
}

/**
 * Creates the topics that do not exist yet and waits until each has a leader. Idempotent and safe to
 * run concurrently from several processes (TOPIC_ALREADY_EXISTS counts as success).
 */
export async function ensureTopics(
  kafka: Kafka,
  topics: readonly string[],
  opts: EnsureTopicsOptions = {},
): Promise<void> {
  const wanted = [...new Set(topics)];
  if (wanted.length === 0) return;
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = wanted.filter((t) => !existing.has(t));
    if (missing.length > 0) {
      try {
        await admin.createTopics({
          waitForLeaders: true,
          topics: missing.map((topic) => ({
            topic,
            numPartitions: opts.numPartitions ?? 3,
            replicationFactor: opts.replicationFactor ?? -1,
            ...(opts.configEntries ? { configEntries: opts.configEntries } : {}),
          })),
        });
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
      }
    }
    // Topics created by someone else a moment ago may not have leaders yet.
    await admin.fetchTopicMetadata({ topics: wanted });
  } finally {
    await admin.disconnect();
  }
}
