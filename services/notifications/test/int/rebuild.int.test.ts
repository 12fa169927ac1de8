// The rebuild from the topics' beginning on the real broker and store: a live service fed every event
// type it consumes (duplicates and out-of-order ones among them) and running its hold sweep; the
// rebuild, with the service stopped, writes exactly the documents the live service wrote, keeps read
// marks and the sweep's work, refuses while an instance runs, and hands the service's group over, so the
// restarted service applies nothing old again and goes on with new events.
import {
  AccountActivatedEvent,
  AccountDisabledEvent,
  AdoptionOfferedEvent,
  BookingCancelledEvent,
  BookingRescheduledEvent,
  DeliveryLoggedEvent,
  EnrolmentConfirmedEvent,
  EnrolmentWaitlistedEvent,
  EnrolmentWithdrawnEvent,
  HoldLapsedEvent,
  IdeaAdoptedEvent,
  IdeaHeldEvent,
  OfferDeclinedEvent,
  SeatOfferedEvent,
  SessionCancelledEvent,
} from "@lto/contracts";
import { openServiceStore } from "@lto/service-host";
import { createLogger } from "@lto/telemetry";
import { createTestKafka, uniqueId, waitFor } from "@lto/testkit";
import type { Kafka } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rebuildNotices } from "../../src/infra/rebuild.js";
import { notificationsCollections } from "../../src/infra/store.js";
import { activate, person, startNotifications, type Harness, type Person } from "./support.js";

/** The replay reads every other test's events on the shared broker too. */
const REBUILD = { timeout: 600_000 };
const settings = { holdNoticeHours: 24, mailMaxAgeHours: 72 };
const logger = createLogger("notifications-rebuild-test", { level: "warn" });

let h: Harness;
let kafka: Kafka;
beforeAll(async () => {
  h = await startNotifications({ HOLD_NOTICE_HOURS: "24", MAIL_MAX_AGE_HOURS: "72" });
  kafka = await createTestKafka({ clientPrefix: "notifications-rebuild" });
});
afterAll(async () => {
  await h?.close();
});

const now = () => new Date().toISOString();
const hours = (n: number) => new Date(Date.now() + n * 3_600_000);

async function rebuild() {
  const { store } = await openServiceStore(
    { name: "notifications", url: h.svc.mongoUrl, dbName: h.svc.dbName },
    notificationsCollections,
  );
  try {
    return await rebuildNotices({ kafka, store, logger, group: h.svc.groupId, settings, timeoutMs: 540_000 });
  } finally {
    await store.close();
  }
}

// This test's people, sessions and holds: the collections hold other tests' ones after the rebuild.
const schoolId = uniqueId("school");
const anna = person("school", schoolId, "it");
const bruno = person("school", schoolId, "en");
const carla = person("company");
const lea = person("learner", "learners");
const marco = person("learner", "learners");
const nina = person("learner", "learners");
const people = [anna, bruno, carla, lea, marco, nina];
const keys = [
  ...people.map((p) => `person:${p.claims.sub}`),
  `school:${schoolId}`,
  `company:${carla.claims.org}`,
];
const sessions = [uniqueId("session"), uniqueId("session")];
const holdIds = [1, 2, 3, 4, 5].map(() => uniqueId("hold"));
const [dueHold, laterHold, lateHold, releasedHold, toldThenLapsed] = holdIds as [
  string,
  string,
  string,
  string,
  string,
];

/** This test's documents of each collection by id, exactly as stored. */
async function captured() {
  const read = async (name: string, filter: object) =>
    (await h.db.collection(name).find(filter).sort({ _id: 1 }).toArray()) as Record<string, unknown>[];
  return {
    notices: await read("notices", { recipientKey: { $in: keys } }),
    accounts: await read("accounts", { _id: { $in: people.map((p) => p.claims.sub) } }),
    rosters: await read("rosters", { _id: { $in: sessions } }),
    holds: await read("holds", {
      _id: { $in: [dueHold, laterHold, lateHold, releasedHold, toldThenLapsed] },
    }),
  };
}

