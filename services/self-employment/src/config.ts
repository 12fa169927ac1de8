import { httpUrl, loadConfig, peerGrpcAddress } from "@lto/config";
import { mailEnv } from "@lto/mail";
import { hostedEnv } from "@lto/service-host";
import { z } from "zod";

const DAY = /^(\d{4}-)?(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export const selfEmploymentEnv = hostedEnv({
  name: "self-employment",
  httpPort: 8084,
  grpcPort: 9084,
}).extend({
  /** The service's database (the host's default would be named after "self-employment"). */
  MONGO_DB: z.string().min(1).default("lto_self_employment"),
  /**
   * Days every site is closed besides the Italian public holidays and each site's patron saint:
   * comma-separated MM-DD (every year) or YYYY-MM-DD (once), e.g. "08-14,2026-12-24".
   */
  EXTRA_CLOSED_DAYS: z
    .string()
    .default("")
    .transform((v) =>
      v
        .split(",")
        .map((d) => d.trim())
        .filter(Boolean),
    )
    .refine((days) => days.every((d) => DAY.test(d)), "must be comma-separated MM-DD or YYYY-MM-DD days"),

  // --- the equipment credential gate: the catalogue service's CheckCredential over gRPC ---
  /** The catalogue's gRPC address (its development default). */
  CATALOGUE_GRPC_ADDRESS: peerGrpcAddress("127.0.0.1:9083"),
  /** How long one CheckCredential may take before the check answers 503 with Retry-After. */
  CATALOGUE_GRPC_DEADLINE_MS: z.coerce.number().int().min(50).max(30_000).default(2000),
  // --- paths ---
  /** The funder a path's services are reported to when staff name none at opening. */
  PATH_DEFAULT_FUNDER: z.string().min(1).default("lto_diffuso"),
  /**
   * Where an adopted team's path is held: IdeaAdopted names no district, so one site takes adopted
   * teams in charge (its staff book for them).
   */
  ADOPTED_TEAM_SITE: z.string().min(1).default("lto-mantova"),
  // --- reminders: e-mail from the service's own outbox (@lto/mail: SMTP_URL, MAIL_FROM, MAIL_DIR,
  // LTO_DATA_DIR; SMTP_URL is required in production) ---
  ...mailEnv.shape,
  /** How often the mail sender looks for due messages (reminders fall due 24 h before a booking). */
  MAIL_SENDER_EVERY_MS: z.coerce.number().int().min(50).max(3_600_000).default(5000),
  /** The reply address of reminders (the sites' front desk); unset: replies go to MAIL_FROM. */
  MAIL_REPLY_TO: z.email({ error: "must be an e-mail address" }).optional(),
  // --- calendar feeds ---
  /** The public base of calendar feed links, e.g. https://api.lto-mantova.it (default: the request's host). */
  CALENDAR_FEED_BASE_URL: httpUrl("must be the public http(s) URL feed links start with").optional(),
  /**
   * The key feed tokens are derived from (at least 32 characters): required in production; elsewhere the
   * service makes one and keeps it in its store. Changing it makes every feed link a new one.
   */
  CALENDAR_FEED_KEY: z.string().min(32, "must have at least 32 characters").optional(),
  /** How many days a cancelled booking stays in the feeds (STATUS:CANCELLED), so subscribed apps remove it. */
  CALENDAR_FEED_CANCELLED_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** How many days back the feeds list past bookings. */
  CALENDAR_FEED_PAST_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** Who a booking's invitation (iTIP) comes from when its operator has no e-mail on record. */
  CALENDAR_ORGANIZER_EMAIL: z.email("must be an e-mail address").default("appuntamenti@lto-mantova.it"),
  // --- links between the four jobs ---
  /**
   * The internship tutoring (tutoring_tirocinio) planned on an adopted team's path per internship
   * place its sponsor promised (IdeaAdopted names places and a period, no hours); capped by the
   * service type's maximum per person.
   */
  INTERNSHIP_TUTORING_HOURS_PER_PLACE: z.coerce.number().min(0.25).max(30).default(10),
  // --- bookings ---
  /**
   * How long a slot claim may stay unsettled before the sweeper asks whether a booking holds it (a
   * booking in flight settles within a second; a crash between claim and booking leaves it unsettled).
   */
  BOOKING_CLAIM_GRACE_MS: z.coerce.number().int().min(1000).default(60_000),
  /** How often the sweeper runs. */
  BOOKING_SWEEP_MS: z.coerce.number().int().min(100).default(30_000),
  // --- waitlist ---
  /** How long a waitlist offer stays open (never past the slot's start minus its minimum notice). */
  WAITLIST_OFFER_HOURS: z.coerce
    .number()
    .min(0.25)
    .max(24 * 14)
    .default(24),
  /** How often the waitlist job lapses expired offers and offers their slots to the next in line. */
  WAITLIST_SWEEP_MS: z.coerce.number().int().min(50).max(3_600_000).default(60_000),
});

export type SelfEmploymentConfig = z.infer<typeof selfEmploymentEnv>;

export function loadSelfEmploymentConfig(env: NodeJS.ProcessEnv = process.env): SelfEmploymentConfig {
  return loadConfig(selfEmploymentEnv, env);
}
