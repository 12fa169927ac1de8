// Labs held by the catalogue's course meetings, over the real broker and store: catalogue session
// events published as the catalogue publishes them hold the lab's 5-minute units in the shared claim
// ledger (slot_claims), a reschedule moves them, a cancellation frees them, a redelivery changes
// nothing; a lab already booked is a lab conflict staff of the site list and resolve. Availability does
// not take rooms into account yet (its BusyCalendar is per operator), so the ledger itself is asserted.
import type { catalogueV1 } from "@lto/contracts";
import {
  dlqTopic,
  SessionCancelledEvent,
  SessionRescheduledEvent,
  SessionScheduledEvent,
  topics,
} from "@lto/contracts";
import type { ClaimLedger } from "@lto/store";
import { AggregateStore } from "@lto/store";
import { groupLag, uniqueId, waitFor } from "@lto/testkit";
import {
  eventProducer,
  watchTopic,
  type EventProducer,
  type TestService,
  type TopicWatch,
} from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { courseMeetingHolder, roomUnitKeys } from "../../src/domain/index.js";
import { slotClaims } from "../../src/infra/slot-claims.js";
import { aLabConflict, LAB, meeting, moved, scheduled } from "./lab-holds-support.js";
import {
  callers,
  MATRIX_CALLERS,
  operationsTagged,
  startSelfEmployment,
  type MatrixCaller,
} from "./support.js";

let svc: TestService;
let events: EventProducer;
let store: AggregateStore;
let ledger: ClaimLedger;
let dlq: TopicWatch;

async function catalogueDone() {
  await waitFor(
    "the catalogue topic consumed",
    async () => (await groupLag(svc.groupId, topics.catalogue)) === 0,
    170_000,
  );
}

function later(m: catalogueV1.Meeting, minutes: number, sequence = m.sequence + 1): catalogueV1.Meeting {
  const shift = (iso: string | undefined) => new Date(Date.parse(iso!) + minutes * 60_000).toISOString();
  return { ...m, startsAt: shift(m.startsAt), endsAt: shift(m.endsAt), sequence };
}

const keysOf = (m: catalogueV1.Meeting) => roomUnitKeys(LAB, new Date(m.startsAt!), new Date(m.endsAt!));

/** The room keys `holder` holds (every one settled). */
async function heldBy(holderId: string): Promise<string[]> {
  const claims = await ledger.collection.find({ holderId }).sort({ _id: 1 }).toArray();
  expect(claims.every((c) => c.settled)).toBe(true);
  return claims.map((c) => c._id);
}

/** A booking's claim on the lab, as the bookings claim it (settled). */
async function bookLab(bookingId: string, keys: string[]) {
  const holder = { holderId: bookingId, claim: uniqueId("claim"), at: new Date() };
  expect(await ledger.claimAll(keys, holder)).toEqual({ ok: true });
  await ledger.settle(keys, holder.claim);
}

const staff = () => svc.as(callers.staff);

beforeAll(async () => {
  svc = await startSelfEmployment();
  events = await eventProducer();
  store = await AggregateStore.open({ url: svc.mongoUrl, dbName: svc.dbName });
  ledger = slotClaims(store);
  // A fresh group reads the catalogue topic from the beginning (other tests' sessions: no room of ours).
  await catalogueDone();
  dlq = await watchTopic(dlqTopic(svc.groupId));
}, 240_000);
afterAll(async () => {
  await dlq?.stop();
  await store?.close();
  await events?.stop();
  await svc?.close();
});