async function noticesOf(p: Person) {
  const res = await h.svc.as(p.claims).get("/v1/notifications?limit=100");
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items as { id: string; kind: string; read: boolean }[];
}

async function feed() {
  const send = h.producer.send.bind(h.producer);
  await activate(h, people);
  // the address book: a newer activation, then an older one (out of order), a disable sent twice
  const activation = (p: Person, version: number, locale: string) =>
    AccountActivatedEvent.create({
      subject: p.claims.sub,
      role: p.claims.role,
      organisationId: p.claims.org,
      email: p.email,
      displayName: `Renamed ${version}`,
      locale,
      occurredAt: now(),
      actorSubject: "staff-1",
      version,
    });
  await send(AccountActivatedEvent, anna.claims.sub, activation(anna, 3, "en"));
  await send(AccountActivatedEvent, anna.claims.sub, activation(anna, 2, "it"));
  const disable = AccountDisabledEvent.create({
    subject: marco.claims.sub,
    reason: "left",
    occurredAt: now(),
    version: 2,
  });
  const disableId = uniqueId("ev");
  await send(AccountDisabledEvent, marco.claims.sub, disable, { id: disableId });
  await send(AccountDisabledEvent, marco.claims.sub, disable, { id: disableId });

  // adoption: an offer delivered twice, a declined one, an adoption, a delivery to confirm
  const ideaId = uniqueId("idea");
  const offer = AdoptionOfferedEvent.create({
    offerId: uniqueId("offer"),
    ideaId,
    callId: "call-1",
    schoolId,
    companyId: carla.claims.org,
    companyName: "Officine",
    message: "Vi seguiremo.",
    occurredAt: now(),
    actorSubject: carla.claims.sub,
    version: 1,
  });
  const offerId = uniqueId("ev");
  await send(AdoptionOfferedEvent, ideaId, offer, { id: offerId });
  await send(AdoptionOfferedEvent, ideaId, offer, { id: offerId });
  await send(
    OfferDeclinedEvent,
    ideaId,
    OfferDeclinedEvent.create({
      offerId: uniqueId("offer"),
      ideaId,
      schoolId,
      companyId: carla.claims.org,
      reason: "OFFER_DECLINE_REASON_DECLINED_BY_SCHOOL",
      reasonDetail: "Troppo tardi.",
      occurredAt: now(),
      actorSubject: anna.claims.sub,
      version: 2,
    }),
  );
  const adoptionId = uniqueId("adoption");
  await send(
    IdeaAdoptedEvent,
    ideaId,
    IdeaAdoptedEvent.create({
      adoptionId,
      ideaId,
      callId: "call-1",
      schoolId,
      companyId: carla.claims.org,
      companyName: "Officine",
      offerId: offer.offerId,
      commitments: [],
      occurredAt: now(),
      actorSubject: anna.claims.sub,
      version: 3,
    }),
  );
  await send(
    DeliveryLoggedEvent,
    ideaId,
    DeliveryLoggedEvent.create({
      adoptionId,
      ideaId,
      schoolId,
      companyId: carla.claims.org,
      deliveryId: uniqueId("record"),
      kind: "COMMITMENT_KIND_KICK_OFF",
      deliveredOn: "2026-11-20",
      occurredAt: now(),
      actorSubject: carla.claims.sub,
      version: 4,
    }),
  );

  // holds: told by the sweep; open for days; lapsed before the sweep (too late); its end read before
  // it was held (out of order); told by the sweep, then lapsed
  const held = (holdId: string, expiresAt: Date) =>
    IdeaHeldEvent.create({
      holdId,
      ideaId: uniqueId("idea"),
      callId: "call-1",
      companyId: carla.claims.org,
      companyName: "Officine",
      expiresAt: expiresAt.toISOString(),
      occurredAt: now(),
      version: 1,
    });
  const lapsed = (holdId: string) =>
    HoldLapsedEvent.create({
      holdId,
      ideaId: "idea",
      companyId: carla.claims.org,
      reason: "HOLD_END_REASON_RELEASED",
      occurredAt: now(),
      version: 2,
    });
  const heldTwice = uniqueId("ev");
  await send(IdeaHeldEvent, dueHold, held(dueHold, hours(3)), { id: heldTwice });
  await send(IdeaHeldEvent, dueHold, held(dueHold, hours(3)), { id: heldTwice });
  await send(IdeaHeldEvent, laterHold, held(laterHold, hours(5 * 24)));
  await send(IdeaHeldEvent, lateHold, held(lateHold, hours(-1)));
  await send(HoldLapsedEvent, releasedHold, lapsed(releasedHold));
  await send(IdeaHeldEvent, releasedHold, held(releasedHold, hours(3)));
  await send(IdeaHeldEvent, toldThenLapsed, held(toldThenLapsed, hours(2)));

  // catalogue: rosters (a withdrawal, then its confirmation delivered again), a seat, a cancellation
  const [cancelled, kept] = sessions as [string, string];
  const enrolment = (sessionId: string, p: Person, version = 1) => ({
    enrolmentId: uniqueId("enrolment"),
    sessionId,
    courseId: "course-1",
    site: "lto-mantova",
    personId: p.claims.sub,
    occurredAt: now(),
    version,
  });
  await send(EnrolmentConfirmedEvent, cancelled, EnrolmentConfirmedEvent.create(enrolment(cancelled, lea)));
  await send(
    EnrolmentWaitlistedEvent,
    cancelled,
    EnrolmentWaitlistedEvent.create({ ...enrolment(cancelled, marco), position: 1 }),
  );
  const leaving = enrolment(cancelled, nina);
  const confirmed = EnrolmentConfirmedEvent.create(leaving);
  const leavingId = uniqueId("ev");
  await send(EnrolmentConfirmedEvent, cancelled, confirmed, { id: leavingId });
  await send(
    EnrolmentWithdrawnEvent,
    cancelled,
    EnrolmentWithdrawnEvent.create({ ...leaving, reason: "cambio di piani", seatFreed: true, version: 2 }),
  );
  await send(EnrolmentConfirmedEvent, cancelled, confirmed, { id: leavingId });
  await send(EnrolmentConfirmedEvent, kept, EnrolmentConfirmedEvent.create(enrolment(kept, nina)));
  await send(
    SeatOfferedEvent,
    kept,
    SeatOfferedEvent.create({
      enrolmentId: uniqueId("enrolment"),
      sessionId: kept,
      courseId: "course-1",
      site: "lto-mantova",
      personId: lea.claims.sub,
      expiresAt: hours(48).toISOString(),
      occurredAt: now(),
      version: 2,
    }),
  );
  await send(
    SessionCancelledEvent,
    cancelled,
    SessionCancelledEvent.create({
      sessionId: cancelled,
      courseId: "course-1",
      site: "lto-mantova",
      reason: "Aula inagibile.",
      enrolledPersonIds: [`${schoolId}/Airone`],
      occurredAt: now(),
      version: 4,
    }),
  );

  // self-employment: a moved booking, a minor's cancelled one (to the school referent)
  const slot = (startsAt: string) => ({
    site: "lto-mantova",
    operatorId: "op-1",
    roomId: "",
    equipmentIds: [],
    startsAt,
    endsAt: startsAt,
    mode: "DELIVERY_MODE_IN_PERSON" as const,
  });
  await send(
    BookingRescheduledEvent,
    "person-1",
    BookingRescheduledEvent.create({
      personId: "person-1",
      bookingId: uniqueId("booking"),
      serviceType: "orientamento",
      slot: slot("2026-12-03T09:00:00Z"),
      previousSlot: slot("2026-12-02T09:00:00Z"),
      learnerSubject: lea.claims.sub,
      occurredAt: now(),
      version: 2,
      sequence: 1,
    }),
  );
  await send(
    BookingCancelledEvent,
    "person-2",
    BookingCancelledEvent.create({
      personId: "person-2",
      bookingId: uniqueId("booking"),
      serviceType: "orientamento",
      slot: slot("2026-12-04T09:00:00Z"),
      by: "CANCELLATION_BY_STAFF",
      reason: "Operatore assente.",
      referentSubject: anna.claims.sub,
      occurredAt: now(),
      version: 2,
      sequence: 1,
    }),
  );

  // the sweep tells the company of two holds; then one of them lapses
  const told = async () =>
    (await noticesOf(carla)).filter((n) => n.kind === "hold_expiring").length === 2 ? true : undefined;
  await waitFor("the sweep's two notices", told);
  await send(HoldLapsedEvent, toldThenLapsed, lapsed(toldThenLapsed));
  const hold = (id: string) => h.db.collection("holds").findOne({ _id: id } as never);
  await waitFor("every hold in its state", async () => {
    const states = await Promise.all([dueHold, laterHold, lateHold, releasedHold, toldThenLapsed].map(hold));
    return states.map((s) => s?.state).join() === "noticed,open,ended,ended,ended";
  });
}

