// The consumer runner: explicit subscriptions (event codec -> handler), CloudEvents parsing, handlers run
// inside the producer's trace, in-process retries with backoff, then the dead-letter topic
// `lto.dlq.<group>` with the error in the headers, and the partition moves on.
import { ROOT_CONTEXT, SpanKind, context, trace } from "@opentelemetry/api";
import {
  Partitioners,
  type Consumer,
  type EachMessagePayload,
  type IHeaders,
  type Kafka,
  type Producer,
} from "kafkajs";
import { DLQ_PARTITIONS, dlqTopic as dlqTopicOf, type EventCodec } from "@lto/contracts";
import { extractContext, inSpan } from "@lto/telemetry";
import { backoffDelay, sleep } from "./backoff.js";
import { headersToStrings, parseCloudEventHeaders, type ParsedCloudEvent } from "./cloudevents.js";
import { errorFields, type MessagingLogger } from "./logger.js";
import { messagingMetrics } from "./metrics.js";
import { ensureTopics } from "./topics.js";

/** An event as a handler receives it. */
export interface ReceivedEvent<T> {
  /** ce_id: the key to dedupe by (@lto/store's `processedEventId`). */
  id: string;
  type: string;
  source: string;
  /** ce_subject: the aggregate id. */
  subject: string | undefined;
  time: Date;
  data: T;
  key: string | undefined;
  topic: string;
  partition: number;
  offset: string;
  /** All headers as strings. */
  headers: Record<string, string>;
}

export interface Subscription<T> {
  codec: EventCodec<T>;
  handle(event: ReceivedEvent<T>): Promise<void>;
}

/** The explicit list of what a consumer group handles: one entry per event type. */
export type Subscriptions = ReadonlyArray<Subscription<never>>;

/** Typed helper for a subscriptions list: `on(IdeaSubmittedEvent, async (e) => ...)`. */
export function on<T>(
  codec: EventCodec<T>,
  handle: (event: ReceivedEvent<T>) => Promise<void>,
): Subscription<never> {
  return { codec, handle } as unknown as Subscription<never>;
}

/** Thrown by a handler when retrying cannot help (bad data): the message goes to the DLQ at once. */
export class NonRetryableError extends Error {
  override readonly name: string = "NonRetryableError";
}

/**
 * The event breaks its contract's invariants (an empty id, a missing required field, an enum value or
 * date the contract does not know): it is parked on the DLQ at once and never applied. Thrown where wire
 * messages become app facts, before any handler runs; see `assertContract`.
 */
export class ContractViolationError extends NonRetryableError {
  override readonly name: string = "ContractViolationError";
}

/** Throws ContractViolationError naming every broken invariant of the event, if any. */
export function assertContract(event: Pick<ReceivedEvent<unknown>, "type" | "id">, problems: string[]): void {
  if (problems.length > 0)
    throw new ContractViolationError(`${event.type} ${event.id} breaks its contract: ${problems.join("; ")}`);
}

export interface RetryOptions {
  /** Handler attempts in total before the DLQ (default 5). */
  attempts: number;
  /** Delay before the first retry (default 100 ms), doubling. */
  initialBackoffMs: number;
  /** Cap of one delay (default 5000 ms). */
  maxBackoffMs: number;
}

export interface ConsumerOptions {
  kafka: Kafka;
  groupId: string;
  logger: MessagingLogger;
  subscriptions: Subscriptions;
  retry?: Partial<RetryOptions>;
  /** Where a group with no committed offset starts (default true: from the beginning, nothing missed). */
  fromBeginning?: boolean;
  /** Partitions handled in parallel (default 1); order per partition always holds. */
  partitionsConsumedConcurrently?: number;
  /** Partitions of the topics created at start (default 3). */
  numPartitions?: number;
  sessionTimeout?: number;
  heartbeatInterval?: number;
}

export interface PartitionLag {
  topic: string;
  partition: number;
  /** Messages between the group's position and the high watermark. */
  lag: number;
}

/**
 * Where the consumer is: `stopped` (not started, or stopped), `starting` (creating topics,
 * connecting), `joining` (waiting for the group, e.g. for a dead member's session to expire after a
 * kill -9), `joined` (has its partitions), `rebalancing` (the group is changing members),
 * `retrying` (start failed or kafkajs gave up; starting again after a backoff).
 */
export type ConsumerState = "stopped" | "starting" | "joining" | "joined" | "rebalancing" | "retrying";

