// The notifications service on the real broker and store, fed real registry-encoded events: who sees
// what, read per person, redelivery that applies nothing twice, e-mail written once per account, the
// hold sweep, a minor's notices through the school.
import {
  AccountDisabledEvent,
  AdoptionOfferedEvent,
  BookingCancelledEvent,
  BookingRescheduledEvent,
  DeliveryLoggedEvent,
  EnrolmentConfirmedEvent,
  EnrolmentWithdrawnEvent,
  HoldLapsedEvent,
  IdeaAdoptedEvent,
  IdeaHeldEvent,
  SeatOfferedEvent,
  SessionCancelledEvent,
} from "@lto/contracts";
import { uniqueId, waitFor } from "@lto/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NoticeView } from "../../src/app/index.js";
import { activate, emls, person, startNotifications, type Harness, type Person } from "./support.js";

let h: Harness;

beforeAll(async () => {
  h = await startNotifications();
});
afterAll(async () => {
  await h?.close();
});

const now = () => new Date().toISOString();

async function list(p: Person, query = "") {
  const res = await h.svc.as(p.claims).get(`/v1/notifications${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { items: NoticeView[]; nextCursor?: string };
}

async function unread(p: Person): Promise<number> {
  const res = await h.svc.as(p.claims).get("/v1/notifications/unread-count");
  expect(res.status).toBe(200);
  return res.body.unread;
}

/** Waits until `p` has `count` notices (of `kind` when given) and returns them. */
async function noticesOf(p: Person, count: number, kind?: string) {
  return waitFor(`${count} notices for ${p.claims.sub}`, async () => {
    const items = (await list(p, "?limit=100")).items.filter((n) => !kind || n.kind === kind);
    return items.length >= count ? items : undefined;
  });
}

/** Lets the consumer and the mail sender catch up with anything a wrong implementation would add. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 1500));

function offer(schoolId: string, companyId: string) {
  return AdoptionOfferedEvent.create({
    offerId: uniqueId("offer"),
    ideaId: uniqueId("idea"),
    callId: "call-1",
    schoolId,
    companyId,
    companyName: "Officine Mantovane",
    message: "Vi seguiremo con piacere.",
    occurredAt: now(),
    actorSubject: "company-user",
    version: 1,
  });
}

describe("an adoption offer", () => {
  it("reaches every referent of the school, read per person, mailed once to each, redelivery adds nothing", async () => {
    const schoolId = uniqueId("school");
    const anna = person("school", schoolId, "it");
    const bruno = person("school", schoolId, "en");
    const other = person("school"); // another school
    const company = person("company");
    await activate(h, [anna, bruno, other, company]);

    const message = offer(schoolId, company.claims.org);
    const eventId = uniqueId("ev");
    await h.producer.send(AdoptionOfferedEvent, message.ideaId, message, { id: eventId });
    await h.producer.send(AdoptionOfferedEvent, message.ideaId, message, { id: eventId }); // redelivered

    const [forAnna] = await noticesOf(anna, 1);
    expect(forAnna).toMatchObject({
      kind: "offer_received",
      locale: "it",
      title: "Nuova offerta di adozione",
      needsAction: true,
      read: false,
      refs: { offerId: message.offerId, ideaId: message.ideaId, companyId: company.claims.org },
    });
    expect(forAnna!.texts.en.title).toBe("New adoption offer");
    const [forBruno] = await noticesOf(bruno, 1);
    expect(forBruno).toMatchObject({ id: forAnna!.id, locale: "en", title: "New adoption offer" });
    expect((await list(other)).items).toEqual([]);
    expect((await list(company)).items).toEqual([]);

    // one e-mail per referent, in their language
    const mails = await waitFor("two e-mails", async () => {
      const mine = (await emls(h)).filter((m) => m.to.includes(anna.email) || m.to.includes(bruno.email));
      return mine.length >= 2 ? mine : undefined;
    });
    await settle();
    const after = (await emls(h)).filter((m) => m.to.includes(anna.email) || m.to.includes(bruno.email));
    expect(after).toHaveLength(2);
    expect(after.find((m) => m.to.includes(anna.email))!.subject).toBe("Nuova offerta di adozione");
    expect(after.find((m) => m.to.includes(bruno.email))!.subject).toBe("New adoption offer");
    expect(mails.map((m) => m.file).sort()).toEqual(after.map((m) => m.file).sort());
    expect((await list(anna)).items).toHaveLength(1);

    // read per person
    expect(await unread(anna)).toBe(1);
    const read = await h.svc
      .as(anna.claims)
      .post(`/v1/notifications/${encodeURIComponent(forAnna!.id)}/read`);
    expect(read.status, JSON.stringify(read.body)).toBe(200);
    expect(read.body).toMatchObject({ id: forAnna!.id, read: true });
    expect(await unread(anna)).toBe(0);
    expect(await unread(bruno)).toBe(1);
    expect((await list(anna, "?unread=true")).items).toEqual([]);
    expect((await list(bruno, "?unread=true")).items.map((n) => n.id)).toEqual([forAnna!.id]);
    expect((await list(anna)).items[0]).toMatchObject({ read: true });
    // marking again is harmless
    expect(
      (await h.svc.as(anna.claims).post(`/v1/notifications/${encodeURIComponent(forAnna!.id)}/read`)).status,
    ).toBe(200);
    // someone else's notice is not theirs to mark
    expect(
      (await h.svc.as(other.claims).post(`/v1/notifications/${encodeURIComponent(forAnna!.id)}/read`)).status,
    ).toBe(404);
    expect(
      (await h.svc.as(company.claims).post(`/v1/notifications/${encodeURIComponent(forAnna!.id)}/read`))
        .status,
    ).toBe(404);
  });

  it("an accepted offer tells every user of the company; read-all marks only for the caller", async () => {
    const schoolId = uniqueId("school");
    const companyId = uniqueId("company");
    const c1 = person("company", companyId);
    const c2 = person("company", companyId);
    await activate(h, [c1, c2]);
    for (let i = 0; i < 3; i++)
      await h.producer.send(
        IdeaAdoptedEvent,
        `idea-${i}`,
        IdeaAdoptedEvent.create({
          adoptionId: uniqueId("adoption"),
          ideaId: uniqueId("idea"),
          offerId: uniqueId("offer"),
          schoolId,
          companyId,
          companyName: "Officine",
          occurredAt: now(),
          version: 1,
        }),
      );
    await noticesOf(c1, 3, "offer_accepted");
    // paging: 2 + 1, newest first, the platform's cursor
    const first = await list(c1, "?limit=2");
    expect(first.items).toHaveLength(2);
    const second = await list(c1, `?limit=2&cursor=${encodeURIComponent(first.nextCursor!)}`);
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeUndefined();
    const times = [...first.items, ...second.items].map((n) => n.occurredAt);
    expect([...times].sort().reverse()).toEqual(times);

    const all = await h.svc.as(c1.claims).post("/v1/notifications/read-all");
    expect(all.status).toBe(200);
    expect(all.body).toEqual({ marked: 3 });
    expect(await unread(c1)).toBe(0);
    expect(await unread(c2)).toBe(3);
    expect((await h.svc.as(c1.claims).post("/v1/notifications/read-all")).body).toEqual({ marked: 0 });
    // not an action: nothing mailed
    await settle();
    expect((await emls(h)).filter((m) => m.to.includes(c1.email))).toEqual([]);
  });
});

describe("a delivery to confirm", () => {
  it("reaches the school's referents with what to confirm, mailed once", async () => {
    const schoolId = uniqueId("school");
    const referent = person("school", schoolId);
    await activate(h, [referent]);
    const message = DeliveryLoggedEvent.create({
      adoptionId: uniqueId("adoption"),
      ideaId: uniqueId("idea"),
      schoolId,
      companyId: "company-1",
      deliveryId: uniqueId("record"),
      kind: "COMMITMENT_KIND_KICK_OFF",
      deliveredOn: "2026-11-20",
      occurredAt: now(),
      actorSubject: "company-user",
      version: 3,
    });
    const id = uniqueId("ev");
    await h.producer.send(DeliveryLoggedEvent, message.ideaId, message, { id });
    await h.producer.send(DeliveryLoggedEvent, message.ideaId, message, { id });
    const [n] = await noticesOf(referent, 1);
    expect(n).toMatchObject({
      kind: "delivery_to_confirm",
      needsAction: true,
      refs: { adoptionId: message.adoptionId, deliveryId: message.deliveryId },
    });
    expect(n!.body).toContain("20 novembre 2026");
    await waitFor("the e-mail", async () => (await emls(h)).some((m) => m.to.includes(referent.email)));
    await settle();
    const mails = (await emls(h)).filter((m) => m.to.includes(referent.email));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe("Impegno da confermare");
    expect((await list(referent)).items).toHaveLength(1);
  });
});

describe("catalogue and self-employment notices", () => {
  it("a seat offered goes to the learner with its deadline, a student's to the school; each mailed once", async () => {
    const learner = person("learner", "learners");
    const schoolId = uniqueId("school");
    const referent = person("school", schoolId);
    await activate(h, [learner, referent]);
    const expiresAt = new Date(Date.now() + 48 * 3_600_000).toISOString();
    const seat = (personId: string) =>
      SeatOfferedEvent.create({
        enrolmentId: uniqueId("enrolment"),
        sessionId: uniqueId("session"),
        courseId: "course-1",
        site: "lto-mantova",
        personId,
        expiresAt,
        occurredAt: now(),
        version: 2,
      });
    const forLearner = seat(learner.claims.sub);
    const forStudent = seat(`${schoolId}/Volpe Blu`);
    const id = uniqueId("ev");
    await h.producer.send(SeatOfferedEvent, forLearner.sessionId, forLearner, { id });
    await h.producer.send(SeatOfferedEvent, forStudent.sessionId, forStudent);
    await h.producer.send(SeatOfferedEvent, forLearner.sessionId, forLearner, { id });

    const [n] = await noticesOf(learner, 1);
    expect(n).toMatchObject({
      kind: "seat_offered",
      deadline: expiresAt,
      refs: { sessionId: forLearner.sessionId, enrolmentId: forLearner.enrolmentId },
    });
    const [s] = await noticesOf(referent, 1);
    expect(s).toMatchObject({ kind: "seat_offered", refs: { pseudonym: "Volpe Blu" } });
    expect(s!.body).toContain("Volpe Blu");

    await waitFor("the two e-mails", async () => {
      const m = (await emls(h)).filter((e) => e.to.includes(learner.email) || e.to.includes(referent.email));
      return m.length >= 2;
    });
    await settle();
    expect((await emls(h)).filter((e) => e.to.includes(learner.email))).toHaveLength(1);
    expect((await emls(h)).filter((e) => e.to.includes(referent.email))).toHaveLength(1);
    expect((await list(learner)).items).toHaveLength(1);
  });

  it("a cancelled session tells every enrolled and waiting learner, students through their school", async () => {
    const a = person("learner", "learners");
    const b = person("learner", "learners");
    const schoolId = uniqueId("school");
    const referent = person("school", schoolId);
    const sessionId = uniqueId("session");
    await h.producer.send(
      SessionCancelledEvent,
      sessionId,
      SessionCancelledEvent.create({
        sessionId,
        courseId: "course-1",
        site: "lto-mantova",
        reason: "Docente indisponibile.",
        enrolledPersonIds: [a.claims.sub, `${schoolId}/Airone`],
        waitingPersonIds: [b.claims.sub],
        occurredAt: now(),
        version: 5,
      }),
    );
    for (const p of [a, b, referent]) {
      const [n] = await noticesOf(p, 1);
      expect(n).toMatchObject({ kind: "session_cancelled", needsAction: false, refs: { sessionId } });
    }
  });

  it("a cancelled session also tells whom the enrolment events put in it and not who left", async () => {
    const [stayed, left, listed] = [1, 2, 3].map(() => person("learner", "learners"));
    const sessionId = uniqueId("session");
    const enrolment = (p: Person) => ({
      enrolmentId: uniqueId("enrolment"),
      sessionId,
      courseId: "course-1",
      site: "lto-mantova",
      personId: p.claims.sub,
      occurredAt: now(),
      version: 1,
    });
    await h.producer.send(
      EnrolmentConfirmedEvent,
      sessionId,
      EnrolmentConfirmedEvent.create(enrolment(stayed!)),
    );
    const leaving = enrolment(left!);
    await h.producer.send(EnrolmentConfirmedEvent, sessionId, EnrolmentConfirmedEvent.create(leaving));
    await h.producer.send(
      EnrolmentWithdrawnEvent,
      sessionId,
      EnrolmentWithdrawnEvent.create({ ...leaving, reason: "cambio di piani", seatFreed: true, version: 2 }),
    );
    // the cancellation's own list missed the learner who stayed (enrolled as it was being written)
    await h.producer.send(
      SessionCancelledEvent,
      sessionId,
      SessionCancelledEvent.create({
        sessionId,
        courseId: "course-1",
        site: "lto-mantova",
        reason: "Aula inagibile.",
        enrolledPersonIds: [listed!.claims.sub],
        occurredAt: now(),
        version: 4,
      }),
    );
    for (const p of [stayed!, listed!]) {
      const [n] = await noticesOf(p, 1);
      expect(n).toMatchObject({ kind: "session_cancelled", refs: { sessionId } });
    }
    await settle();
    expect((await list(left!)).items).toEqual([]);
  });

  it("a moved booking goes to the learner account; a minor's cancelled booking to the school referent", async () => {
    const adult = person("learner", "learners");
    const referent = person("school");
    const slot = (startsAt: string) => ({
      site: "lto-mantova",
      operatorId: "op-1",
      roomId: "",
      equipmentIds: [],
      startsAt,
      endsAt: startsAt,
      mode: "DELIVERY_MODE_IN_PERSON" as const,
    });
    await h.producer.send(
      BookingRescheduledEvent,
      "person-1",
      BookingRescheduledEvent.create({
        personId: "person-1",
        bookingId: uniqueId("booking"),
        serviceType: "orientamento",
        slot: slot("2026-12-03T09:00:00Z"),
        previousSlot: slot("2026-12-02T09:00:00Z"),
        learnerSubject: adult.claims.sub,
        occurredAt: now(),
        version: 2,
        sequence: 1,
      }),
    );
    await h.producer.send(
      BookingCancelledEvent,
      "person-2",
      BookingCancelledEvent.create({
        personId: "person-2",
        bookingId: uniqueId("booking"),
        serviceType: "orientamento",
        slot: slot("2026-12-04T09:00:00Z"),
        by: "CANCELLATION_BY_STAFF",
        reason: "Operatore assente.",
        referentSubject: referent.claims.sub,
        occurredAt: now(),
        version: 2,
        sequence: 1,
      }),
    );
    const [moved] = await noticesOf(adult, 1);
    expect(moved).toMatchObject({ kind: "booking_rescheduled" });
    expect(moved!.body).toContain("3 dicembre 2026");
    const [cancelled] = await noticesOf(referent, 1);
    expect(cancelled).toMatchObject({ kind: "booking_cancelled" });
    expect(cancelled!.body).toContain("Operatore assente.");
  });
});

describe("stale notices", () => {
  it("a fact older than the mail window, or a deadline already past, is shown but not mailed", async () => {
    const schoolId = uniqueId("school");
    const referent = person("school", schoolId);
    const learner = person("learner", "learners");
    await activate(h, [referent, learner]);
    const old = offer(schoolId, "company-x");
    old.occurredAt = new Date(h.svc.clock.now().getTime() - 10 * 24 * 3_600_000).toISOString();
    await h.producer.send(AdoptionOfferedEvent, old.ideaId, old);
    const sessionId = uniqueId("session");
    await h.producer.send(
      SeatOfferedEvent,
      sessionId,
      SeatOfferedEvent.create({
        enrolmentId: uniqueId("enrolment"),
        sessionId,
        courseId: "course-1",
        personId: learner.claims.sub,
        expiresAt: new Date(h.svc.clock.now().getTime() - 60_000).toISOString(),
        occurredAt: now(),
        version: 2,
      }),
    );
    await noticesOf(referent, 1, "offer_received");
    await noticesOf(learner, 1, "seat_offered");
    await settle();
    expect(
      (await emls(h)).filter((m) => m.to.includes(referent.email) || m.to.includes(learner.email)),
    ).toEqual([]);
  });
});

describe("holds about to lapse", () => {
  it("the sweep tells the company once, some hours before the expiry; an ended hold is never told", async () => {
    const company = person("company");
    await activate(h, [company]);
    const held = (holdId: string, expiresAt: Date) =>
      IdeaHeldEvent.create({
        holdId,
        ideaId: uniqueId("idea"),
        callId: "call-1",
        companyId: company.claims.org,
        companyName: "Officine",
        expiresAt: expiresAt.toISOString(),
        occurredAt: now(),
        version: 1,
      });
    const soon = new Date(h.svc.clock.now().getTime() + 3 * 3_600_000); // within the 24 h window
    const later = new Date(h.svc.clock.now().getTime() + 5 * 24 * 3_600_000);
    const dueHold = uniqueId("hold");
    const releasedHold = uniqueId("hold");
    const laterHold = uniqueId("hold");
    // released before its notice would be due: never told
    await h.producer.send(
      HoldLapsedEvent,
      "idea",
      HoldLapsedEvent.create({
        holdId: releasedHold,
        ideaId: "idea",
        companyId: company.claims.org,
        reason: "HOLD_END_REASON_RELEASED",
        occurredAt: now(),
        version: 2,
      }),
    );
    await h.producer.send(IdeaHeldEvent, "idea", held(releasedHold, soon));
    await h.producer.send(IdeaHeldEvent, "idea", held(laterHold, later));
    const heldId = uniqueId("ev");
    await h.producer.send(IdeaHeldEvent, "idea", held(dueHold, soon), { id: heldId });
    await h.producer.send(IdeaHeldEvent, "idea", held(dueHold, soon), { id: heldId });

    const [n] = await noticesOf(company, 1, "hold_expiring");
    expect(n).toMatchObject({
      kind: "hold_expiring",
      deadline: soon.toISOString(),
      refs: { holdId: dueHold },
      needsAction: true,
    });
    await waitFor("the hold e-mail", async () => (await emls(h)).some((m) => m.to.includes(company.email)));
    await settle(); // several sweeps
    expect((await list(company)).items.filter((x) => x.kind === "hold_expiring")).toHaveLength(1);
    expect((await emls(h)).filter((m) => m.to.includes(company.email))).toHaveLength(1);

    // days later the other hold's window opens: told then, once
    h.svc.clock.advance(4 * 24 * 3_600_000 + 60_000);
    const told = await noticesOf(company, 2, "hold_expiring");
    expect(told.map((x) => x.refs.holdId).sort()).toEqual([dueHold, laterHold].sort());
    h.svc.clock.advance(-(4 * 24 * 3_600_000 + 60_000));
  });
});

describe("the address book", () => {
  it("a disabled account is not mailed", async () => {
    const schoolId = uniqueId("school");
    const active = person("school", schoolId);
    const gone = person("school", schoolId);
    await activate(h, [active, gone]);
    await h.producer.send(
      AccountDisabledEvent,
      gone.claims.sub,
      AccountDisabledEvent.create({
        subject: gone.claims.sub,
        reason: "left",
        occurredAt: now(),
        version: 2,
      }),
    );
    await waitFor(
      "the account disabled",
      async () =>
        (await h.db.collection("accounts").findOne({ _id: gone.claims.sub } as never))?.active === false,
    );
    const message = offer(schoolId, "company-x");
    await h.producer.send(AdoptionOfferedEvent, message.ideaId, message);
    await waitFor("the e-mail", async () => (await emls(h)).some((m) => m.to.includes(active.email)));
    await settle();
    expect((await emls(h)).filter((m) => m.to.includes(gone.email))).toEqual([]);
    // the notice itself is the school's: the disabled account would still see it, were it to sign in
    expect((await list(gone)).items).toHaveLength(1);
  });
});

describe("an address that arrives after the notice", () => {
  it("is mailed the waiting notice once; a referent arriving later is not", async () => {
    const schoolId = uniqueId("school");
    const first = person("school", schoolId);
    const later = person("school", schoolId);
    const message = offer(schoolId, "company-w");
    await h.producer.send(AdoptionOfferedEvent, message.ideaId, message);
    await noticesOf(first, 1);
    await activate(h, [first]);
    await waitFor("the e-mail", async () => (await emls(h)).some((m) => m.to.includes(first.email)));
    await activate(h, [later]);
    await settle();
    expect((await emls(h)).filter((m) => m.to.includes(first.email))).toHaveLength(1);
    expect((await emls(h)).filter((m) => m.to.includes(later.email))).toEqual([]);
  });
});

describe("after a restart", () => {
  it("the same event delivered again to the restarted service neither adds a notice nor mails again", async () => {
    const schoolId = uniqueId("school");
    const referent = person("school", schoolId);
    await activate(h, [referent]);
    const message = offer(schoolId, "company-y");
    const eventId = uniqueId("ev");
    await h.producer.send(AdoptionOfferedEvent, message.ideaId, message, { id: eventId });
    await noticesOf(referent, 1);
    await waitFor("the e-mail", async () => (await emls(h)).some((m) => m.to.includes(referent.email)));

    await h.svc.restart();
    await h.producer.send(AdoptionOfferedEvent, message.ideaId, message, { id: eventId });
    // a later event on the same key shows the redelivered one was consumed before it
    const later = offer(schoolId, "company-z");
    later.ideaId = message.ideaId;
    await h.producer.send(AdoptionOfferedEvent, later.ideaId, later);
    await noticesOf(referent, 2);
    await waitFor(
      "the second e-mail",
      async () => (await emls(h)).filter((m) => m.to.includes(referent.email)).length >= 2,
    );
    await settle();
    expect((await list(referent)).items).toHaveLength(2);
    expect((await emls(h)).filter((m) => m.to.includes(referent.email))).toHaveLength(2);
  });
});
