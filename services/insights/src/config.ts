import { loadConfig } from "@lto/config";
import { hostedEnv } from "@lto/service-host";
import type { z } from "zod";

export const insightsEnv = hostedEnv({ name: "insights", httpPort: 8085 });

export type InsightsConfig = z.infer<typeof insightsEnv>;

export function loadInsightsConfig(env: NodeJS.ProcessEnv = process.env): InsightsConfig {
  return loadConfig(insightsEnv, env);
}
