import * as grpc from "@grpc/grpc-js";
import {
  context as otelContext,
  SpanKind,
  SpanStatusCode,
  type Context,
  type Span,
} from "@opentelemetry/api";
import { tracer } from "@lto/telemetry";

/** The metadata key carrying the caller's bearer token, as on HTTP. */
export const AUTHORIZATION_METADATA_KEY = "authorization";

/** "/lto.ideas.v1.IdeasService/GetIdea" -> { service: "lto.ideas.v1.IdeasService", method: "GetIdea" } */
export function splitPath(path: string): { service: string; method: string } {
  const [, service = "", method = ""] = /^\/?([^/]+)\/(.+)$/.exec(path) ?? [];
  return { service, method };
}

/** Name of a numeric gRPC status code ("NOT_FOUND"), for messages and span attributes. */
export function statusName(code: number): string {
  return grpc.status[code] ?? String(code);
}

/** Metadata as a plain string map (binary values and repeated keys: first value, binary skipped). */
export function metadataToRecord(metadata: grpc.Metadata | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!metadata) return out;
  for (const [key, value] of Object.entries(metadata.getMap())) {
    if (typeof value === "string") out[key] = value;
  }
  return out;
}

/** An RPC span named like the grpc instrumentation names its spans ("grpc.<service>/<method>"). */
export function startRpcSpan(
  path: string,
  kind: SpanKind.CLIENT | SpanKind.SERVER,
  parent: Context = otelContext.active(),
): Span {
  const { service, method } = splitPath(path);
  return tracer.startSpan(
    `grpc.${service}/${method}`,
    { kind, attributes: { "rpc.system": "grpc", "rpc.service": service, "rpc.method": method } },
    parent,
  );
}

/** Ends an RPC span with its gRPC status (server spans: only INTERNAL-like codes are errors). */
export function endRpcSpan(
  span: Span,
  code: number,
  kind: SpanKind.CLIENT | SpanKind.SERVER,
  message?: string,
): void {
  span.setAttribute("rpc.grpc.status_code", code);
  const serverError = [grpc.status.UNKNOWN, grpc.status.DEADLINE_EXCEEDED, grpc.status.UNIMPLEMENTED]
    .concat([grpc.status.INTERNAL, grpc.status.UNAVAILABLE, grpc.status.DATA_LOSS])
    .includes(code);
  if (code !== grpc.status.OK && (kind === SpanKind.CLIENT || serverError)) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: message ?? statusName(code) });
  }
  span.end();
}
