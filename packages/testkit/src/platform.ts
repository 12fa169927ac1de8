// The whole platform as OS processes (every service's real main.ts, the gateway in front), for tests
// that kill a service, or stop the broker or the store under it, and then check what survived. A
// service killed here is started again on new ports; `Caller` finds its current address on each try,
// as a client behind the gateway or a load balancer would.
import type { TokenClaims } from "@lto/auth";
import { freePorts, spawnService, type ServiceProcess } from "./process.js";
import type { TestAuth } from "./index.js";

/** Every service, in start order (the gateway last: it forwards to the others). */
export const PLATFORM_SERVICES = [
  "ideas",
  "adoption",
  "catalogue",
  "self-employment",
  "insights",
  "notifications",
  "gateway",
] as const;
export type PlatformService = (typeof PLATFORM_SERVICES)[number];

const prefix = (name: string) => name.toUpperCase().replaceAll("-", "_");

export interface Platform {
  /** The live process of a service. */
  process(name: PlatformService): ServiceProcess;
  /** SIGKILL (no shutdown hook runs), then the service again on the same ports. */
  killAndRestart(name: PlatformService, beforeRestart?: () => Promise<void>): Promise<void>;
  /** The last lines each process wrote (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts every service against `infra` (its own database per service, consumer group = service name),
 * trusting `auth`'s tokens. `env` adds to each service's environment (e.g. short sweeps).
 */
export async function startPlatform(opts: {
  infra: { kafkaBrokers: string[]; mongoUrl: string };
  auth: TestAuth;
  env?: Record<string, string>;
}): Promise<Platform> {
  const live = new Map<PlatformService, ServiceProcess>();
  const dead: ServiceProcess[] = [];
  // Fixed ports per service for the whole run: a service started again answers where it did, so the
  // others (and the gateway) keep their addresses of it.
  const free = await freePorts(PLATFORM_SERVICES.length * 3);
  const ports = new Map(
    PLATFORM_SERVICES.map((s, i) => [
      s,
      { http: free[3 * i]!, grpc: free[3 * i + 1]!, metrics: free[3 * i + 2]! },
    ]),
  );
  const http = (s: PlatformService) => `http://127.0.0.1:${ports.get(s)!.http}`;
  const grpc = (s: PlatformService) => `127.0.0.1:${ports.get(s)!.grpc}`;
  const env = (name: PlatformService): Record<string, string> => ({
    NODE_ENV: "test",
    LOG_LEVEL: "warn",
    MONGO_URL: opts.infra.mongoUrl,
    KAFKA_BROKERS: opts.infra.kafkaBrokers.join(","),
    OUTBOX_SWEEP_MS: "200",
    // Topics a service creates on the shared broker (its DLQ): a few partitions, as startTestService's.
    KAFKA_TOPIC_PARTITIONS: "3",
    // A key a killed process had claimed is taken over by a retry after this: a run, not a wait.
    IDEMPOTENCY_ABANDON_MS: "3000",
    SEED_DEMO_WHEN_EMPTY: "false",
    EDGE_RATE_PER_MINUTE: "1000000",
    IDEAS_GRPC_ADDRESS: grpc("ideas"),
    ADOPTION_GRPC_ADDRESS: grpc("adoption"),
    CATALOGUE_GRPC_ADDRESS: grpc("catalogue"),
    ...Object.fromEntries(PLATFORM_SERVICES.map((s) => [`${prefix(s)}_HTTP_URL`, http(s)])),
    ...opts.auth.env,
    ...opts.env,
    SERVICE_NAME: name,
    MONGO_DB: `faults_${name.replaceAll("-", "_")}`,
    KAFKA_CONSUMER_GROUP: name,
  });
  const start = async (name: PlatformService) => {
    const { http: httpPort, grpc: grpcPort, metrics } = ports.get(name)!;
    // The gateway's /metrics has a port of its own (9464 by default: two platforms at once would clash).
    const metricsPort = name === "gateway" ? { metricsPort: metrics } : {};
    live.set(
      name,
      await spawnService(name, {
        env: env(name),
        httpPort,
        grpcPort,
        ...metricsPort,
        readyTimeoutMs: 300_000,
      }),
    );
  };
  const platform: Platform = {
    process: (name) => live.get(name)!,
    async killAndRestart(name, beforeRestart) {
      const proc = live.get(name)!;
      await proc.kill("SIGKILL");
      dead.push(proc);
      await beforeRestart?.();
      await start(name);
    },
    output: () =>
      [...dead, ...live.values()]
        .map((p) => `--- ${p.service} ${p.pid} ---\n${p.output().slice(-3000)}`)
        .join("\n"),
    async stop() {
      await Promise.all([...live.values()].map((p) => p.stop()));
    },
  };
  try {
    // One at a time: seven processes loading at once on a small machine starve each other.
    for (const s of PLATFORM_SERVICES) await start(s);
  } catch (error) {
    await platform.stop();
    throw error;
  }
  return platform;
}

export interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  headers: Headers;
  /** Tries it took (connection failures, 502/503 and "in progress" answers are tried again). */
  tries: number;
}

/**
 * A client of the platform through the gateway (`/api/<service>/...`) with one token per caller. A
 * request that finds nothing listening, a 502/503 or an Idempotency-Key still in progress is sent again
 * (Retry-After honoured, polled, capped) until `deadlineMs`: the way a client rides out a restart.
 * Every other answer is returned as it is; `seen` counts answers by status (a 500 must never appear).
 */
export class Caller {
  readonly seen = new Map<number, number>();
  /** 503 answers that did not say when to come back (Retry-After): there must be none. */
  unavailableWithoutRetryAfter = 0;
  private tokens = new Map<string, Promise<string>>();
  constructor(
    private readonly platform: Platform,
    private readonly auth: TestAuth,
    private readonly deadlineMs = 180_000,
  ) {}

  async request(
    claims: TokenClaims,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    const key = JSON.stringify(claims);
    if (!this.tokens.has(key)) this.tokens.set(key, this.auth.token(claims, { expiresIn: "2h" }));
    const token = await this.tokens.get(key)!;
    const started = Date.now();
    for (let tries = 1; ; tries++) {
      let answer: Answer | undefined;
      let retryAfterS = 0.2;
      try {
        const res = await fetch(this.platform.process("gateway").httpUrl + path, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body === undefined ? {} : { "content-type": "application/json" }),
            ...headers,
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(60_000),
        });
        const text = await res.text();
        this.seen.set(res.status, (this.seen.get(res.status) ?? 0) + 1);
        const parsed = text && res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text;
        const again =
          res.status === 502 ||
          res.status === 503 ||
          res.status === 504 ||
          (res.status === 409 && String(parsed?.type).endsWith("/idempotency-key-in-progress"));
        if (res.status === 503 && !res.headers.get("retry-after")) this.unavailableWithoutRetryAfter++;
        if (again) retryAfterS = Math.min(Number(res.headers.get("retry-after") ?? 1) || 1, 2);
        else answer = { status: res.status, body: parsed, headers: res.headers, tries };
      } catch {
        // nothing listening (a killed process) or cut off mid-answer: try again
      }
      if (answer) return answer;
      if (Date.now() - started > this.deadlineMs)
        throw new Error(`${method} ${path}: no answer but retries after ${this.deadlineMs} ms`);
      await new Promise((r) => setTimeout(r, retryAfterS * 1000));
    }
  }
}
