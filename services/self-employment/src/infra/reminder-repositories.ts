// The reminders' adapters: the per-booking state on the store, and the mailer on the service's mail
// outbox (@lto/mail), which attaches each mail's calendar event as an iTIP .ics (METHOD:REQUEST, or
// METHOD:CANCEL once cancelled) rendered with @lto/calendar.
import { calendarMessageMethod, icsMessageContentType, renderCalendarMessage } from "@lto/calendar/ics";
import { PreconditionFailedError } from "@lto/errors";
import type { MailOutbox } from "@lto/mail";
import type { BookingMailer, BookingReminderRepository } from "../app/index.js";
import type { SelfEmploymentCollections } from "./store.js";

export function bookingReminderRepository(
  reminders: SelfEmploymentCollections["bookingReminders"],
): BookingReminderRepository {
  return {
    get: (bookingId) => reminders.get(bookingId),
    async save(state) {
      if (state.version === 0) {
        if (!(await reminders.insert({ ...state, version: 1 })))
          throw new PreconditionFailedError(`booking ${state.id}: its reminders were applied meanwhile`);
        return;
      }
      await reminders.update(state, state.version);
    },
  };
}

/** "LTO Mantova <noreply@lto.local>" -> { name, email }: who invitations come from. */
export function mailbox(from: string): { name: string; email: string } {
  const match = /^\s*"?([^"<]*?)"?\s*<\s*([^\s<>]+)\s*>\s*$/.exec(from);
  if (match) return { name: match[1]!.trim() || "LTO Mantova", email: match[2]! };
  return { name: "LTO Mantova", email: from.trim() };
}

export function bookingMailer(
  outbox: MailOutbox,
  from: string,
  opts: { replyTo?: string } = {},
): BookingMailer {
  return {
    from: mailbox(from),
    enqueue(mail) {
      const method = calendarMessageMethod(mail.calendar);
      return outbox.enqueue({
        id: mail.id,
        to: mail.to,
        ...(opts.replyTo ? { replyTo: opts.replyTo } : {}),
        subject: mail.subject,
        text: mail.text,
        attachments: [
          {
            filename: method === "CANCEL" ? "annullamento.ics" : "appuntamento.ics",
            contentType: icsMessageContentType(method),
            // DTSTAMP is when the fact happened: the same mail composed again is the same bytes.
            content: renderCalendarMessage(mail.calendar, {
              generatedAt: mail.calendar.lastModified,
              product: "self-employment",
            }),
          },
        ],
        ...(mail.notBefore ? { notBefore: mail.notBefore } : {}),
      });
    },
    cancel: (id) => outbox.cancel(id),
  };
}
