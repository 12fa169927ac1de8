// What service tests share: a service started through the platform's host on free ports against the
// test infrastructure, an HTTP client per caller (tokens signed by a throw-away JWKS), a clock the test
// moves, polling instead of sleeping, and a topic read from the beginning.
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TokenClaims } from "@lto/auth";
import {
  startService,
  type HostedConfig,
  type RunningService,
  type ServiceDefinition,
} from "@lto/service-host";
import { createLogger } from "@lto/telemetry";
import type { EventCodec } from "@lto/contracts";
import { pendingEvent, toKafkaMessage } from "@lto/messaging";
import { MongoIdempotencyStore } from "@lto/mongo";
import type { IHeaders } from "kafkajs";
import mongoose from "mongoose";
import { expect } from "vitest";
import {
  createTestKafka,
  getInfra,
  testAuth,
  testDbName,
  uniqueGroupId,
  uniqueId,
  type TestAuth,
} from "./index.js";

export { waitFor } from "./index.js";

/**
 * A clock the test can move. Frozen at the real now by default (what a test reads is what the service
 * read); `ticking`, it runs with real time, shifted by what set/advance moved it (sweepers and timestamps
 * that must keep moving).
 */
export class TestClock {
  private fixed: Date | undefined;
  private offsetMs = 0;
  constructor(opts: { ticking?: boolean } = {}) {
    this.fixed = opts.ticking ? undefined : new Date();
  }
  now = (): Date => (this.fixed ? new Date(this.fixed) : new Date(Date.now() + this.offsetMs));
  /** The clock's now (as `now()`). */
  get current(): Date {
    return this.now();
  }
  set(date: Date): void {
    if (this.fixed) this.fixed = new Date(date);
    else this.offsetMs = date.getTime() - Date.now();
  }
  /** Moves the clock forward (or back, with a negative span). */
  advance(ms: number): void {
    if (this.fixed) this.fixed = new Date(this.fixed.getTime() + ms);
    else this.offsetMs += ms;
  }
}

export interface Reply {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  /** The body as it came (what a check of the exact bytes reads). */
  text: string;
}

export interface RequestOptions {
  /** A string is sent as it is; anything else as JSON. */
  body?: unknown;
  /** Win over the client's own (authorization, content-type). */
  headers?: Record<string, string>;
}

/** Requests on behalf of one caller (no caller: anonymous). */
export interface Client {
  request(method: string, path: string, opts?: RequestOptions): Promise<Reply>;
  get(path: string, opts?: RequestOptions): Promise<Reply>;
  post(path: string, body?: unknown, opts?: RequestOptions): Promise<Reply>;
  put(path: string, body?: unknown, opts?: RequestOptions): Promise<Reply>;
  patch(path: string, body?: unknown, opts?: RequestOptions): Promise<Reply>;
}

export interface TestService {
  /** The instance running now (a new one after restart()). */
  readonly running: RunningService;
  /** Its HTTP base URL. */
  readonly url: string;
  /** Its gRPC address (host:port); throws for a service that serves no gRPC. */
  readonly grpcAddress: string;
  /** The environment it was started with: a second instance, a restart or a script start with it. */
  env: Record<string, string>;
  clock: TestClock;
  auth: TestAuth;
  dbName: string;
  /** The store's connection string (without the database). */
  mongoUrl: string;
  /** The consumer group its subscriptions read with (KAFKA_CONSUMER_GROUP). */
  groupId: string;
  /** A client sending a token with these claims (one token per caller, reused). */
  as(caller?: TokenClaims): Client;
  /** Stops this instance and starts it again on the same environment and ports chosen anew. */
  restart(): Promise<void>;
  /** Stops the service; the first instance also drops its database (unless keepData) and closes the JWKS. */
  close(): Promise<void>;
}

export interface StartTestServiceOptions {
  /** Extra environment (wins over the defaults, or over the first instance's with `sameAs`). */
  env?: Record<string, string>;
  clock?: TestClock;
  /** Reuse a database (a restart on data left by keepData); default a fresh one. */
  dbName?: string;
  /** Reuse a JWKS (instances of one service, or services that call each other). */
  auth?: TestAuth;
  /** Keep the database on close (a later instance starts on it). */
  keepData?: boolean;
  /**
   * Another instance of this one: same store, broker, consumer group, keys and clock. Its close() only
   * stops it; the first instance owns the keys and the database.
   */
  sameAs?: TestService;
  /** The gRPC port (default a free one): for a peer that must know the address before this starts. */
  grpcPort?: number;
  /** The HTTP port (default a free one): for a peer (a proxy) that must know the address before this starts. */
  httpPort?: number;
}

