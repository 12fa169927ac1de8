import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { MongoClient } from "mongodb";
import { launch, type ManagedProcess } from "./launch.js";
import { defaultCacheDir, ferretDbBinaryPath } from "./paths.js";
import { isAlive, isPortFree, tailFile, waitUntil } from "./process.js";

export interface FerretDbOptions {
  port: number;
  /** This server's own directory: sqlite/ (the databases), ferretdb.log, ferretdb.pid. */
  dataDir: string;
  cacheDir?: string;
  /** Path of the ferretdb binary; default <cacheDir>/ferretdb/ferretdb-v1.24.2 (see ensureFerretDb). */
  binary?: string;
  detached?: boolean;
  readyTimeoutMs?: number;
  logLevel?: "debug" | "info" | "warn" | "error";
}

/** Command-line flags: SQLite backend, loopback only, no state dir, no debug listener, no telemetry. */
export function ferretDbArgs(o: {
  port: number;
  sqliteDir: string;
  host?: string;
  logLevel?: string;
}): string[] {
  const dir = o.sqliteDir.endsWith("/") ? o.sqliteDir : `${o.sqliteDir}/`;
  return [
    "--handler=sqlite",
    `--sqlite-url=file:${dir}`,
    `--listen-addr=${o.host ?? "127.0.0.1"}:${o.port}`,
    "--state-dir=-",
    "--debug-addr=-",
    "--telemetry=disable",
    ...(o.logLevel ? [`--log-level=${o.logLevel}`] : []),
  ];
}

export function mongoUrlFor(port: number, host = "127.0.0.1"): string {
  return `mongodb://${host}:${port}/`;
}

/** True when a MongoDB-protocol server at `url` answers `ping` within `timeoutMs`. */
export async function mongoAnswers(url: string, timeoutMs = 3_000): Promise<boolean> {
  const client = new MongoClient(url, {
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
    socketTimeoutMS: timeoutMs,
    directConnection: true,
  });
  try {
    await client.connect();
    await client.db("admin").command({ ping: 1 });
    return true;
  } catch {
    return false;
  } finally {
    await client.close().catch(() => undefined);
  }
}

/** Starts FerretDB (SQLite backend) on 127.0.0.1:port; resolves when a ping answers. */
export async function startFerretDb(opts: FerretDbOptions): Promise<ManagedProcess> {
  const dir = resolve(opts.dataDir);
  const binary = opts.binary ?? ferretDbBinaryPath(opts.cacheDir ?? defaultCacheDir());
  if (!existsSync(binary)) {
    throw new Error(`FerretDB binary missing at ${binary}: run ensureFerretDb() (npm run infra:up does)`);
  }
  if (!(await isPortFree(opts.port))) {
    throw new Error(`port 127.0.0.1:${opts.port} is already in use: choose another port (MONGO_PORT)`);
  }
  const sqliteDir = join(dir, "sqlite");
  mkdirSync(sqliteDir, { recursive: true });
  const logFile = join(dir, "ferretdb.log");
  const args = ferretDbArgs({
    port: opts.port,
    sqliteDir,
    ...(opts.logLevel ? { logLevel: opts.logLevel } : {}),
  });
  const address = `127.0.0.1:${opts.port}`;
  const spawnedAt = Date.now();
  const proc = await launch({
    name: "ferretdb",
    command: binary,
    args,
    dir,
    logFile,
    address,
    marker: args[1]!, // --sqlite-url=file:<this dir>/sqlite/
    env: { ...process.env, DO_NOT_TRACK: "1", FERRETDB_TELEMETRY: "disable" },
    detached: opts.detached ?? false,
  });
  const url = mongoUrlFor(opts.port);
  const outcome = await waitUntil(() => mongoAnswers(url, 1_000), {
    timeoutMs: opts.readyTimeoutMs ?? 30_000,
    intervalMs: 200,
    alive: () => isAlive(proc.pid),
  });
  if (outcome !== "ready") {
    await proc.stop(5_000);
    throw new Error(
      `FerretDB on ${address} ${outcome === "exited" ? "exited during start-up" : "did not answer in time"}; tail of ${logFile}:\n${tailFile(logFile)}`,
    );
  }
  proc.readyMs = Date.now() - spawnedAt;
  return proc;
}
