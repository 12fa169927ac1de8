// Notices that need action, as e-mail through the service's mail outbox (@lto/mail): one message per
// notice and account, its id derived from both, so a redelivered event or a repeated sweep queues
// nothing twice, and the outbox writes each once even across a crash.
import { createHash } from "node:crypto";
import type { MailOutbox } from "@lto/mail";
import type { NoticeMailer } from "../app/index.js";
import { formatInstant } from "../domain/index.js";

const FOOTER = {
  it: (url: string) => `Apri il portale LTO per vederla: ${url}`,
  en: (url: string) => `Open the LTO portal to see it: ${url}`,
};
const DEADLINE = { it: "Scadenza", en: "Deadline" };

export function noticeMailer(outbox: MailOutbox, portalUrl: string): NoticeMailer {
  return {
    mailId: (noticeId, subject) =>
      `notice-${createHash("sha256").update(`${noticeId}\n${subject}`).digest("hex").slice(0, 40)}`,
    enqueue({ id, to, locale, notice }) {
      const text = notice.texts[locale];
      const lines = [
        text.body,
        ...(notice.deadline ? ["", `${DEADLINE[locale]}: ${formatInstant(notice.deadline, locale)}`] : []),
        "",
        FOOTER[locale](portalUrl),
      ];
      return outbox.enqueue({ id, to: [to], subject: text.title, text: `${lines.join("\n")}\n` });
    },
  };
}
