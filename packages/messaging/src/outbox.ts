// The portable outbox: a state change and the events it causes are written in ONE document update
// (no multi-document transaction, which FerretDB lacks), in an `_outbox` array on the aggregate's own
// document. The OutboxRelay publishes them and then removes exactly those it published.
import { v7 as uuidv7 } from "uuid";
import type { EventCodec } from "@lto/contracts";
import { injectTraceHeaders } from "@lto/telemetry";

export const OUTBOX_FIELD = "_outbox";
/**
 * `true` on a document while its outbox holds events: the relay looks for it. A top-level flag, because
 * FerretDB cannot push a filter on an array element (`_outbox.id`) down to an index.
 */
export const PENDING_FLAG = "_pending";

/** An event waiting in a document's `_outbox` until the relay has published it. */
export interface PendingEvent {
  /** CloudEvents id (UUIDv7): consumers dedupe by it. */
  id: string;
  /** CloudEvents type, e.g. `lto.ideas.v1.IdeaSubmitted`. */
  type: string;
  /** CloudEvents source, e.g. `/lto/ideas`. */
  source: string;
  /** Kafka topic. */
  topic: string;
  /** Kafka key: the aggregate id, so one aggregate's events stay in order on one partition. */
  key: string;
  /** CloudEvents subject: the aggregate id. */
  subject: string;
  /** When the fact happened (CloudEvents time). */
  time: Date;
  /** The protobuf-encoded message. */
  data: Buffer;
  /** W3C trace context of the write that caused the event, so the trace continues through Kafka. */
  traceparent?: string;
  tracestate?: string;
}

export interface PendingEventOptions {
  /** Event id (default: a new UUIDv7). */
  id?: string;
  /** Event time (default: now). */
  time?: Date;
}

/**
 * An event ready to be put in an outbox: `message` encoded with `codec`, keyed by `aggregateId`, with a
 * new UUIDv7 id and the trace context active at the call (the request that caused it).
 */
export function pendingEvent<T>(
  codec: EventCodec<T>,
  aggregateId: string,
  message: T,
  opts: PendingEventOptions = {},
): PendingEvent {
  if (!aggregateId) throw new Error(`pendingEvent(${codec.type}): aggregate id is empty`);
  const ev: PendingEvent = {
    id: opts.id ?? uuidv7(),
    type: codec.type,
    source: codec.source,
    topic: codec.topic,
    key: aggregateId,
    subject: aggregateId,
    time: opts.time ?? new Date(),
    data: Buffer.from(codec.encode(message)),
  };
  // Only present fields are stored: an explicit undefined would be written as null.
  const trace = injectTraceHeaders();
  if (trace.traceparent) ev.traceparent = trace.traceparent;
  if (trace.tracestate) ev.tracestate = trace.tracestate;
  return ev;
}

/** A MongoDB update document (operators as keys). */
export type UpdateDocument = Record<string, unknown>;

/**
 * Adds the events to the same update that changes the state: `$push: { _outbox: { $each: events } }`.
 * Top-level fields that are not operators are moved under `$set`. The result is typed as the update
 * passed in (e.g. a driver's `UpdateFilter<T>` stays one), so it goes straight into `updateOne`.
 */
export function withOutbox<U extends object>(update: U, events: readonly PendingEvent[]): U {
  const out: UpdateDocument = {};
  const plain: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(update)) {
    if (k.startsWith("$")) out[k] = v;
    else plain[k] = v;
  }
  if (Object.keys(plain).length > 0) {
    out.$set = { ...((out.$set as Record<string, unknown> | undefined) ?? {}), ...plain };
  }
  if (events.length === 0) return out as U;
  const set = { ...((out.$set as Record<string, unknown> | undefined) ?? {}) };
  if (PENDING_FLAG in set) throw new Error(`withOutbox: the update already sets ${PENDING_FLAG}`);
  out.$set = { ...set, [PENDING_FLAG]: true };
  const push = { ...((out.$push as Record<string, unknown> | undefined) ?? {}) };
  if (OUTBOX_FIELD in push) throw new Error(`withOutbox: the update already pushes to ${OUTBOX_FIELD}`);
  push[OUTBOX_FIELD] = { $each: [...events] };
  out.$push = push;
  for (const op of ["$set", "$unset", "$pull", "$pullAll", "$pop", "$addToSet"]) {
    const fields = out[op] as Record<string, unknown> | undefined;
    if (fields && OUTBOX_FIELD in fields)
      throw new Error(`withOutbox: the update also uses ${op} on ${OUTBOX_FIELD}`);
  }
  return out as U;
}

/** A new document carrying its first events: `{ ...doc, _outbox: events, _pending: true }` (inserts). */
export function withOutboxDoc<D extends object>(
  doc: D,
  events: readonly PendingEvent[],
): D & { _outbox: PendingEvent[] } {
  if (OUTBOX_FIELD in doc) throw new Error(`withOutboxDoc: the document already has ${OUTBOX_FIELD}`);
  return {
    ...doc,
    [OUTBOX_FIELD]: [...events],
    ...(events.length > 0 ? { [PENDING_FLAG]: true } : {}),
  } as D & { _outbox: PendingEvent[] };
}

/** The filter the relay uses to find documents with pending events (served by the `_pending` index). */
export const OUTBOX_PENDING_FILTER = Object.freeze({ [PENDING_FLAG]: true });

/** The index the relay's query uses. */
export const OUTBOX_INDEX = Object.freeze({ [PENDING_FLAG]: 1 }) as Readonly<Record<string, 1>>;