let live: Awaited<ReturnType<typeof captured>>;
let readId: string;

describe("the notifications rebuild", () => {
  it("refuses while an instance of the service runs", REBUILD, async () => {
    await feed();
    // wait until the last events are applied: the session's cancellation and the bookings
    await waitFor("every notice", async () => {
      const kinds = [...(await noticesOf(lea)), ...(await noticesOf(anna))].map((n) => n.kind);
      return ["session_cancelled", "seat_offered", "booking_rescheduled", "booking_cancelled"].every((k) =>
        kinds.includes(k),
      );
    });
    const offer = (await noticesOf(anna)).find((n) => n.kind === "offer_received")!;
    readId = offer.id;
    const read = await h.svc.as(anna.claims).post(`/v1/notifications/${readId}/read`);
    expect(read.status, JSON.stringify(read.body)).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // anything a wrong handler would add
    live = await captured();
    expect(live.notices.length).toBeGreaterThanOrEqual(12);
    expect(live.rosters).toHaveLength(2);
    expect(live.accounts).toHaveLength(6);

    await expect(rebuild()).rejects.toThrow(/stop every instance of the service/);
  });

  it(
    "with the service stopped, writes exactly what the live service wrote, read marks kept",
    REBUILD,
    async () => {
      await h.svc.running.stop();
      // a group that lost its offsets would read every topic again from its beginning: the rebuild's
      // hand-over is what moves it past what the rebuild applied
      const admin = kafka.admin();
      await admin.connect();
      await admin.deleteGroups([h.svc.groupId]);
      await admin.disconnect();

      const result = await rebuild();
      expect(result.keptRead).toBeGreaterThanOrEqual(1);
      const rebuilt = await captured();
      for (const name of ["notices", "accounts", "rosters", "holds"] as const) {
        expect(
          rebuilt[name].map((d) => d._id),
          name,
        ).toEqual(live[name].map((d) => d._id));
        for (const [i, doc] of rebuilt[name].entries())
          expect(doc, `${name} ${String(doc._id)}`).toStrictEqual(live[name][i]);
      }
      const notice = rebuilt.notices.find((d) => d._id === readId)!;
      expect(notice.readBy).toEqual([anna.claims.sub]);
    },
  );

  it("the restarted service applies no old event again and goes on with new ones", REBUILD, async () => {
    // a notice removed by hand: an old event applied again would bring it back
    const gone = live.notices.find((d) => d.kind === "booking_cancelled")!;
    await h.db.collection("notices").deleteOne({ _id: gone._id } as never);
    await h.svc.restart();
    expect((await noticesOf(anna)).find((n) => n.id === readId)?.read).toBe(true);
    await h.producer.send(
      OfferDeclinedEvent,
      "idea-after",
      OfferDeclinedEvent.create({
        offerId: uniqueId("offer"),
        ideaId: "idea-after",
        schoolId,
        companyId: carla.claims.org,
        reason: "OFFER_DECLINE_REASON_IDEA_WITHDRAWN",
        reasonDetail: "",
        occurredAt: now(),
        actorSubject: anna.claims.sub,
        version: 2,
      }),
    );
    await waitFor(
      "the new event applied",
      async () => (await noticesOf(carla)).filter((n) => n.kind === "offer_declined").length === 2,
      60_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await h.db.collection("notices").findOne({ _id: gone._id } as never)).toBeNull();
  });
});
