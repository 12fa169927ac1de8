import { context, trace, type Context, type TextMapGetter } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";

/** W3C trace context headers, as stored in the outbox and sent as Kafka headers or gRPC metadata. */
export interface TraceHeaders {
  traceparent?: string;
  tracestate?: string;
}

/** Header values as they come from Kafka (Buffer/string/arrays), HTTP or plain objects. */
export type HeaderValue =
  string | Buffer | Uint8Array | ReadonlyArray<string | Buffer | Uint8Array> | undefined | null;
export type HeaderCarrier = Readonly<Record<string, HeaderValue>>;

// A fixed W3C propagator rather than the global one: the helpers then work the same whether or not the
// SDK has been started (the global propagator is a no-op until it is).
const w3c = new W3CTraceContextPropagator();

const carrierGetter: TextMapGetter<HeaderCarrier> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    let value = carrier[key];
    if (value === undefined) {
      const found = Object.keys(carrier).find((k) => k.toLowerCase() === key);
      value = found === undefined ? undefined : carrier[found];
    }
    if (value === undefined || value === null) return undefined;
    const first = Array.isArray(value) ? value[0] : value;
    if (first === undefined || first === null) return undefined;
    return typeof first === "string" ? first : Buffer.from(first as Uint8Array).toString("utf8");
  },
};

/** traceparent (and tracestate when present) of the active context, or of `ctx`; {} when no span is active. */
export function injectTraceHeaders(ctx: Context = context.active()): TraceHeaders {
  const carrier: Record<string, string> = {};
  w3c.inject(ctx, carrier, {
    set: (c, key, value) => {
      c[key] = value;
    },
  });
  const headers: TraceHeaders = {};
  if (carrier.traceparent) headers.traceparent = carrier.traceparent;
  if (carrier.tracestate) headers.tracestate = carrier.tracestate;
  return headers;
}

/** The context described by `traceparent`/`tracestate` in `headers` (on top of the active context). */
export function extractContext(
  headers: HeaderCarrier | undefined,
  base: Context = context.active(),
): Context {
  if (!headers) return base;
  return w3c.extract(base, headers, carrierGetter);
}

/** Runs `fn` with the remote span from `headers` as the parent of any span it starts. */
export function withExtractedContext<T>(headers: HeaderCarrier | undefined, fn: () => T): T {
  return context.with(extractContext(headers), fn);
}

/** True when a valid span context is active (i.e. there is something to propagate). */
export function hasActiveSpan(): boolean {
  const sc = trace.getSpan(context.active())?.spanContext();
  return sc !== undefined && trace.isSpanContextValid(sc);
}
