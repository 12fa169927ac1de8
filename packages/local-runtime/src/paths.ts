import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Pinned versions: kafkajs 2.2.4 is only known to work with 3.x brokers; FerretDB v1 is the last line without DocumentDB. */
export const KAFKA_VERSION = "3.9.2";
export const FERRETDB_VERSION = "v1.24.2";
/**
 * The Go module version of Jaeger built for local traces: github.com/jaegertracing/jaeger v1.76.0 holds
 * the Jaeger v2 binary (cmd/jaeger, an OpenTelemetry collector distribution with Jaeger's storage and
 * query), which reports itself as v2.13.0.
 */
export const JAEGER_MODULE_VERSION = "v1.76.0";

/** The repository root (this file lives in packages/local-runtime/src). */
export function repoRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
}

/** Where downloads and builds are cached: $LTO_CACHE, else ~/.cache/lto (shared with scripts/node24.sh). */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.LTO_CACHE ? resolve(env.LTO_CACHE) : join(homedir(), ".cache", "lto");
}

export function kafkaLibsDir(cacheDir: string): string {
  return join(cacheDir, `kafka-${KAFKA_VERSION}`, "libs");
}

export function ferretDbBinaryPath(cacheDir: string): string {
  return join(cacheDir, "ferretdb", `ferretdb-${FERRETDB_VERSION}`);
}

export function jaegerBinaryPath(cacheDir: string): string {
  return join(cacheDir, "jaeger", `jaeger-${JAEGER_MODULE_VERSION}`);
}
