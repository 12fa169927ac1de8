// Rebuilds the service's copies of other services' facts from the adoption and catalogue topics'
// beginning, with the service stopped: a replay group of its own applies IdeaAdopted and the course
// sessions' events through the very use cases the live consumer runs (paths.ideaEvents,
// labs.sessionEvents), over in-memory implementations of the ports they write; what they folded is then
// written in bulk inserts, in the shape the live repositories store, and the service's consumer group is
// moved to where the replay stopped, so the service goes on from there. A rebuild that fails part-way
// leaves the group where it was: run it again before starting the service.
//
// What it replaces, what it keeps:
// - Paths of adopted teams: a path carries people's own later work (services proposed, booked,
//   delivered, notes), so a path that exists (one per holder: the adopted idea) is kept as it is; only
//   the missing ones are inserted, as the replay opened them, with the ids of the IdeaAdopted events
//   applied to them (a redelivery changes nothing). Their PathOpened events are not published again:
//   the path was opened once already (or is restored from history nobody needs told twice).
// - The labs held by course meetings are replaced: the course meetings' claims in the slot-claim ledger,
//   course_session_holds, and the lab conflicts are recomputed against the claims the ledger holds for
//   anything else (the bookings): a unit a booking holds is left to it and makes a conflict, as live.
//   A conflict live staff resolved (not the system) is their record (who, when, note) and is kept, with
//   its meeting version; the others are recomputed. The replay judges every past version of a session
//   against today's bookings, so a conflict with a booking since cancelled is not recomputed (the meeting
//   takes the freed lab at once, as staff resolving it would). A session's record counts its writes in
//   `version`: a rebuilt one may count fewer (a staff resolution was one more write), never a fact.
// - The booking events (calendar feeds, reminders, waitlist) are not replayed: they follow the service's
//   own state, not a copy of another service's.
import { topics } from "@lto/contracts";
import { NotFoundError, PreconditionFailedError } from "@lto/errors";
import {
  handOverReplay,
  refuseWhileGroupRuns,
  replayFromBeginning,
  type MessagingLogger,
} from "@lto/messaging";
import { platformIds } from "@lto/service-host";
import type { AggregateStore, Claim } from "@lto/store";
import type { Kafka } from "kafkajs";
import {
  createApp,
  type Clock,
  type CourseSessionHoldRepository,
  type HeldKey,
  type LabConflictRepository,
  type PathRepository,
  type RoomLedger,
} from "../app/index.js";
import type { SelfEmploymentConfig } from "../config.js";
import {
  holderId,
  isCourseMeetingHolder,
  labConflictKey,
  type CourseSessionHolds,
  type LabConflict,
  type Path,
} from "../domain/index.js";
import { selfEmploymentPorts } from "./ports.js";
import { slotClaims } from "./slot-claims.js";
import { labHoldCollections, selfEmploymentCollections } from "./store.js";
import { adoptionSubscriptions, labHoldSubscriptions } from "./subscriptions.js";

/** The claim ledger's holder ids of course meetings start with this (domain/lab-holds.ts). */
const COURSE_MEETING = "course-meeting:";
/** Room units' keys are `room:<room id>@<instant>`: this range holds every one. */
const ROOM_KEYS = ["room:", "room;"] as const;
/** Paths looked up by holder at a time. */
const BATCH = 1_000;

/** Adopted teams' paths folded in memory: one per holder, with the event ids applied to each. */
export class FoldedPaths implements PathRepository {
  readonly paths = new Map<string, Path>();
  readonly applied = new Map<string, string[]>();
  private readonly byHolderId = new Map<string, string>();

  async get(id: string) {
    return this.paths.get(id);
  }
  async byHolder(id: string) {
    const pathId = this.byHolderId.get(id);
    return pathId ? this.paths.get(pathId) : undefined;
  }
  async insert(path: Path, _events: unknown[], eventId?: string) {
    const holder = holderId(path.holder);
    if (this.paths.has(path.id) || this.byHolderId.has(holder)) return false;
    this.paths.set(path.id, path);
    this.byHolderId.set(holder, path.id);
    if (eventId) this.record(path.id, eventId);
    return true;
  }
  async update(path: Path, _events: unknown[], eventId?: string) {
    const current = this.paths.get(path.id);
    if (!current) throw new NotFoundError("path", path.id);
    if (current.version !== path.version)
      throw new PreconditionFailedError(`The path changed meanwhile (${path.version} -> ${current.version})`);
    const stored = { ...path, version: path.version + 1 };
    this.paths.set(path.id, stored);
    if (eventId) this.record(path.id, eventId);
    return stored;
  }
  async hasProcessed(id: string, eventId: string) {
    return this.applied.get(id)?.includes(eventId) ?? false;
  }
  async markProcessed(id: string, eventId: string) {
    if (this.paths.has(id)) this.record(id, eventId);
  }
  async atSites(sites: readonly string[] | undefined) {
    return [...this.paths.values()].filter((p) => !sites || sites.includes(p.site));
  }
  async withBooking(bookingId: string) {
    return [...this.paths.values()].find((p) => p.bookings.some((b) => b.bookingId === bookingId));
  }
  private record(id: string, eventId: string) {
    const ids = this.applied.get(id);
    if (ids) ids.push(eventId);
    else this.applied.set(id, [eventId]);
  }
}