describe("a course meeting in a lab", () => {
  it("holds the lab's units; a reschedule moves them, a cancellation frees them, redeliveries change nothing", async () => {
    const sessionId = uniqueId("session");
    const inLab = meeting();
    const elsewhere = meeting({ room: "Laboratorio 1" }); // the catalogue demo's free text: no room here
    const holder = courseMeetingHolder(sessionId, inLab.id);
    const firstId = await events.send(
      SessionScheduledEvent,
      sessionId,
      scheduled(sessionId, [inLab, elsewhere]),
    );
    await waitFor("the lab held", async () => (await heldBy(holder)).length === 36, 120_000);
    expect(await heldBy(holder)).toEqual(keysOf(inLab));
    expect(await heldBy(courseMeetingHolder(sessionId, elsewhere.id))).toEqual([]);

    // moved one hour later (version 2): the first hour is given back, one more hour taken
    const movedMeeting = later(inLab, 60);
    await events.send(SessionRescheduledEvent, sessionId, moved(sessionId, movedMeeting, 2));
    await waitFor(
      "the hold moved",
      async () => (await heldBy(holder))[0] === keysOf(movedMeeting)[0],
      120_000,
    );
    expect(await heldBy(holder)).toEqual(keysOf(movedMeeting));

    // the scheduling redelivered (same id) and sent again (new id, old version): nothing moves back
    await events.send(SessionScheduledEvent, sessionId, scheduled(sessionId, [inLab, elsewhere]), {
      id: firstId,
    });
    await events.send(SessionScheduledEvent, sessionId, scheduled(sessionId, [inLab, elsewhere]));
    await catalogueDone();
    expect(await heldBy(holder)).toEqual(keysOf(movedMeeting));

    // cancelled (version 3): the lab is free; the reschedule redelivered takes nothing again
    const cancelled = SessionCancelledEvent.create({
      sessionId,
      courseId: "course-labs",
      site: "lto-mantova",
      reason: "trainer ill",
      occurredAt: new Date().toISOString(),
      actorSubject: "staff-lto-mantova",
      version: 3,
    });
    await events.send(SessionCancelledEvent, sessionId, cancelled);
    await waitFor("the lab freed", async () => (await heldBy(holder)).length === 0, 120_000);
    await events.send(SessionRescheduledEvent, sessionId, moved(sessionId, movedMeeting, 2));
    await catalogueDone();
    expect(await ledger.holdersOf(keysOf(movedMeeting))).toEqual([]);
  });

  it("a meeting cancelled by a reschedule frees its units; a session first seen by its reschedule is held", async () => {
    const sessionId = uniqueId("session");
    const m = meeting();
    const holder = courseMeetingHolder(sessionId, m.id);
    // SessionScheduled missed (e.g. before this service consumed the topic): the reschedule alone holds
    await events.send(SessionRescheduledEvent, sessionId, moved(sessionId, later(m, 0, 1), 4));
    await waitFor("the lab held", async () => (await heldBy(holder)).length === 36, 120_000);
    await events.send(
      SessionRescheduledEvent,
      sessionId,
      moved(sessionId, { ...m, sequence: 2, cancelled: true }, 5),
    );
    await waitFor("the lab freed", async () => (await heldBy(holder)).length === 0, 120_000);
  });

  it("parks a SessionScheduled breaking its contract on the DLQ", async () => {
    const sessionId = uniqueId("session");
    const poisonId = await events.send(
      SessionScheduledEvent,
      sessionId,
      scheduled(sessionId, [meeting({ endsAt: undefined })]),
    );
    const parked = await waitFor(
      "the poison on the DLQ",
      async () => dlq.records.find((r) => r.key === sessionId),
      120_000,
    );
    expect(parked.headers).toMatchObject({ ce_id: poisonId, lto_error_type: "ContractViolationError" });
    expect(parked.headers.lto_error_message).toMatch(/ends_at is not a date/);
  });
});

