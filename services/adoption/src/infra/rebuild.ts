// Rebuilds the projection of published ideas and calls from the ideas topic, from the beginning,
// with a fresh consumer group, into shadow collections; adoption markers come from this service's
// own adoptions. Then the shadow is merged into the live projection (snapshot versions guard against
// regressing what the live consumer applied meanwhile), or, with `replace`, replaces it entirely.
import { topics } from "@lto/contracts";
import { createConsumer, type MessagingLogger } from "@lto/messaging";
import type { Kafka } from "kafkajs";
import type { Db, Document } from "mongodb";
import { projectionHandlers } from "../app/index.js";
import { ideaProjection } from "./projection.js";
import { adoptionRepository, collections, isDuplicateKey } from "./store.js";
import { subscriptions } from "./subscriptions.js";
import { uuidv7 } from "./system.js";

export interface RebuildResult {
  ideas: number;
  calls: number;
  merged: number;
  shadowPrefix: string;
}

const SHADOW = "rebuild_";

export async function rebuildProjection(opts: {
  kafka: Kafka;
  db: Db;
  logger: MessagingLogger;
  /** Merge the rebuilt projection into the live one (default true). */
  apply?: boolean;
  /** Drop live documents the rebuild did not produce (only with the service stopped). */
  replace?: boolean;
  timeoutMs?: number;
}): Promise<RebuildResult> {
  const live = collections(opts.db);
  const shadow = collections(opts.db, SHADOW);
  await shadow.ideas.deleteMany({});
  await shadow.calls.deleteMany({});

  const groupId = `lto-adoption-rebuild-${uuidv7()}`;
  const consumer = createConsumer({
    kafka: opts.kafka,
    groupId,
    logger: opts.logger,
    fromBeginning: true,
    lagIntervalMs: 0,
    subscriptions: subscriptions(projectionHandlers(ideaProjection(shadow.ideas, shadow.calls))),
  });
  await consumer.start();
  try {
    const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
    for (;;) {
      const lag = await consumer.lag();
      if (lag.filter((l) => l.topic === topics.ideas).every((l) => l.lag === 0)) break;
      if (Date.now() > deadline) throw new Error("projection rebuild did not catch up in time");
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await consumer.stop();
    const admin = opts.kafka.admin();
    await admin.connect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.deleteTopics({ topics: [consumer.dlqTopic] }).catch(() => undefined);
    await admin.disconnect();
  }

  for (const a of await adoptionRepository(live.adoptions).listClaiming())
    await shadow.ideas.updateOne(
      { _id: a.ideaId },
      { $set: { adoption: { id: a.id, companyId: a.companyId } } },
    );

  const result: RebuildResult = {
    ideas: await shadow.ideas.countDocuments({}),
    calls: await shadow.calls.countDocuments({}),
    merged: 0,
    shadowPrefix: SHADOW,
  };
  if (opts.apply === false) return result;
  for (const [from, to, field] of [
    [shadow.ideas, live.ideas, "ideaVersion"],
    [shadow.calls, live.calls, "callVersion"],
  ] as const) {
    const ids: string[] = [];
    for await (const doc of from.find({})) {
      ids.push(doc._id);
      try {
        const r = await to.replaceOne({ _id: doc._id, [field]: { $lte: (doc as Document)[field] } }, doc, {
          upsert: true,
        });
        result.merged += r.modifiedCount + r.upsertedCount;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err; // the live one is newer: keep it
      }
    }
    if (opts.replace) await to.deleteMany({ _id: { $nin: ids } });
  }
  return result;
}
