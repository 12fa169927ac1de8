// The outbox relay: finds documents with pending events, publishes each document's events in array
// order (Kafka key = aggregate id) with an idempotent producer, then removes exactly those it published.
// A crash between publishing and removing republishes them later: consumers dedupe by ce_id.
import { ROOT_CONTEXT, context } from "@opentelemetry/api";
import { Partitioners, type Kafka, type Message, type Producer, type ProducerConfig } from "kafkajs";
import type { DocumentWriteGuard } from "@lto/mongo";
import { extractContext } from "@lto/telemetry";
import { backoffDelay, sleep, type BackoffOptions } from "./backoff.js";
import { cloudEventHeaders } from "./cloudevents.js";
import { errorFields, type MessagingLogger } from "./logger.js";
import { messagingMetrics } from "./metrics.js";
import { OUTBOX_FIELD, OUTBOX_PENDING_FILTER, PENDING_FLAG, type PendingEvent } from "./outbox.js";
import { ensureTopics } from "./topics.js";

/** What the relay needs of a native driver collection (mongodb's Collection fits). */
export interface OutboxCollection {
  readonly collectionName: string;
  find(filter: object, options?: object): { toArray(): Promise<unknown[]> };
  updateOne(filter: object, update: object): Promise<unknown>;
  aggregate(pipeline: object[]): { toArray(): Promise<unknown[]> };
}

export interface OutboxRelayOptions {
  kafka: Kafka;
  /** Native collections whose documents carry an `_outbox`. */
  collections: readonly OutboxCollection[];
  logger: MessagingLogger;
  /**
   * Serialises the relay's removal of published events with the writers' updates of the same document:
   * the store's `documentWriteGuard` (a lease on FerretDB, which can lose one of two racing updates of a
   * document). On MongoDB `noGuard` is right: a filtered update is atomic there, and the removal's filter
   * names exactly the entries published, so a racing write is never lost.
   */
  guard: DocumentWriteGuard;
  /**
   * Keeps the passes of relays in other processes that publish the same collections (other instances
   * of the service) from overlapping: each pass then reads only what the previous one left, so an event
   * goes out once. A holder that dies is taken over after the guard's expiry (then at least once, as
   * after any crash). Without one, relays of several processes may publish the same events.
   */
  passGuard?: DocumentWriteGuard;
  /**
   * Sweep period: pending events are looked for at least this often, nudged or not (default 5000). A
   * sweep is an indexed query on the `_pending` flag; writes in this process nudge, so the sweep only
   * matters after outages, restarts and writes by other processes.
   */
  sweepIntervalMs?: number;
  /**
   * How often the pending-events gauge is refreshed (default 10000): it reads every pending document,
   * which is a scan on FerretDB, so it runs at a metrics cadence and never overlaps itself.
   */
  gaugeIntervalMs?: number;
  /** Documents read per query (default 200). */
  batchSize?: number;
  /** Backoff after a failed pass (broker or store down), default 100 ms doubling up to 5 s. */
  backoff?: Partial<BackoffOptions>;
  /** How long stop() keeps publishing what is pending before giving up (default 10 s). */
  drainTimeoutMs?: number;
  /** Topics to create at start (topics met later are created before their first publish). */
  topics?: readonly string[];
  /** Partitions of topics the relay creates (default 3). */
  numPartitions?: number;
  /** Overrides of the producer config (idempotent, maxInFlightRequests 1 and acks=all stay). */
  producer?: Omit<ProducerConfig, "idempotent" | "maxInFlightRequests">;
  /**
   * Test hooks. `afterPublish` runs after a batch is acknowledged by Kafka and before the events are
   * removed; throwing there simulates a relay that dies in between.
   */
  hooks?: {
    afterPublish?: (events: readonly PendingEvent[]) => void | Promise<void>;
    /** Runs after a pass has read one collection (a test can write elsewhere mid-pass). */
    afterRead?: (collectionName: string) => void | Promise<void>;
  };
}

interface RawEvent {
  id?: unknown;
  type?: unknown;
  source?: unknown;
  topic?: unknown;
  key?: unknown;
  subject?: unknown;
  time?: unknown;
  data?: unknown;
  traceparent?: unknown;
  tracestate?: unknown;
}

