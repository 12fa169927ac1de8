#!/usr/bin/env -S npx tsx
/**
 * lto-infra: the local runtime without Docker (real Kafka 3.9.2 in KRaft mode + FerretDB 1.24.2 on
 * Debian's PostgreSQL).
 *   up       fetch/build what is missing, start what is not running (detached), print the client settings
 *   down     stop each component by its own pid, remove the pid files
 *   status   each component, pid, address, healthy or not (exit 1 unless all are healthy)
 *   prepare  only fetch the Kafka jars and build FerretDB (`prepare kafka|ferretdb`: one of them;
 *            ferretdb also checks that the PostgreSQL server binaries are installed)
 * Settings: LTO_DATA_DIR (default <repo>/.data), LTO_CACHE (~/.cache/lto), KAFKA_PORT (9092),
 * KAFKA_CONTROLLER_PORT (9093), MONGO_PORT (27017), POSTGRES_PORT (55432), KAFKA_HEAP (1g, at most 1g),
 * LTO_PG_BIN (the PostgreSQL server binaries; default the newest /usr/lib/postgresql/<n>/bin).
 */
import { homedir } from "node:os";
import { relative } from "node:path";
import { clientEnv, parseRuntimeConfig, type RuntimeConfig } from "./config.js";
import { mongoUrlFor } from "./ferretdb.js";
import { postgresBinDir } from "./postgres.js";
import { prepareLocalRuntime } from "./prepare.js";
import { repoRoot } from "./paths.js";
import { COMPONENTS, componentStatus, down, up } from "./runtime.js";
import { quietKafkajsTimeoutWarning } from "@lto/telemetry/warnings";

quietKafkajsTimeoutWarning();

const log = (line: string) => console.log(`[infra] ${line}`);
const show = (path: string) => {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith("..") ? rel : path;
};

function pad(s: string, n: number): string {
  return s.padEnd(n);
}

async function cmdUp(config: RuntimeConfig): Promise<number> {
  const results = await up(config, log);
  for (const r of results) {
    const what =
      r.action === "started" ? `started, ready in ${(r.ms / 1000).toFixed(1)} s` : "already running";
    log(`${pad(r.name, 9)} pid ${pad(String(r.pid), 8)} ${pad(r.address, 17)} ${what}`);
  }
  const kafka = results.find((r) => r.name === "kafka");
  const ferret = results.find((r) => r.name === "ferretdb");
  console.log("\nUse these settings (npm start and the tests read them):");
  for (const line of clientEnv(
    kafka?.address ?? "",
    ferret ? mongoUrlFor(Number(ferret.address.split(":")[1])) : "",
  )) {
    console.log(`  export ${line}`);
  }
  console.log(`Logs: ${results.map((r) => show(r.logFile)).join(", ")}`);
  console.log("Stop with: npm run infra:down");
  return 0;
}

async function cmdDown(config: RuntimeConfig): Promise<number> {
  for (const r of await down(config)) {
    const text =
      r.outcome === "not-running"
        ? "not running"
        : r.outcome === "stale-pid-file"
          ? `stale pid file removed (pid ${r.pid} was not ours)`
          : `pid ${r.pid} ${r.outcome === "killed" ? "killed after the grace period" : "stopped"}`;
    log(`${pad(r.name, 9)} ${text}`);
  }
  return 0;
}

async function cmdStatus(config: RuntimeConfig): Promise<number> {
  const statuses = await Promise.all(COMPONENTS.map((name) => componentStatus(config.dataDir, name)));
  for (const s of statuses) {
    if (!s.running) {
      log(`${pad(s.name, 9)} stopped${s.note ? ` (${s.note})` : ""}`);
      continue;
    }
    log(
      `${pad(s.name, 9)} pid ${pad(String(s.pid), 8)} ${pad(s.address ?? "?", 17)} ${s.healthy ? "healthy" : "NOT answering"}${
        s.logFile ? `  log ${show(s.logFile)}` : ""
      }`,
    );
  }
  const kafka = statuses.find((s) => s.name === "kafka");
  const ferret = statuses.find((s) => s.name === "ferretdb");
  if (kafka?.running && ferret?.running && kafka.address && ferret.address) {
    console.log(`\n  export ${clientEnv(kafka.address, `mongodb://${ferret.address}/`).join("\n  export ")}`);
  }
  return statuses.every((s) => s.healthy) ? 0 : 1;
}

async function cmdPrepare(config: RuntimeConfig, args: string[]): Promise<number> {
  const only = args[0];
  if (only !== undefined && only !== "kafka" && only !== "ferretdb") {
    console.error("usage: lto-infra prepare [kafka|ferretdb]");
    return 2;
  }
  await prepareLocalRuntime(config.cacheDir, { log, kafka: only !== "ferretdb", ferretdb: only !== "kafka" });
  if (only !== "kafka") log(`PostgreSQL server: ${postgresBinDir()}`);
  return 0;
}

const usage = `usage: lto-infra <up|down|status|prepare>
  up       start Kafka (KRaft), PostgreSQL and FerretDB detached (idempotent), print KAFKA_BROKERS / MONGO_URL
  down     stop each by its own pid
  status   show pid, address and health of each (exit 1 unless all are healthy)
  prepare [kafka|ferretdb]  only fetch the Kafka jars and/or build FerretDB into the cache
env: LTO_DATA_DIR, LTO_CACHE, KAFKA_PORT, KAFKA_CONTROLLER_PORT, MONGO_PORT, POSTGRES_PORT, KAFKA_HEAP, LTO_PG_BIN`;

async function main(argv: string[]): Promise<number> {
  const command = argv[0];
  const commands: Record<string, (c: RuntimeConfig, args: string[]) => Promise<number>> = {
    up: cmdUp,
    down: cmdDown,
    status: cmdStatus,
    prepare: cmdPrepare,
  };
  const run = command ? commands[command] : undefined;
  if (!run) {
    console.error(usage);
    return command === "help" || command === "--help" ? 0 : 2;
  }
  const config = parseRuntimeConfig(process.env, { root: repoRoot(), home: homedir() });
  return run(config, argv.slice(1));
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`[infra] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