/** Thrown by ConsumerRunner.readiness() while the consumer has not joined; `state` says where it is. */
export class ConsumerNotReadyError extends Error {
  override readonly name = "ConsumerNotReadyError";
  constructor(
    readonly state: ConsumerState,
    groupId: string,
    reason?: string,
  ) {
    super(`consumer group ${groupId} is ${state}${reason ? ` (${reason})` : ""}`);
  }
}

export interface ConsumerRunner {
  readonly groupId: string;
  readonly dlqTopic: string;
  /** Creates the topics (incl. the DLQ), connects and resolves once the group has its partitions. */
  start(): Promise<void>;
  /**
   * Starts without waiting: a service serves while its consumer joins its group (which can take a
   * session timeout after a crash). Retries on its own, with backoff, until it runs or stop() is called.
   */
  startInBackground(): void;
  /** Where the consumer is now. */
  state(): ConsumerState;
  /** A readiness check (for /readyz): resolves when joined, else throws ConsumerNotReadyError. */
  readiness(): Promise<void>;
  /** Finishes the message in hand, commits and disconnects. */
  stop(): Promise<void>;
  /** Lag per partition now (also sets the lag gauge). */
  lag(): Promise<PartitionLag[]>;
}

const MAX_ERROR_HEADER = 2000;

