import { join, resolve } from "node:path";
import { mongoAnswers, mongoUrlFor, startFerretDb } from "./ferretdb.js";
import { postgresAnswers, postgresUrlFor, startPostgres } from "./postgres.js";
import { kafkaAnswers, startKafka } from "./kafka.js";
import {
  clearState,
  managed,
  pidFilePath,
  readState,
  type ComponentName,
  type ManagedProcess,
} from "./launch.js";
import { ensureFerretDb, ensureKafkaJars, type Log } from "./prepare.js";
import { defaultCacheDir } from "./paths.js";
import { freePorts, processMatches, readPidFile, waitUntil, type StopOutcome } from "./process.js";
import type { RuntimeConfig } from "./config.js";

/** In start order: FerretDB needs PostgreSQL (stop goes the other way). */
export const COMPONENTS: readonly ComponentName[] = ["kafka", "postgres", "ferretdb"];

export function componentDir(dataDir: string, name: ComponentName): string {
  return join(resolve(dataDir), name);
}

export interface LocalInfra {
  /** e.g. ["127.0.0.1:40123"]; empty when Kafka was not asked for. */
  kafkaBrokers: string[];
  /** e.g. "mongodb://127.0.0.1:40125/"; empty when FerretDB was not asked for. */
  mongoUrl: string;
  dataDir: string;
  processes: ManagedProcess[];
  /** Stops every process started here, each by its own pid. */
  stop(): Promise<void>;
}

export interface StartLocalInfraOptions {
  /** Root data dir: kafka/, postgres/ and ferretdb/ go below it. */
  dataDir: string;
  cacheDir?: string;
  /** false to skip Kafka; ports default to free ones. */
  kafka?: false | { port?: number; controllerPort?: number; heap?: string };
  /**
   * false to skip FerretDB (and its PostgreSQL); ports default to free ones. `postgresqlUrl` points
   * FerretDB at a PostgreSQL that already runs instead of starting one.
   */
  ferretdb?: false | { port?: number; postgresPort?: number; postgresqlUrl?: string };
  /** false for throw-away stores (tests): PostgreSQL skips fsync. Default true. */
  durable?: boolean;
  /** Let the processes outlive this one (the CLI's `up`). Default false. */
  detached?: boolean;
  log?: Log;
}

/**
 * Fetches/builds what is missing (cached after the first time), then starts Kafka and FerretDB side by
 * side and resolves once both answer. If one fails the other is stopped again.
 */
export async function startLocalInfra(opts: StartLocalInfraOptions): Promise<LocalInfra> {
  const cacheDir = opts.cacheDir ?? defaultCacheDir();
  const log = opts.log ?? (() => undefined);
  const detached = opts.detached ?? false;
  const wantKafka = opts.kafka !== false;
  const wantFerret = opts.ferretdb !== false;
  const libsDir = wantKafka ? await ensureKafkaJars(cacheDir, { log }) : undefined;
  const binary = wantFerret ? await ensureFerretDb(cacheDir, { log }) : undefined;

  const kafkaOpts = opts.kafka || {};
  const ferretOpts = opts.ferretdb || {};
  const [p1, p2, p3, p4] = await freePorts(4);
  const kafkaPort = kafkaOpts.port ?? p1!;
  const controllerPort = kafkaOpts.controllerPort ?? p2!;
  const mongoPort = ferretOpts.port ?? p3!;
  const postgresPort = ferretOpts.postgresPort ?? p4!;

  // FerretDB after its PostgreSQL, Kafka beside both.
  const storeStarted: ManagedProcess[] = [];
  const startStore = async (): Promise<ManagedProcess> => {
    let postgresqlUrl = ferretOpts.postgresqlUrl;
    if (!postgresqlUrl) {
      storeStarted.push(
        await startPostgres({
          port: postgresPort,
          dataDir: componentDir(opts.dataDir, "postgres"),
          ownedRoot: opts.dataDir,
          detached,
          durable: opts.durable ?? true,
        }),
      );
      postgresqlUrl = postgresUrlFor(postgresPort);
    }
    const ferret = await startFerretDb({
      port: mongoPort,
      dataDir: componentDir(opts.dataDir, "ferretdb"),
      backend: { postgresqlUrl },
      binary: binary!,
      detached,
    });
    storeStarted.push(ferret);
    return ferret;
  };
  const starts: Array<Promise<ManagedProcess>> = [];
  if (wantKafka) {
    starts.push(
      startKafka({
        port: kafkaPort,
        controllerPort,
        dataDir: componentDir(opts.dataDir, "kafka"),
        libsDir: libsDir!,
        detached,
        ...(kafkaOpts.heap ? { heap: kafkaOpts.heap } : {}),
      }),
    );
  }
  if (wantFerret) starts.push(startStore());
  const settled = await Promise.allSettled(starts);
  const processes = [
    ...settled.flatMap((s) => (s.status === "fulfilled" && s.value.name === "kafka" ? [s.value] : [])),
    ...storeStarted,
  ];
  const stopAll = async () => void (await stopInOrder(processes));
  const failures = settled.flatMap((s) => (s.status === "rejected" ? [s.reason as Error] : []));
  if (failures.length) {
    await stopAll();
    throw new Error(failures.map((f) => f.message).join("\n\n"));
  }
  return {
    kafkaBrokers: wantKafka ? [`127.0.0.1:${kafkaPort}`] : [],
    mongoUrl: wantFerret ? mongoUrlFor(mongoPort) : "",
    dataDir: resolve(opts.dataDir),
    processes,
    stop: stopAll,
  };
}

