// "Written once" after a crash, at the service level. @lto/mail proves its outbox on its own (one
// file per id, a lapsed claim taken over); here the service's wiring is put through the two crashes
// that matter to reminders:
// 1. a sender dies between writing the reminder's .eml and marking it sent (another instance on the
//    service's store, whose clock reaches the reminder first, dies in between): the service's own
//    sender leaves the claimed message alone until the claim lapses on the service's clock, then
//    writes it again under the same name with the same bytes: one message;
// 2. the service stops after enqueuing a booking's mails and before recording the version applied
//    (the state a kill leaves: mails in the outbox, no record, the event not committed), starts again
//    on the same store and gets the event again: nothing is enqueued twice, one file per mail.
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BookingConfirmedEvent, topics } from "@lto/contracts";
import { DEFAULT_MAIL_FROM, mailOutbox, type MailOutbox } from "@lto/mail";
import { AggregateStore } from "@lto/store";
import { groupLag, waitFor } from "@lto/testkit";
import { eventProducer, TestClock, type EventProducer, type TestService } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anOperator } from "./paths-support.js";
import { confirmed, HOUR, mailFiles, readMail, type SlotInput } from "./reminders-support.js";
import { callers, ok, personBody, startSelfEmployment } from "./support.js";

let svc: TestService;
let events: EventProducer;
let dir: string;
let operatorId: string;
let store: AggregateStore;
/** The service's outbox as the test reads it (statuses, attempts), on its own connection. */
let outbox: MailOutbox;
const mailSettings = () => ({ SERVICE_NAME: "self-employment", MAIL_FROM: DEFAULT_MAIL_FROM, MAIL_DIR: dir });

async function consumed() {
  await waitFor(
    "the service's own topic consumed",
    async () => (await groupLag(svc.groupId, topics.selfemployment)) === 0,
    170_000,
  );
}

async function adult() {
  return (await ok(svc.as(callers.staff), "POST", "/v1/persons", personBody(svc))) as { id: string };
}

function startIn(days: number): Date {
  const t = svc.clock.now().getTime() + days * 24 * HOUR;
  return new Date(Math.ceil(t / (15 * 60_000)) * 15 * 60_000);
}

/** A booking confirmed over the topic; resolves once its confirmation is sent and its reminder waits. */
async function book(): Promise<{ bookingId: string; slot: SlotInput; personId: string; eventId: string }> {
  const { id: personId } = await adult();
  const bookingId = randomUUID();
  const slot: SlotInput = { start: startIn(3), operatorId };
  const eventId = await events.send(BookingConfirmedEvent, personId, confirmed(personId, bookingId, slot));
  await waitFor(
    "the confirmation sent",
    async () => (await outbox.get(`booking-${bookingId}-v1-confirmed`))?.status === "sent",
  );
  expect(await outbox.get(`reminder-${bookingId}-s0`)).toMatchObject({ status: "pending" });
  return { bookingId, slot, personId, eventId };
}