/**
 * The labs held by course meetings folded in memory: the ledger's room units (seeded with what the
 * bookings hold), the per-session records and the lab conflicts, each deciding as its store does.
 */
export class FoldedLabs {
  /** Every room unit's claim, by key: the bookings' as read, the meetings' as the replay takes them. */
  readonly claims = new Map<string, Claim>();
  readonly holds = new Map<string, CourseSessionHolds>();
  readonly conflicts = new Map<string, LabConflict>();
  /** The conflicts' unique key (one per version of a meeting) -> conflict id. */
  private readonly conflictKeys = new Map<string, string>();
  /** Per session, its conflicts' ids (each session event looks for its open ones). */
  private readonly ofSession = new Map<string, string[]>();

  /** A conflict kept as it is (staff's resolution): the replay finds its meeting version taken. */
  keep(conflict: LabConflict) {
    this.conflicts.set(conflict.id, conflict);
    this.conflictKeys.set(labConflictKey(conflict), conflict.id);
    const ids = this.ofSession.get(conflict.sessionId);
    if (ids) ids.push(conflict.id);
    else this.ofSession.set(conflict.sessionId, [conflict.id]);
  }

  readonly roomLedger: RoomLedger = {
    hold: async (keys, holder) => {
      const taken: HeldKey[] = [];
      for (const key of keys) {
        const claim = this.claims.get(key);
        // A unit the holder holds already stays its claim, as in the ledger (never taken from it).
        if (!claim)
          this.claims.set(key, {
            key,
            holderId: holder.holderId,
            claim: holder.claim,
            claimedAt: holder.at,
            settled: true,
          });
        else if (claim.holderId !== holder.holderId) taken.push({ key, holderId: claim.holderId });
        else if (claim.claim === holder.claim) claim.settled = true;
      }
      return taken;
    },
    release: async (keys, holderId) => {
      for (const key of keys) if (this.claims.get(key)?.holderId === holderId) this.claims.delete(key);
    },
  };

  readonly courseHolds: CourseSessionHoldRepository = {
    get: async (id) => this.holds.get(id),
    insert: async (record) => {
      if (this.holds.has(record.id)) return false;
      this.holds.set(record.id, record);
      return true;
    },
    updateIf: async (record, expectedVersion) => {
      if (this.holds.get(record.id)?.version !== expectedVersion) return undefined;
      const stored = { ...record, version: expectedVersion + 1 };
      this.holds.set(record.id, stored);
      return stored;
    },
  };

  readonly labConflicts: LabConflictRepository = {
    get: async (id) => this.conflicts.get(id),
    insert: async (c) => {
      if (this.conflicts.has(c.id) || this.conflictKeys.has(labConflictKey(c))) return false;
      this.keep(c);
      return true;
    },
    update: async (c) => {
      const current = this.conflicts.get(c.id);
      if (!current) throw new NotFoundError("lab conflict", c.id);
      if (current.version !== c.version)
        throw new PreconditionFailedError(
          `The lab conflict changed meanwhile (${c.version} -> ${current.version})`,
        );
      const stored = { ...c, version: c.version + 1 };
      this.conflicts.set(c.id, stored);
      return stored;
    },
    openOfSession: async (sessionId) =>
      (this.ofSession.get(sessionId) ?? [])
        .map((id) => this.conflicts.get(id)!)
        .filter((c) => c.status === "open"),
    listBySite: async () => {
      throw new Error("a rebuild lists no lab conflicts");
    },
  };
}

export interface RebuildResult {
  /** Paths of adopted teams the replay opened, and of them the ones missing from the store (inserted). */
  paths: { replayed: number; inserted: number };
  sessions: number;
  meetingClaims: number;
  /** Conflicts written (recomputed), and kept as staff resolved them. */
  conflicts: { recomputed: number; kept: number };
}

