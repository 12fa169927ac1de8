import { loadConfig } from "@lto/config";
import { hostedEnv } from "@lto/service-host";
import type { z } from "zod";

export const catalogueEnv = hostedEnv({ name: "catalogue", httpPort: 8083, grpcPort: 50053 });

export type CatalogueConfig = z.infer<typeof catalogueEnv>;

export function loadCatalogueConfig(env: NodeJS.ProcessEnv = process.env): CatalogueConfig {
  return loadConfig(catalogueEnv, env);
}
