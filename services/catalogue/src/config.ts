import { commonEnv, envBoolean, httpUrl, loadConfig, port } from "@lto/config";
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
});

export type CatalogueConfig = z.infer<typeof catalogueEnv>;

export function loadCatalogueConfig(env: NodeJS.ProcessEnv = process.env): CatalogueConfig {
  return loadConfig(catalogueEnv, env);
}
