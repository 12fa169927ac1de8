// How a claimed message leaves: over SMTP (nodemailer) when SMTP_URL is set, otherwise as an .eml file
// (RFC 5322, built by nodemailer's MailComposer) in a directory a developer opens with any mail client.
import { randomBytes } from "node:crypto";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { createTransport } from "nodemailer";
import MailComposer, { type MailComposerOptions } from "nodemailer/lib/mail-composer";

/** One message ready to go: the stored message with its From, Message-ID and Date. */
export interface OutgoingMail {
  /** The outbox id: the .eml file's name. */
  id: string;
  /** The Message-ID header, `<id.service@domain>`: the same on every attempt. */
  messageId: string;
  from: string;
  to: readonly string[];
  cc?: readonly string[];
  replyTo?: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: readonly {
    filename: string;
    contentType: string;
    content: string;
    encoding?: "utf8" | "base64";
  }[];
  date: Date;
}

export interface MailTransport {
  /** "smtp" or "eml", for logs. */
  readonly kind: string;
  /** Resolves once the message is handed over (accepted by the server, or the file in place). */
  send(mail: OutgoingMail): Promise<void>;
  close(): Promise<void>;
}

/** nodemailer's fields for a message; no file or URL access (message content is data, never a path). */
function composerOptions(mail: OutgoingMail): MailComposerOptions {
  return {
    messageId: mail.messageId,
    date: mail.date,
    from: mail.from,
    to: [...mail.to],
    ...(mail.cc?.length ? { cc: [...mail.cc] } : {}),
    ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
    subject: mail.subject,
    text: mail.text,
    ...(mail.html !== undefined ? { html: mail.html } : {}),
    attachments: (mail.attachments ?? []).map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      content: a.content,
      ...(a.encoding === "base64" ? { encoding: "base64" } : {}),
    })),
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

/** The message as RFC 5322 bytes (what a mail server would receive). */
export function composeEml(mail: OutgoingMail): Promise<Buffer> {
  return new MailComposer(composerOptions(mail)).compile().build();
}

/**
 * Writes each message to `<dir>/<id>.eml`, atomically: the bytes go to a temporary file in the same
 * directory, are flushed to disk, and the file is renamed over the name. A crash leaves either no file
 * or a whole one, and writing the same message again replaces the file with itself: one message.
 */
export function emlDirectoryTransport(dir: string): MailTransport {
  let ready: Promise<unknown> | undefined;
  return {
    kind: "eml",
    async send(mail) {
      await (ready ??= mkdir(dir, { recursive: true }));
      const bytes = await composeEml(mail);
      const temp = join(dir, `.${mail.id}.${randomBytes(6).toString("hex")}.tmp`);
      try {
        const file = await open(temp, "wx");
        try {
          await file.writeFile(bytes);
          await file.sync();
        } finally {
          await file.close();
        }
        await rename(temp, join(dir, `${mail.id}.eml`));
      } catch (err) {
        await rm(temp, { force: true });
        throw err;
      }
    },
    async close() {},
  };
}

/**
 * Sends over SMTP. Time-outs are kept well inside the outbox's claim (60 s by default), so an attempt
 * ends, one way or the other, before another instance may take the message over.
 */
export function smtpTransport(url: string): MailTransport {
  const transporter = createTransport({
    url,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return {
    kind: "smtp",
    async send(mail) {
      await transporter.sendMail(composerOptions(mail));
    },
    async close() {
      transporter.close();
    },
  };
}
