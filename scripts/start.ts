/**
 * `npm start`: the whole platform on its embedded runtime, for development.
 *   1. Kafka and FerretDB through @lto/local-runtime (reused when `npm run infra:up` already runs them;
 *      KAFKA_BROKERS + MONGO_URL point at other infrastructure instead),
 *   2. every service under services/ with a src/main.ts, as child processes with prefixed logs, the
 *      gateway last: the one URL to open, its OpenID Connect provider the issuer every service trusts
 *      (its JWKS also publishes the development key `npm run token` signs with),
 * the portal built first when its build is missing or stale (PORTAL_DIST, default services/portal/dist),
 * then prints where everything answers. SIGINT/SIGTERM stop it all again (infrastructure only when this
 * run started it). A service that dies stops everything and shows its last log lines.
 * Settings: LTO_DATA_DIR, LTO_CACHE, KAFKA_PORT, KAFKA_CONTROLLER_PORT, MONGO_PORT, KAFKA_HEAP (as
 * `npm run infra:up`), GATEWAY_PUBLIC_URL, PORTAL_DIST, DEMO_PASSWORD, <SERVICE>_HTTP_PORT / <SERVICE>_GRPC_PORT (e.g.
 * IDEAS_HTTP_PORT; default: the service's own, HTTP 808N and gRPC 908N; only the services serving gRPC have one), GATEWAY_METRICS_PORT (9464), JWT_ISSUER, JWT_AUDIENCE, LOG_LEVEL.
 * Traces: LTO_TRACES=1 builds Jaeger once (Go module proxy, several minutes the first time), starts it
 * (JAEGER_OTLP_PORT 4318, JAEGER_UI_PORT 16686) and has every service export its spans to it; an
 * OTEL_EXPORTER_OTLP_ENDPOINT already set wins (your own collector).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { pathToFileURL } from "node:url";
import { DEV_DEFAULTS } from "@lto/config";
import {
  down,
  ensureJaeger,
  isPortFree,
  mongoUrlFor,
  parseRuntimeConfig,
  quietKafkajsTimeoutWarning,
  repoRoot,
  startJaeger,
  up,
  type ComponentName,
  type ManagedProcess,
} from "@lto/local-runtime";
import { loadAdoptionConfig } from "../services/adoption/src/config.js";
import { loadCatalogueConfig } from "../services/catalogue/src/config.js";
import { loadIdeasConfig } from "../services/ideas/src/config.js";
import { loadGatewayConfig } from "../services/gateway/src/config.js";
import { DEMO_ACCOUNTS } from "../services/gateway/src/seed/index.js";
import { loadSelfEmploymentConfig } from "../services/self-employment/src/config.js";
import { loadInsightsConfig } from "../services/insights/src/config.js";
import { loadNotificationsConfig } from "../services/notifications/src/config.js";
import { ensurePortalBuild } from "../services/portal/scripts/portal-build.js";
import { devGatewayUrl, devKeyPath, loadOrCreateDevKey } from "./dev-key.js";

// ---------------------------------------------------------------------------------------------------
// Pure bits: what each service is given

/** The settings every service shares. */
export interface SharedSettings {
  mongoUrl: string;
  kafkaBrokers: string[];
  jwksUrl: string;
  issuer: string;
  audience: string;
}

/** A service ready to spawn: its environment and where it will answer. */
export interface ServicePlan {
  name: string;
  main: string;
  env: Record<string, string>;
  httpUrl: string;
  /** Absent for a service that serves no gRPC. */
  grpcAddress?: string;
}

interface ServiceSpec {
  name: string;
  /** The service's own config loader: validates the env and supplies its default ports. */
  load(env: NodeJS.ProcessEnv): {
    HOST: string;
    HTTP_PORT: number;
    /** Undefined for a service that serves no gRPC. */
    GRPC_PORT?: number | undefined;
    METRICS_PORT?: number | undefined;
  };
  /** Addresses of the services it calls, from those planned before it. */
  links?(planned: ServicePlan[], env: NodeJS.ProcessEnv): Record<string, string | undefined>;
}