export async function rebuildCopies(opts: {
  kafka: Kafka;
  store: AggregateStore;
  logger: MessagingLogger;
  /** The service's consumer group: it must have no running member, and goes on from the replay's end. */
  group: string;
  /** The service's configuration: the paths' settings (site, funder, internship tutoring). */
  config?: Partial<SelfEmploymentConfig>;
  clock?: Clock;
  timeoutMs?: number;
}): Promise<RebuildResult> {
  await refuseWhileGroupRuns(opts.kafka, opts.group);
  const ledger = slotClaims(opts.store);
  const { paths } = selfEmploymentCollections(opts.store);
  const { courseHolds, labConflicts } = labHoldCollections(opts.store);

  // What the meetings are judged against: the units everything but a course meeting holds.
  const labs = new FoldedLabs();
  for await (const page of ledger.scanRange(...ROOM_KEYS))
    for (const claim of page) if (!isCourseMeetingHolder(claim.holderId)) labs.claims.set(claim.key, claim);
  const kept: LabConflict[] = [];
  for await (const page of labConflicts.scan({ status: "resolved" }))
    kept.push(...page.filter((c) => c.resolution && c.resolution.by !== "system"));
  for (const c of kept) labs.keep(c);

  const folded = new FoldedPaths();
  const clock = opts.clock ?? { now: () => new Date() };
  const live = selfEmploymentPorts(opts.store, clock, opts.config ?? {});
  const app = createApp({
    ...live.ports,
    paths: folded,
    roomLedger: labs.roomLedger,
    courseHolds: labs.courseHolds,
    labConflicts: labs.labConflicts,
  });
  let end;
  try {
    end = await replayFromBeginning({
      kafka: opts.kafka,
      groupId: `${opts.group}-rebuild-${platformIds.newId()}`,
      logger: opts.logger,
      subscriptions: [
        ...adoptionSubscriptions(app.paths.ideaEvents),
        ...labHoldSubscriptions(app.labs.sessionEvents),
      ],
      topics: [topics.adoption, topics.catalogue],
      ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
    });
  } finally {
    await live.close();
  }

  // The labs: the meetings' claims, the sessions' records and the recomputed conflicts replace the old.
  const meetingClaims = [...labs.claims.values()].filter((c) => isCourseMeetingHolder(c.holderId));
  await ledger.removeHoldersStartingWith(COURSE_MEETING);
  refuseIfTaken("room units", await ledger.insertMany(meetingClaims));
  await courseHolds.deleteMany({});
  refuseIfTaken(
    "course sessions",
    await courseHolds.insertMany([...labs.holds.values()].map((aggregate) => ({ aggregate }))),
  );
  const keptIds = new Set(kept.map((c) => c.id));
  const recomputed = [...labs.conflicts.values()].filter((c) => !keptIds.has(c.id));
  await labConflicts.deleteMany({ _id: { $nin: [...keptIds] } });
  refuseIfTaken(
    "lab conflicts",
    await labConflicts.insertMany(recomputed.map((aggregate) => ({ aggregate }))),
  );

  // The paths: only those of holders without one.
  const replayed = [...folded.paths.values()];
  const missing: Path[] = [];
  for (let i = 0; i < replayed.length; i += BATCH) {
    const batch = replayed.slice(i, i + BATCH);
    const holders = batch.map((p) => holderId(p.holder));
    const existing = new Set(
      (await paths.find({ holderId: { $in: holders } }, batch.length)).map((p) => holderId(p.holder)),
    );
    missing.push(...batch.filter((p) => !existing.has(holderId(p.holder))));
  }
  refuseIfTaken(
    "paths",
    await paths.insertMany(
      missing.map((aggregate) => ({ aggregate, processedEventIds: folded.applied.get(aggregate.id) ?? [] })),
    ),
  );

  await handOverReplay(opts.kafka, opts.group, end, opts.logger);
  return {
    paths: { replayed: replayed.length, inserted: missing.length },
    sessions: labs.holds.size,
    meetingClaims: meetingClaims.length,
    conflicts: { recomputed: recomputed.length, kept: kept.length },
  };
}

/** With the service stopped nothing else writes these: a refused insert means something did. */
function refuseIfTaken(what: string, refused: string[]) {
  if (refused.length)
    throw new Error(
      `${refused.length} ${what} (${refused.slice(0, 3).join(", ")}${refused.length > 3 ? ", ..." : ""}) were written while the rebuild ran (is an instance of the self-employment service running?): stop every instance and run the rebuild again`,
    );
}