describe("a lab already booked", () => {
  it("is a lab conflict: listed for the site's staff, resolved once the booking frees the lab", async () => {
    const sessionId = uniqueId("session");
    const m = meeting();
    const holder = courseMeetingHolder(sessionId, m.id);
    const bookingId = uniqueId("booking");
    const booked = keysOf(m).slice(6, 18); // one hour in the middle of the meeting
    await bookLab(bookingId, booked);

    const eventId = await events.send(SessionScheduledEvent, sessionId, scheduled(sessionId, [m]));
    await waitFor("the free units held", async () => (await heldBy(holder)).length === 24, 120_000);
    // the booking keeps its hour
    expect(new Set((await ledger.holdersOf(booked)).map((c) => c.holderId))).toEqual(new Set([bookingId]));

    const list = await staff().get("/v1/lab-conflicts?site=lto-mantova&status=open&limit=100");
    expect(list.status).toBe(200);
    const conflict = list.body.items.find((c: { sessionId: string }) => c.sessionId === sessionId);
    expect(conflict).toMatchObject({
      site: "lto-mantova",
      roomId: LAB,
      meetingId: m.id,
      sequence: 0,
      start: m.startsAt,
      end: m.endsAt,
      units: booked,
      heldBy: [bookingId],
      status: "open",
      version: 1,
    });

    // redelivered: no second conflict
    await events.send(SessionScheduledEvent, sessionId, scheduled(sessionId, [m]), { id: eventId });
    await catalogueDone();
    const again = await staff().get("/v1/lab-conflicts?site=lto-mantova&limit=100");
    expect(again.body.items.filter((c: { sessionId: string }) => c.sessionId === sessionId)).toHaveLength(1);

    // still booked: 409 naming the booking, nothing changes
    const refused = await staff().post(`/v1/lab-conflicts/${conflict.id}/resolution`, { note: "moved" });
    expect(refused.status).toBe(409);
    expect(refused.body.heldBy).toEqual([bookingId]);
    expect(refused.body.detail).toMatch(/move or cancel those bookings first/);
    expect(await heldBy(holder)).toHaveLength(24);

    // the booking moves elsewhere: resolved, the meeting holds the whole lab time
    await ledger.release(booked, { holderId: bookingId });
    const resolved = await staff().post(`/v1/lab-conflicts/${conflict.id}/resolution`, {
      note: "booking moved to Sala colloqui 2",
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({
      status: "resolved",
      resolution: { how: "lab_freed", by: callers.staff.sub, note: "booking moved to Sala colloqui 2" },
      version: 2,
    });
    expect(await heldBy(holder)).toEqual(keysOf(m));
    const twice = await staff().post(`/v1/lab-conflicts/${conflict.id}/resolution`, {});
    expect(twice.status).toBe(409);
    expect((await staff().get(`/v1/lab-conflicts/${conflict.id}`)).body.status).toBe("resolved");
  });

  it("is resolved by the catalogue moving the meeting away from the booking", async () => {
    const sessionId = uniqueId("session");
    const m = meeting();
    const bookingId = uniqueId("booking");
    await bookLab(bookingId, keysOf(m).slice(0, 1));
    await events.send(SessionScheduledEvent, sessionId, scheduled(sessionId, [m]));
    const conflict = await waitFor(
      "the conflict",
      async () =>
        (await staff().get("/v1/lab-conflicts?site=lto-mantova&status=open&limit=100")).body.items.find(
          (c: { sessionId: string }) => c.sessionId === sessionId,
        ),
      120_000,
    );
    await events.send(SessionRescheduledEvent, sessionId, moved(sessionId, later(m, 60), 2));
    const done = await waitFor(
      "resolved by the move",
      async () => {
        const res = await staff().get(`/v1/lab-conflicts/${conflict.id}`);
        return res.body.status === "resolved" ? res.body : undefined;
      },
      120_000,
    );
    expect(done.resolution).toMatchObject({ how: "meeting_moved", by: "system" });
    expect(await heldBy(courseMeetingHolder(sessionId, m.id))).toEqual(keysOf(later(m, 60)));
  });
});

describe("lab conflicts: who may call, bad input", () => {
  let conflictId: string;
  beforeAll(async () => {
    conflictId = (await aLabConflict(svc)).id;
  }, 200_000);

  const client = (who: MatrixCaller) => (who === "anonymous" ? svc.as() : svc.as(callers[who]));
  // The resolution is refused with 409 to those allowed: the lab is still booked (nothing changes).
  const expected: Record<MatrixCaller, [list: number, read: number, resolve: number]> = {
    staff: [200, 200, 409],
    otherSiteStaff: [403, 403, 403],
    programme: [200, 200, 403],
    admin: [200, 200, 409],
    learner: [403, 403, 403],
    school: [403, 403, 403],
    company: [403, 403, 403],
    partner: [403, 403, 403],
    anonymous: [401, 401, 401],
  };
  it("covers every operation tagged labs", async () => {
    const mine = await operationsTagged(svc, "labs");
    expect(mine.sort()).toEqual(
      [
        "GET /v1/lab-conflicts",
        "GET /v1/lab-conflicts/{conflictId}",
        "POST /v1/lab-conflicts/{conflictId}/resolution",
      ].sort(),
    );
  });
  it.each(MATRIX_CALLERS)("%s", async (who) => {
    const c = client(who);
    const [list, read, resolve] = expected[who];
    expect((await c.get("/v1/lab-conflicts?site=lto-mantova")).status).toBe(list);
    expect((await c.get(`/v1/lab-conflicts/${conflictId}`)).status).toBe(read);
    expect((await c.post(`/v1/lab-conflicts/${conflictId}/resolution`, {})).status).toBe(resolve);
  });

  it("refuses bad input with the field named, changing nothing", async () => {
    const bad = async (path: string, field: string) => {
      const res = await staff().get(path);
      expect(res.status, path).toBe(400);
      expect(JSON.stringify(res.body), path).toContain(field);
    };
    await bad("/v1/lab-conflicts", "site");
    await bad("/v1/lab-conflicts?site=lto-mantova&status=closed", "status");
    await bad("/v1/lab-conflicts?site=lto-mantova&limit=0", "limit");
    await bad("/v1/lab-conflicts?site=lto-mantova&cursor=nonsense", "cursor");
    await bad("/v1/lab-conflicts?site=lto-mantova&extra=1", "extra");
    expect((await staff().get("/v1/lab-conflicts?site=nowhere")).status).toBe(403);
    expect((await svc.as(callers.admin).get("/v1/lab-conflicts?site=nowhere")).status).toBe(404);
    expect((await staff().get("/v1/lab-conflicts/nope")).status).toBe(404);
    expect((await staff().post("/v1/lab-conflicts/nope/resolution", {})).status).toBe(404);
    for (const body of [
      { note: "" },
      { note: "x".repeat(5000) },
      { note: 3 },
      { note: "a\u0000b" },
      { other: 1 },
    ]) {
      const res = await staff().post(`/v1/lab-conflicts/${conflictId}/resolution`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await staff().get(`/v1/lab-conflicts/${conflictId}`)).body).toMatchObject({
      status: "open",
      version: 1,
    });
  });
});
