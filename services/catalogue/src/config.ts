import { httpUrl, loadConfig } from "@lto/config";
import { hostedEnv } from "@lto/service-host";
import { z } from "zod";

export const catalogueEnv = hostedEnv({ name: "catalogue", httpPort: 8083, grpcPort: 50053 }).extend({
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
});

export type CatalogueConfig = z.infer<typeof catalogueEnv>;

export function loadCatalogueConfig(env: NodeJS.ProcessEnv = process.env): CatalogueConfig {
  return loadConfig(catalogueEnv, env);
}
