/**
 * @lto/service-host: each service's main.ts is a short declaration (ServiceDefinition) of what the
 * service has; the host composes config, logs, store, broker, relay, consumer, periodic jobs, HTTP,
 * gRPC, health and graceful stop the same way for every service. See README.md.
 */
export {
  grpcService,
  startService,
  systemClock,
  type Clock,
  type ComposeContext,
  type GrpcService,
  type HostedConfig,
  type Periodic,
  type RunningService,
  type ServiceDefinition,
  type ServiceParts,
  type StartOptions,
} from "./host.js";
export { hostedEnv } from "./env.js";
export { platformIds, type IdGenerator } from "@lto/http-kit";
export { runMain } from "./main.js";
export { openServiceStore } from "./store.js";
export { runRebuild, type RebuildContext } from "./rebuild-command.js";
