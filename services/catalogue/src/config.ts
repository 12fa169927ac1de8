import { envBoolean, httpUrl, loadConfig } from "@lto/config";
import { hostedEnv } from "@lto/service-host";
import { z } from "zod";

export const catalogueEnv = hostedEnv({ name: "catalogue", httpPort: 8083, grpcPort: 9083 }).extend({
  // --- calendars ---
  /** The public base of personal calendar links, e.g. https://api.lto-mantova.it (default: the request's host). */
  CALENDAR_FEED_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),

  // --- credentials ---
  /** Where the service is reached from outside: ids in credentials, the issuer, status lists, the QR link. */
  PUBLIC_BASE_URL: httpUrl("must be the service's public http(s) URL")
    .default("http://127.0.0.1:8083")
    .transform((url) => url.replace(/\/+$/, "")),
  ISSUER_NAME: z.string().min(2).default("LTO Mantova - Laboratori Territoriali per l'Occupazione"),
  /**
   * The issuer's private signing key, an EC P-256 JWK (JSON). Required in production; elsewhere the
   * service generates one once and keeps it in its store.
   */
  ISSUER_JWK: z.string().optional(),

  // --- enrolment and the seat ledger ---
  /** How long a seat offer to the first waiting person stays open, in hours. */
  SEAT_OFFER_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(48),
  /** A confirmed learner withdraws (freeing the seat) until this many hours before the first meeting. */
  WITHDRAWAL_HOURS_BEFORE: z.coerce
    .number()
    .min(0)
    .max(24 * 60)
    .default(24),
  /** Whether full sessions keep a waiting list; off: a full session answers 409. */
  WAITLIST: envBoolean().default(true),
  /** How often the seat sweeper runs (lapsed offers, orphan seats, free seats for waiting people). */
  SEAT_SWEEP_MS: z.coerce.number().int().min(50).default(30_000),
  /** How old an unsettled seat claim must be before the sweeper treats it as an orphan. */
  SEAT_GRACE_MS: z.coerce.number().int().min(0).default(60_000),
});

export type CatalogueConfig = z.infer<typeof catalogueEnv>;

export function loadCatalogueConfig(env: NodeJS.ProcessEnv = process.env): CatalogueConfig {
  return loadConfig(catalogueEnv, env);
}
