/**
 * @lto/local-runtime: a real Apache Kafka 3.9.2 broker (KRaft, one node) and FerretDB 1.24.2 (MongoDB
 * wire protocol) on Debian's PostgreSQL, started without Docker. Used by the CLI (npm run infra:up|down|status) and
 * by @lto/testkit's vitest global setup.
 */
export {
  FERRETDB_VERSION,
  JAEGER_MODULE_VERSION,
  KAFKA_VERSION,
  defaultCacheDir,
  ferretDbBinaryPath,
  jaegerBinaryPath,
  kafkaLibsDir,
  repoRoot,
} from "./paths.js";
export { MissingToolError } from "./tools.js";
export {
  ensureFerretDb,
  ensureJaeger,
  ensureKafkaJars,
  prepareLocalRuntime,
  type Log,
  type PrepareOptions,
} from "./prepare.js";
export {
  isValidClusterId,
  kafkaAnswers,
  newClusterId,
  renderLog4jProperties,
  renderServerProperties,
  startKafka,
  type KafkaOptions,
} from "./kafka.js";
export {
  ferretDbArgs,
  mongoAnswers,
  mongoUrlFor,
  startFerretDb,
  type FerretDbBackend,
  type FerretDbOptions,
} from "./ferretdb.js";
export {
  FERRETDB_PG_DATABASE,
  postgresAnswers,
  postgresArgs,
  postgresBinDir,
  postgresUrlFor,
  startPostgres,
  type PostgresOptions,
} from "./postgres.js";
export { jaegerConfig, startJaeger, type JaegerOptions } from "./jaeger.js";
export {
  freePort,
  freePorts,
  isAlive,
  isPortFree,
  stopProcess,
  tailFile,
  type StopOutcome,
} from "./process.js";
export type { ManagedProcess, ComponentName } from "./launch.js";
export { parseRuntimeConfig, RuntimeConfigError, type RuntimeConfig } from "./config.js";
export {
  componentStatus,
  down,
  startLocalInfra,
  up,
  type ComponentStatus,
  type LocalInfra,
  type StartLocalInfraOptions,
} from "./runtime.js";

export { quietKafkajsTimeoutWarning } from "@lto/telemetry/warnings";

/** Stops one process by its pid: SIGTERM, then SIGKILL after `timeoutMs`. */
export { stopProcess as stop } from "./process.js";
