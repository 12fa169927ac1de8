// The rebuild of the service's copies of other services' facts, on the real broker and store: a live
// service applies a varied history (adoptions, a duplicate among them; course sessions scheduled,
// rescheduled, cancelled, over a lab a booking holds, one conflict resolved by staff), then, with the
// service stopped, the rebuild gives the same paths, session records, meeting claims and lab conflicts
// (compared by their natural keys: ids made at random differ). It rebuilds into the same database after
// removing what it replaces (and the paths it is to restore), so the bookings' claims it judges against
// and the staff's resolution it keeps are the live ones. Refused while an instance runs; afterwards the
// service goes on from where the replay stopped.
import {
  type catalogueV1,
  IdeaAdoptedEvent,
  SessionCancelledEvent,
  SessionRescheduledEvent,
  SessionScheduledEvent,
  topics,
} from "@lto/contracts";
import { AggregateStore, type ClaimLedger } from "@lto/store";
import { createTestKafka, groupLag, testAuth, uniqueId, waitFor, type TestAuth } from "@lto/testkit";
import { eventProducer, type EventProducer, type TestService } from "@lto/testkit/service";
import { createLogger } from "@lto/telemetry";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labConflictKey, roomUnitKeys, type LabConflict, type Path } from "../../src/domain/index.js";
import { rebuildCopies } from "../../src/infra/rebuild.js";
import { slotClaims } from "../../src/infra/slot-claims.js";
import { labHoldCollections, selfEmploymentCollections } from "../../src/infra/store.js";
import { LAB, meeting, moved, scheduled } from "./lab-holds-support.js";
import { ideaAdopted } from "./paths-support.js";
import { callers, startSelfEmployment } from "./support.js";

let auth: TestAuth;
let svc: TestService;
let restarted: TestService | undefined;
let events: EventProducer;
let store: AggregateStore;
let ledger: ClaimLedger;
const logger = createLogger("self-employment-rebuild", { level: "warn" });

const ideas = { a: uniqueId("idea"), b: uniqueId("idea"), noSchool: uniqueId("idea") };
const sessions = {
  plain: uniqueId("session"),
  moved: uniqueId("session"),
  cancelled: uniqueId("session"),
  booked: uniqueId("session"),
  movedAway: uniqueId("session"),
  resolvedByStaff: uniqueId("session"),
};
const sessionIds = Object.values(sessions);

const collections = () => ({ ...selfEmploymentCollections(store), ...labHoldCollections(store) });

function cancelled(sessionId: string, version: number) {
  return SessionCancelledEvent.create({
    sessionId,
    courseId: "course-labs",
    site: "lto-mantova",
    reason: "too few learners",
    occurredAt: new Date().toISOString(),
    actorSubject: "staff-lto-mantova",
    version,
  });
}

function later(m: catalogueV1.Meeting, minutes: number): catalogueV1.Meeting {
  const shift = (iso: string | undefined) => new Date(Date.parse(iso!) + minutes * 60_000).toISOString();
  return { ...m, startsAt: shift(m.startsAt), endsAt: shift(m.endsAt), sequence: m.sequence + 1 };
}

const keysOf = (m: catalogueV1.Meeting) => roomUnitKeys(LAB, new Date(m.startsAt!), new Date(m.endsAt!));

/** A booking's settled claim on `keys` of the lab. */
async function bookLab(keys: string[]) {
  const holder = { holderId: uniqueId("booking"), claim: uniqueId("claim"), at: new Date() };
  if (!(await ledger.claimAll(keys, holder)).ok) throw new Error("the lab was taken");
  await ledger.settle(keys, holder.claim);
  return holder.holderId;
}

