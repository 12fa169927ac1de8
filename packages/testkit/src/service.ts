// What service tests share: a service started through the platform's host on free ports against the
// test infrastructure, an HTTP client per caller (tokens signed by a throw-away JWKS), a clock the test
// moves, polling instead of sleeping, and a topic read from the beginning.
import type { TokenClaims } from "@lto/auth";
import {
  startService,
  type HostedConfig,
  type RunningService,
  type ServiceDefinition,
} from "@lto/service-host";
import { createLogger } from "@lto/telemetry";
import type { IHeaders } from "kafkajs";
import mongoose from "mongoose";
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

/** A clock the test can move; starts at the real now. */
export class TestClock {
  current = new Date();
  now = (): Date => new Date(this.current);
  set(date: Date): void {
    this.current = date;
  }
  /** Moves the clock forward (or back, with a negative span). */
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export interface Reply {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface RequestOptions {
  body?: unknown;
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
  running: RunningService;
  url: string;
  clock: TestClock;
  auth: TestAuth;
  dbName: string;
  /** A client sending a token with these claims (one token per caller, reused). */
  as(caller?: TokenClaims): Client;
  /** Stops the service, drops its database, closes the JWKS. */
  close(): Promise<void>;
}

export interface StartTestServiceOptions {
  /** Extra environment (wins over the defaults). */
  env?: Record<string, string>;
  clock?: TestClock;
  /** Reuse a database (a second instance, a restart); default a fresh one. */
  dbName?: string;
  /** Reuse a JWKS (instances of one service, or services that call each other). */
  auth?: TestAuth;
  /** Keep the database on close (a later instance starts on it). */
  keepData?: boolean;
}

export async function startTestService<C extends HostedConfig>(
  service: ServiceDefinition<C>,
  opts: StartTestServiceOptions = {},
): Promise<TestService> {
  const infra = await getInfra();
  const ownAuth = !opts.auth;
  const auth = opts.auth ?? (await testAuth());
  const clock = opts.clock ?? new TestClock();
  const dbName = opts.dbName ?? testDbName(service.name);
  const running = await startService(service, {
    env: {
      NODE_ENV: "test",
      LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
      MONGO_URL: infra.mongoUrl,
      MONGO_DB: dbName,
      KAFKA_BROKERS: infra.kafkaBrokers.join(","),
      KAFKA_CONSUMER_GROUP: uniqueGroupId(service.name),
      OUTBOX_SWEEP_MS: "200",
      ...auth.env,
      ...opts.env,
    },
    httpPort: 0,
    grpcPort: 0,
    clock,
    logger: createLogger(service.name, { level: process.env.LOG_LEVEL ?? "warn" }),
  });
  const tokens = new Map<string, Promise<string>>();
  const as = (caller?: TokenClaims): Client => {
    const request = async (method: string, path: string, o: RequestOptions = {}): Promise<Reply> => {
      const headers: Record<string, string> = { ...o.headers };
      if (caller) {
        const key = JSON.stringify(caller);
        if (!tokens.has(key)) tokens.set(key, auth.token(caller));
        headers.authorization ??= `Bearer ${await tokens.get(key)!}`;
      }
      if (o.body !== undefined) headers["content-type"] ??= "application/json";
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
      return { status: res.status, headers: res.headers, body };
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
    running,
    url: running.http.url,
    clock,
    auth,
    dbName,
    as,
    async close() {
      await running.stop();
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

/**
 * Every record of `topic` from the beginning until `done(records)` says enough (or `timeoutMs`
 * passes: then it fails naming what it saw), with a consumer group of its own.
 */
export async function readTopic(
  topic: string,
  done: (records: readonly TopicRecord[]) => boolean,
  timeoutMs = 30_000,
): Promise<TopicRecord[]> {
  const kafka = await createTestKafka({ clientPrefix: "read-topic" });
  const consumer = kafka.consumer({ groupId: uniqueId("read-topic"), maxWaitTimeInMs: 100 });
  const records: TopicRecord[] = [];
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    await consumer.run({
      eachMessage: async ({ message, partition }) => {
        records.push({
          key: message.key?.toString("utf8") ?? "",
          value: message.value ?? Buffer.alloc(0),
          headers: headerStrings(message.headers),
          partition,
          offset: message.offset,
        });
        if (done(records)) finish();
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timeout">(
      (resolve) => (timer = setTimeout(() => resolve("timeout"), timeoutMs)),
    );
    const outcome = await Promise.race([finished.then(() => "done" as const), timedOut]);
    clearTimeout(timer);
    if (outcome === "timeout") {
      const types = records.map((r) => r.headers.ce_type ?? "?").join(", ");
      throw new Error(`readTopic ${topic}: not done after ${timeoutMs} ms; saw ${records.length}: ${types}`);
    }
    return records;
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
}

function headerStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    const first = Array.isArray(v) ? v[0] : v;
    if (first !== undefined) out[k] = Buffer.isBuffer(first) ? first.toString("utf8") : String(first);
  }
  return out;
}
