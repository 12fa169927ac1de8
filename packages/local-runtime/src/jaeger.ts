// Jaeger v2 for local traces: one process with an in-memory store, receiving OTLP over HTTP from the
// services (OTEL_EXPORTER_OTLP_ENDPOINT) and answering the query API and UI. Loopback only, no other
// receivers or listeners (the binary's default all-in-one config opens a dozen ports).
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { launchUntilReady, type ManagedProcess } from "./launch.js";
import { defaultCacheDir, jaegerBinaryPath } from "./paths.js";
import { isPortFree } from "./process.js";

export interface JaegerOptions {
  /** OTLP/HTTP receiver (the services export here); default 4318. */
  otlpPort?: number;
  /** Query API and UI; default 16686. */
  queryPort?: number;
  /** Health check; default 13133. */
  healthPort?: number;
  /** Its own directory: jaeger.yaml, jaeger.log, jaeger.pid. */
  dataDir: string;
  cacheDir?: string;
  binary?: string;
  detached?: boolean;
  readyTimeoutMs?: number;
  /** Traces kept in memory (default 50000). */
  maxTraces?: number;
}

/** The collector configuration: OTLP/HTTP in, memory storage, query, health; nothing else listens. */
export function jaegerConfig(o: {
  otlpPort: number;
  queryPort: number;
  healthPort: number;
  maxTraces: number;
}): string {
  return `service:
  extensions: [jaeger_storage, jaeger_query, healthcheckv2]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [jaeger_storage_exporter]
  telemetry:
    metrics:
      level: none
    logs:
      level: warn
extensions:
  healthcheckv2:
    use_v2: true
    http:
      endpoint: 127.0.0.1:${o.healthPort}
  jaeger_query:
    storage:
      traces: memstore
    http:
      endpoint: 127.0.0.1:${o.queryPort}
    grpc:
      endpoint: 127.0.0.1:0
  jaeger_storage:
    backends:
      memstore:
        memory:
          max_traces: ${o.maxTraces}
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:${o.otlpPort}
processors:
  batch:
exporters:
  jaeger_storage_exporter:
    trace_storage: memstore
`;
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}

/** Starts Jaeger; resolves when its query API answers. */
export async function startJaeger(
  opts: JaegerOptions,
): Promise<ManagedProcess & { queryUrl: string; otlpUrl: string }> {
  const dir = resolve(opts.dataDir);
  const binary = opts.binary ?? jaegerBinaryPath(opts.cacheDir ?? defaultCacheDir());
  const ports = {
    otlpPort: opts.otlpPort ?? 4318,
    queryPort: opts.queryPort ?? 16686,
    healthPort: opts.healthPort ?? 13133,
  };
  for (const [name, port] of Object.entries(ports))
    if (!(await isPortFree(port)))
      throw new Error(`port 127.0.0.1:${port} (Jaeger ${name}) is in use: choose another (JAEGER_*_PORT)`);
  mkdirSync(dir, { recursive: true });
  const config = join(dir, "jaeger.yaml");
  writeFileSync(config, jaegerConfig({ ...ports, maxTraces: opts.maxTraces ?? 50_000 }));
  const queryUrl = `http://127.0.0.1:${ports.queryPort}`;
  const proc = await launchUntilReady({
    name: "jaeger",
    label: "Jaeger",
    command: binary,
    args: ["--config", config],
    dir,
    logFile: join(dir, "jaeger.log"),
    address: `127.0.0.1:${ports.otlpPort}`,
    marker: config,
    env: process.env,
    detached: opts.detached ?? false,
    ready: () => answers(`${queryUrl}/api/services`),
    readyTimeoutMs: opts.readyTimeoutMs ?? 30_000,
    intervalMs: 200,
  });
  return Object.assign(proc, { queryUrl, otlpUrl: `http://127.0.0.1:${ports.otlpPort}` });
}