/** Known services, in start order (a service's links point at those before it). */
export const SERVICES: readonly ServiceSpec[] = [
  { name: "ideas", load: loadIdeasConfig },
  {
    name: "adoption",
    load: loadAdoptionConfig,
    links: (planned, env) => ({
      IDEAS_GRPC_ADDRESS: env.IDEAS_GRPC_ADDRESS ?? planned.find((p) => p.name === "ideas")?.grpcAddress,
    }),
  },
  { name: "catalogue", load: loadCatalogueConfig },
  { name: "self-employment", load: loadSelfEmploymentConfig },
  { name: "insights", load: loadInsightsConfig },
  { name: "notifications", load: loadNotificationsConfig },
  {
    name: "gateway",
    load: loadGatewayConfig,
    // The edge forwards /api/<service> to each service planned before it.
    links: (planned, env) => ({
      ...Object.fromEntries(
        planned.map((p) => [
          `${envPrefix(p.name)}_HTTP_URL`,
          env[`${envPrefix(p.name)}_HTTP_URL`] ?? p.httpUrl,
        ]),
      ),
      GATEWAY_PUBLIC_URL: devGatewayUrl(env),
      DEV_TOKEN_JWKS: env.DEV_TOKEN_JWKS,
    }),
  },
];

/** The prefix of a service's own variables: SELF_EMPLOYMENT for self-employment (SELF_EMPLOYMENT_HTTP_PORT). */
export function envPrefix(name: string): string {
  return name.toUpperCase().replaceAll("-", "_");
}

