// Rebuilds the projection of published ideas and calls from the ideas topic, from the beginning,
// with a fresh consumer group: the events are folded in memory with the projection's own decisions
// (folded.ts), adoption markers come from this service's own adoptions, and the result is written into
// shadow collections in bulk inserts. Then the shadow is merged into the live projection page by page
// (snapshot versions guard against regressing what the live consumer applied meanwhile), or, with
// `replace`, replaces it entirely.
import { topics } from "@lto/contracts";
import { replayFromBeginning, type MessagingLogger } from "@lto/messaging";
import { platformIds } from "@lto/service-host";
import type { AggregateCollection, AggregateStore } from "@lto/store";
import type { Kafka } from "kafkajs";
import { projectionHandlers, type IdeaView } from "../app/index.js";
import { FoldedProjection } from "./folded.js";
import {
  applyCall,
  applyIdea,
  callAfter,
  ideaAfter,
  ideaCollections,
  setMarker,
  toView,
} from "./projection.js";
import { adoptionCollections, adoptionRepository } from "./store.js";
import { subscriptions } from "./subscriptions.js";

export interface RebuildResult {
  ideas: number;
  calls: number;
  merged: number;
  shadowPrefix: string;
}

const SHADOW = "rebuild_";
/** Documents read (and then written in bulk) at a time by the merge. */
const BATCH = 1_000;

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

  const folded = new FoldedProjection();
  await replayFromBeginning({
    kafka: opts.kafka,
    groupId: `lto-adoption-rebuild-${platformIds.newId()}`,
    logger: opts.logger,
    subscriptions: subscriptions(projectionHandlers(folded)),
    topics: [topics.ideas],
    timeoutMs: opts.timeoutMs ?? 120_000,
  });

  for (const a of await adoptionRepository(live.adoptions).listClaiming())
    folded.setMarker(a.ideaId, { id: a.id, companyId: a.companyId });
  // The shadow is this rebuild's alone; a refusal means another rebuild ran meanwhile: compare with it.
  for (const id of await shadow.ideas.insertMany(
    [...folded.ideas.values()].map((aggregate) => ({ aggregate })),
  )) {
    const { adoption, ...view } = toView(folded.ideas.get(id)!);
    await applyIdea(shadow.ideas, view, { adoption, orEqual: true });
  }
  for (const id of await shadow.calls.insertMany(
    [...folded.calls.values()].map((aggregate) => ({ aggregate })),
  )) {
    const { version: _v, ...call } = folded.calls.get(id)!;
    await applyCall(shadow.calls, call, { orEqual: true });
  }

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
 * changed. It reads each collection in one pass (a whole-collection query each: on FerretDB any other
 * query reads the whole collection anyway) and inserts what the live projection lacks in bulk. Safe
 * while the service runs:
 * - a live view with a newer snapshot version is kept;
 * - the fields the ideas topic gives are written, never the adoption marker: that is this service's
 *   own fact, written by accepts and ends while the rebuild runs. A view the live projection lacks is
 *   inserted with the shadow's marker (one the live consumer inserted meanwhile is compared with);
 * - then every live marker is reconciled with the adoptions (the source of truth): the live markers are
 *   read first, the claiming adoptions after, and a marker is replaced only if it is still the one read.
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
  const liveIdeas = await byId(live.ideas);
  for await (const page of shadow.ideas.scan({}, BATCH)) {
    const views = page.map(toView);
    const fresh = views.filter((v) => !liveIdeas.has(v.id));
    const refused = new Set(
      await live.ideas.insertMany(
        fresh.map(({ adoption, ...view }) => ({ aggregate: ideaAfter(undefined, view, { adoption })! })),
      ),
    );
    merged += fresh.length - refused.size;
    for (const { adoption, ...view } of views) {
      ideaIds.push(view.id);
      const current = liveIdeas.get(view.id);
      // Unchanged (the usual case on a live projection that is up to date): nothing to write.
      if (current ? !ideaAfter(current, view, { adoption, orEqual: true }) : !refused.has(view.id)) continue;
      if (await applyIdea(live.ideas, view, { adoption, orEqual: true })) merged++;
    }
  }
  liveIdeas.clear();
  const callIds: string[] = [];
  const liveCalls = await byId(live.calls);
  for await (const page of shadow.calls.scan({}, BATCH)) {
    const calls = page.map(({ version: _v, ...call }) => call);
    const fresh = calls.filter((c) => !liveCalls.has(c.id));
    const refused = new Set(
      await live.calls.insertMany(fresh.map((call) => ({ aggregate: callAfter(undefined, call)! }))),
    );
    merged += fresh.length - refused.size;
    for (const call of calls) {
      callIds.push(call.id);
      const current = liveCalls.get(call.id);
      if (current ? !callAfter(current, call, { orEqual: true }) : !refused.has(call.id)) continue;
      if (await applyCall(live.calls, call, { orEqual: true })) merged++;
    }
  }
  if (opts.replace) {
    await live.ideas.deleteMany({ _id: { $nin: ideaIds } });
    await live.calls.deleteMany({ _id: { $nin: callIds } });
  }

  const markers = new Map<string, IdeaView["adoption"]>();
  for await (const page of live.ideas.scan({}, BATCH))
    for (const idea of page) markers.set(idea.id, idea.adoption ?? null);
  const claims = new Map(
    (await adoptionRepository(live.adoptions).listClaiming()).map((a) => [a.ideaId, a] as const),
  );
  for (const [id, read] of markers) {
    const claim = claims.get(id);
    const want = claim ? { id: claim.id, companyId: claim.companyId } : null;
    if (read?.id === want?.id && read?.companyId === want?.companyId) continue;
    if (await setMarker(live.ideas, id, want, read)) merged++;
  }
  return merged;
}

/** Every document of `col` by id, read in one pass. */
async function byId<A extends { id: string; version: number }>(col: AggregateCollection<A>) {
  const all = new Map<string, A>();
  for await (const page of col.scan({}, BATCH)) for (const a of page) all.set(a.id, a);
  return all;
}
