// Reminders end to end on the real broker and store: booking events published as the bookings part
// publishes them (the service's own topic, generated contract types) for persons registered over
// HTTP; the service's consumer enqueues the mails, its sender (a periodic job on the service's clock)
// writes them as .eml files under MAIL_DIR, and the tests read them back: headers, the Italian text,
// the .ics with its METHOD, UID and SEQUENCE (the event's: a skipped event leaves no gap). Redelivered
// and stale events send nothing twice; a minor's mails go to their school referent; a team's booking
// and a person without e-mail to nobody.
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  BookingCancelledEvent,
  BookingConfirmedEvent,
  BookingRescheduledEvent,
  IdeaAdoptedEvent,
  topics,
} from "@lto/contracts";
import { mailOutbox, type MailOutbox } from "@lto/mail";
import { AggregateStore } from "@lto/store";
import { groupLag, waitFor } from "@lto/testkit";
import { eventProducer, type EventProducer, type TestService } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCHOOL_REFERENT } from "../fixtures.js";
import { anOperator, deliveryBody, ideaAdopted } from "./paths-support.js";
import {
  cancelled,
  confirmed,
  HOUR,
  mailFiles,
  readMail,
  rescheduled,
  type SlotInput,
} from "./reminders-support.js";
import { callers, ok, personBody, startSelfEmployment } from "./support.js";

let svc: TestService;
let events: EventProducer;
let dir: string;
let operatorId: string;
/** The service's outbox read from the test (its own store connection): statuses and due times. */
let store: AggregateStore;
let outbox: MailOutbox;
const staff = () => svc.as(callers.staff);

async function consumed() {
  await waitFor(
    "the service's own topic consumed",
    async () => (await groupLag(svc.groupId, topics.selfemployment)) === 0,
    170_000,
  );
}

/** A registered adult (or a minor with their referent) at lto-mantova. */
async function person(over: Record<string, unknown> = {}, age = 20) {
  const body = personBody(svc, over, age);
  return (await ok(staff(), "POST", "/v1/persons", body)) as {
    id: string;
    givenName: string;
    familyName: string;
    email?: string;
  };
}

