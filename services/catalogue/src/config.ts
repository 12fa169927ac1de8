import { loadConfig } from "@lto/config";
import { hostedEnv } from "@lto/service-host";
import { z } from "zod";

export const catalogueEnv = hostedEnv({ name: "catalogue", httpPort: 8083, grpcPort: 50053 }).extend({
  // --- calendars ---
  /** The public base of personal calendar links, e.g. https://api.lto-mantova.it (default: the request's host). */
  CALENDAR_FEED_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
});

export type CatalogueConfig = z.infer<typeof catalogueEnv>;

export function loadCatalogueConfig(env: NodeJS.ProcessEnv = process.env): CatalogueConfig {
  return loadConfig(catalogueEnv, env);
}
