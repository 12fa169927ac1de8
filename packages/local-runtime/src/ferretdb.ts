import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { MongoClient } from "mongodb";
import { launchUntilReady, type ManagedProcess } from "./launch.js";
import { defaultCacheDir, ferretDbBinaryPath } from "./paths.js";
import { isPortFree } from "./process.js";

/** Where FerretDB keeps the data: PostgreSQL (the default runtime) or SQLite files (bench/store compares). */
export type FerretDbBackend = { postgresqlUrl: string } | { sqliteDir: string };

export interface FerretDbOptions {
  port: number;
  /** This server's own directory: ferretdb.log, ferretdb.pid (and sqlite/ for the SQLite backend). */
  dataDir: string;
  /** Default: SQLite files under dataDir/sqlite. */
  backend?: FerretDbBackend;
  cacheDir?: string;
  /** Path of the ferretdb binary; default <cacheDir>/ferretdb/ferretdb-v1.24.2 (see ensureFerretDb). */
  binary?: string;
  detached?: boolean;
  readyTimeoutMs?: number;
  logLevel?: "debug" | "info" | "warn" | "error";
}

function backendArgs(backend: FerretDbBackend): string[] {
  if ("postgresqlUrl" in backend)
    return ["--handler=postgresql", `--postgresql-url=${backend.postgresqlUrl}`];
  const dir = backend.sqliteDir.endsWith("/") ? backend.sqliteDir : `${backend.sqliteDir}/`;
  return ["--handler=sqlite", `--sqlite-url=file:${dir}`];
}

/** Command-line flags: the backend, loopback only, no state dir, no debug listener, no telemetry. */
export function ferretDbArgs(o: {
  port: number;
  backend: FerretDbBackend;
  host?: string;
  logLevel?: string;
}): string[] {
  return [
    ...backendArgs(o.backend),
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

/** Starts FerretDB on 127.0.0.1:port; resolves when a ping answers. */
export async function startFerretDb(opts: FerretDbOptions): Promise<ManagedProcess> {
  const dir = resolve(opts.dataDir);
  const binary = opts.binary ?? ferretDbBinaryPath(opts.cacheDir ?? defaultCacheDir());
  if (!existsSync(binary)) {
    throw new Error(`FerretDB binary missing at ${binary}: run ensureFerretDb() (npm run infra:up does)`);
  }
  if (!(await isPortFree(opts.port))) {
    throw new Error(`port 127.0.0.1:${opts.port} is already in use: choose another port (MONGO_PORT)`);
  }
  const backend = opts.backend ?? { sqliteDir: join(dir, "sqlite") };
  if ("sqliteDir" in backend) mkdirSync(backend.sqliteDir, { recursive: true });
  else mkdirSync(dir, { recursive: true });
  const args = ferretDbArgs({
    port: opts.port,
    backend,
    ...(opts.logLevel ? { logLevel: opts.logLevel } : {}),
  });
  const listen = args.find((a) => a.startsWith("--listen-addr="))!;
  const url = mongoUrlFor(opts.port);
  return launchUntilReady({
    name: "ferretdb",
    label: "FerretDB",
    command: binary,
    args,
    dir,
    logFile: join(dir, "ferretdb.log"),
    address: `127.0.0.1:${opts.port}`,
    // The backend URL and listen address tell our FerretDB from any other (pid reuse).
    marker: `${args[1]!} ${listen}`,
    env: { ...process.env, DO_NOT_TRACK: "1", FERRETDB_TELEMETRY: "disable" },
    detached: opts.detached ?? false,
    ready: () => mongoAnswers(url, 1_000),
    readyTimeoutMs: opts.readyTimeoutMs ?? 30_000,
    intervalMs: 200,
  });
}
