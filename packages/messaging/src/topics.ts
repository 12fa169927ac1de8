// Topics must exist before kafkajs produces to or subscribes to them (on KRaft an unknown topic fails
// with "This server does not host this topic-partition"), so every producer and consumer here creates
// the topics it needs at start.
import type { Admin, Kafka } from "kafkajs";

export interface EnsureTopicsOptions {
  /** Partitions of a topic created here (default 3); existing topics are left as they are. */
  numPartitions?: number;
  /** Replication factor of a created topic (default -1: the broker's default.replication.factor). */
  replicationFactor?: number;
  /** Extra topic configs, e.g. { "retention.ms": "604800000" }. */
  configEntries?: Array<{ name: string; value: string }>;
}

function isUnknownTopic(err: unknown): boolean {
  const e = err as { type?: string; message?: string } | undefined;
  return (
    e?.type === "UNKNOWN_TOPIC_OR_PARTITION" || /does not host this topic-partition/i.test(e?.message ?? "")
  );
}

/**
 * Topics another process created a moment ago (two services starting together on a fresh broker)
 * may not have leaders yet: kafkajs then answers "does not host this topic-partition". Wait for them.
 */
async function waitForLeaders(admin: Admin, topics: string[], timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 50; ; delay = Math.min(delay * 2, 1000)) {
    try {
      const { topics: meta } = await admin.fetchTopicMetadata({ topics });
      if (meta.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
    } catch (err) {
      if (!isUnknownTopic(err) || Date.now() > deadline) throw err;
    }
    if (Date.now() > deadline)
      throw new Error(`Kafka topics have no leader after ${timeoutMs} ms: ${topics.join(", ")}`);
    await new Promise((r) => setTimeout(r, delay));
  }
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
    await waitForLeaders(admin, wanted);
  } finally {
    await admin.disconnect();
  }
}
