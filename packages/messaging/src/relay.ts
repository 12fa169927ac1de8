// The outbox relay: finds documents with pending events, publishes each document's events in array
// order (Kafka key = aggregate id) with an idempotent producer, then removes exactly those it published.
// A crash between publishing and removing republishes them later: consumers dedupe by ce_id.
import { ROOT_CONTEXT, context } from "@opentelemetry/api";
import { Partitioners, type Kafka, type Message, type Producer, type ProducerConfig } from "kafkajs";
import { docLockKey, takesDocLocks, withDocLock } from "@lto/mongo";
import { extractContext } from "@lto/telemetry";
import { backoffDelay, sleep, type BackoffOptions } from "./backoff.js";
import { cloudEventHeaders } from "./cloudevents.js";
import { errorFields, type MessagingLogger } from "./logger.js";
import { messagingMetrics } from "./metrics.js";
import { OUTBOX_FIELD, OUTBOX_PENDING_FILTER, type PendingEvent } from "./outbox.js";
import { ensureTopics } from "./topics.js";

/** What the relay needs of a native driver collection (mongodb's Collection fits). */
export interface OutboxCollection {
  readonly collectionName: string;
  readonly dbName?: string;
  find(filter: object, options?: object): { toArray(): Promise<unknown[]> };
  updateOne(filter: object, update: object): Promise<unknown>;
  aggregate(pipeline: object[]): { toArray(): Promise<unknown[]> };
}

/** What the relay needs of a mongoose model (its connection's native collection is used, uncast). */
export interface OutboxModel {
  readonly modelName: string;
  readonly collection: { readonly collectionName: string };
  readonly db: { readonly db?: { collection(name: string): unknown } | undefined };
}

export type OutboxSource = OutboxModel | OutboxCollection;

export interface OutboxRelayOptions {
  kafka: Kafka;
  /** Collections (mongoose models or native collections) whose documents carry an `_outbox`. */
  collections: readonly OutboxSource[];
  logger: MessagingLogger;
  /**
   * Sweep period: pending events are looked for at least this often, nudged or not (default 5000). A
   * sweep is a collection scan on FerretDB (it cannot use the `_outbox.id` index); writes in this
   * process nudge, so the sweep only matters after outages, restarts and writes by other processes.
   */
  sweepIntervalMs?: number;
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
  hooks?: { afterPublish?: (events: readonly PendingEvent[]) => void | Promise<void> };
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
  /** Consecutive runs of events sharing a trace context (each run is sent inside that context). */
  runs: PendingEvent[][];
}

function isModel(s: OutboxSource): s is OutboxModel {
  return typeof (s as OutboxModel).modelName === "string";
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

function splitRuns(events: PendingEvent[]): PendingEvent[][] {
  const runs: PendingEvent[][] = [];
  for (const ev of events) {
    const last = runs[runs.length - 1];
    if (last && traceKey(last[0]!) === traceKey(ev)) last.push(ev);
    else runs.push([ev]);
  }
  return runs;
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

  constructor(opts: OutboxRelayOptions) {
    if (opts.collections.length === 0) throw new Error("OutboxRelay: no collections");
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

  /** Pending events across the relay's collections (also exported as the pending gauge). */
  async pending(): Promise<number> {
    let total = 0;
    for (const source of this.opts.collections) {
      const coll = this.resolve(source);
      const rows = (await coll
        .aggregate([{ $match: OUTBOX_PENDING_FILTER }, { $unwind: `$${OUTBOX_FIELD}` }, { $count: "n" }])
        .toArray()) as Array<{ n?: number }>;
      const n = rows[0]?.n ?? 0;
      messagingMetrics.outboxPending.set({ collection: coll.collectionName }, n);
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
    // Refresh the pending gauge on the sweep timer, not on every pass.
    this.pending().catch(() => undefined);
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

  /** One pass over every collection; true when a collection had more pending documents than one batch. */
  private async pass(): Promise<boolean> {
    let more = false;
    const batchSize = this.opts.batchSize ?? 200;
    for (const source of this.opts.collections) {
      const coll = this.resolve(source);
      const docs = (await coll
        .find(OUTBOX_PENDING_FILTER, { projection: { [OUTBOX_FIELD]: 1 }, limit: batchSize })
        .toArray()) as Array<{ _id: unknown; [OUTBOX_FIELD]?: RawEvent[] }>;
      if (docs.length === batchSize) more = true;
      const work: Work[] = [];
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
          events.push(ev);
        }
        if (events.length > 0) {
          work.push({
            coll,
            docId: doc._id,
            raw: raw.slice(0, events.length),
            events,
            runs: splitRuns(events),
          });
        }
      }
      if (work.length > 0) await this.publishAndRemove(work);
    }
    return more;
  }

  private async publishAndRemove(work: Work[]): Promise<void> {
    await this.ensure(work.flatMap((w) => w.events.map((e) => e.topic)));
    const producer = await this.getProducer();
    // Round r sends the r-th run of every document, so a document's runs go out strictly in order;
    // within a round, runs that share a trace context share one request. If a send fails, nothing is
    // removed: the whole batch is sent again later and consumers drop the duplicates by ce_id.
    for (let r = 0; ; r++) {
      const round = work.filter((w) => w.runs.length > r);
      if (round.length === 0) break;
      const groups = new Map<string, Work[]>();
      for (const w of round) {
        const k = traceKey(w.runs[r]![0]!);
        const g = groups.get(k);
        if (g) g.push(w);
        else groups.set(k, [w]);
      }
      for (const members of groups.values()) {
        const first = members[0]!.runs[r]![0]!;
        const byTopic = new Map<string, Message[]>();
        for (const w of members) {
          for (const ev of w.runs[r]!) {
            const list = byTopic.get(ev.topic);
            if (list) list.push(toKafkaMessage(ev));
            else byTopic.set(ev.topic, [toKafkaMessage(ev)]);
          }
        }
        // Sent inside the trace context stored with the events: the kafkajs instrumentation (when on)
        // then makes its producer span a child of the original request and injects that into the headers.
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
      }
    }
    await this.opts.hooks?.afterPublish?.(work.flatMap((w) => w.events));
    // Remove exactly what was published: whole-value $pullAll of the entries as read. ($pull with a
    // condition is a silent no-op on FerretDB 1.24; events appended meanwhile stay for the next pass.)
    // One document at a time, each under its document lock: FerretDB 1.24 loses one of two racing
    // updates of a document (see @lto/mongo doc-lock), and parallel writes only contend on its SQLite.
    // A collection from lockedCollection takes that lock itself (the lock is not reentrant).
    for (const w of work) {
      const pull = () => w.coll.updateOne({ _id: w.docId }, { $pullAll: { [OUTBOX_FIELD]: w.raw } });
      await (takesDocLocks(w.coll) ? pull() : withDocLock(docLockKey(w.coll, w.docId), pull));
    }
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

  private resolve(source: OutboxSource): OutboxCollection {
    if (!isModel(source)) return source;
    const db = source.db.db;
    if (!db) throw new Error(`outbox relay: the connection of model ${source.modelName} is not open`);
    return db.collection(source.collection.collectionName) as OutboxCollection;
  }
}
