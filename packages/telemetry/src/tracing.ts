import {
  SpanStatusCode,
  context,
  trace,
  type Attributes,
  type Span,
  type SpanKind,
  type Tracer,
} from "@opentelemetry/api";
import { getRPCMetadata, RPCType } from "@opentelemetry/core";

const TRACER_NAME = "@lto/platform";

/**
 * Tracer for platform code (kits, services). It looks the global tracer up on every call: a tracer from
 * `trace.getTracer()` stays bound to the provider registered when it was made, which goes stale when
 * telemetry is shut down and started again (tests).
 */
export const tracer: Tracer = {
  startSpan: (name, options, ctx) => trace.getTracer(TRACER_NAME).startSpan(name, options, ctx),
  startActiveSpan: ((...args: Parameters<Tracer["startActiveSpan"]>) =>
    (trace.getTracer(TRACER_NAME).startActiveSpan as (...a: unknown[]) => unknown)(
      ...args,
    )) as Tracer["startActiveSpan"],
};

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
}

/** Records `err` on `span` and marks it as failed. */
export function recordError(span: Span, err: unknown): void {
  if (err instanceof Error) span.recordException(err);
  span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
}

/**
 * Runs `fn` inside a new active span (child of the active context), ending it when `fn` settles and
 * recording a thrown error. Works for sync and async functions.
 */
export function inSpan<T>(name: string, options: SpanOptions, fn: (span: Span) => T): T {
  return tracer.startActiveSpan(name, options, context.active(), (span) => {
    let result: T;
    try {
      result = fn(span);
    } catch (err) {
      recordError(span, err);
      span.end();
      throw err;
    }
    if (result instanceof Promise) {
      return result.then(
        (value: unknown) => {
          span.end();
          return value;
        },
        (err: unknown) => {
          recordError(span, err);
          span.end();
          throw err;
        },
      ) as T;
    }
    span.end();
    return result;
  });
}

/**
 * Names the HTTP server span of the current request after a route template (`GET /api/ideas/*`) when
 * the framework's own route is not one a person can read (a regular expression). The HTTP
 * instrumentation renames the span from this when the response ends.
 */
export function nameHttpRoute(route: string): void {
  const rpc = getRPCMetadata(context.active());
  if (rpc?.type === RPCType.HTTP) rpc.route = route;
}