interface Work {
  coll: OutboxCollection;
  docId: unknown;
  /** The `_outbox` entries exactly as read: `$pullAll` removes by whole-value equality. */
  raw: RawEvent[];
  events: PendingEvent[];
}

/** Milliseconds since the epoch in a UUIDv7 (its first 48 bits); undefined for any other id. */
export function uuidV7Time(id: string): number | undefined {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.test(id)) return undefined;
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}

function toBuffer(data: unknown): Buffer | undefined {
  if (Buffer.isBuffer(data)) return data;
  if (data instanceof Uint8Array) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  // BSON Binary (what the native driver returns for binary data)
  const b = data as { buffer?: unknown; position?: unknown; sub_type?: unknown } | null;
  if (b && b.buffer instanceof Uint8Array && typeof b.position === "number") {
    return Buffer.from(b.buffer.buffer, b.buffer.byteOffset, b.position);
  }
  return undefined;
}

/** A stored outbox entry as a PendingEvent, or a description of what is wrong with it. */
export function decodeStoredEvent(raw: RawEvent): PendingEvent | string {
  const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
  const id = str(raw.id);
  const type = str(raw.type);
  const source = str(raw.source);
  const topic = str(raw.topic);
  const key = str(raw.key);
  const subject = str(raw.subject) ?? key;
  const time = raw.time instanceof Date ? raw.time : undefined;
  const data = toBuffer(raw.data);
  if (!id || !type || !source || !topic || !key || !subject || !time || !data) {
    return `malformed outbox entry ${String(raw.id)}: needs id, type, source, topic, key, time and data`;
  }
  const ev: PendingEvent = { id, type, source, topic, key, subject, time, data };
  if (str(raw.traceparent)) ev.traceparent = raw.traceparent as string;
  if (str(raw.tracestate)) ev.tracestate = raw.tracestate as string;
  return ev;
}

/** The Kafka record of an event: key = aggregate id, value = protobuf, CloudEvents binary-mode headers. */
export function toKafkaMessage(ev: PendingEvent): Message {
  return { key: ev.key, value: ev.data, headers: cloudEventHeaders(ev) };
}

function traceKey(ev: PendingEvent): string {
  return `${ev.traceparent ?? ""}|${ev.tracestate ?? ""}`;
}

/**
 * A pass's events in the order they were written, across documents and collections: one aggregate's
 * events may live in several documents (a hold, then an offer, then an adoption of one idea), and its
 * consumers must see them in causal order. UUIDv7 ids sort by creation time; one document's events
 * keep their array order (it is their creation order too).
 */
export function publishOrder(work: readonly Work[]): PendingEvent[] {
  const all = work.flatMap((w) => w.events.map((ev, i) => ({ ev, i })));
  return all.sort((a, b) => (a.ev.id < b.ev.id ? -1 : a.ev.id > b.ev.id ? 1 : a.i - b.i)).map((x) => x.ev);
}

export class OutboxRelay {
  private readonly opts: OutboxRelayOptions;
  private readonly log: MessagingLogger;
  private readonly backoff: BackoffOptions;
  private producer: Producer | undefined;
  private readonly ensured = new Set<string>();
  private started = false;
  private stopping = false;
  private halted = false;
  private dirty = false;
  private failures = 0;
  private loop: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private wake = new AbortController();
  private gauging = false;
  private gaugedAt = 0;

  constructor(opts: OutboxRelayOptions) {
    if (opts.collections.length === 0) throw new Error("OutboxRelay: no collections");
    // The failure counter has no labels: registered now, it reads 0 until a pass fails (an alert on
    // its rate then has a series to compare with).
    void messagingMetrics.outboxPublishErrors;
    this.opts = opts;
    this.log = opts.logger;
    this.backoff = {
      initialBackoffMs: opts.backoff?.initialBackoffMs ?? 100,
      maxBackoffMs: opts.backoff?.maxBackoffMs ?? 5000,
      factor: opts.backoff?.factor ?? 2,
      jitter: opts.backoff?.jitter ?? 0.2,
    };
  }