/** What the copies hold for this file's ideas and sessions, by natural keys, without random ids. */
async function captured() {
  const c = collections();
  const paths: Record<string, Omit<Path, "id"> | undefined> = {};
  for (const idea of Object.values(ideas)) {
    const path = await c.paths.findOne({ holderId: idea });
    if (!path) continue;
    const { id: _id, ...rest } = path;
    paths[idea] = rest;
  }
  // A session's record counts its writes in `version` (a staff resolution is one): not a fact of it.
  const holds = Object.fromEntries(
    (await c.courseHolds.find({ _id: { $in: sessionIds } })).map(({ version: _v, ...h }) => [h.id, h]),
  );
  const conflicts = Object.fromEntries(
    (await c.labConflicts.find({ sessionId: { $in: sessionIds } })).map((x: LabConflict) => [
      labConflictKey(x),
      { ...x, id: undefined },
    ]),
  );
  const claims = Object.fromEntries(
    (await ledger.collection.find({ holderId: { $regex: "^course-meeting:" } }).toArray())
      .filter((x) => sessionIds.some((s) => x.holderId.startsWith(`course-meeting:${s}:`)))
      .map(({ _id, ...x }) => [_id, x]),
  );
  return { paths, holds, conflicts, claims };
}

async function caughtUp(service: TestService) {
  await waitFor(
    "the adoption and catalogue topics consumed",
    async () =>
      (await groupLag(service.groupId, topics.adoption)) === 0 &&
      (await groupLag(service.groupId, topics.catalogue)) === 0,
    170_000,
  );
}

let staffResolved: { id: string };

beforeAll(async () => {
  auth = await testAuth();
  svc = await startSelfEmployment({ auth, keepData: true });
  events = await eventProducer();
  store = await AggregateStore.open({ url: svc.mongoUrl, dbName: svc.dbName });
  ledger = slotClaims(store);

  // Adoptions: A twice (the same event redelivered, then adopted again), B once, one without a school.
  const a = ideaAdopted(ideas.a);
  const eventId = await events.send(IdeaAdoptedEvent, ideas.a, a);
  await events.send(IdeaAdoptedEvent, ideas.a, a, { id: eventId });
  await events.send(IdeaAdoptedEvent, ideas.a, ideaAdopted(ideas.a));
  await events.send(IdeaAdoptedEvent, ideas.b, ideaAdopted(ideas.b));
  await events.send(IdeaAdoptedEvent, ideas.noSchool, ideaAdopted(ideas.noSchool, ""));

  // Sessions: scheduled; one meeting moved; cancelled; over a booking (conflict left open); over a
  // booking and then moved away (resolved by the system); over a booking staff then resolved.
  const [p1, p2] = [meeting(), meeting()];
  await events.send(SessionScheduledEvent, sessions.plain, scheduled(sessions.plain, [p1, p2]));
  const m = meeting();
  await events.send(SessionScheduledEvent, sessions.moved, scheduled(sessions.moved, [m, meeting()]));
  await events.send(SessionRescheduledEvent, sessions.moved, moved(sessions.moved, later(m, 90), 2));
  await events.send(SessionScheduledEvent, sessions.cancelled, scheduled(sessions.cancelled, [meeting()]));
  await events.send(SessionCancelledEvent, sessions.cancelled, cancelled(sessions.cancelled, 2));
  const b = meeting();
  await bookLab(keysOf(b).slice(2, 5));
  await events.send(SessionScheduledEvent, sessions.booked, scheduled(sessions.booked, [b]));
  const away = meeting();
  await bookLab(keysOf(away).slice(0, 1));
  await events.send(SessionScheduledEvent, sessions.movedAway, scheduled(sessions.movedAway, [away]));
  await events.send(
    SessionRescheduledEvent,
    sessions.movedAway,
    moved(sessions.movedAway, later(away, 240), 2),
  );
  const r = meeting();
  const rUnit = keysOf(r).slice(0, 1);
  const rBooking = await bookLab(rUnit);
  await events.send(
    SessionScheduledEvent,
    sessions.resolvedByStaff,
    scheduled(sessions.resolvedByStaff, [r]),
  );
  const staff = svc.as(callers.staff);
  staffResolved = await waitFor(
    "the conflict staff will resolve",
    async () =>
      (await staff.get("/v1/lab-conflicts?site=lto-mantova&status=open&limit=100")).body.items?.find(
        (c: { sessionId: string }) => c.sessionId === sessions.resolvedByStaff,
      ),
    170_000,
  );
  await ledger.release(rUnit, { holderId: rBooking });
  const res = await staff.post(`/v1/lab-conflicts/${staffResolved.id}/resolution`, { note: "moved" });
  if (res.status !== 200) throw new Error(`resolution: ${res.status} ${JSON.stringify(res.body)}`);
  await caughtUp(svc);
}, 400_000);