/** Stops FerretDB before its PostgreSQL (a server with clients waits for them); Kafka meanwhile. */
async function stopInOrder<T>(processes: Array<{ name: ComponentName; stop(): Promise<T> }>): Promise<T[]> {
  const first = processes.filter((p) => p.name !== "postgres");
  const last = processes.filter((p) => p.name === "postgres");
  const results = await Promise.all(first.map((p) => p.stop()));
  return [...results, ...(await Promise.all(last.map((p) => p.stop())))];
}

export interface ComponentStatus {
  name: ComponentName;
  /** Our process (pid file, alive, command line matches) exists. */
  running: boolean;
  /** Its API answers (Kafka: admin listTopics; FerretDB: ping). */
  healthy: boolean;
  pid?: number;
  address?: string;
  logFile?: string;
  /** Stale pid file or similar. */
  note?: string;
}

async function answers(name: ComponentName, address: string, timeoutMs: number): Promise<boolean> {
  switch (name) {
    case "kafka":
      return kafkaAnswers([address], timeoutMs);
    case "postgres":
      return postgresAnswers(address, timeoutMs);
    case "ferretdb":
      return mongoAnswers(`mongodb://${address}/`, timeoutMs);
    case "jaeger":
      // Its OTLP receiver answers any HTTP request (405 on GET): a response at all is health enough.
      return fetch(`http://${address}/v1/traces`, { signal: AbortSignal.timeout(timeoutMs) }).then(
        () => true,
        () => false,
      );
  }
}

/** What runs for one component of the runtime rooted at `dataDir`, judged by its own pid file. */
export async function componentStatus(
  dataDir: string,
  name: ComponentName,
  timeoutMs = 3_000,
): Promise<ComponentStatus> {
  const dir = componentDir(dataDir, name);
  const state = readState(dir, name);
  const pid = readPidFile(pidFilePath(dir, name)) ?? state?.pid;
  if (pid === undefined) return { name, running: false, healthy: false };
  const marker = state?.marker ?? dir;
  if (!processMatches(pid, marker)) {
    return {
      name,
      running: false,
      healthy: false,
      pid,
      note: `stale pid file (pid ${pid} is not running ${name})`,
    };
  }
  const address = state?.address;
  const healthy = address ? await answers(name, address, timeoutMs) : false;
  return {
    name,
    running: true,
    healthy,
    pid,
    ...(address ? { address } : {}),
    ...(state?.logFile ? { logFile: state.logFile } : {}),
  };
}

