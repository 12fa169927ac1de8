// The mail outbox of one service: messages stored in the service's own store (collection `mail_outbox`)
// under the caller's deterministic id, and a sender, run as a periodic job of the service host, that
// claims due messages one at a time in the store (a versioned conditional update: one instance wins),
// sends them, and marks them sent, or schedules a retry with exponential backoff and jitter, or gives up
// after the last attempt and keeps the message as failed with its last error.
import { isAbsolute, join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { backoffDelay, type BackoffOptions } from "@lto/messaging";
import type { Clock, Periodic } from "@lto/service-host";
import type { Aggregate, AggregateStore } from "@lto/store";
import type { Logger } from "@lto/telemetry";
import type { MailConfig } from "./config.js";
import { checkMailMessage, type MailAttachment, type MailMessage } from "./message.js";
import { mailMetrics } from "./metrics.js";
import { emlDirectoryTransport, smtpTransport, type MailTransport, type OutgoingMail } from "./transport.js";

export type MailStatus = "pending" | "sending" | "sent" | "failed" | "cancelled";

/** A message in the outbox, as `get` returns it. */
export interface OutboxMail extends Aggregate {
  status: MailStatus;
  to: string[];
  cc?: string[];
  replyTo?: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: MailAttachment[];
  notBefore: Date;
  enqueuedAt: Date;
  /** Pending: when the next attempt may start. Sending: when the claim lapses (its sender presumed dead). */
  dueAt: Date;
  /** Attempts started (a claim counts, so an attempt cut short by a crash counts too). */
  attempts: number;
  lastError?: string;
  sentAt?: Date;
  /** When it was given up (failed) or cancelled. */
  closedAt?: Date;
  /** Its body held a secret: emptied once the message is closed (sent, failed or cancelled). */
  secret?: boolean;
}

/** What a closed message keeps of a secret body. */
export const SECRET_REMOVED = "[removed once the message was closed: it held a one-time secret]";

/** The message once closed: a secret body is replaced, its html and attachments dropped. */
function closed(mail: OutboxMail): OutboxMail {
  if (!mail.secret) return mail;
  const { html: _html, attachments: _attachments, ...rest } = mail;
  return { ...rest, text: SECRET_REMOVED };
}

export interface MailOutboxOptions {
  /** Overrides the transport chosen from the config (tests wrap the real one). */
  transport?: MailTransport;
  logger?: Pick<Logger, "info" | "warn">;
  /** Attempts before a message is marked failed (default 8). */
  maxAttempts?: number;
  /** Delay before each retry (default 30 s doubling up to 1 h, up to half of it taken off at random). */
  backoff?: Partial<BackoffOptions>;
  /** How long a claim holds before another instance may take the message over (default 60 s). */
  claimMs?: number;
  /** How often the sender job runs (default 5 s). */
  everyMs?: number;
  /** Messages sent per run at most, so a stop is not held up by a long queue (default 100). */
  batch?: number;
  /** Collection name (default `mail_outbox`). */
  collection?: string;
  /**
   * Test hooks. `afterSend` runs once the transport has the message and before it is marked sent;
   * throwing there simulates a sender that dies in between.
   */
  hooks?: { afterSend?: (mail: OutboxMail) => void | Promise<void> };
}

export interface MailOutbox {
  /**
   * Stores the message to be sent at or after `notBefore`. True when stored now, false when a message
   * with this id is already in the outbox (a retried request, a redelivered event, a job run twice):
   * the first one stands. A ValidationError names any field that cannot be sent.
   */
  enqueue(message: MailMessage): Promise<boolean>;
  /**
   * Withdraws a message not yet sent. Returns its status afterwards: "cancelled" (it will never go out),
   * "sending" (an attempt is under way: it may still arrive), "sent", "failed", or undefined (unknown id).
   */
  cancel(id: string): Promise<MailStatus | undefined>;
  get(id: string): Promise<OutboxMail | undefined>;
  /** Sends what is due now, one message at a time; returns how many it handled (sent, retried or failed). */
  sendDue(): Promise<number>;
  /** The sender as a periodic entry of the service host (`periodic: [mail.senderJob]`). */
  readonly senderJob: Periodic;
  /** Where messages go: "smtp" or "eml" (then `directory` is set). */
  readonly transport: string;
  readonly directory?: string;
  close(): Promise<void>;
}

const DEFAULT_BACKOFF: BackoffOptions = {
  initialBackoffMs: 30_000,
  maxBackoffMs: 3_600_000,
  factor: 2,
  jitter: 0.5,
};

/** The repository root (this file lives in packages/mail/src), whose .data is the local data directory. */
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/** Where .eml files go: MAIL_DIR, else <LTO_DATA_DIR or <repo>/.data>/mail/<service>. */
export function mailDirectory(config: MailConfig & { SERVICE_NAME: string }): string {
  if (config.MAIL_DIR) return resolve(config.MAIL_DIR);
  const data = config.LTO_DATA_DIR
    ? isAbsolute(config.LTO_DATA_DIR)
      ? config.LTO_DATA_DIR
      : resolve(config.LTO_DATA_DIR)
    : join(REPO_ROOT, ".data");
  return join(data, "mail", config.SERVICE_NAME);
}

/** The domain of the From address, for Message-IDs. */
function fromDomain(from: string): string {
  return /@([^\s@<>]+)\s*>?\s*$/.exec(from)?.[1] ?? "lto.local";
}

/** A transport's error as kept on the message: one line, bounded. */
function describe(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/\s+/g, " ").slice(0, 1000);
}

