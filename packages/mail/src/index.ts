/**
 * @lto/mail: e-mail from a service's own outbox. `enqueue` stores a message once per caller-given id,
 * `cancel` withdraws it, and `senderJob` (a periodic job of the service host) sends due messages over
 * SMTP, or writes them as .eml files, with retries. See README.md.
 */
export { DEFAULT_MAIL_FROM, mailEnv, type MailConfig } from "./config.js";
export {
  checkMailMessage,
  MAIL_ID,
  MAX_MESSAGE_BYTES,
  type MailAttachment,
  type MailMessage,
} from "./message.js";
export { mailMetrics, type MailOutcome } from "./metrics.js";
export {
  mailDirectory,
  mailOutbox,
  SECRET_REMOVED,
  type MailOutbox,
  type MailOutboxOptions,
  type MailStatus,
  type OutboxMail,
} from "./outbox.js";
export {
  composeEml,
  emlDirectoryTransport,
  smtpTransport,
  type MailTransport,
  type OutgoingMail,
} from "./transport.js";