  /**
   * Starts sweeping and publishes what is already pending. Never fails because the broker is down:
   * events wait in their documents and go out once it answers.
   */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.stopping = false;
    this.halted = false;
    if (this.opts.topics?.length) {
      try {
        await this.ensure(this.opts.topics);
      } catch (err) {
        this.log.warn({ ...errorFields(err) }, "outbox relay: could not create topics yet; will retry");
      }
    }
    await this.flagUnflagged().catch((err: unknown) =>
      this.log.warn({ ...errorFields(err) }, "outbox relay: could not look for unflagged events yet"),
    );
    const every = this.opts.sweepIntervalMs ?? 5000;
    this.timer = setInterval(() => this.sweep(), every);
    this.timer.unref();
    this.sweep();
  }

  /** Asks for a pass soon (call after each write that added events). Cheap; passes never overlap. */
  nudge(): void {
    if (!this.started || this.stopping) return;
    this.dirty = true;
    this.wake.abort(); // cut a backoff short: new work may mean the broker is back
    if (!this.loop) {
      // The loop runs outside the caller's trace: each send runs in its events' own stored context.
      this.loop = context
        .with(ROOT_CONTEXT, () => this.run())
        .finally(() => {
          this.loop = undefined;
        });
    }
  }

  /** Resolves when the relay has nothing in flight (a pass may start again on the next nudge). */
  async idle(): Promise<void> {
    while (this.loop) await this.loop;
  }

  /**
   * Pending events across the relay's collections (also exported, with the age of the oldest one, as
   * the backlog gauges).
   */
  async pending(): Promise<number> {
    let total = 0;
    for (const coll of this.opts.collections) {
      const rows = (await coll
        .aggregate([{ $match: OUTBOX_PENDING_FILTER }, { $unwind: `$${OUTBOX_FIELD}` }, { $count: "n" }])
        .toArray()) as Array<{ n?: number }>;
      const n = rows[0]?.n ?? 0;
      // The oldest by a sort, not a $min: FerretDB 1.24 has no $min accumulator.
      const first =
        n === 0
          ? []
          : ((await coll
              .aggregate([
                { $match: OUTBOX_PENDING_FILTER },
                { $unwind: `$${OUTBOX_FIELD}` },
                { $sort: { [`${OUTBOX_FIELD}.time`]: 1 } },
                { $limit: 1 },
                { $project: { [`${OUTBOX_FIELD}.time`]: 1 } },
              ])
              .toArray()) as Array<{ [OUTBOX_FIELD]?: { time?: unknown } }>);
      const time = first[0]?.[OUTBOX_FIELD]?.time;
      messagingMetrics.setOutboxBacklog(coll.collectionName, n, time instanceof Date ? time : undefined);
      total += n;
    }
    return total;
  }

  /** Nudges and waits until nothing is pending (tests, benchmarks, graceful hand-over). */
  async flush(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      this.nudge();
      await this.idle();
      if ((await this.pending()) === 0) return;
      if (Date.now() > deadline) throw new Error(`outbox relay: events still pending after ${timeoutMs} ms`);
      await sleep(50);
    }
  }

  /**
   * Stops sweeping, keeps publishing what is pending while the broker answers (at most drainTimeoutMs),
   * then disconnects. Whatever could not be published stays in its documents for the next start.
   */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.wake.abort();
    const drain = this.loop ?? Promise.resolve();
    let timeout: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      drain.then(() => false),
      new Promise<boolean>((resolve) => {
        timeout = setTimeout(() => resolve(true), this.opts.drainTimeoutMs ?? 10_000);
      }),
    ]);
    clearTimeout(timeout);
    if (timedOut) {
      this.halted = true;
      this.log.warn({}, "outbox relay: drain timed out; pending events stay for the next start");
    }
    await this.dropProducer();
    await drain.catch(() => undefined);
    this.started = false;
  }

  private sweep(): void {
    this.nudge();
    // Refresh the pending gauge on the sweep timer, not on every pass, and one count at a time: under a
    // backlog each count reads every pending document, and counts piling up would starve the passes of
    // the driver's connections.
    const now = Date.now();
    if (this.gauging || now - this.gaugedAt < (this.opts.gaugeIntervalMs ?? 10_000)) return;
    this.gauging = true;
    this.gaugedAt = now;
    this.pending()
      .catch(() => undefined)
      .finally(() => {
        this.gauging = false;
      });
  }

  private async run(): Promise<void> {
    while (this.dirty && !this.halted) {
      this.dirty = false;
      this.wake = new AbortController();
      try {
        const more = await this.pass();
        this.failures = 0;
        if (more) this.dirty = true;
      } catch (err) {
        this.failures += 1;
        messagingMetrics.outboxPublishErrors.inc();
        await this.dropProducer();
        if (this.stopping) {
          this.log.warn({ ...errorFields(err) }, "outbox relay: pass failed while stopping; events kept");
          return;
        }
        const delay = backoffDelay(this.failures, this.backoff);
        this.log.warn(
          { ...errorFields(err), attempt: this.failures, retryInMs: delay },
          "outbox relay: publish failed; events kept, retrying",
        );
        this.dirty = true;
        await sleep(delay, this.wake.signal);
        if (this.stopping) return; // no draining against a broker that just failed
      }
    }
  }

  /**
   * One pass: reads the pending events of every collection, publishes them in the order they were
   * written, then removes them. True when another pass should follow at once (a full batch, or events
   * held back).
   *
   * Events created after the pass began are held back to the next pass: a pass reads its collections
   * one after the other, so it may have missed an earlier event of the same aggregate written to a
   * collection it had already read (an adoption ended in one document, the next one begun in another).
   * Everything created before the pass began was written before it read anything that came later.
   */
  private pass(): Promise<boolean> {
    const guard = this.opts.passGuard;
    if (!guard) return this.passAlone();
    const names = this.opts.collections.map((c) => c.collectionName);
    return guard.run("_relay", [...names].sort().join(","), () => this.passAlone());
  }

  private async passAlone(): Promise<boolean> {
    let more = false;
    const batchSize = this.opts.batchSize ?? 200;
    const began = Date.now();
    const work: Work[] = [];
    for (const coll of this.opts.collections) {
      const docs = (await coll
        .find(OUTBOX_PENDING_FILTER, { projection: { [OUTBOX_FIELD]: 1 }, limit: batchSize })
        .toArray()) as Array<{ _id: unknown; [OUTBOX_FIELD]?: RawEvent[] }>;
      if (docs.length === batchSize) more = true;
      for (const doc of docs) {
        const raw = doc[OUTBOX_FIELD] ?? [];
        const events: PendingEvent[] = [];
        for (const r of raw) {
          const ev = decodeStoredEvent(r);
          if (typeof ev === "string") {
            // Never dropped: the document's later events wait behind it until someone fixes it.
            this.log.error({ collection: coll.collectionName, docId: String(doc._id) }, ev);
            break;
          }
          if ((uuidV7Time(ev.id) ?? 0) >= began) {
            more = true; // this one and the document's later ones go in the next pass
            break;
          }
          events.push(ev);
        }
        if (events.length > 0) work.push({ coll, docId: doc._id, raw: raw.slice(0, events.length), events });
        else if (raw.length === 0) await this.clearFlag(coll, doc._id); // emptied by a crash between steps
      }
      await this.opts.hooks?.afterRead?.(coll.collectionName);
    }
    if (work.length > 0) await this.publishAndRemove(work);
    return more;
  }

  private async publishAndRemove(work: Work[]): Promise<void> {
    const ordered = publishOrder(work);
    await this.ensure(ordered.map((e) => e.topic));
    const producer = await this.getProducer();
    // Sequential requests (idempotent producer, one in flight) keep the order; consecutive events that
    // share a trace context share one request, sent inside that context. If a send fails, nothing is
    // removed: the whole batch is sent again later and consumers drop the duplicates by ce_id.
    for (let from = 0; from < ordered.length;) {
      const first = ordered[from]!;
      let to = from + 1;
      while (to < ordered.length && traceKey(ordered[to]!) === traceKey(first)) to++;
      const byTopic = new Map<string, Message[]>();
      for (const ev of ordered.slice(from, to)) {
        const list = byTopic.get(ev.topic);
        if (list) list.push(toKafkaMessage(ev));
        else byTopic.set(ev.topic, [toKafkaMessage(ev)]);
      }
      // The kafkajs instrumentation (when on) makes its producer span a child of the original request.
      const ctx = extractContext(
        { traceparent: first.traceparent, tracestate: first.tracestate },
        ROOT_CONTEXT,
      );
      await context.with(ctx, () =>
        producer.sendBatch({
          acks: -1,
          topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
        }),
      );
      for (const [topic, messages] of byTopic)
        messagingMetrics.outboxPublished.inc({ topic }, messages.length);
      from = to;
    }
    await this.opts.hooks?.afterPublish?.(work.flatMap((w) => w.events));
    // Remove exactly what was published: whole-value $pullAll of the entries as read ($pull with a
    // condition is a silent no-op on FerretDB 1.24; events appended meanwhile stay for the next pass),
    // then drop the flag if the outbox is empty now. Both under the store's guard: FerretDB 1.24 loses
    // one of two racing updates of a document.
    for (const w of work) {
      await this.guarded(w.coll, w.docId, async () => {
        // Usually the outbox holds exactly what was published: one update empties it and drops the flag.
        const emptied = (await w.coll.updateOne(
          { _id: w.docId, [OUTBOX_FIELD]: w.raw },
          { $set: { [OUTBOX_FIELD]: [] }, $unset: { [PENDING_FLAG]: "" } },
        )) as { matchedCount?: number };
        if (emptied.matchedCount === 1) return;
        await w.coll.updateOne({ _id: w.docId }, { $pullAll: { [OUTBOX_FIELD]: w.raw } });
        await w.coll.updateOne(
          { _id: w.docId, [OUTBOX_FIELD]: { $size: 0 } },
          { $unset: { [PENDING_FLAG]: "" } },
        );
      });
    }
  }

  /**
   * Documents whose events were written before outboxes carried the `_pending` flag get it, once per
   * start (a scan, but only then), so the indexed query finds them.
   */
  private async flagUnflagged(): Promise<void> {
    for (const coll of this.opts.collections) {
      const docs = (await coll
        .find(
          { [`${OUTBOX_FIELD}.0`]: { $exists: true }, [PENDING_FLAG]: { $exists: false } },
          {
            projection: { _id: 1 },
          },
        )
        .toArray()) as Array<{ _id: unknown }>;
      for (const doc of docs) {
        await this.guarded(coll, doc._id, () =>
          coll.updateOne(
            { _id: doc._id, [`${OUTBOX_FIELD}.0`]: { $exists: true } },
            { $set: { [PENDING_FLAG]: true } },
          ),
        );
      }
    }
  }

  private async clearFlag(coll: OutboxCollection, docId: unknown): Promise<void> {
    await this.guarded(coll, docId, () =>
      coll.updateOne({ _id: docId, [OUTBOX_FIELD]: { $size: 0 } }, { $unset: { [PENDING_FLAG]: "" } }),
    );
  }

  private guarded<T>(coll: OutboxCollection, docId: unknown, write: () => Promise<T>): Promise<T> {
    return this.opts.guard.run(coll.collectionName, String(docId), write);
  }

  private async ensure(topics: readonly string[]): Promise<void> {
    const missing = [...new Set(topics)].filter((t) => !this.ensured.has(t));
    if (missing.length === 0) return;
    await ensureTopics(this.opts.kafka, missing, { numPartitions: this.opts.numPartitions ?? 3 });
    for (const t of missing) this.ensured.add(t);
  }

  private async getProducer(): Promise<Producer> {
    if (this.producer) return this.producer;
    const producer = this.opts.kafka.producer({
      // kafkajs 2's murmur2 partitioner (as the Java client), named so it does not warn at each start.
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
      retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1000 },
      ...this.opts.producer,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    try {
      await producer.connect();
    } catch (err) {
      await producer.disconnect().catch(() => undefined);
      throw err;
    }
    this.producer = producer;
    return producer;
  }

  /** After a failure the producer is replaced: a fresh producer id restarts the sequence numbers. */
  private async dropProducer(): Promise<void> {
    const p = this.producer;
    this.producer = undefined;
    if (p) await p.disconnect().catch(() => undefined);
  }
}