function defined(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

/**
 * What the services trust: the gateway's JWKS (on its own port) and its issuer, `<GATEWAY_PUBLIC_URL>/oidc`
 * (JWT_ISSUER / JWT_AUDIENCE may override).
 */
export function devAuthSettings(env: NodeJS.ProcessEnv) {
  const gatewayPort = env.GATEWAY_HTTP_PORT?.trim() || "8080";
  return {
    jwksUrl: `http://127.0.0.1:${gatewayPort}/oidc/jwks`,
    issuer: env.JWT_ISSUER || `${devGatewayUrl(env)}/oidc`,
    audience: env.JWT_AUDIENCE || DEV_DEFAULTS.JWT_AUDIENCE,
  };
}

/**
 * The environment of each service in `names`: the parent's, minus anything service-specific, plus the
 * shared settings and its ports (<NAME>_HTTP_PORT / <NAME>_GRPC_PORT, else its config's defaults; a
 * gRPC port only for a service that serves gRPC).
 * Runs each service's own config loader, so a bad setting fails here, before anything starts.
 */
export function planServices(
  parentEnv: NodeJS.ProcessEnv,
  shared: SharedSettings,
  names: readonly string[],
  root = repoRoot(),
): ServicePlan[] {
  const planned: ServicePlan[] = [];
  for (const spec of SERVICES.filter((s) => names.includes(s.name))) {
    const prefix = envPrefix(spec.name);
    const env = defined({
      ...parentEnv,
      NODE_ENV: parentEnv.NODE_ENV || "development",
      SERVICE_NAME: spec.name,
      MONGO_DB: undefined,
      HTTP_PORT: parentEnv[`${prefix}_HTTP_PORT`],
      GRPC_PORT: parentEnv[`${prefix}_GRPC_PORT`],
      METRICS_PORT: parentEnv[`${prefix}_METRICS_PORT`],
      MONGO_URL: shared.mongoUrl,
      KAFKA_BROKERS: shared.kafkaBrokers.join(","),
      JWKS_URL: shared.jwksUrl,
      JWT_ISSUER: shared.issuer,
      JWT_AUDIENCE: shared.audience,
      ...spec.links?.(planned, parentEnv),
    });
    // Only a service that serves gRPC has a default gRPC port; <NAME>_GRPC_PORT means nothing to the others.
    const { GRPC_PORT: _asked, ...withoutGrpcPort } = env;
    if (spec.load(withoutGrpcPort).GRPC_PORT === undefined) delete env.GRPC_PORT;
    const config = spec.load(env);
    env.HTTP_PORT = String(config.HTTP_PORT);
    if (config.GRPC_PORT !== undefined) env.GRPC_PORT = String(config.GRPC_PORT);
    // The gateway's /metrics has a port of its own (its HTTP port is the public one).
    if (config.METRICS_PORT !== undefined) env.METRICS_PORT = String(config.METRICS_PORT);
    planned.push({
      name: spec.name,
      main: join(root, "services", spec.name, "src", "main.ts"),
      env,
      httpUrl: `http://${config.HOST}:${config.HTTP_PORT}`,
      ...(config.GRPC_PORT === undefined ? {} : { grpcAddress: `${config.HOST}:${config.GRPC_PORT}` }),
    });
  }
  // The ideas service (started first) asks the adoption service for a student's export.
  const ideas = planned.find((p) => p.name === "ideas");
  const adoption = planned.find((p) => p.name === "adoption");
  if (ideas && adoption?.grpcAddress && !ideas.env.ADOPTION_GRPC_ADDRESS)
    ideas.env.ADOPTION_GRPC_ADDRESS = adoption.grpcAddress;
  return planned;
}

/** KAFKA_BROKERS and MONGO_URL both set: use that infrastructure instead of the local runtime. */
export function externalInfra(
  env: NodeJS.ProcessEnv,
): { kafkaBrokers: string[]; mongoUrl: string } | undefined {
  const brokers = env.KAFKA_BROKERS?.trim();
  const mongoUrl = env.MONGO_URL?.trim();
  if (!brokers || !mongoUrl) return undefined;
  return { kafkaBrokers: brokers.split(",").map((b) => b.trim()), mongoUrl };
}

const QUIET_FIELDS = new Set([
  "level",
  "time",
  "timestamp",
  "name",
  "service",
  "msg",
  "message",
  "pid",
  "hostname",
  "trace_id",
  "span_id",
  "trace_flags",
  "err",
]);

/** One JSON log line (pino, or kafkajs's own) as `12:03:04 INFO  message key=value ...`; anything else unchanged. */
export function formatLogLine(line: string): string {
  if (!line.startsWith("{")) return line;
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const stamp = entry.time ?? entry.timestamp;
  const time = typeof stamp === "string" ? stamp.slice(11, 19) : "--:--:--";
  const level = String(entry.level ?? "").toUpperCase();
  const fields = Object.entries(entry)
    .filter(([key]) => !QUIET_FIELDS.has(key))
    .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(" ");
  const err = entry.err as { message?: string; stack?: string } | undefined;
  const error = err ? `\n${err.stack ?? err.message ?? JSON.stringify(err)}` : "";
  const extra = fields.length > 300 ? `${fields.slice(0, 300)}…` : fields;
  return `${time} ${level.padEnd(5)} ${String(entry.msg ?? entry.message ?? "")}${extra ? ` ${extra}` : ""}${error}`;
}

// ---------------------------------------------------------------------------------------------------
// Processes

const say = (line: string) => console.log(`[start] ${line}`);
const TAIL_LINES = 30;
const READY_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 30_000;

interface RunningService {
  plan: ServicePlan;
  child: ChildProcess;
  /** Its last formatted log lines, for failure reports. */
  tail: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function spawnService(plan: ServicePlan): RunningService {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--import", "@lto/telemetry/register", plan.main],
    // Own process group: a terminal's Ctrl-C reaches only this script, which stops the services in order.
    { cwd: join(plan.main, "..", ".."), env: plan.env, stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  const tail: string[] = [];
  const prefix = `${plan.name.padEnd(15)} |`;
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on("line", (raw) => {
      const line = formatLogLine(raw);
      console.log(line.replaceAll(/^/gm, `${prefix} `));
      tail.push(...line.split("\n"));
      if (tail.length > TAIL_LINES) tail.splice(0, tail.length - TAIL_LINES);
    });
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
    child.once("error", (err) => {
      tail.push(`could not start: ${err.message}`);
      resolve({ code: null, signal: null });
    });
  });
  return { plan, child, tail, exited };
}

function describeExit(s: RunningService, e: { code: number | null; signal: NodeJS.Signals | null }): string {
  const how = e.signal ? `was killed by ${e.signal}` : `exited with code ${e.code}`;
  // The service names its own variable (GRPC_PORT); here that is <NAME>_GRPC_PORT.
  const port = s.tail.map((l) => /set (HTTP|GRPC|METRICS)_PORT to a free port/.exec(l)).find(Boolean);
  const hint = port ? `\n  npm start: set ${envPrefix(s.plan.name)}_${port[1]}_PORT to a free port` : "";
  return `${s.plan.name} ${how}; its last lines:\n${s.tail.map((l) => `    ${l}`).join("\n")}${hint}`;
}

/** Resolves once GET /readyz answers 200; rejects when the service exits, `aborted()` or after the timeout. */
async function waitReady(s: RunningService, aborted: () => boolean): Promise<void> {
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  void s.exited.then((e) => (exit = e));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!aborted()) {
    if (exit) throw new Error(describeExit(s, exit));
    const status = await fetch(`${s.plan.httpUrl}/readyz`, { signal: AbortSignal.timeout(2_000) }).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > deadline) {
      throw new Error(
        `${s.plan.name} was not ready after ${READY_TIMEOUT_MS / 1000} s (last /readyz: ${status})`,
      );
    }
    await sleep(300);
  }
}

