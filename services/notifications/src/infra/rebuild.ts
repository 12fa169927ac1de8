// Rebuilds the notices, the address book, the sessions' rosters and the watched holds from the
// beginning of every topic the service reads, with the service stopped: a replay group of its own runs
// the service's own subscriptions and event handlers over ports in memory (folded.ts; nothing is
// mailed), the collections are then replaced in bulk inserts, each document with the ids of the events
// that made it, and the service's consumer group is moved to where the replay stopped, so the service
// goes on from there. A rebuild that fails part-way leaves the group where it was: run it again before
// starting the service.
//
// What no event gives is kept:
// - read marks: they live in the notices themselves (`readBy`, people's own data). A notice someone has
//   read is never deleted; it is rewritten (its marks kept) only if the rebuild made it differently, and
//   dropped only if the events no longer make it at all (counted in `dropped`).
// - the hold sweep's work (it runs on the clock, not on events): its "about to lapse" notices are kept
//   as they are, and a hold the replay leaves open that the sweep had already told or closed keeps the
//   sweep's state, with the version the sweep's write gave it.
import { isDeepStrictEqual } from "node:util";
import {
  handOverReplay,
  refuseWhileGroupRuns,
  replayFromBeginning,
  type MessagingLogger,
} from "@lto/messaging";
import { platformIds } from "@lto/service-host";
import type { AggregateCollection, AggregateStore } from "@lto/store";
import type { Kafka } from "kafkajs";
import { eventHandlers, type EventPorts } from "../app/index.js";
import type { HoldWatch, Notice } from "../domain/index.js";
import { FoldedNotifications, type FoldedCollection } from "./folded.js";
import { notificationsCollections } from "./store.js";
import { subscriptions } from "./subscriptions.js";

/** The notices the sweep makes (on the clock, not from an event). */
const SWEEP_KIND = "hold_expiring";

export interface RebuildResult {
  notices: number;
  accounts: number;
  rosters: number;
  holds: number;
  /** Notices someone had read, kept with their marks. */
  keptRead: number;
  /** Notices someone had read that the events no longer make: deleted with their marks. */
  dropped: number;
}

export async function rebuildNotices(opts: {
  kafka: Kafka;
  store: AggregateStore;
  logger: MessagingLogger;
  /** The service's consumer group: it must have no running member, and goes on from the replay's end. */
  group: string;
  /** The service's own settings (when a hold's notice is due is stored with it). */
  settings: EventPorts["settings"];
  timeoutMs?: number;
}): Promise<RebuildResult> {
  await refuseWhileGroupRuns(opts.kafka, opts.group);
  const folded = new FoldedNotifications();
  const end = await replayFromBeginning({
    kafka: opts.kafka,
    groupId: `${opts.group}-rebuild-${platformIds.newId()}`,
    logger: opts.logger,
    subscriptions: subscriptions({ events: eventHandlers(folded.ports(opts.settings), opts.logger) }),
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
  });
  const live = notificationsCollections(opts.store);

  const kept = new Map<string, Notice>();
  for await (const page of live.notices.scan({}))
    for (const n of page) if (n.readBy.length > 0 || n.kind === SWEEP_KIND) kept.set(n.id, n);
  const swept = new Set([...kept.values()].filter((n) => n.kind === SWEEP_KIND).map((n) => n.refs.holdId));
  const liveHolds = new Map<string, HoldWatch>();
  for await (const page of live.holds.scan({})) for (const h of page) liveHolds.set(h.id, h);

  await replaceAll(live.accounts, folded.accounts);
  await replaceAll(live.rosters, folded.rosters);
  for (const [id, hold] of folded.holds.docs) {
    const before = liveHolds.get(id);
    if (hold.state === "open" && before && before.state !== "open")
      folded.holds.docs.set(id, { ...hold, state: before.state, version: hold.version + 1 });
    else if (hold.state !== "open" && swept.has(id))
      folded.holds.docs.set(id, { ...hold, version: hold.version + 1 });
  }
  await replaceAll(live.holds, folded.holds);

  // Notices: only those nobody has read and the sweep did not make are deleted; the rest are compared.
  await live.notices.deleteMany({ readBy: { $size: 0 }, kind: { $ne: SWEEP_KIND } });
  const fresh = folded.notices.items().filter(({ aggregate }) => !kept.has(aggregate.id));
  await insertAll(live.notices, fresh);
  let keptRead = 0;
  const gone: string[] = [];
  for (const [id, before] of kept) {
    if (before.kind === SWEEP_KIND) continue;
    const rebuilt = folded.notices.get(id);
    if (!rebuilt) {
      gone.push(id);
      continue;
    }
    keptRead++;
    const next = { ...rebuilt, readBy: before.readBy, version: before.version };
    if (!isDeepStrictEqual(defined(next), defined(before))) await live.notices.updateIf(next, before.version);
  }
  if (gone.length) await live.notices.deleteMany({ _id: { $in: gone } });

  await handOverReplay(opts.kafka, opts.group, end, opts.logger);
  return {
    notices: folded.notices.docs.size,
    accounts: folded.accounts.docs.size,
    rosters: folded.rosters.docs.size,
    holds: folded.holds.docs.size,
    keptRead,
    dropped: gone.length,
  };
}

async function replaceAll<A extends { id: string; version: number }>(
  col: AggregateCollection<A>,
  folded: FoldedCollection<A>,
): Promise<void> {
  await col.deleteMany({});
  await insertAll(col, folded.items());
}

async function insertAll<A extends { id: string; version: number }>(
  col: AggregateCollection<A>,
  items: { aggregate: A; processedEventIds: string[] }[],
): Promise<void> {
  const refused = await col.insertMany(items);
  if (refused.length)
    throw new Error(
      `${refused.length} ${col.name} were written while they were rebuilt (is an instance of the notifications service running?): stop every instance and run the rebuild again`,
    );
}

/** The object without its undefined fields (the store writes none). */
function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
