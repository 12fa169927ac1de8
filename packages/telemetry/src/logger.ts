import { pino, type DestinationStream, type Logger, type LoggerOptions as PinoOptions } from "pino";
import { context, trace, isSpanContextValid } from "@opentelemetry/api";

export type { Logger };

export interface LoggerOptions {
  /** Minimum level; defaults to LOG_LEVEL when it names a level, else "info". */
  level?: string;
  /** Value of the `service` field; defaults to SERVICE_NAME / OTEL_SERVICE_NAME, else the logger name. */
  service?: string;
  /** Extra fields on every line. */
  base?: Record<string, unknown>;
  /** Where lines go (default: stdout, written synchronously). Tests pass a stream to read them back. */
  destination?: DestinationStream;
}

/** The trace_id/span_id (W3C hex) of the active span, or {} when there is none. */
export function traceFields(): { trace_id?: string; span_id?: string; trace_flags?: string } {
  const spanContext = trace.getSpan(context.active())?.spanContext();
  if (!spanContext || !isSpanContextValid(spanContext)) return {};
  return {
    trace_id: spanContext.traceId,
    span_id: spanContext.spanId,
    trace_flags: `0${spanContext.traceFlags.toString(16)}`.slice(-2),
  };
}

const LEVELS = new Set([...Object.keys(pino.levels.values), "silent"]);

/**
 * LOG_LEVEL if it names a pino level, else "info". A bad value must not crash the logger (pino throws
 * on unknown levels): main.ts makes its logger before the config is loaded, and the config error, which
 * names LOG_LEVEL among the other bad variables, has to be logged with it.
 */
function envLevel(): string {
  const level = process.env.LOG_LEVEL?.trim();
  return level && LEVELS.has(level) ? level : "info";
}

/**
 * JSON logger (pino): ISO time, textual level, `service` and `name` fields, and the trace_id/span_id of
 * the span active when the line is written, so logs and traces join up.
 */
export function createLogger(name: string, opts: LoggerOptions = {}): Logger {
  const options: PinoOptions = {
    name,
    level: opts.level ?? envLevel(),
    base: {
      service: opts.service ?? process.env.SERVICE_NAME ?? process.env.OTEL_SERVICE_NAME ?? name,
      ...opts.base,
    },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: () => traceFields(),
  };
  // stdout is written synchronously: pino's default asynchronous stream, flushed on exit, writes its
  // buffered lines while a line already handed to an async write is still in flight, so the last lines
  // before process.exit (the start-up failure naming the bad variables) came out of order or not at all.
  return pino(options, opts.destination ?? pino.destination({ dest: 1, sync: true }));
}
