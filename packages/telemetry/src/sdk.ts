import { createRequire } from "node:module";
import {
  context,
  diag,
  logs,
  metrics,
  propagation,
  trace,
  DiagConsoleLogger,
  DiagLogLevel,
} from "@opentelemetry/api";
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import type { Instrumentation } from "@opentelemetry/instrumentation";
import { ExpressInstrumentation } from "@opentelemetry/instrumentation-express";
import { GrpcInstrumentation } from "@opentelemetry/instrumentation-grpc";
import { HttpInstrumentation } from "@opentelemetry/instrumentation-http";
import { KafkaJsInstrumentation } from "@opentelemetry/instrumentation-kafkajs";
import { MongoDBInstrumentation } from "@opentelemetry/instrumentation-mongodb";
import { NodeSDK } from "@opentelemetry/sdk-node";
import {
  BatchSpanProcessor,
  InMemorySpanExporter,
  NoopSpanProcessor,
  SimpleSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
  type SpanProcessor,
} from "@opentelemetry/sdk-trace";

export type { ReadableSpan, SpanExporter, SpanProcessor };
export { InMemorySpanExporter, SimpleSpanProcessor, BatchSpanProcessor };

export interface TelemetryOptions {
  serviceName: string;
  /** Extra exporter (batched); OTLP over HTTP is added by itself when OTEL_EXPORTER_OTLP_ENDPOINT is set. */
  spanExporter?: SpanExporter;
  /** Extra span processors, used as given (e.g. a SimpleSpanProcessor for tests). */
  spanProcessors?: SpanProcessor[];
  /**
   * true (default): http, express, grpc, kafkajs and mongodb instrumentations; false: none (spans only
   * from @lto kits and own code); or an explicit list.
   */
  instrumentations?: boolean | Instrumentation[];
  /**
   * Detect host/process/OS resource attributes (default true). Their values arrive asynchronously and
   * delay every export until they do, so the test harness turns this off.
   */
  detectResources?: boolean;
  /** Environment to read OTEL_* from (default process.env). */
  env?: NodeJS.ProcessEnv;
}

export interface Telemetry {
  readonly serviceName: string;
  /** The instrumentations that were enabled (empty when none). */
  readonly instrumentations: readonly Instrumentation[];
  /** Flushes and stops the SDK, disables the instrumentations and unregisters the global providers. */
  shutdown(): Promise<void>;
}

const ACTIVE = Symbol.for("lto.telemetry.active");
const DIAG_SET = Symbol.for("lto.telemetry.diag");
type GlobalWithTelemetry = typeof globalThis & { [ACTIVE]?: Telemetry; [DIAG_SET]?: boolean };
const g = globalThis as GlobalWithTelemetry;

const NOISY_PATHS = new Set(["/healthz", "/readyz", "/metrics"]);

/**
 * The five instrumentations the platform relies on, configured for it. They are built disabled and
 * enabled by the SDK once constructed: built enabled, an instrumentation replays import-in-the-middle
 * hooks for modules already imported inside its own constructor, before its class fields exist, and
 * HttpInstrumentation then patches http twice (duplicate client spans).
 */
