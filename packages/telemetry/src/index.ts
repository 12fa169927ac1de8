export { createLogger, traceFields, type Logger, type LoggerOptions } from "./logger.js";
export {
  extractContext,
  hasActiveSpan,
  injectTraceHeaders,
  withExtractedContext,
  type HeaderCarrier,
  type HeaderValue,
  type TraceHeaders,
} from "./propagation.js";
export {
  activeTelemetry,
  defaultInstrumentations,
  startTelemetry,
  startTestTelemetry,
  preloadInstrumentedModules,
  INSTRUMENTED_MODULES,
  BatchSpanProcessor,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
  type SpanProcessor,
  type Telemetry,
  type TelemetryOptions,
  type TestTelemetry,
} from "./sdk.js";
export { inSpan, nameHttpRoute, recordError, tracer, type SpanOptions } from "./tracing.js";
export { isInstrumented } from "./instrumented.js";
export { quietKafkajsTimeoutWarning } from "./warnings.js";
