// Rebuilds the projection of published ideas and calls from the ideas topic, from the beginning,
// with a fresh consumer group, into shadow collections; adoption markers come from this service's
// own adoptions. Then the shadow is merged into the live projection (snapshot versions guard against
// regressing what the live consumer applied meanwhile), or, with `replace`, replaces it entirely.
import { topics } from "@lto/contracts";
import { createConsumer, type MessagingLogger } from "@lto/messaging";
import type { Kafka } from "kafkajs";
import type { Db, Document } from "mongodb";
import { projectionHandlers } from "../app/index.js";
import { ideaProjection, setIfAbsent } from "./projection.js";
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
  result.merged = await mergeRebuilt({ db: opts.db, replace: opts.replace });
  return result;
}

/**
 * Merges the shadow collections of a rebuild into the live projection; returns how many documents it
 * changed. Safe while the service runs:
 * - a live document with a newer snapshot version is kept (the upsert's version filter collides);
 * - the fields the ideas topic gives are written field by field, never the adoption marker: that is
 *   this service's own fact, written by accepts and ends while the rebuild runs. A document the live
 *   projection lacks is inserted with the shadow's marker;
 * - then every live marker is reconciled with the adoptions (the source of truth): the live marker is
 *   read first, the claiming adoption after, and the marker is replaced only if it is still the one read.
 *   An accept or end in between writes its claim before its marker, so the compare-and-set either
 *   writes what that use case writes too, or finds the marker changed and leaves it to it.
 */
export async function mergeRebuilt(opts: { db: Db; replace?: boolean | undefined }): Promise<number> {
  const live = collections(opts.db);
  const shadow = collections(opts.db, SHADOW);
  let merged = 0;
  const ideaIds: string[] = [];
  for await (const doc of shadow.ideas.find({})) {
    ideaIds.push(doc._id);
    const { _id, adoption, ...fields } = doc as Document;
    try {
      const r = await live.ideas.updateOne(
        { _id: doc._id, ideaVersion: { $lte: fields.ideaVersion } },
        { $set: fields },
        { upsert: true },
      );
      if (r.upsertedCount > 0) await setIfAbsent(live.ideas, doc._id, { adoption: adoption ?? null });
      merged += r.modifiedCount + r.upsertedCount;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err; // the live one is newer: keep it
    }
  }
  const callIds: string[] = [];
  for await (const doc of shadow.calls.find({})) {
    callIds.push(doc._id);
    try {
      const r = await live.calls.replaceOne({ _id: doc._id, callVersion: { $lte: doc.callVersion } }, doc, {
        upsert: true,
      });
      merged += r.modifiedCount + r.upsertedCount;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
  if (opts.replace) {
    await live.ideas.deleteMany({ _id: { $nin: ideaIds } });
    await live.calls.deleteMany({ _id: { $nin: callIds } });
  }

  const adoptions = adoptionRepository(live.adoptions);
  const markers = await live.ideas.find({}, { projection: { _id: 1, adoption: 1 } }).toArray();
  for (const doc of markers) {
    const read = (doc.adoption ?? null) as { id: string; companyId: string } | null;
    const claim = await adoptions.findClaiming(doc._id);
    const want = claim ? { id: claim.id, companyId: claim.companyId } : null;
    const same = read?.id === want?.id && read?.companyId === want?.companyId;
    if (same && "adoption" in doc) continue;
    const r = await live.ideas.updateOne(
      {
        _id: doc._id,
        ...(read ? { "adoption.id": read.id } : { adoption: "adoption" in doc ? null : { $exists: false } }),
      },
      { $set: { adoption: want } },
    );
    merged += r.modifiedCount;
  }
  return merged;
}