/** A booking start `days` ahead on the service's clock, on a whole quarter hour. */
function startIn(days: number): Date {
  const t = svc.clock.now().getTime() + days * 24 * HOUR;
  return new Date(Math.ceil(t / (15 * 60_000)) * 15 * 60_000);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lto-se-mail-"));
  svc = await startSelfEmployment({ env: { MAIL_DIR: dir, MAIL_SENDER_EVERY_MS: "100" } });
  events = await eventProducer();
  store = await AggregateStore.open({ url: svc.mongoUrl, dbName: svc.dbName });
  outbox = mailOutbox(
    store,
    { SERVICE_NAME: "self-employment", MAIL_FROM: "x@lto.local", MAIL_DIR: dir },
    svc.clock,
  );
  operatorId = await anOperator(svc);
  // A fresh group reads the service's topic from the beginning (other tests' events too).
  await consumed();
}, 240_000);
afterAll(async () => {
  await events?.stop();
  await store?.close();
  await svc?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("a confirmed booking", () => {
  it("is confirmed by mail at once and reminded 24 h before, each written once, with the invitation", async () => {
    const giulia = await person();
    const bookingId = randomUUID();
    const slot: SlotInput = { start: startIn(3), operatorId };
    await events.send(BookingConfirmedEvent, giulia.id, confirmed(giulia.id, bookingId, slot));

    const confirmation = `booking-${bookingId}-v1-confirmed.eml`;
    await waitFor("the confirmation", async () => (await mailFiles(dir, bookingId)).includes(confirmation));
    const mail = await readMail(dir, confirmation);
    expect(mail.headers.to).toBe(giulia.email);
    expect(mail.headers["message-id"]).toBe(`<booking-${bookingId}-v1-confirmed.self-employment@lto.local>`);
    expect(mail.subject).toMatch(/^Prenotazione confermata: Accoglienza/);
    expect(mail.text).toContain(`Gentile ${giulia.givenName} ${giulia.familyName},`);
    expect(mail.text).toContain("Dove: LTO Mantova, Mantova, Sala colloqui 1");
    expect(mail.text).toContain("Operatore: Laura Bianchi");
    expect(mail.text).toContain("Cosa portare: un documento d'identità");
    expect(mail.ics).toMatchObject({
      method: "REQUEST",
      uid: `${bookingId}@self-employment.lto-mantova.it`,
      sequence: 0,
      status: "CONFIRMED",
      start: slot.start,
      contentType: expect.stringContaining("method=REQUEST"),
    });

    // The reminder waits for its time: 24 h before the start, on the service's clock.
    const reminderId = `reminder-${bookingId}-s0`;
    const stored = await outbox.get(reminderId);
    expect(stored).toMatchObject({
      status: "pending",
      notBefore: new Date(slot.start.getTime() - 24 * HOUR),
    });
    expect(await mailFiles(dir, bookingId)).toEqual([confirmation]);

    svc.clock.set(new Date(slot.start.getTime() - 24 * HOUR + 1000));
    await waitFor("the reminder", async () => (await outbox.get(reminderId))?.status === "sent");
    expect(await mailFiles(dir, bookingId)).toEqual([confirmation, `${reminderId}.eml`]);
    const reminder = await readMail(dir, `${reminderId}.eml`);
    expect(reminder.subject).toMatch(/^Promemoria: Accoglienza, .* alle \d\d:\d\d$/);
    expect(reminder.text).toContain("Vi ricordiamo il prossimo appuntamento.");
    expect(reminder.ics).toMatchObject({ method: "REQUEST", sequence: 0, uid: mail.ics.uid });
    expect((await outbox.get(reminderId))!.attempts).toBe(1);
  });

  it("redelivered, published again, or overtaken: nothing twice", async () => {
    const giulia = await person();
    const bookingId = randomUUID();
    const slot: SlotInput = { start: startIn(5), operatorId };
    const message = confirmed(giulia.id, bookingId, slot);
    const eventId = await events.send(BookingConfirmedEvent, giulia.id, message);
    await events.send(BookingConfirmedEvent, giulia.id, message, { id: eventId }); // redelivery
    await events.send(BookingConfirmedEvent, giulia.id, message); // the same fact published again
    await consumed();
    await waitFor(
      "the confirmation sent",
      async () => (await outbox.get(`booking-${bookingId}-v1-confirmed`))?.status === "sent",
    );
    expect(await mailFiles(dir, bookingId)).toEqual([`booking-${bookingId}-v1-confirmed.eml`]);
    const first = await readMail(dir, `booking-${bookingId}-v1-confirmed.eml`);
    expect((await outbox.get(`booking-${bookingId}-v1-confirmed`))!.attempts).toBe(1);
    expect((await readMail(dir, `booking-${bookingId}-v1-confirmed.eml`)).raw).toBe(first.raw);
  });
});

describe("a moved, then cancelled booking", () => {
  // Events without SEQUENCE (as written before events carried it): the reminders count it on.
  it("withdraws the old reminder, sends the change (SEQUENCE 1) and the cancellation (METHOD:CANCEL, SEQUENCE 2)", async () => {
    const giulia = await person();
    const bookingId = randomUUID();
    const first: SlotInput = { start: startIn(4), operatorId };
    const moved: SlotInput = {
      start: new Date(first.start.getTime() + 26 * HOUR),
      operatorId,
      roomId: "lto-mantova-sala-2",
    };
    await events.send(BookingConfirmedEvent, giulia.id, confirmed(giulia.id, bookingId, first));
    await events.send(BookingRescheduledEvent, giulia.id, rescheduled(giulia.id, bookingId, moved, first, 2));
    const change = `booking-${bookingId}-v2-rescheduled`;
    await waitFor("the change sent", async () => (await outbox.get(change))?.status === "sent");
    expect(await outbox.get(`reminder-${bookingId}-s0`)).toMatchObject({ status: "cancelled" });
    expect(await outbox.get(`reminder-${bookingId}-s1`)).toMatchObject({
      status: "pending",
      notBefore: new Date(moved.start.getTime() - 24 * HOUR),
    });
    const changed = await readMail(dir, `${change}.eml`);
    expect(changed.subject).toMatch(/^Appuntamento spostato: Accoglienza, ora /);
    expect(changed.text).toContain("Dove: LTO Mantova, Mantova, Sala colloqui 2");
    expect(changed.text).toMatch(/Prima era: .*Sala colloqui 1/);
    expect(changed.ics).toMatchObject({
      method: "REQUEST",
      sequence: 1,
      start: moved.start,
      uid: `${bookingId}@self-employment.lto-mantova.it`,
    });

    // A stale confirmation (an older version) arrives late: nothing happens.
    await events.send(BookingConfirmedEvent, giulia.id, confirmed(giulia.id, bookingId, first));
    await events.send(BookingCancelledEvent, giulia.id, cancelled(giulia.id, bookingId, moved, 3, true));
    const cancellation = `booking-${bookingId}-v3-cancelled`;
    await waitFor("the cancellation sent", async () => (await outbox.get(cancellation))?.status === "sent");
    expect(await outbox.get(`reminder-${bookingId}-s1`)).toMatchObject({ status: "cancelled" });
    const cancel = await readMail(dir, `${cancellation}.eml`);
    expect(cancel.subject).toMatch(/^Appuntamento annullato: Accoglienza/);
    expect(cancel.text).toContain("disdetta tardiva");
    expect(cancel.ics).toMatchObject({
      method: "CANCEL",
      status: "CANCELLED",
      sequence: 2,
      uid: `${bookingId}@self-employment.lto-mantova.it`,
      contentType: expect.stringContaining("method=CANCEL"),
    });

    // Past both reminders' times: neither goes out.
    await consumed();
    svc.clock.set(new Date(moved.start.getTime() - HOUR));
    const marker = await person();
    const markerBooking = randomUUID();
    await events.send(
      BookingConfirmedEvent,
      marker.id,
      confirmed(marker.id, markerBooking, { start: startIn(2), operatorId }),
    );
    // The marker's confirmation is written by a sender run at the later time, which saw no reminder due.
    await waitFor(
      "a sender run after the move of the clock",
      async () => (await outbox.get(`booking-${markerBooking}-v1-confirmed`))?.status === "sent",
    );
    expect(await mailFiles(dir, bookingId)).toEqual(
      [`${cancellation}.eml`, `${change}.eml`, `booking-${bookingId}-v1-confirmed.eml`].sort(),
    );
  });
});

describe("a move after a skipped event", () => {
  it("takes the SEQUENCE the event carries: the change's .ics says 2, every earlier reminder withdrawn", async () => {
    const giulia = await person();
    const bookingId = randomUUID();
    const first: SlotInput = { start: startIn(4), operatorId };
    const moved: SlotInput = { start: new Date(first.start.getTime() + 50 * HOUR), operatorId };
    await events.send(BookingConfirmedEvent, giulia.id, confirmed(giulia.id, bookingId, first));
    // version 2 (the first move, SEQUENCE 1) was parked: version 3, SEQUENCE 2, comes straight after
    await events.send(
      BookingRescheduledEvent,
      giulia.id,
      rescheduled(giulia.id, bookingId, moved, first, 3, 2),
    );
    const change = `booking-${bookingId}-v3-rescheduled`;
    await waitFor("the change sent", async () => (await outbox.get(change))?.status === "sent");
    const changed = await readMail(dir, `${change}.eml`);
    expect(changed.ics).toMatchObject({
      method: "REQUEST",
      sequence: 2, // counting would say 1
      start: moved.start,
      uid: `${bookingId}@self-employment.lto-mantova.it`,
    });
    expect(await outbox.get(`reminder-${bookingId}-s0`)).toMatchObject({ status: "cancelled" });
    expect(await outbox.get(`reminder-${bookingId}-s1`)).toBeUndefined();
    expect(await outbox.get(`reminder-${bookingId}-s2`)).toMatchObject({
      status: "pending",
      notBefore: new Date(moved.start.getTime() - 24 * HOUR),
    });
  });
});

describe("the school referent of a minor, over HTTP", () => {
  it("is required at 16-17, checked in every field, refused for an adult, nothing stored; shown to staff only", async () => {
    const count = async () =>
      (await ok(svc.as(callers.admin), "GET", "/v1/sites/lto-mantova/persons?limit=100")).items.length;
    const before = await count();
    const minor = (over: Record<string, unknown>) => {
      const body = personBody(svc, {}, 16);
      return { ...body, guardianConsent: { name: "Anna Conti", date: body.consent.date }, ...over };
    };
    const cases: [unknown, string][] = [
      [minor({}), "referent"],
      [minor({ referent: { ...SCHOOL_REFERENT, name: "X" } }), "referent.name"],
      [minor({ referent: { ...SCHOOL_REFERENT, email: "ferrari-at-scuola" } }), "referent.email"],
      [minor({ referent: { ...SCHOOL_REFERENT, subject: "" } }), "referent.subject"],
      [minor({ referent: { ...SCHOOL_REFERENT, phone: "0376 1" } }), "referent.phone"],
      [minor({ referent: "Prof.ssa Ferrari" }), "referent"],
      [personBody(svc, { referent: SCHOOL_REFERENT }, 30), "referent"],
    ];
    for (const [body, field] of cases) {
      const res = await staff().post("/v1/persons", body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(field);
    }
    expect(await count()).toBe(before);

    const sara = await person(
      {
        guardianConsent: { name: "Anna Conti", date: personBody(svc).consent.date },
        referent: SCHOOL_REFERENT,
      },
      16,
    );
    expect(sara).toMatchObject({ referent: SCHOOL_REFERENT });
    const seen = await ok(svc.as(callers.programme), "GET", `/v1/persons/${sara.id}`);
    expect(seen.referent).toBeUndefined();
  });
});

describe("who is told", () => {
  it("a minor's mails go to their school referent, who also confirms the minor's deliveries", async () => {
    const sara = await person(
      {
        guardianConsent: { name: "Anna Conti", date: personBody(svc).consent.date },
        referent: SCHOOL_REFERENT,
      },
      17,
    );
    const bookingId = randomUUID();
    await events.send(
      BookingConfirmedEvent,
      sara.id,
      confirmed(sara.id, bookingId, { start: startIn(3), operatorId }),
    );
    const name = `booking-${bookingId}-v1-confirmed.eml`;
    await waitFor("the referent's confirmation", async () =>
      (await mailFiles(dir, bookingId)).includes(name),
    );
    const mail = await readMail(dir, name);
    expect(mail.headers.to).toBe(SCHOOL_REFERENT.email);
    expect(mail.text).toContain(`Gentile ${SCHOOL_REFERENT.name},`);
    expect(mail.text).toContain(`come referente scolastico di ${sara.givenName} ${sara.familyName}`);

    // The referent's school account signs the minor's delivery; another school account cannot.
    const path = await ok(staff(), "POST", `/v1/persons/${sara.id}/path`, {});
    const d = await ok(
      staff(),
      "POST",
      `/v1/paths/${path.id}/deliveries`,
      deliveryBody(svc, operatorId, "accoglienza"),
    );
    const url = `/v1/paths/${path.id}/deliveries/${d.delivery.id}/confirmation`;
    const other = await svc.as({ sub: "referent-other", role: "school", org: "school-other" }).post(url);
    expect(other.status).toBe(403);
    expect(other.body.detail).toMatch(
      /minor: their school referent confirms, signed in with the school account/,
    );
    const signed = await svc
      .as({ sub: SCHOOL_REFERENT.subject, role: "school", org: "school-fermi-mantova" })
      .post(url);
    expect(signed.status).toBe(200);
    expect(signed.body.delivery).toMatchObject({ status: "confirmed" });
  });

  it("a team's booking and a person without e-mail: no mail (logged)", async () => {
    const ideaId = `idea-${randomUUID()}`;
    await events.send(IdeaAdoptedEvent, ideaId, ideaAdopted(ideaId));
    await waitFor(
      "the team's path",
      async () => (await svc.as(callers.school).get(`/v1/ideas/${ideaId}/path`)).status === 200,
      60_000,
    );
    const noMail = await person({ email: undefined, phone: "+39 333 1234567" });
    const team = randomUUID();
    const phoneOnly = randomUUID();
    await events.send(
      BookingConfirmedEvent,
      ideaId,
      confirmed(ideaId, team, { start: startIn(3), operatorId }),
    );
    await events.send(
      BookingConfirmedEvent,
      noMail.id,
      confirmed(noMail.id, phoneOnly, { start: startIn(3), operatorId }),
    );
    await consumed();
    for (const id of [team, phoneOnly]) {
      expect(await outbox.get(`booking-${id}-v1-confirmed`)).toBeUndefined();
      expect(await mailFiles(dir, id)).toEqual([]);
    }
  });
});
