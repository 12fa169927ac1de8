// A service's main.ts ends with `runMain(definition, import.meta.url)`: when the file is the program
// node was started with, the service runs until SIGTERM/SIGINT (http-kit's runService owns `process`).
import { isEntryPoint, labelProcessMetrics, runService } from "@lto/http-kit";
import { createLogger } from "@lto/telemetry";
import { startService, type HostedConfig, type RunningService, type ServiceDefinition } from "./host.js";

export async function runMain<C extends HostedConfig>(
  service: ServiceDefinition<C>,
  importMetaUrl: string,
): Promise<void> {
  if (!isEntryPoint(importMetaUrl)) return;
  const logger = createLogger(service.name);
  labelProcessMetrics(service.name);
  let running: RunningService | undefined;
  await runService({
    logger,
    start: async () => {
      running = await startService(service, { logger });
      return { http: running.http, grpc: running.grpc };
    },
    stop: async () => running?.stop(),
  });
}
