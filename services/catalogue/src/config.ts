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

  // --- calendars ---
  /** The public base of personal calendar links, e.g. https://api.lto-mantova.it (default: the request's host). */
  CALENDAR_FEED_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
});

export type CatalogueConfig = z.infer<typeof catalogueEnv>;

export function loadCatalogueConfig(env: NodeJS.ProcessEnv = process.env): CatalogueConfig {
  return loadConfig(catalogueEnv, env);
}
