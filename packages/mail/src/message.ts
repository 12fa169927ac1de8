// A message as a service hands it to the outbox, checked before it is stored: a message that cannot be
// sent is refused at enqueue (where the caller can fix it), not discovered by the sender hours later.
import { ValidationError } from "@lto/errors";
import { z } from "zod";

export interface MailAttachment {
  /** Shown to the recipient, e.g. "appuntamento.ics". */
  filename: string;
  /** e.g. "text/calendar; charset=utf-8; method=REQUEST". */
  contentType: string;
  /** Text as is, or binary as base64 (then `encoding: "base64"`). */
  content: string;
  encoding?: "utf8" | "base64";
}

export interface MailMessage {
  /**
   * Deterministic id of the business fact, given by the caller (e.g. `reminder-24h-<bookingId>-<seq>`):
   * the same fact enqueued twice is stored once. Letters, digits, ".", "_" and "-" (it names a file).
   */
  id: string;
  to: readonly string[];
  cc?: readonly string[];
  replyTo?: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: readonly MailAttachment[];
  /** Not sent before this instant (a reminder 24 h before a booking); default: as soon as possible. */
  notBefore?: Date;
  /**
   * The body carries a secret (a one-time link): once the message is sent, given up or cancelled, the
   * outbox keeps only its envelope, so a later read of the store cannot use it.
   */
  secret?: boolean;
}

/** An id usable as a file name on any system and inside a Message-ID. */
export const MAIL_ID = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$/;

/** Above this a message is refused (the store keeps it in one document; mail servers refuse more anyway). */
export const MAX_MESSAGE_BYTES = 5 * 1024 * 1024;

const address = z.email({ error: "must be an e-mail address" });

const schema = z.object({
  id: z.string().regex(MAIL_ID, "must be 1-200 letters, digits, '.', '_' or '-', not starting with '.'"),
  to: z.array(address).min(1, "needs at least one recipient").max(50, "at most 50 recipients"),
  cc: z.array(address).max(50, "at most 50 recipients").optional(),
  replyTo: address.optional(),
  subject: z
    .string()
    .min(1, "must not be empty")
    .max(500, "at most 500 characters")
    .regex(/^[^\r\n]*$/, "must be one line"),
  text: z.string(),
  html: z.string().optional(),
  attachments: z
    .array(
      z.object({
        filename: z
          .string()
          .min(1, "must not be empty")
          .max(200, "at most 200 characters")
          .regex(/^[^/\\\r\n]+$/, "must be a plain file name"),
        contentType: z
          .string()
          .regex(/^[\w.+-]+\/[\w.+-]+(\s*;[^\r\n]*)?$/, "must be a content type like text/calendar"),
        content: z.string(),
        encoding: z.enum(["utf8", "base64"]).optional(),
      }),
    )
    .max(20, "at most 20 attachments")
    .optional(),
  notBefore: z.date({ error: "must be a Date" }).optional(),
  secret: z.boolean().optional(),
});

/** The message as stored, or a ValidationError naming every field at fault. */
export function checkMailMessage(message: MailMessage): MailMessage {
  const parsed = schema.safeParse(message);
  if (!parsed.success) {
    throw new ValidationError(
      "The e-mail cannot be queued: fix the fields named",
      parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    );
  }
  const size =
    Buffer.byteLength(message.text) +
    Buffer.byteLength(message.html ?? "") +
    (message.attachments ?? []).reduce((n, a) => n + Buffer.byteLength(a.content), 0);
  if (size > MAX_MESSAGE_BYTES) {
    throw new ValidationError("The e-mail cannot be queued: it is too large", [
      { path: "attachments", message: `the body and attachments exceed ${MAX_MESSAGE_BYTES} bytes` },
    ]);
  }
  return parsed.data;
}
