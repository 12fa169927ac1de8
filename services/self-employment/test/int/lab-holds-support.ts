// What the tests of the labs held by course meetings share: catalogue session events as the catalogue
// publishes them, and a lab conflict made through the real broker and store (a booking's claim on the
// lab, then a course meeting over it).
import { catalogueV1, SessionRescheduledEvent, SessionScheduledEvent } from "@lto/contracts";
import { AggregateStore } from "@lto/store";
import { uniqueId, waitFor } from "@lto/testkit";
import { eventProducer, type TestService } from "@lto/testkit/service";
import { roomUnitKeys } from "../../src/domain/index.js";
import { slotClaims } from "../../src/infra/slot-claims.js";
import { callers } from "./support.js";

export const LAB = "lto-mantova-fablab";
// Each meeting on a day of its own, so the tests of one database never meet in the lab by chance. Every
// test service on the shared broker consumes every test file's catalogue events, so a file's days start
// at a random point of two centuries: two files meeting on one day is a few in ten thousand.
let day = Math.floor(Math.random() * 73_000);

/** A meeting on a day of its own (from 2030 on), 15:00-18:00 UTC unless moved. */
export function meeting(overrides: Partial<catalogueV1.Meeting> = {}): catalogueV1.Meeting {
  const date = new Date(Date.UTC(2030, 0, 1 + day++));
  const start = new Date(date.getTime() + 15 * 3600_000);
  return {
    id: uniqueId("meeting"),
    date: date.toISOString().slice(0, 10),
    startTime: "16:00",
    endTime: "19:00",
    timeZone: "Europe/Rome",
    startsAt: start.toISOString(),
    endsAt: new Date(start.getTime() + 3 * 3600_000).toISOString(),
    minutes: 180,
    room: LAB,
    trainer: "Marco Neri",
    sequence: 0,
    cancelled: false,
    ...overrides,
  };
}

export function scheduled(sessionId: string, meetings: catalogueV1.Meeting[], version = 1) {
  return SessionScheduledEvent.create({
    sessionId,
    courseId: "course-labs",
    site: "lto-mantova",
    session: catalogueV1.Session.fromPartial({
      id: sessionId,
      courseId: "course-labs",
      site: "lto-mantova",
      meetings,
      capacity: 10,
      version,
    }),
    hours: 3 * meetings.length,
    occurredAt: new Date().toISOString(),
    actorSubject: "staff-lto-mantova",
    version,
  });
}

/** SessionRescheduled: meeting `m` as it is now (the session's version after the change). */
export function moved(sessionId: string, m: catalogueV1.Meeting, version: number) {
  return SessionRescheduledEvent.create({
    sessionId,
    courseId: "course-labs",
    site: "lto-mantova",
    meeting: m,
    previousStartsAt: m.startsAt,
    previousEndsAt: m.endsAt,
    hours: 3,
    occurredAt: new Date().toISOString(),
    actorSubject: "staff-lto-mantova",
    version,
  });
}

/**
 * An open lab conflict at lto-mantova: a booking's claim on the lab's first unit, then a course meeting
 * over it. With `freed`, the booking lets the lab go afterwards (the conflict can then be resolved).
 */
export async function aLabConflict(svc: TestService, { freed = false } = {}): Promise<{ id: string }> {
  const store = await AggregateStore.open({ url: svc.mongoUrl, dbName: svc.dbName });
  const events = await eventProducer();
  try {
    const ledger = slotClaims(store);
    const sessionId = uniqueId("session");
    const m = meeting();
    const unit = roomUnitKeys(LAB, new Date(m.startsAt!), new Date(m.endsAt!)).slice(0, 1);
    const booking = { holderId: uniqueId("booking"), claim: uniqueId("claim"), at: new Date() };
    if (!(await ledger.claimAll(unit, booking)).ok) throw new Error("the lab was taken");
    await ledger.settle(unit, booking.claim);
    await events.send(SessionScheduledEvent, sessionId, scheduled(sessionId, [m]));
    const conflict = await waitFor(
      "the lab conflict",
      async () =>
        (
          await svc.as(callers.staff).get("/v1/lab-conflicts?site=lto-mantova&status=open&limit=100")
        ).body.items?.find((c: { sessionId: string }) => c.sessionId === sessionId),
      170_000,
    );
    if (freed) await ledger.release(unit, { holderId: booking.holderId });
    return { id: conflict.id };
  } finally {
    await events.stop();
    await store.close();
  }
}
