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
import { handOverReplay, replayFromBeginning, type MessagingLogger } from "@lto/messaging";
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
  const folded = new FoldedModel();
  try {
    const end = await replayFromBeginning({
      kafka: opts.kafka,
      groupId: `${opts.group}-rebuild-${generation}`,
      logger: opts.logger,
      subscriptions: subscriptions(folded),
      ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
    });
    const entries = folded.entries();
    await opts.model.writeFolded(generation, entries);
    if (opts.moveGroup) await handOverReplay(opts.kafka, opts.group, end, opts.logger);
    const replaced = await opts.model.switchTo(generation);
    return { generation, replaced, dropped, records: entries.length };
  } catch (err) {
    await opts.model.abandon(generation).catch(() => undefined);
    throw err;
  }
}
