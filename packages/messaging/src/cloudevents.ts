// CloudEvents 1.0, Kafka protocol binding, binary content mode: the event's attributes travel as
// `ce_`-prefixed headers, the data (a protobuf message) is the record value as is.
import type { IHeaders } from "kafkajs";

export const CE_SPECVERSION = "1.0";
export const PROTOBUF_CONTENT_TYPE = "application/protobuf";

export const ceHeader = {
  specversion: "ce_specversion",
  id: "ce_id",
  source: "ce_source",
  type: "ce_type",
  time: "ce_time",
  subject: "ce_subject",
  contentType: "content-type",
  traceparent: "traceparent",
  tracestate: "tracestate",
} as const;

/** The CloudEvents attributes (and W3C trace context) of one event. */
export interface CloudEventAttributes {
  id: string;
  source: string;
  type: string;
  time: Date;
  subject?: string;
  traceparent?: string;
  tracestate?: string;
}

/** The attributes read back from a message, plus its content type. */
export interface ParsedCloudEvent extends CloudEventAttributes {
  specversion: string;
  contentType: string;
}

/** A message whose headers are not a valid CloudEvent of ours (it goes to the DLQ, it never crashes). */
export class InvalidCloudEventError extends Error {
  override readonly name = "InvalidCloudEventError";
  constructor(readonly problems: string[]) {
    super(`invalid CloudEvent headers: ${problems.join("; ")}`);
  }
}

// RFC 3339 date-time (the profile of ISO 8601 CloudEvents requires for `time`).
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** True when `s` is an RFC 3339 timestamp that denotes a real instant. */
export function isRfc3339(s: string): boolean {
  return RFC3339.test(s) && !Number.isNaN(Date.parse(s));
}

/** Kafka headers for an event in binary content mode. */
export function cloudEventHeaders(ev: CloudEventAttributes): Record<string, string> {
  const headers: Record<string, string> = {
    [ceHeader.specversion]: CE_SPECVERSION,
    [ceHeader.id]: ev.id,
    [ceHeader.source]: ev.source,
    [ceHeader.type]: ev.type,
    [ceHeader.time]: ev.time.toISOString(),
    [ceHeader.contentType]: PROTOBUF_CONTENT_TYPE,
  };
  if (ev.subject !== undefined && ev.subject !== "") headers[ceHeader.subject] = ev.subject;
  if (ev.traceparent) headers[ceHeader.traceparent] = ev.traceparent;
  if (ev.tracestate) headers[ceHeader.tracestate] = ev.tracestate;
  return headers;
}

/** Kafka's header values (Buffer, string, repeated) as plain strings; the first value of a repeated header wins. */
export function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  for (const [k, v] of Object.entries(headers)) {
    const first = Array.isArray(v) ? v[0] : v;
    if (first === undefined || first === null) continue;
    out[k.toLowerCase()] = typeof first === "string" ? first : Buffer.from(first).toString("utf8");
  }
  return out;
}

/**
 * Reads and validates the CloudEvents attributes of a message. Every problem is listed in the thrown
 * InvalidCloudEventError: specversion must be 1.0; id, source, type and time present (time in RFC 3339,
 * which the platform always sets although CloudEvents makes it optional); content type application/protobuf (parameters allowed).
 */
export function parseCloudEventHeaders(
  headers: IHeaders | Record<string, string> | undefined,
): ParsedCloudEvent {
  const h = headersToStrings(headers as IHeaders | undefined);
  const problems: string[] = [];
  const specversion = h[ceHeader.specversion];
  if (specversion === undefined) problems.push(`${ceHeader.specversion} missing`);
  else if (specversion !== CE_SPECVERSION)
    problems.push(`${ceHeader.specversion} must be ${CE_SPECVERSION}, got ${specversion}`);
  for (const name of [ceHeader.id, ceHeader.source, ceHeader.type] as const) {
    if (!h[name]?.trim()) problems.push(`${name} missing`);
  }
  const rawTime = h[ceHeader.time];
  if (rawTime === undefined) problems.push(`${ceHeader.time} missing`);
  else if (!isRfc3339(rawTime)) problems.push(`${ceHeader.time} is not an RFC 3339 timestamp: ${rawTime}`);
  const contentType = h[ceHeader.contentType];
  if (contentType === undefined) problems.push(`${ceHeader.contentType} missing`);
  else if (contentType.split(";")[0]!.trim().toLowerCase() !== PROTOBUF_CONTENT_TYPE) {
    problems.push(`${ceHeader.contentType} must be ${PROTOBUF_CONTENT_TYPE}, got ${contentType}`);
  }
  if (problems.length > 0) throw new InvalidCloudEventError(problems);
  const parsed: ParsedCloudEvent = {
    specversion: specversion!,
    id: h[ceHeader.id]!,
    source: h[ceHeader.source]!,
    type: h[ceHeader.type]!,
    time: new Date(rawTime!),
    contentType: contentType!,
  };
  if (h[ceHeader.subject] !== undefined) parsed.subject = h[ceHeader.subject];
  if (h[ceHeader.traceparent] !== undefined) parsed.traceparent = h[ceHeader.traceparent];
  if (h[ceHeader.tracestate] !== undefined) parsed.tracestate = h[ceHeader.tracestate];
  return parsed;
}
