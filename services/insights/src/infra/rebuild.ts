// Rebuilds the figures' model from every topic's beginning into a new generation. A consumer group of
// its own replays the topics up to where they are, folding the facts in memory with the projection's
// own reducers; the records are then written in bulk inserts. Meanwhile the live consumer applies new events
// to the new generation too (it is registered as being built), so nothing that arrives during the
// rebuild is missed; where both wrote a record, the replay's events are applied to it one by one
// (idempotent, order-tolerant). Then the new generation becomes current in one write: readers see
// either the old model or the whole new one. Retired generations are dropped at the next rebuild (a
// reader may still be reading one right after the switch).
//
// At a service's first start (no model yet) the same build runs before its consumer starts, and the
// service's consumer group is moved to where the replay stopped, so it does not replay it all again.
import { topics } from "@lto/contracts";
import { createConsumer, type MessagingLogger } from "@lto/messaging";
import { platformIds } from "@lto/service-host";
import type { Kafka } from "kafkajs";
import { FoldedModel, type ModelStore } from "../app/index.js";
import type { GenerationControl } from "./store.js";
import { subscriptions } from "./subscriptions.js";

export interface RebuildResult {
  generation: string;
  replaced: string;
  dropped: string[];
  records: number;
}

export async function rebuildModel(opts: {
  kafka: Kafka;
  model: ModelStore & GenerationControl;
  logger: MessagingLogger;
  /** The service's consumer group: the rebuild's is named after it. */
  group: string;
  /** First build: move `group` to where the replay stopped (its consumer has not started). */
  moveGroup?: boolean;
  timeoutMs?: number;
}): Promise<RebuildResult> {
  const dropped = await opts.model.dropRetired();
  const generation = `g${Date.now()}-${platformIds.newId().slice(-8)}`;
  await opts.model.begin(generation);
  const replayGroup = `${opts.group}-rebuild-${generation}`;
  const folded = new FoldedModel();
  const consumer = createConsumer({
    kafka: opts.kafka,
    groupId: replayGroup,
    logger: opts.logger,
    fromBeginning: true,
    subscriptions: subscriptions(folded),
  });
  const admin = opts.kafka.admin();
  await admin.connect();
  try {
    await consumer.start();
    const deadline = Date.now() + (opts.timeoutMs ?? 600_000);
    for (;;) {
      const lag = await consumer.lag();
      if (lag.every((l) => l.lag === 0)) break;
      if (Date.now() > deadline) throw new Error("the rebuild did not catch up with the topics in time");
      await new Promise((r) => setTimeout(r, 250));
    }
    await consumer.stop();
    const entries = folded.entries();
    await opts.model.writeFolded(generation, entries);
    if (opts.moveGroup) await moveGroup(admin, replayGroup, opts.group, opts.logger);
    const replaced = await opts.model.switchTo(generation);
    return { generation, replaced, dropped, records: entries.length };
  } catch (err) {
    await consumer.stop().catch(() => undefined);
    await opts.model.abandon(generation).catch(() => undefined);
    throw err;
  } finally {
    await admin.deleteGroups([replayGroup]).catch(() => undefined);
    await admin.deleteTopics({ topics: [consumer.dlqTopic] }).catch(() => undefined);
    await admin.disconnect();
  }
}

const TOPICS = [topics.ideas, topics.adoption, topics.catalogue, topics.selfemployment];

/** Commits for `to` the offsets `from` reached (`to` must have no running member). */
async function moveGroup(
  admin: ReturnType<Kafka["admin"]>,
  from: string,
  to: string,
  logger: MessagingLogger,
): Promise<void> {
  const reached = await admin.fetchOffsets({ groupId: from, topics: TOPICS });
  for (const { topic, partitions } of reached) {
    const done = partitions.filter((p) => Number(p.offset) >= 0);
    if (done.length === 0) continue;
    try {
      await admin.setOffsets({ groupId: to, topic, partitions: done });
    } catch (err) {
      // Another instance runs the group already: it applies what it reads again, idempotently.
      logger.warn({ err, group: to, topic }, "could not move the consumer group past the first build");
    }
  }
}
