// Reminders: the service's own booking events (BookingConfirmed, BookingRescheduled, BookingCancelled)
// turned into e-mails to the person, or to the school referent of a minor: a confirmation at once and
// a reminder 24 hours before; the change or the cancellation, the earlier reminder withdrawn. Each
// mail's id names its fact and the version applied per booking is recorded after the mails are
// enqueued: a redelivered event, or one applied again after a crash, enqueues nothing twice, and an
// event older than the one applied is ignored. The mail outbox sends them (retries, crash-safe).
import { romeDate } from "@lto/civil-time";
import { PreconditionFailedError } from "@lto/errors";
import {
  ADULT_AGE,
  ageOn,
  composeNotice,
  planNotices,
  serviceType,
  siteById,
  type BookingNoticeFact,
  type NoticeRecipient,
  type Person,
} from "../domain/index.js";
import type { Ports } from "./ports.js";

export type { BookingNoticeFact };

/** Why a booking's notices went to nobody (logged; see README, Reminders). */
export type NoRecipient = "team" | "unknown_person" | "no_email" | "minor_without_referent";

/** Who a booking's mails go to: the adult person, or a minor's school referent. */
export function noticeRecipient(person: Person, day: string): NoticeRecipient | NoRecipient {
  const name = `${person.givenName} ${person.familyName}`;
  if (ageOn(person.birthDate, day) < ADULT_AGE) {
    if (!person.referent) return "minor_without_referent";
    return { email: person.referent.email, name: person.referent.name, onBehalfOf: name };
  }
  return person.email ? { email: person.email, name } : "no_email";
}

const ATTEMPTS = 5;

export function reminderUseCases({
  persons,
  operators,
  paths,
  mailer,
  bookingReminders,
  reminderLog,
  clock,
}: Ports) {
  async function recipientOf(fact: BookingNoticeFact): Promise<NoticeRecipient | NoRecipient> {
    const person = await persons.get(fact.personId);
    if (person) return noticeRecipient(person, romeDate(fact.slot.start));
    // A team path's booking is held under the team's id: the team has no address of its own here.
    const path = await paths.byHolder(fact.personId);
    return path?.holder.kind === "team" ? "team" : "unknown_person";
  }

  /** Applies one booking event: the mails it calls for, then the version, in that order. */
  async function apply(fact: BookingNoticeFact): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const state = await bookingReminders.get(fact.bookingId);
      const plan = planNotices(state, fact, clock.now());
      if (!plan) return; // applied already, or overtaken by a later version
      for (const id of plan.cancel) {
        const status = await mailer.cancel(id);
        if (status === "sending" || status === "sent")
          reminderLog.warn(
            { bookingId: fact.bookingId, mailId: id, status },
            "the earlier reminder of a moved or cancelled booking had already gone out",
          );
      }
      if (plan.enqueue.length > 0) await enqueue(fact, plan.state.sequence, plan.enqueue);
      try {
        await bookingReminders.save(plan.state);
        return;
      } catch (e) {
        // Another instance applied an event of this booking meanwhile: read again (ids keep it once).
        if (!(e instanceof PreconditionFailedError) || attempt >= ATTEMPTS) throw e;
      }
    }
  }

  async function enqueue(
    fact: BookingNoticeFact,
    sequence: number,
    notices: NonNullable<ReturnType<typeof planNotices>>["enqueue"],
  ): Promise<void> {
    const recipient = await recipientOf(fact);
    if (typeof recipient === "string") {
      reminderLog.info(
        {
          bookingId: fact.bookingId,
          personId: fact.personId,
          reason: recipient,
          notices: notices.map((n) => n.id),
        },
        {
          team: "booking of a team path: no e-mail (the team has no address here; its school referent is told by staff)",
          unknown_person: "booking of a person this service does not know: no e-mail",
          no_email: "the person has no e-mail address: no e-mail (staff tell them)",
          minor_without_referent: "a minor without a school referent on record: no e-mail (staff tell them)",
        }[recipient],
      );
      return;
    }
    const service = serviceType(fact.serviceCode);
    const site = siteById(fact.slot.site);
    if (!service || !site) {
      reminderLog.warn(
        { bookingId: fact.bookingId, serviceCode: fact.serviceCode, site: fact.slot.site },
        "booking of an unknown service type or site: no e-mail",
      );
      return;
    }
    const operator = await operators.get(fact.slot.operatorId);
    const details = {
      bookingId: fact.bookingId,
      service,
      site,
      operatorName: operator?.name ?? "da confermare",
      slot: fact.slot,
      ...(fact.kind === "rescheduled" && fact.previous ? { previous: fact.previous } : {}),
      ...(fact.kind === "cancelled" ? { late: fact.late } : {}),
      sequence,
      at: fact.at,
    };
    let mails;
    try {
      mails = notices.map((notice) => ({
        notice,
        mail: composeNotice(notice.kind, details, recipient, mailer.from),
      }));
    } catch (err) {
      // Composing is pure: what fails now fails on every retry (an address a calendar cannot carry).
      reminderLog.warn(
        { bookingId: fact.bookingId, err: err instanceof Error ? err.message : String(err) },
        "the booking's e-mail cannot be composed: no e-mail (staff tell the person)",
      );
      return;
    }
    for (const { notice, mail } of mails)
      await mailer.enqueue({
        id: notice.id,
        to: [recipient.email],
        subject: mail.subject,
        text: mail.text,
        calendar: mail.calendar,
        ...(notice.notBefore ? { notBefore: notice.notBefore } : {}),
      });
  }

  return {
    bookingConfirmed: (fact: BookingNoticeFact & { kind: "confirmed" }) => apply(fact),
    bookingRescheduled: (fact: BookingNoticeFact & { kind: "rescheduled" }) => apply(fact),
    bookingCancelled: (fact: BookingNoticeFact & { kind: "cancelled" }) => apply(fact),
  };
}
