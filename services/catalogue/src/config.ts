import { commonEnv, envBoolean, loadConfig, port } from "@lto/config";
import { z } from "zod";

export const catalogueEnv = commonEnv.extend({
  SERVICE_NAME: z.string().default("catalogue"),
  HTTP_PORT: port().default(8083),
  GRPC_PORT: port().default(50053),
  MONGO_DB: z.string().min(1).default("lto_catalogue"),
  /** Binds HTTP and gRPC here; 0.0.0.0 in containers. */
  HOST: z.string().min(1).default("127.0.0.1"),
  KAFKA_CONSUMER_GROUP: z.string().min(1).default("lto-catalogue"),
  /** Load the Mantova demo catalogue when the store is empty; by default only in development (`npm start`). */
  SEED_DEMO_WHEN_EMPTY: envBoolean().optional(),
  OUTBOX_SWEEP_MS: z.coerce.number().int().min(50).default(2000),
  // ---- enrolment and the seat ledger
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