/** SIGTERM, then SIGKILL after the grace period; resolves with true when it exited cleanly. */
async function stopService(s: RunningService): Promise<boolean> {
  if (s.child.exitCode !== null || s.child.signalCode !== null) return s.child.exitCode === 0;
  s.child.kill("SIGTERM");
  const timer = setTimeout(() => {
    say(`${s.plan.name} did not stop within ${STOP_TIMEOUT_MS / 1000} s: killing it`);
    s.child.kill("SIGKILL");
  }, STOP_TIMEOUT_MS);
  const exit = await s.exited;
  clearTimeout(timer);
  // Killed by our SIGTERM: it had not set up its handlers yet (stopped while starting).
  const clean = exit.code === 0 || exit.signal === "SIGTERM";
  if (!clean) say(describeExit(s, exit));
  return clean;
}

function portNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535)
    throw new Error(`${name}: not a port: "${raw}"`);
  return value;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) => `  ${r.map((c, i) => c.padEnd(widths[i]!)).join("  ")}`.trimEnd()).join("\n");
}

// ---------------------------------------------------------------------------------------------------

interface Platform {
  infraStarted: ComponentName[];
  services: RunningService[];
  /** Jaeger, when LTO_TRACES=1 started it. */
  jaeger?: ManagedProcess & { queryUrl: string; otlpUrl: string };
}

/** LTO_TRACES=1: Jaeger built (once) and started in the data dir; its OTLP endpoint for the services. */
async function startTraces(env: NodeJS.ProcessEnv, dataDir: string, platform: Platform): Promise<string> {
  const binary = await ensureJaeger(undefined, { log: (line) => say(`traces: ${line}`) });
  platform.jaeger = await startJaeger({
    binary,
    dataDir: join(dataDir, "jaeger"),
    otlpPort: portNumber(env, "JAEGER_OTLP_PORT", 4318),
    queryPort: portNumber(env, "JAEGER_UI_PORT", 16686),
  });
  say(`traces: Jaeger at ${platform.jaeger.queryUrl} (OTLP ${platform.jaeger.otlpUrl})`);
  return platform.jaeger.otlpUrl;
}

