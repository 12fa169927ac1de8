import { httpUrl, loadConfig } from "@lto/config";
import { mailEnv } from "@lto/mail";
import { hostedEnv } from "@lto/service-host";
import { z } from "zod";

export const notificationsEnv = hostedEnv({ name: "notifications", httpPort: 8086 }).extend({
  // --- e-mail of the notices that need action (@lto/mail: SMTP_URL, MAIL_FROM, MAIL_DIR, LTO_DATA_DIR) ---
  ...mailEnv.shape,
  /** How often the mail sender looks for due messages. */
  MAIL_SENDER_EVERY_MS: z.coerce.number().int().min(50).max(3_600_000).default(5000),
  /**
   * Notices of facts older than this many hours are shown but not mailed: a consumer reading a topic
   * from its beginning (a first deployment) or catching up after an outage mails nothing stale.
   */
  MAIL_MAX_AGE_HOURS: z.coerce
    .number()
    .min(1)
    .max(24 * 30)
    .default(72),
  /** The portal's address, named in every e-mail (the gateway's public URL). */
  PORTAL_URL: httpUrl("must be the portal's http(s) URL").default("http://127.0.0.1:8080/"),
  // --- holds about to lapse ---
  /** How many hours before a hold lapses its company is told. */
  HOLD_NOTICE_HOURS: z.coerce
    .number()
    .min(0.25)
    .max(24 * 7)
    .default(24),
  /** How often the sweep looks for holds about to lapse. */
  HOLD_SWEEP_MS: z.coerce.number().int().min(50).max(3_600_000).default(60_000),
});

export type NotificationsConfig = z.infer<typeof notificationsEnv>;

export function loadNotificationsConfig(env: NodeJS.ProcessEnv = process.env): NotificationsConfig {
  return loadConfig(notificationsEnv, env);
}
