// Rebuilds the projection of published ideas and calls from the ideas topic, from the beginning,
// with a fresh consumer group, into shadow collections; adoption markers come from this service's
// own adoptions. Then the shadow is merged into the live projection (snapshot versions guard against
// regressing what the live consumer applied meanwhile), or, with `replace`, replaces it entirely.
import { topics } from "@lto/contracts";
import { createConsumer, type MessagingLogger } from "@lto/messaging";
import { platformIds } from "@lto/service-host";
import type { AggregateStore } from "@lto/store";
import type { Kafka } from "kafkajs";
import { projectionHandlers } from "../app/index.js";
import { applyCall, applyIdea, ideaCollections, ideaProjection, setMarker, toView } from "./projection.js";
import { adoptionCollections, adoptionRepository } from "./store.js";
import { subscriptions } from "./subscriptions.js";

export interface RebuildResult {
  ideas: number;
  calls: number;
  merged: number;
  shadowPrefix: string;
}

const SHADOW = "rebuild_";
const ALL = 1_000_000;

export async function rebuildProjection(opts: {
  kafka: Kafka;
  store: AggregateStore;
  logger: MessagingLogger;
  /** Merge the rebuilt projection into the live one (default true). */
  apply?: boolean;
  /** Drop live documents the rebuild did not produce (only with the service stopped). */
  replace?: boolean;
  timeoutMs?: number;
}): Promise<RebuildResult> {
  const live = adoptionCollections(opts.store);
  const shadow = ideaCollections(opts.store, SHADOW);
  await shadow.ideas.deleteMany({});
  await shadow.calls.deleteMany({});

  const groupId = `lto-adoption-rebuild-${platformIds.newId()}`;
  const consumer = createConsumer({
    kafka: opts.kafka,
    groupId,
    logger: opts.logger,
    fromBeginning: true,
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
    await setMarker(shadow.ideas, a.ideaId, { id: a.id, companyId: a.companyId });

  const result: RebuildResult = {
    ideas: await shadow.ideas.count({}),
    calls: await shadow.calls.count({}),
    merged: 0,
    shadowPrefix: SHADOW,
  };
  if (opts.apply === false) return result;
  result.merged = await mergeRebuilt({ store: opts.store, replace: opts.replace });
  return result;
}

/**
 * Merges the shadow collections of a rebuild into the live projection; returns how many documents it
 * changed. Safe while the service runs:
 * - a live view with a newer snapshot version is kept;
 * - the fields the ideas topic gives are written, never the adoption marker: that is this service's
 *   own fact, written by accepts and ends while the rebuild runs. A view the live projection lacks is
 *   inserted with the shadow's marker;
 * - then every live marker is reconciled with the adoptions (the source of truth): the live marker is
 *   read first, the claiming adoption after, and the marker is replaced only if it is still the one read.
 *   An accept or end in between writes its claim before its marker, so the compare-and-set either
 *   writes what that use case writes too, or finds the marker changed and leaves it to it.
 */
export async function mergeRebuilt(opts: {
  store: AggregateStore;
  replace?: boolean | undefined;
}): Promise<number> {
  const live = adoptionCollections(opts.store);
  const shadow = ideaCollections(opts.store, SHADOW);
  let merged = 0;
  const ideaIds: string[] = [];
  for (const record of await shadow.ideas.find({}, ALL)) {
    ideaIds.push(record.id);
    const { adoption, ...view } = toView(record);
    if (await applyIdea(live.ideas, view, { adoption, orEqual: true })) merged++;
  }
  const callIds: string[] = [];
  for (const { version: _v, ...call } of await shadow.calls.find({}, ALL)) {
    callIds.push(call.id);
    if (await applyCall(live.calls, call, { orEqual: true })) merged++;
  }
  if (opts.replace) {
    await live.ideas.deleteMany({ _id: { $nin: ideaIds } });
    await live.calls.deleteMany({ _id: { $nin: callIds } });
  }

  const adoptions = adoptionRepository(live.adoptions);
  for (const idea of await live.ideas.find({}, ALL)) {
    const read = idea.adoption ?? null;
    const claim = await adoptions.findClaiming(idea.id);
    const want = claim ? { id: claim.id, companyId: claim.companyId } : null;
    if (await setMarker(live.ideas, idea.id, want, read)) merged++;
  }
  return merged;
}