async function main(): Promise<number> {
  const env = process.env;
  if (env.NODE_ENV === "production") {
    say("refused: npm start serves a development signing key and is not for NODE_ENV=production");
    return 1;
  }
  quietKafkajsTimeoutWarning();
  const root = repoRoot();
  const runtime = parseRuntimeConfig(env, { root, home: homedir() });
  const external = externalInfra(env);
  portNumber(env, "GATEWAY_HTTP_PORT", 8080);
  const auth = devAuthSettings(env);
  const names = SERVICES.map((s) => s.name).filter((n) =>
    existsSync(join(root, "services", n, "src/main.ts")),
  );

  // Validate every service's settings and check its ports before starting anything.
  const predicted = external ?? {
    kafkaBrokers: [`127.0.0.1:${runtime.kafkaPort}`],
    mongoUrl: mongoUrlFor(runtime.mongoPort),
  };
  const busy: string[] = [];
  for (const plan of planServices(env, { ...predicted, ...auth }, names)) {
    const prefix = envPrefix(plan.name);
    for (const [port, variable] of [
      [plan.env.HTTP_PORT!, `${prefix}_HTTP_PORT`],
      ...(plan.env.GRPC_PORT ? [[plan.env.GRPC_PORT, `${prefix}_GRPC_PORT`] as const] : []),
      ...(plan.env.METRICS_PORT ? [[plan.env.METRICS_PORT, `${prefix}_METRICS_PORT`] as const] : []),
    ] as const) {
      if (!(await isPortFree(Number(port)))) busy.push(`${port} (${plan.name}, ${variable})`);
    }
  }
  if (busy.length) {
    say(`these ports are in use (another npm start?); free them or choose others:\n  ${busy.join("\n  ")}`);
    return 1;
  }

  const platform: Platform = { infraStarted: [], services: [] };
  let stopping = false;
  let requestStop!: (reason: string) => void;
  const stopRequested = new Promise<string>((resolve) => (requestStop = resolve));
  let firstSignalAt = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    // A terminal's Ctrl-C reaches this process and npm, which forwards it: one press, two signals.
    if (stopping && Date.now() - firstSignalAt < 1500) return;
    if (stopping) {
      say(`${signal} again: killing the services now`);
      for (const s of platform.services) s.child.kill("SIGKILL");
      if (platform.infraStarted.length) say("infrastructure left running: npm run infra:down stops it");
      process.exit(130);
    }
    stopping = true;
    firstSignalAt = Date.now();
    say(`${signal}: stopping (press Ctrl-C again to kill at once)`);
    requestStop(signal);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  process.on("SIGHUP", onSignal);
  // Whoever started us (npm, a script) went away without a signal reaching us: stop, rather than
  // leave the services and the infrastructure running with nobody to stop them.
  const parent = process.ppid;
  const orphanWatch = setInterval(() => {
    if (process.ppid !== parent && !stopping) onSignal("SIGHUP");
  }, 1000);
  orphanWatch.unref();

  const portalDist = resolve(root, env.PORTAL_DIST?.trim() || "services/portal/dist");
  const bringUp = async (): Promise<ServicePlan[]> => {
    // The portal builds (a minute on a small machine) while the infrastructure starts.
    const portal = buildPortal(portalDist);
    let infra = external;
    if (infra) {
      say(`using KAFKA_BROKERS=${infra.kafkaBrokers.join(",")} and MONGO_URL=${infra.mongoUrl}`);
    } else {
      say(`local runtime (data in ${runtime.dataDir}); a first run fetches and builds it: a few minutes`);
      const results = await up(runtime, (line) => say(`infra: ${line}`));
      platform.infraStarted = results.filter((r) => r.action === "started").map((r) => r.name);
      for (const r of results) say(`${r.name.padEnd(8)} ${r.address} ${r.action.replace("-", " ")}`);
      const address = (name: ComponentName) => results.find((r) => r.name === name)!.address;
      infra = { kafkaBrokers: [address("kafka")], mongoUrl: `mongodb://${address("ferretdb")}/` };
    }
    if (stopping) return [];
    const traces =
      env.LTO_TRACES === "1" && !env.OTEL_EXPORTER_OTLP_ENDPOINT
        ? { OTEL_EXPORTER_OTLP_ENDPOINT: await startTraces(env, runtime.dataDir, platform) }
        : {};
    if (stopping) return [];
    // The gateway publishes the development key's public half beside its own: `npm run token` works.
    const key = await loadOrCreateDevKey(devKeyPath(env));
    await portal;
    const plans = planServices(
      { ...env, ...traces, DEV_TOKEN_JWKS: JSON.stringify([key.publicJwk]), PORTAL_DIST: portalDist },
      { ...infra, ...auth },
      names,
    );
    // One after the other: a service may call those before it, and first starts create the topics.
    for (const plan of plans) {
      if (stopping) return [];
      say(`starting ${plan.name}`);
      const service = spawnService(plan);
      platform.services.push(service);
      await waitReady(service, () => stopping);
    }
    return stopping ? [] : plans;
  };

  let code = 0;
  try {
    const started = bringUp();
    const first = await Promise.race([stopRequested, started]);
    if (typeof first === "string" || stopping) {
      await started.catch(() => undefined); // let the step in flight finish; bringUp then bails out
    } else {
      printReady(first, runtime.dataDir, external);
      if (platform.jaeger)
        say(`traces: open ${platform.jaeger.queryUrl} (API: /api/services, /api/traces?service=gateway)`);
      const failure = Promise.race(platform.services.map((s) => s.exited.then((e) => describeExit(s, e))));
      const outcome = await Promise.race([stopRequested.then(() => undefined), failure]);
      if (outcome !== undefined && !stopping) {
        stopping = true;
        say(outcome);
        code = 1;
      }
    }
  } catch (err) {
    stopping = true;
    say(`start-up failed: ${err instanceof Error ? err.message : String(err)}`);
    code = 1;
  }

  const clean = await Promise.all(platform.services.map(stopService));
  if (!clean.every(Boolean) && code === 0) code = 1;
  if (platform.jaeger) say(`jaeger ${await platform.jaeger.stop()}`);
  if (platform.infraStarted.length) {
    for (const r of await down(runtime, platform.infraStarted)) say(`${r.name} ${r.outcome}`);
  } else if (!external) {
    say("infrastructure left running (it was already up before this run); npm run infra:down stops it");
  }
  say(code === 0 ? "stopped" : "stopped after a failure");
  return code;
}