export function defaultInstrumentations(): Instrumentation[] {
  return [
    new HttpInstrumentation({
      enabled: false,
      // probes and scrapes would drown the traces
      ignoreIncomingRequestHook: (req) => NOISY_PATHS.has((req.url ?? "").split("?")[0] ?? ""),
    }),
    new ExpressInstrumentation({ enabled: false }),
    new GrpcInstrumentation({ enabled: false, ignoreGrpcMethods: [/^grpc\.health\.v1\.Health\//] }),
    new KafkaJsInstrumentation({ enabled: false }),
    new MongoDBInstrumentation({ enabled: false }),
  ];
}

/** The telemetry started in this process (by `./register`, startTelemetry or startTestTelemetry), if any. */
export function activeTelemetry(): Telemetry | undefined {
  return g[ACTIVE];
}

/**
 * Starts the OpenTelemetry NodeSDK: W3C trace context propagation, AsyncLocalStorage context, the
 * platform's instrumentations, OTLP/HTTP export when OTEL_EXPORTER_OTLP_ENDPOINT is set. Without any
 * exporter spans are still created (trace ids in logs, propagation to other services) and dropped.
 * Idempotent: a second call returns the running instance (so `./register` and main.ts can both call it).
 */
export function startTelemetry(opts: TelemetryOptions): Telemetry {
  const running = g[ACTIVE];
  if (running) {
    if (running.serviceName !== opts.serviceName) {
      diag.warn(
        `telemetry already started for ${running.serviceName}; ignoring start for ${opts.serviceName}`,
      );
    }
    return running;
  }
  const env = opts.env ?? process.env;
  // SDK problems (export failures, bad config) as console warnings, once per process; NodeSDK installs
  // its own diag logger when OTEL_LOG_LEVEL is set
  if (env.OTEL_LOG_LEVEL === undefined && process.env.OTEL_LOG_LEVEL === undefined && !g[DIAG_SET]) {
    diag.setLogger(new DiagConsoleLogger(), { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
    g[DIAG_SET] = true;
  }

  const processors: SpanProcessor[] = [...(opts.spanProcessors ?? [])];
  if (opts.spanExporter) processors.push(new BatchSpanProcessor({ exporter: opts.spanExporter }));
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) {
    processors.push(new BatchSpanProcessor({ exporter: new OTLPTraceExporter() }));
  }
  // a TracerProvider only exists when there is at least one processor; spans must exist regardless
  if (processors.length === 0) processors.push(new NoopSpanProcessor());

  const instrumentations =
    opts.instrumentations === false
      ? []
      : opts.instrumentations === true || opts.instrumentations === undefined
        ? defaultInstrumentations()
        : opts.instrumentations;

  const sdk = new NodeSDK({
    serviceName: opts.serviceName,
    autoDetectResources: opts.detectResources ?? true,
    spanProcessors: processors,
    textMapPropagator: new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
    instrumentations,
    // metrics are Prometheus via prom-client (http-kit); logs are pino lines on stdout
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();

  let stopped: Promise<void> | undefined;
  const telemetry: Telemetry = {
    serviceName: opts.serviceName,
    instrumentations,
    shutdown() {
      stopped ??= (async () => {
        for (const i of instrumentations) i.disable();
        try {
          await sdk.shutdown();
        } finally {
          trace.disable();
          logs.disable();
          metrics.disable();
          propagation.disable();
          context.disable();
          if (g[ACTIVE] === telemetry) delete g[ACTIVE];
        }
      })();
      return stopped;
    },
  };
  g[ACTIVE] = telemetry;
  return telemetry;
}

/** CommonJS modules the default instrumentations patch (see preloadInstrumentedModules). */
export const INSTRUMENTED_MODULES = [
  "node:http",
  "node:https",
  "express",
  "@grpc/grpc-js",
  "kafkajs",
  "mongodb",
];

/**
 * Requires the instrumented CommonJS modules now, so require-in-the-middle patches their
 * `module.exports` in place. Any later import of them, including ESM imports made by vitest's module
 * runner (which import-in-the-middle does not recognise), then gets the patched objects. Modules that
 * cannot be resolved from here are skipped. Returns the modules that were loaded.
 */
export function preloadInstrumentedModules(modules: readonly string[] = INSTRUMENTED_MODULES): string[] {
  const require = createRequire(import.meta.url);
  const loaded: string[] = [];
  for (const name of modules) {
    try {
      require(name);
      loaded.push(name);
    } catch {
      // not installed where @lto/telemetry can see it: nothing to patch
    }
  }
  return loaded;
}

export interface TestTelemetry extends Telemetry {
  readonly exporter: InMemorySpanExporter;
  /** Spans finished so far. */
  spans(): ReadableSpan[];
  /** Forgets the spans finished so far. */
  reset(): void;
}

/**
 * Telemetry for tests: every finished span goes synchronously (SimpleSpanProcessor) into an
 * InMemorySpanExporter. Replaces telemetry already running in the process. Instrumentations are off by
 * default; with `instrumentations: true` the instrumented modules are preloaded so that they are patched
 * even under vitest. Call it before the code under test imports express, kafkajs, mongodb or grpc-js
 * (a vitest setup file, or a dynamic import afterwards), see README.
 */
export async function startTestTelemetry(
  opts: { serviceName?: string; instrumentations?: boolean | Instrumentation[] } = {},
): Promise<TestTelemetry> {
  await g[ACTIVE]?.shutdown();
  const exporter = new InMemorySpanExporter();
  const base = startTelemetry({
    serviceName: opts.serviceName ?? "test",
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
    instrumentations: opts.instrumentations ?? false,
    detectResources: false,
    env: {},
  });
  if (base.instrumentations.length > 0) preloadInstrumentedModules();
  const testTelemetry: TestTelemetry = {
    ...base,
    exporter,
    spans: () => exporter.getFinishedSpans(),
    reset: () => exporter.reset(),
  };
  return testTelemetry;
}