/** An SMTP 5xx reply is permanent (no such mailbox, refused): retrying cannot help. */
function isPermanent(err: unknown): boolean {
  const code = (err as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === "number" && code >= 500 && code < 600;
}

function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * The outbox of the service whose store this is: register it in compose() (before the host ensures
 * indexes) and add `senderJob` to the service's periodic jobs.
 */
export function mailOutbox(
  store: AggregateStore,
  config: MailConfig & { SERVICE_NAME: string },
  clock: Clock,
  opts: MailOutboxOptions = {},
): MailOutbox {
  const mails = store.aggregates<OutboxMail>({
    name: opts.collection ?? "mail_outbox",
    entity: "e-mail",
    indexes: [{ key: { status: 1, dueAt: 1 } }],
    optional: ["lastError", "sentAt", "closedAt", "html", "attachments"],
  });
  const directory = config.SMTP_URL ? undefined : mailDirectory(config);
  const transport =
    opts.transport ?? (config.SMTP_URL ? smtpTransport(config.SMTP_URL) : emlDirectoryTransport(directory!));
  const maxAttempts = opts.maxAttempts ?? 8;
  const backoff: BackoffOptions = { ...DEFAULT_BACKOFF, ...opts.backoff };
  const claimMs = opts.claimMs ?? 60_000;
  const batch = opts.batch ?? 100;
  const domain = fromDomain(config.MAIL_FROM);
  const metric = mailMetrics.messages;
  opts.logger?.info(
    directory ? { directory } : { transport: transport.kind },
    directory ? "mail is written as .eml files (no SMTP_URL)" : "mail is sent over SMTP",
  );

  const at = (ms: number) => new Date(clock.now().getTime() + ms);

  /** Claims one due message: a versioned update that only one instance can win. */
  async function claimNext(): Promise<OutboxMail | undefined> {
    for (let round = 0; round < 5; round++) {
      const now = clock.now();
      const due = await mails.find({ status: { $in: ["pending", "sending"] }, dueAt: { $lte: now } }, 20, {
        dueAt: 1,
      });
      if (due.length === 0) return undefined;
      // Several instances read the same oldest messages: trying them in random order spreads the claims.
      for (const mail of shuffled(due)) {
        if (mail.status === "sending" && mail.attempts >= maxAttempts) {
          // The last attempt's sender stopped mid-way (its claim lapsed): give up as after a failure.
          const failed = await mails.updateIf(
            {
              ...mail,
              status: "failed",
              lastError: mail.lastError ?? "the last attempt did not finish (its sender stopped)",
              closedAt: now,
            },
            mail.version,
          );
          if (failed) metric.inc({ outcome: "failed" });
          continue;
        }
        const claimed = await mails.updateIf(
          { ...mail, status: "sending", attempts: mail.attempts + 1, dueAt: at(claimMs) },
          mail.version,
        );
        if (claimed) return claimed;
      }
    }
    return undefined;
  }

  function outgoing(mail: OutboxMail): OutgoingMail {
    return {
      id: mail.id,
      messageId: `<${mail.id}.${config.SERVICE_NAME}@${domain}>`,
      from: config.MAIL_FROM,
      to: mail.to,
      ...(mail.cc ? { cc: mail.cc } : {}),
      ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
      subject: mail.subject,
      text: mail.text,
      ...(mail.html !== undefined ? { html: mail.html } : {}),
      ...(mail.attachments ? { attachments: mail.attachments } : {}),
      date: mail.enqueuedAt,
    };
  }

  async function deliver(mail: OutboxMail): Promise<void> {
    try {
      await transport.send(outgoing(mail));
    } catch (err) {
      const now = clock.now();
      const lastError = describe(err);
      const giveUp = mail.attempts >= maxAttempts || isPermanent(err);
      const next: OutboxMail = giveUp
        ? closed({ ...mail, status: "failed", lastError, closedAt: now })
        : {
            ...mail,
            status: "pending",
            lastError,
            dueAt: new Date(now.getTime() + backoffDelay(mail.attempts, backoff)),
          };
      if (await mails.updateIf(next, mail.version)) {
        metric.inc({ outcome: giveUp ? "failed" : "retried" });
        opts.logger?.warn(
          { mailId: mail.id, attempts: mail.attempts, err: lastError },
          giveUp ? "e-mail failed: given up" : "e-mail failed: will retry",
        );
      }
      return;
    }
    await opts.hooks?.afterSend?.(mail);
    if (await mails.updateIf(closed({ ...mail, status: "sent", sentAt: clock.now() }), mail.version)) {
      metric.inc({ outcome: "sent" });
    } else {
      // The claim lapsed during the send and another instance took the message over: it sends the same
      // Message-ID again (the same .eml file; for SMTP a duplicate the recipient's client may show).
      opts.logger?.warn({ mailId: mail.id }, "e-mail sent after its claim lapsed");
    }
  }

  async function sendDue(): Promise<number> {
    let handled = 0;
    while (handled < batch) {
      const mail = await claimNext();
      if (!mail) break;
      await deliver(mail);
      handled++;
    }
    return handled;
  }

  return {
    async enqueue(message) {
      const { id, notBefore, ...content } = checkMailMessage(message);
      const now = clock.now();
      const when = notBefore ?? now;
      const stored = await mails.insert({
        ...(content as Omit<OutboxMail, keyof Aggregate | "status">),
        id,
        version: 1,
        status: "pending",
        notBefore: when,
        enqueuedAt: now,
        dueAt: when,
        attempts: 0,
      });
      metric.inc({ outcome: stored ? "enqueued" : "duplicate" });
      return stored;
    },

    async cancel(id) {
      for (;;) {
        const mail = await mails.get(id);
        if (!mail) return undefined;
        if (mail.status !== "pending") return mail.status;
        const done = await mails.updateIf(
          closed({ ...mail, status: "cancelled", closedAt: clock.now() }),
          mail.version,
        );
        if (done) {
          metric.inc({ outcome: "cancelled" });
          return "cancelled";
        }
        // Claimed or cancelled meanwhile: read again.
      }
    },

    get: (id) => mails.get(id),
    sendDue,
    senderJob: { name: "mail-sender", everyMs: opts.everyMs ?? 5000, run: sendDue },
    transport: transport.kind,
    ...(directory ? { directory } : {}),
    close: () => transport.close(),
  };
}