/** The portal's build in `dist`, made when missing or stale; a failed build is said, not fatal (the APIs still start). */
async function buildPortal(dist: string): Promise<void> {
  const started = Date.now();
  say(`portal: building into ${dist} unless its build is up to date`);
  try {
    if (await ensurePortalBuild(dist))
      say(`portal built into ${dist} in ${Math.round((Date.now() - started) / 1000)} s`);
    else say(`portal build in ${dist} is up to date`);
  } catch (err) {
    say(
      `the portal could not be built (the gateway will say so at /): ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

function printReady(plans: ServicePlan[], dataDir: string, external: ReturnType<typeof externalInfra>): void {
  const first = plans[0]?.env;
  const gateway = plans.find((p) => p.name === "gateway");
  const open = gateway?.env.GATEWAY_PUBLIC_URL ?? "";
  const password = gateway?.env.DEMO_PASSWORD || "lto-mantova-demo";
  const accounts = DEMO_ACCOUNTS.map((a) => [a.role, a.email, a.displayName]);
  const rows = [
    ["service", "HTTP", "OpenAPI", "gRPC"],
    ...plans.map((p) => [p.name, p.httpUrl, `${p.httpUrl}/openapi.json`, p.grpcAddress ?? "-"]),
  ];
  console.log(`
[start] LTO platform ready

  Open       ${open}     (the portal, sign-in at ${open}/oidc, the APIs at ${open}/api/<service>/...)
  Demo accounts (password ${password}; created when the gateway's store was empty):
${table(accounts)}

${table(rows)}

  Kafka      ${first?.KAFKA_BROKERS ?? ""}
  MongoDB    ${first?.MONGO_URL ?? ""}${external ? "" : " (FerretDB)"}
  JWKS       ${first?.JWKS_URL ?? ""}   (the gateway's; it also trusts npm run token's key)
  data       ${dataDir}

  A token:   TOKEN=$(npm run -s token -- school)     (a demo school referent)
             roles: school, company, staff, programme, admin, learner, partner; --org <id> --sub <subject> to choose
  then:      curl -H "Authorization: Bearer $TOKEN" ${plans[0]?.httpUrl ?? ""}/v1/teams
  Ctrl-C stops everything.
`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      say(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      process.exit(1);
    },
  );
}