afterAll(async () => {
  await events?.stop();
  await store?.close();
  // The restarted instance drops the database as it closes; without one, a last instance on it does.
  if (!restarted && svc) {
    await svc.close().catch(() => undefined); // stopped already when the test stopped it
    restarted = await startSelfEmployment({ auth, dbName: svc.dbName, env: svc.env });
  }
  await restarted?.close();
  await auth?.close();
});

describe("rebuilding the copies of adoptions and course meetings", () => {
  it("refuses while an instance of the service runs", async () => {
    const kafka = await createTestKafka({ clientPrefix: "se-rebuild" });
    await expect(rebuildCopies({ kafka, store, logger, group: svc.groupId })).rejects.toThrow(
      /running member.*stop every instance/,
    );
  });

  it(
    "gives what the live service applied; the service then goes on from where the replay stopped",
    { timeout: 400_000 },
    async () => {
      const live = await captured();
      // Not an empty comparison: the history made what it should.
      expect(live.paths[ideas.a]).toMatchObject({ holder: { teamId: ideas.a }, status: "open" });
      expect(live.paths[ideas.b]).toMatchObject({ holder: { teamId: ideas.b } });
      expect(live.paths[ideas.noSchool]).toBeUndefined();
      expect(Object.keys(live.holds).sort()).toEqual([...sessionIds].sort());
      expect(live.holds[sessions.cancelled]).toMatchObject({ cancelled: true });
      const bySession = (s: string) => Object.values(live.conflicts).filter((c) => c.sessionId === s);
      expect(bySession(sessions.booked)).toMatchObject([{ status: "open" }]);
      expect(bySession(sessions.movedAway)).toMatchObject([
        { status: "resolved", resolution: { how: "meeting_moved", by: "system" } },
      ]);
      expect(bySession(sessions.resolvedByStaff)).toMatchObject([
        { status: "resolved", resolution: { by: callers.staff.sub, note: "moved" } },
      ]);
      expect(Object.keys(live.claims).length).toBeGreaterThan(100);
      const keptPath = (await collections().paths.findOne({ holderId: ideas.b }))!;

      await svc.running.stop();
      // What the rebuild replaces goes, and A's path is lost (B's stays: it is to be kept as it is).
      const c = collections();
      await c.paths.deleteMany({ holderId: ideas.a });
      await c.courseHolds.deleteMany({});
      await c.labConflicts.deleteMany({ "resolution.by": { $ne: callers.staff.sub } });
      await ledger.collection.deleteMany({ holderId: { $regex: "^course-meeting:" } });

      const kafka = await createTestKafka({ clientPrefix: "se-rebuild" });
      const result = await rebuildCopies({ kafka, store, logger, group: svc.groupId, clock: svc.clock });
      expect(result.paths.inserted).toBeGreaterThanOrEqual(1);
      expect(result.conflicts.kept).toBeGreaterThanOrEqual(1);

      expect(await captured()).toEqual(live);
      expect((await collections().paths.findOne({ holderId: ideas.b }))!.id).toBe(keptPath.id);
      // A redelivered adoption of A is recognised by the rebuilt path.
      const rebuiltA = (await collections().paths.findOne({ holderId: ideas.a }))!;

      // The service goes on from the replay's end: old events are not applied again (A's path and the
      // plain session's record, removed now, stay away), a new one is.
      await collections().paths.deleteMany({ holderId: ideas.a });
      await collections().courseHolds.deleteMany({ _id: sessions.plain });
      restarted = await startSelfEmployment({ auth, dbName: svc.dbName, env: svc.env });
      const d = uniqueId("idea");
      await events.send(IdeaAdoptedEvent, d, ideaAdopted(d));
      await waitFor(
        "the new adoption's path",
        async () => collections().paths.findOne({ holderId: d }),
        120_000,
      );
      await caughtUp(restarted);
      expect(await collections().paths.findOne({ holderId: ideas.a })).toBeUndefined();
      expect(await collections().courseHolds.get(sessions.plain)).toBeUndefined();
      expect(rebuiltA.version).toBe(live.paths[ideas.a]!.version);
    },
  );
});
