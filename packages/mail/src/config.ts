// The mail settings, a zod block a service adds to its environment schema:
//   hostedEnv({ name, httpPort, grpcPort }).extend(mailEnv.shape)
import { z } from "zod";

/** "addr@host" or "Display Name <addr@host>". */
const MAILBOX = /^(?:[^<>\r\n]*<\s*[^\s@<>]+@[^\s@<>]+\s*>|[^\s@<>]+@[^\s@<>]+)$/;

/** What goes out as From when MAIL_FROM is not set (a development address: deployments name their own). */
export const DEFAULT_MAIL_FROM = "LTO Mantova <noreply@lto.local>";

function isSmtpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === "smtp:" || url.protocol === "smtps:") && url.hostname !== "";
}

export const mailEnv = z.object({
  /**
   * Send over SMTP (nodemailer): smtp://user:pass@host:587 (STARTTLS when offered) or
   * smtps://user:pass@host:465 (TLS from the start). Unset: messages are written as .eml files.
   */
  SMTP_URL: z
    .string()
    .refine(
      isSmtpUrl,
      "must be an smtp:// or smtps:// URL with a host, e.g. smtps://user:password@mail.example.org:465 " +
        "(leave it unset to write messages as .eml files instead)",
    )
    .optional(),
  /** The From of every message. */
  MAIL_FROM: z
    .string()
    .regex(MAILBOX, 'must be an address, e.g. noreply@example.org or "LTO Mantova <noreply@example.org>"')
    .default(DEFAULT_MAIL_FROM),
  /** Where .eml files go without SMTP_URL (default: <LTO_DATA_DIR>/mail/<service>). */
  MAIL_DIR: z.string().min(1).optional(),
  /** The platform's data directory (default: <repo>/.data, as the local runtime's). */
  LTO_DATA_DIR: z.string().min(1).optional(),
});

export type MailConfig = z.infer<typeof mailEnv>;