/** Proof that the service's sender ran at the clock's present time: a fresh confirmation goes out. */
async function senderRan() {
  const { id: personId } = await adult();
  const marker = randomUUID();
  await events.send(
    BookingConfirmedEvent,
    personId,
    confirmed(personId, marker, { start: startIn(2), operatorId }),
  );
  await waitFor(
    "a sender run",
    async () => (await outbox.get(`booking-${marker}-v1-confirmed`))?.status === "sent",
  );
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lto-se-mail-crash-"));
  svc = await startSelfEmployment({ env: { MAIL_DIR: dir, MAIL_SENDER_EVERY_MS: "100" }, keepData: true });
  events = await eventProducer();
  store = await AggregateStore.open({ url: svc.mongoUrl, dbName: svc.dbName });
  outbox = mailOutbox(store, mailSettings(), svc.clock);
  operatorId = await anOperator(svc);
  await consumed();
}, 240_000);
afterAll(async () => {
  await events?.stop();
  await svc?.close();
  await store?.connection.dropDatabase().catch(() => undefined);
  await store?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("a reminder is written once", () => {
  it("when a sender dies between writing it and marking it sent", async () => {
    const { bookingId, slot } = await book();
    const reminderId = `reminder-${bookingId}-s0`;
    const due = slot.start.getTime() - 24 * HOUR;

    // Another instance, whose clock is past the reminder's time, claims it, writes it, and dies.
    const otherStore = await AggregateStore.open({ url: svc.mongoUrl, dbName: svc.dbName });
    try {
      const otherClock = new TestClock();
      otherClock.set(new Date(due + 1000));
      const dying = mailOutbox(otherStore, mailSettings(), otherClock, {
        hooks: {
          afterSend: () => {
            throw new Error("killed after writing, before marking sent");
          },
        },
      });
      await expect(dying.sendDue()).rejects.toThrow(/killed after writing/);
    } finally {
      await otherStore.close();
    }
    const name = `${reminderId}.eml`;
    const written = await readMail(dir, name);
    expect(await outbox.get(reminderId)).toMatchObject({ status: "sending", attempts: 1 });

    // Due on the service's clock, but the dead sender's claim (60 s) holds: the service waits.
    svc.clock.set(new Date(due + 30_000));
    await senderRan();
    expect(await outbox.get(reminderId)).toMatchObject({ status: "sending", attempts: 1 });

    // The claim lapses: the service's sender takes the reminder over and writes it again.
    svc.clock.set(new Date(due + 62_000));
    await waitFor("the reminder taken over", async () => (await outbox.get(reminderId))?.status === "sent");
    expect(await outbox.get(reminderId)).toMatchObject({ status: "sent", attempts: 2 });
    expect(await mailFiles(dir, bookingId)).toEqual([`booking-${bookingId}-v1-confirmed.eml`, name]);
    // The same message: same Message-ID and Date, same recipients, text and invitation (only the
    // MIME boundary, drawn at random by the composer, differs).
    const mail = await readMail(dir, name);
    for (const header of ["message-id", "date", "to", "from", "subject"])
      expect(mail.headers[header], header).toBe(written.headers[header]);
    expect(mail.text).toBe(written.text);
    expect(mail.icsText).toBe(written.icsText);
    expect(mail.headers["message-id"]).toBe(`<${reminderId}.self-employment@lto.local>`);
    expect(mail.ics).toMatchObject({ method: "REQUEST", sequence: 0 });
  });

  it("when the service stops after enqueuing, before recording the event, and gets the event again", async () => {
    const { bookingId, slot, personId, eventId } = await book();
    const confirmation = `booking-${bookingId}-v1-confirmed`;
    const before = await outbox.get(`reminder-${bookingId}-s0`);

    // What a kill in between leaves: the mails enqueued, the version applied not recorded; then the
    // service starts again on the same store.
    const records = store.aggregates<{ id: string; version: number }>({ name: "booking_reminders" });
    expect(await records.deleteMany({ _id: bookingId })).toBe(1);
    await svc.restart();

    // The event comes again (not committed before the crash), with its id.
    await events.send(BookingConfirmedEvent, personId, confirmed(personId, bookingId, slot), { id: eventId });
    await consumed();
    expect(await records.get(bookingId)).toMatchObject({ bookingVersion: 1, sequence: 0 });
    expect(await outbox.get(`reminder-${bookingId}-s0`)).toEqual(before);
    expect(await outbox.get(confirmation)).toMatchObject({ status: "sent", attempts: 1 });

    svc.clock.set(new Date(slot.start.getTime() - 24 * HOUR + 1000));
    await waitFor(
      "the reminder",
      async () => (await outbox.get(`reminder-${bookingId}-s0`))?.status === "sent",
    );
    await senderRan();
    expect(await mailFiles(dir, bookingId)).toEqual([`${confirmation}.eml`, `reminder-${bookingId}-s0.eml`]);
    expect(await outbox.get(`reminder-${bookingId}-s0`)).toMatchObject({ attempts: 1 });
  });
});