export interface UpResult {
  name: ComponentName;
  action: "already-running" | "started";
  pid: number;
  address: string;
  logFile: string;
  ms: number;
}

/**
 * Idempotent start for `npm run infra:up`: a component already running from this data dir and answering
 * is left alone; a stale pid file is cleared; the rest is started detached so it outlives the CLI.
 */
export async function up(config: RuntimeConfig, log: Log): Promise<UpResult[]> {
  const results: UpResult[] = [];
  const toStart: ComponentName[] = [];
  for (const name of COMPONENTS) {
    const status = await componentStatus(config.dataDir, name);
    if (status.running && status.address) {
      let healthy = status.healthy;
      if (!healthy) {
        log(`${name}: pid ${status.pid} is running but not answering yet; waiting`);
        healthy =
          (await waitUntil(() => answers(name, status.address!, 2_000), {
            timeoutMs: 60_000,
            intervalMs: 500,
          })) === "ready";
      }
      if (!healthy) {
        throw new Error(
          `${name} (pid ${status.pid}) runs but does not answer on ${status.address}; see ${status.logFile}, then npm run infra:down`,
        );
      }
      results.push({
        name,
        action: "already-running",
        pid: status.pid!,
        address: status.address,
        logFile: status.logFile ?? "",
        ms: 0,
      });
      continue;
    }
    if (status.note) log(`${name}: ${status.note}; clearing it`);
    clearState(componentDir(config.dataDir, name), name);
    toStart.push(name);
  }
  if (toStart.length === 0) return results;
  // A FerretDB whose PostgreSQL is gone is useless: restart it on the new one.
  if (toStart.includes("postgres") && !toStart.includes("ferretdb")) {
    log("ferretdb: its PostgreSQL is not running; restarting both");
    await down(config, ["ferretdb"]);
    results.splice(
      results.findIndex((r) => r.name === "ferretdb"),
      1,
    );
    toStart.push("ferretdb");
  }
  const runningPostgres = results.find((r) => r.name === "postgres");

  const infra = await startLocalInfra({
    dataDir: config.dataDir,
    cacheDir: config.cacheDir,
    detached: true,
    log,
    kafka: toStart.includes("kafka")
      ? { port: config.kafkaPort, controllerPort: config.kafkaControllerPort, heap: config.kafkaHeap }
      : false,
    ferretdb: toStart.includes("ferretdb")
      ? {
          port: config.mongoPort,
          postgresPort: config.postgresPort,
          ...(runningPostgres
            ? { postgresqlUrl: postgresUrlFor(Number(runningPostgres.address.split(":")[1])) }
            : {}),
        }
      : false,
  });
  for (const p of infra.processes) {
    results.push({
      name: p.name,
      action: "started",
      pid: p.pid,
      address: p.address,
      logFile: p.logFile,
      ms: p.readyMs ?? 0,
    });
  }
  return results.sort((a, b) => COMPONENTS.indexOf(a.name) - COMPONENTS.indexOf(b.name));
}

export interface DownResult {
  name: ComponentName;
  outcome: StopOutcome | "stale-pid-file";
  pid?: number;
}

/**
 * Stops each component of the runtime at `dataDir` (or only `names`) by its own pid and removes its pid
 * file.
 */
export async function down(
  config: Pick<RuntimeConfig, "dataDir">,
  names: readonly ComponentName[] = COMPONENTS,
): Promise<DownResult[]> {
  return stopInOrder(
    names.map((name) => ({
      name,
      stop: async (): Promise<DownResult> => {
        const dir = componentDir(config.dataDir, name);
        const state = readState(dir, name);
        const pid = readPidFile(pidFilePath(dir, name)) ?? state?.pid;
        if (pid === undefined) {
          clearState(dir, name);
          return { name, outcome: "not-running" };
        }
        if (!processMatches(pid, state?.marker ?? dir)) {
          clearState(dir, name);
          return { name, outcome: "stale-pid-file", pid };
        }
        const outcome = await managed(name, pid, state?.address ?? "", dir, state?.logFile ?? "").stop();
        return { name, outcome, pid };
      },
    })),
  );
}