export function createConsumer(opts: ConsumerOptions): ConsumerRunner {
  const { kafka, groupId, logger: log } = opts;
  const retry: RetryOptions = {
    attempts: Math.max(1, opts.retry?.attempts ?? 5),
    initialBackoffMs: opts.retry?.initialBackoffMs ?? 100,
    maxBackoffMs: opts.retry?.maxBackoffMs ?? 5000,
  };
  const dlqTopic = dlqTopicOf(groupId);
  const byType = new Map<string, Subscription<unknown>>();
  for (const sub of opts.subscriptions as ReadonlyArray<Subscription<unknown>>) {
    if (byType.has(sub.codec.type))
      throw new Error(`consumer ${groupId}: two subscriptions for ${sub.codec.type}`);
    byType.set(sub.codec.type, sub);
  }
  if (byType.size === 0) throw new Error(`consumer ${groupId}: no subscriptions`);
  const topics = [...new Set([...byType.values()].map((s) => s.codec.topic))];

  let consumer: Consumer | undefined;
  let producer: Producer | undefined;
  let stopping = new AbortController();
  let current: ConsumerState = "stopped";
  let lastProblem: string | undefined;
  let background: Promise<void> | undefined;
  const setState = (next: ConsumerState, problem?: string) => {
    if (next !== current) log.debug({ groupId, state: next, from: current, problem }, "consumer state");
    current = next;
    lastProblem = problem;
  };
  /** Next offset to process per topic/partition, as this process last saw it. */
  const positions = new Map<string, bigint>();

  const handled = (topic: string, type: string, outcome: string) =>
    messagingMetrics.consumerHandled.inc({ group: groupId, topic, type, outcome });

  async function toDlq(p: EachMessagePayload, err: unknown, attempts: number): Promise<void> {
    const e = err instanceof Error ? err : new Error(String(err));
    const headers: IHeaders = {
      ...p.message.headers,
      lto_error_message: e.message.slice(0, MAX_ERROR_HEADER),
      lto_error_type: e.name || e.constructor?.name || "Error",
      lto_error_attempts: String(attempts),
      lto_original_topic: p.topic,
      lto_original_partition: String(p.partition),
      lto_original_offset: p.message.offset,
      lto_failed_at: new Date().toISOString(),
      lto_consumer_group: groupId,
    };
    // If the DLQ cannot be written, this throws: the offset is not committed and kafkajs delivers the
    // message again after its restart backoff; nothing is lost.
    await producer!.send({
      topic: dlqTopic,
      acks: -1,
      messages: [{ key: p.message.key, value: p.message.value, headers }],
    });
    messagingMetrics.consumerDlq.inc({ group: groupId, topic: p.topic });
    log.error(
      {
        ...errorFields(err),
        topic: p.topic,
        partition: p.partition,
        offset: p.message.offset,
        attempts,
        dlqTopic,
      },
      "message parked on the dead-letter topic",
    );
  }

  async function handleMessage(p: EachMessagePayload): Promise<void> {
    const { topic, partition, message } = p;
    let ce: ParsedCloudEvent;
    try {
      ce = parseCloudEventHeaders(message.headers);
    } catch (err) {
      await toDlq(p, err, 0);
      handled(topic, "invalid", "dlq");
      return;
    }
    const sub = byType.get(ce.type);
    if (!sub || sub.codec.topic !== topic) {
      log.debug(
        { topic, partition, offset: message.offset, type: ce.type },
        "event type not subscribed; skipped",
      );
      handled(topic, ce.type, "skipped");
      return;
    }
    let data: unknown;
    try {
      if (message.value === null) throw new NonRetryableError("message has no value");
      data = sub.codec.decode(message.value);
    } catch (err) {
      await toDlq(p, err, 0);
      handled(topic, ce.type, "dlq");
      return;
    }
    const headers = headersToStrings(message.headers);
    const event: ReceivedEvent<unknown> = {
      id: ce.id,
      type: ce.type,
      source: ce.source,
      subject: ce.subject,
      time: ce.time,
      data,
      key: message.key === null ? undefined : message.key.toString("utf8"),
      topic,
      partition,
      offset: message.offset,
      headers,
    };
    // Parent: the producer's context from the headers, unless an instrumentation already made a span in
    // that same trace for this message (then ours nests under it).
    const remote = extractContext(headers, ROOT_CONTEXT);
    const active = trace.getSpan(context.active())?.spanContext();
    const parent =
      active && active.traceId === trace.getSpan(remote)?.spanContext().traceId ? context.active() : remote;
    let lastError: unknown;
    let attempt = 0;
    while (attempt < retry.attempts) {
      attempt += 1;
      try {
        await context.with(parent, () =>
          inSpan(
            `${ce.type} process`,
            {
              kind: SpanKind.CONSUMER,
              attributes: {
                "messaging.system": "kafka",
                "messaging.operation.type": "process",
                "messaging.destination.name": topic,
                "messaging.destination.partition.id": String(partition),
                "messaging.kafka.offset": Number(message.offset),
                "messaging.message.id": ce.id,
                "messaging.consumer.group.name": groupId,
                "cloudevents.event_type": ce.type,
                "cloudevents.event_subject": ce.subject ?? "",
                "lto.attempt": attempt,
              },
            },
            () => sub.handle(event),
          ),
        );
        handled(topic, ce.type, attempt > 1 ? "ok_after_retry" : "ok");
        return;
      } catch (err) {
        lastError = err;
        if (err instanceof NonRetryableError || attempt >= retry.attempts) break;
        if (stopping.signal.aborted) throw err; // not committed: handled again after the restart
        const delay = backoffDelay(attempt, { ...retry, jitter: 0.2 });
        log.warn(
          {
            ...errorFields(err),
            topic,
            partition,
            offset: message.offset,
            type: ce.type,
            attempt,
            retryInMs: delay,
          },
          "handler failed; retrying",
        );
        await sleep(delay, stopping.signal);
        if (stopping.signal.aborted) throw err;
        await p.heartbeat();
      }
    }
    await toDlq(p, lastError, attempt);
    handled(topic, ce.type, "dlq");
  }

  async function lag(): Promise<PartitionLag[]> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const committed = await admin.fetchOffsets({ groupId, topics });
      const out: PartitionLag[] = [];
      for (const topic of topics) {
        const high = await admin.fetchTopicOffsets(topic);
        const c = committed.find((t) => t.topic === topic);
        for (const h of high) {
          const committedOffset = c?.partitions.find((x) => x.partition === h.partition)?.offset ?? "-1";
          const local = positions.get(`${topic}:${h.partition}`);
          let position = BigInt(committedOffset);
          if (position < 0n) position = BigInt(h.low);
          if (local !== undefined && local > position) position = local;
          const behind = BigInt(h.high) - position;
          const value = Number(behind > 0n ? behind : 0n);
          messagingMetrics.consumerLag.set({ group: groupId, topic, partition: String(h.partition) }, value);
          out.push({ topic, partition: h.partition, lag: value });
        }
      }
      // What waits on the DLQ, whoever parked it (retention or a replay's trim move the low mark).
      const parked = (await admin.fetchTopicOffsets(dlqTopic)).reduce(
        (sum, p) => sum + BigInt(p.high) - BigInt(p.low),
        0n,
      );
      messagingMetrics.dlqMessages.set({ group: groupId, dlq_topic: dlqTopic }, Number(parked));
      return out;
    } finally {
      await admin.disconnect();
    }
  }

  /** Disconnects whatever a failed or crashed start left behind. */
  async function release(): Promise<void> {
    const c = consumer;
    const p = producer;
    const joining = current !== "joined" && current !== "rebalancing";
    consumer = undefined;
    producer = undefined;
    // A JoinGroup in flight holds kafkajs's disconnect until the broker answers it (up to a dead
    // member's session): do not make a stopping service wait for that; kafkajs leaves once it returns.
    const leaving = c?.disconnect().catch(() => undefined);
    await (joining ? Promise.race([leaving, sleep(2000)]) : leaving);
    await p?.disconnect().catch(() => undefined);
  }

  async function startOnce(): Promise<void> {
    if (consumer) return;
    setState("starting");
    await ensureTopics(kafka, topics, { numPartitions: opts.numPartitions ?? 3 });
    await ensureTopics(kafka, [dlqTopic], { numPartitions: DLQ_PARTITIONS });
    producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    const c = kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      ...(opts.sessionTimeout !== undefined ? { sessionTimeout: opts.sessionTimeout } : {}),
      ...(opts.heartbeatInterval !== undefined ? { heartbeatInterval: opts.heartbeatInterval } : {}),
    });
    consumer = c;
    const joined = new Promise<void>((resolve) => {
      c.on(c.events.GROUP_JOIN, () => {
        if (consumer === c) setState("joined");
        resolve();
      });
    });
    c.on(c.events.REBALANCING, () => {
      if (consumer === c && current === "joined") setState("rebalancing");
    });
    c.on(c.events.CRASH, ({ payload }) => {
      if (consumer !== c || stopping.signal.aborted) return;
      const problem = payload.error.message;
      if (payload.restart) {
        setState("joining", problem); // kafkajs restarts it itself
        return;
      }
      // kafkajs gave up on this consumer: start a new one, as at start-up.
      log.warn({ ...errorFields(payload.error), groupId }, "consumer crashed; starting it again");
      setState("retrying", problem);
      void release().then(() => {
        if (!stopping.signal.aborted) runner.startInBackground();
      });
    });
    setState("joining");
    await c.connect();
    await c.subscribe({ topics, fromBeginning: opts.fromBeginning ?? true });
    await c.run({
      autoCommit: true,
      partitionsConsumedConcurrently: opts.partitionsConsumedConcurrently ?? 1,
      eachMessage: async (p) => {
        await handleMessage(p);
        positions.set(`${p.topic}:${p.partition}`, BigInt(p.message.offset) + 1n);
      },
    });
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([joined, new Promise<void>((r) => (timeout = setTimeout(r, 30_000)))]);
    clearTimeout(timeout);
    if (consumer !== c) return; // stopped meanwhile
    log.info({ groupId, topics, dlqTopic }, "consumer started");
  }

  const runner: ConsumerRunner = {
    groupId,
    dlqTopic,
    lag,
    async start() {
      if (consumer) return;
      stopping = new AbortController();
      try {
        await startOnce();
      } catch (err) {
        setState("retrying", err instanceof Error ? err.message : String(err));
        await release();
        throw err;
      }
    },
    startInBackground() {
      if (background) return;
      if (current === "stopped") stopping = new AbortController();
      const signal = stopping.signal;
      background = (async () => {
        for (let attempt = 1; !signal.aborted; attempt++) {
          try {
            await startOnce();
            return;
          } catch (err) {
            if (signal.aborted) return;
            const delay = backoffDelay(attempt, { initialBackoffMs: 500, maxBackoffMs: 10_000, jitter: 0.2 });
            setState("retrying", err instanceof Error ? err.message : String(err));
            log.warn(
              { ...errorFields(err), groupId, attempt, retryInMs: delay },
              "consumer could not start yet; retrying",
            );
            await release();
            await sleep(delay, signal);
          }
        }
      })().finally(() => {
        background = undefined;
      });
    },
    state: () => current,
    async readiness() {
      if (current !== "joined" && current !== "rebalancing")
        throw new ConsumerNotReadyError(current, groupId, lastProblem);
    },
    async stop() {
      stopping.abort();
      const starting = background;
      await release();
      setState("stopped");
      // A start in flight may be waiting for the group (see release): not for long.
      await Promise.race([starting?.catch(() => undefined), sleep(2000)]);
      await release(); // what a start in flight connected after the first release
    },
  };
  return runner;
}

/**
 * Refreshes the group's lag and DLQ gauges (`runner.lag()`) every `everyMs` until the returned function
 * is called, whatever the consumer is doing: joined, unable to join, crashed or stopped. The broker's
 * offsets say how far behind the group is, so a dead consumer's lag keeps growing on /metrics while
 * its process lives, which is when an operator needs to see it. The owner of the process's metrics
 * (the service host) watches for the process's whole life.
 */
export function watchConsumerLag(
  runner: Pick<ConsumerRunner, "lag" | "groupId">,
  everyMs: number,
  log: MessagingLogger,
): () => void {
  let running: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    if (running) return; // one refresh at a time (a slow broker)
    running = runner
      .lag()
      .catch((err: unknown) =>
        log.debug({ ...errorFields(err), groupId: runner.groupId }, "consumer lag refresh failed"),
      )
      .finally(() => (running = undefined));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