export async function startTestService<C extends HostedConfig>(
  service: ServiceDefinition<C>,
  opts: StartTestServiceOptions = {},
): Promise<TestService> {
  const infra = await getInfra();
  const first = opts.sameAs;
  const ownAuth = !opts.auth && !first;
  const auth = first?.auth ?? opts.auth ?? (await testAuth());
  const clock = first?.clock ?? opts.clock ?? new TestClock();
  const dbName = first?.dbName ?? opts.dbName ?? testDbName(service.name);
  const env: Record<string, string> = {
    ...(first?.env ?? {
      NODE_ENV: "test",
      LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
      MONGO_URL: infra.mongoUrl,
      MONGO_DB: dbName,
      KAFKA_BROKERS: infra.kafkaBrokers.join(","),
      KAFKA_CONSUMER_GROUP: uniqueGroupId(service.name),
      OUTBOX_SWEEP_MS: "200",
      // Topics a test service creates on the shared broker: a few partitions keep group joins quick.
      KAFKA_TOPIC_PARTITIONS: "3",
      // Mail a test sends lands in a temporary directory, never in the repository's .data.
      MAIL_DIR: join(tmpdir(), "lto-test-mail", dbName),
      ...auth.env,
    }),
    ...opts.env,
  };
  const boot = () =>
    startService(service, {
      env,
      httpPort: opts.httpPort ?? 0,
      grpcPort: opts.grpcPort ?? 0,
      metricsPort: 0,
      clock,
      logger: createLogger(service.name, { level: (env.LOG_LEVEL as "warn") ?? "warn" }),
    });
  let running = await boot();
  const tokens = new Map<string, Promise<string>>();
  const as = (caller?: TokenClaims): Client => {
    const request = async (method: string, path: string, o: RequestOptions = {}): Promise<Reply> => {
      const headers: Record<string, string> = {};
      if (caller) {
        const key = JSON.stringify(caller);
        if (!tokens.has(key)) tokens.set(key, auth.token(caller));
        headers.authorization = `Bearer ${await tokens.get(key)!}`;
      }
      if (o.body !== undefined) headers["content-type"] = "application/json";
      Object.assign(headers, o.headers);
      const res = await fetch(`${running.http.url}${path}`, {
        method,
        headers,
        ...(o.body === undefined
          ? {}
          : { body: typeof o.body === "string" ? o.body : JSON.stringify(o.body) }),
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: the text as it came
      }
      return { status: res.status, headers: res.headers, body, text };
    };
    return {
      request,
      get: (path, o) => request("GET", path, o),
      post: (path, body, o) => request("POST", path, { ...o, body }),
      put: (path, body, o) => request("PUT", path, { ...o, body }),
      patch: (path, body, o) => request("PATCH", path, { ...o, body }),
    };
  };
  return {
    get running() {
      return running;
    },
    get url() {
      return running.http.url;
    },
    get grpcAddress() {
      if (!running.grpc) throw new Error(`${service.name} serves no gRPC`);
      return running.grpc.address;
    },
    env,
    clock,
    auth,
    dbName,
    mongoUrl: infra.mongoUrl,
    groupId: env.KAFKA_CONSUMER_GROUP!,
    as,
    async restart() {
      await running.stop();
      running = await boot();
    },
    async close() {
      await running.stop();
      if (first) return;
      if (ownAuth) await auth.close();
      if (opts.keepData) return;
      const conn = await mongoose.createConnection(infra.mongoUrl, { dbName }).asPromise();
      await conn.dropDatabase();
      await conn.close();
    },
  };
}

export interface TopicRecord {
  key: string;
  value: Buffer;
  /** Headers as strings (CloudEvents attributes: ce_type, ce_id, ...). */
  headers: Record<string, string>;
  partition: number;
  offset: string;
}

export interface TopicWatch {
  /** What arrived so far, in arrival order. */
  records: TopicRecord[];
  /** The first record that `pred` accepts, waiting up to `timeoutMs` (failing names what it saw). */
  waitFor(pred: (record: TopicRecord) => boolean, timeoutMs?: number): Promise<TopicRecord>;
  stop(): Promise<void>;
}

const seenTypes = (records: readonly TopicRecord[]) =>
  `saw ${records.length}: ${records.map((r) => r.headers.ce_type ?? "?").join(", ")}`;

/** Collects every record of `topic` from the beginning, with a consumer group of its own, until stop(). */
export async function watchTopic(topic: string): Promise<TopicWatch> {
  const kafka = await createTestKafka({ clientPrefix: "watch-topic" });
  const consumer = kafka.consumer({ groupId: uniqueId("watch-topic"), maxWaitTimeInMs: 100 });
  const records: TopicRecord[] = [];
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message, partition }) => {
        records.push({
          key: message.key?.toString("utf8") ?? "",
          value: message.value ?? Buffer.alloc(0),
          headers: headerStrings(message.headers),
          partition,
          offset: message.offset,
        });
      },
    });
  } catch (err) {
    await consumer.disconnect().catch(() => undefined);
    throw err;
  }
  return {
    records,
    async waitFor(pred, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = records.find(pred);
        if (found) return found;
        if (Date.now() > deadline)
          throw new Error(`${topic}: no such record after ${timeoutMs} ms; ${seenTypes(records)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    stop: () => consumer.disconnect(),
  };
}

/**
 * Every record of `topic` from the beginning until `done(records)` says enough (or `timeoutMs`
 * passes: then it fails naming what it saw), with a consumer group of its own.
 */
export async function readTopic(
  topic: string,
  done: (records: readonly TopicRecord[]) => boolean,
  timeoutMs = 30_000,
): Promise<TopicRecord[]> {
  const watch = await watchTopic(topic);
  try {
    const deadline = Date.now() + timeoutMs;
    while (!done(watch.records)) {
      if (Date.now() > deadline)
        throw new Error(`readTopic ${topic}: not done after ${timeoutMs} ms; ${seenTypes(watch.records)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return [...watch.records];
  } finally {
    await watch.stop().catch(() => undefined);
  }
}

/** Every record of a topic written so far, read to its end as it is now (none when it was never created). */
export async function readWholeTopic(topic: string): Promise<TopicRecord[]> {
  const admin = (await createTestKafka({ clientPrefix: "whole-topic" })).admin();
  await admin.connect();
  let total = 0;
  try {
    if (!(await admin.listTopics()).includes(topic)) return [];
    for (const p of await admin.fetchTopicOffsets(topic)) total += Number(p.high) - Number(p.low);
  } finally {
    await admin.disconnect();
  }
  return total === 0 ? [] : readTopic(topic, (records) => records.length >= total, 60_000);
}

/**
 * The distinct event ids (ce_id) of the records of one event type (short name, "IdeaAdopted") that
 * `match` accepts: a duplicate record of one event (at-least-once delivery) counts once, a second
 * event for the same change counts twice.
 */
export function distinctEventIds(
  records: readonly TopicRecord[],
  type: string,
  match: (record: TopicRecord) => boolean = () => true,
): Set<string> {
  return new Set(
    records
      .filter((r) => (r.headers.ce_type ?? "").split(".").at(-1) === type && match(r))
      .map((r) => r.headers.ce_id ?? ""),
  );
}

export interface EventProducer {
  /** Publishes `message` as the event a service's relay would (CloudEvents headers); returns its id. */
  send<T>(
    codec: EventCodec<T>,
    key: string,
    message: T,
    opts?: { id?: string; value?: Buffer },
  ): Promise<string>;
  stop(): Promise<void>;
}

/** Produces events onto the test broker the way another service would. */
export async function eventProducer(): Promise<EventProducer> {
  const producer = (await createTestKafka({ clientPrefix: "event-producer" })).producer({
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  return {
    async send(codec, key, message, opts = {}) {
      const event = pendingEvent(codec, key, message, opts.id ? { id: opts.id } : {});
      // `value` replaces the encoded body (a poison message under valid headers).
      const record = toKafkaMessage(event);
      await producer.send({
        topic: codec.topic,
        messages: [opts.value ? { ...record, value: opts.value } : record],
      });
      return event.id;
    },
    stop: () => producer.disconnect(),
  };
}

function headerStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    const first = Array.isArray(v) ? v[0] : v;
    if (first !== undefined) out[k] = Buffer.isBuffer(first) ? first.toString("utf8") : String(first);
  }
  return out;
}

/** NUL, another C0 control, DEL, a C1 control and a lone surrogate (sent as the JSON escape "\ud800"). */
export const HOSTILE_TEXT = ["\u0000", "\u0001", "\u007f", "\u009b", "\ud800"];

/** A deep copy of `body` with the field at dotted `path` ("members.0.name") changed by `change`. */
export function withField(body: unknown, path: string, change: (v: unknown) => unknown): unknown {
  const copy = structuredClone(body) as Record<string, unknown>;
  const keys = path.split(".");
  let at: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) at = at[key] as Record<string, unknown>;
  const last = keys.at(-1)!;
  at[last] = change(at[last]);
  return copy;
}

/** A write that a valid `body` passes, and the text fields of it that must refuse hostile text. */
export interface HostileTextCase {
  /** "POST /v1/ideas", for the failure message. */
  what: string;
  body: unknown;
  fields: string[];
  send(body: unknown): Promise<Reply>;
}

/**
 * Sends each case with each of HOSTILE_TEXT put inside each field in turn: every answer must be a 400
 * problem naming that field.
 */
export async function expectHostileTextRefused(cases: readonly HostileTextCase[]): Promise<void> {
  for (const c of cases) {
    for (const field of c.fields) {
      for (const bad of HOSTILE_TEXT) {
        const body = withField(c.body, field, (v) => `${String(v).slice(0, 2)}${bad}${String(v).slice(2)}`);
        const res = await c.send(body);
        const what = `${c.what} ${field} ${JSON.stringify(bad)}`;
        expect(res.status, `${what} -> ${JSON.stringify(res.body)}`).toBe(400);
        expect(res.headers.get("content-type"), what).toContain("application/problem+json");
        expect(
          res.body.errors.map((e: { path: string }) => e.path),
          what,
        ).toContain(field);
      }
    }
  }
}

/** "1", null, {"$gt":""}, "%%%", a bare id string, and a well-formed cursor of the wrong shape. */
export const FOREIGN_CURSORS = [
  "MQ",
  "bnVsbA",
  "eyIkZ3QiOiIifQ",
  "%%%",
  "MDE5YWJj",
  "eyJpZCI6eyIkbmUiOm51bGx9fQ",
];

/** Each list, sent each cursor it did not give out (`get` reads a path as a caller who may list it), answers 400 naming the cursor. */
export async function expectForeignCursorsRefused(
  lists: readonly string[],
  get: (path: string) => Promise<Reply>,
): Promise<void> {
  for (const path of lists) {
    for (const cursor of FOREIGN_CURSORS) {
      const res = await get(`${path}?cursor=${encodeURIComponent(cursor)}`);
      expect(res.status, `${path} cursor=${cursor}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(JSON.stringify(res.body.errors)).toContain("cursor");
    }
  }
}

/** A set-up request that must succeed: its JSON body, else an error naming the request and the answer. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers
export async function ok(client: Client, method: string, path: string, body?: unknown): Promise<any> {
  const res = await client.request(method, path, body === undefined ? {} : { body });
  if (res.status >= 300) throw new Error(`${method} ${path} -> ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/**
 * Leaves `caller`'s Idempotency-Key `key` on `svc` as a run killed after its writes and before it
 * completed the key leaves it: claimed, no response, the claim `ageMs` old (the service's
 * IDEMPOTENCY_ABANDON_MS or more: a retry takes it over and runs the request again; less: the retry is
 * told "in progress"). Run the request once first: its writes stay, its answer is forgotten.
 */
export async function leaveIdempotencyKeyAsCrashed(
  svc: TestService,
  caller: TokenClaims,
  key: string,
  ageMs: number,
): Promise<void> {
  const conn = await mongoose.createConnection(svc.mongoUrl, { dbName: svc.dbName }).asPromise();
  try {
    const { model } = new MongoIdempotencyStore(conn);
    const { matchedCount } = await model.updateOne(
      { _id: `${caller.sub}:${key}` },
      {
        $set: { state: "in_progress", claimed_at: new Date(Date.now() - ageMs) },
        $unset: { response_json: "" },
      },
    );
    if (matchedCount !== 1) throw new Error(`no Idempotency-Key ${key} of ${caller.sub} on ${svc.dbName}`);
  } finally {
    await conn.close();
  }
}
