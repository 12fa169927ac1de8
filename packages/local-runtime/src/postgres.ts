// PostgreSQL for FerretDB's postgresql backend: Debian's server binaries, one cluster under the data
// dir, loopback TCP only. As root the server runs as the `postgres` user (it refuses to run as root).
import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { launchUntilReady, type ManagedProcess } from "./launch.js";
import { repoRoot } from "./paths.js";
import { isPortFree } from "./process.js";
import { MissingToolError } from "./tools.js";

export const POSTGRES_HINT =
  "install the PostgreSQL server: apt-get install -y postgresql (or set LTO_PG_BIN to a folder with postgres, initdb, pg_isready and psql)";

/** The database FerretDB keeps every MongoDB database in (one schema each). */
export const FERRETDB_PG_DATABASE = "ferretdb";

const TOOLS = ["postgres", "initdb", "pg_isready", "psql"] as const;

/** The folder with the server binaries: $LTO_PG_BIN, else the newest /usr/lib/postgresql/<n>/bin. */
export function postgresBinDir(env: NodeJS.ProcessEnv = process.env): string {
  const candidates = env.LTO_PG_BIN
    ? [resolve(env.LTO_PG_BIN)]
    : (existsSync("/usr/lib/postgresql") ? readdirSync("/usr/lib/postgresql") : [])
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
        .map((v) => join("/usr/lib/postgresql", v, "bin"));
  const found = candidates.find((dir) => TOOLS.every((t) => existsSync(join(dir, t))));
  if (!found) throw new MissingToolError(`PostgreSQL server binaries not found: ${POSTGRES_HINT}`);
  return found;
}

/** uid/gid to run the server as: the `postgres` user when we are root, else ourselves. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((l) => l.startsWith("postgres:"));
  const [, , uid, gid] = line?.split(":") ?? [];
  if (uid === undefined || gid === undefined) {
    throw new MissingToolError(
      `running as root, but there is no \`postgres\` user to run the server: ${POSTGRES_HINT}`,
    );
  }
  return { uid: Number(uid), gid: Number(gid) };
}

/**
 * The server user must reach its data dir: folders we created (`ownedRoot` and below) get the
 * traverse bit for others; any folder above it that lacks it is an error the user must fix.
 */
function makeReachable(dir: string, ownedRoot: string): void {
  const root = resolve(ownedRoot);
  for (let d = resolve(dir); ; d = dirname(d)) {
    const mode = statSync(d).mode;
    if ((mode & 0o001) === 0) {
      if (d === root || d.startsWith(`${root}/`)) chmodSync(d, mode | 0o011);
      else {
        throw new Error(
          `the postgres user cannot reach ${dir}: ${d} is not traversable by others; ` +
            "choose a data dir outside it (LTO_DATA_DIR) or chmod o+x it",
        );
      }
    }
    if (d === dirname(d)) return;
  }
}

function runAs(
  user: { uid: number; gid: number } | undefined,
  command: string,
  args: string[],
  what: string,
): string {
  const result = spawnSync(command, args, {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    cwd: "/",
    ...(user ?? {}),
  });
  if (result.error || result.status !== 0) {
    const output = `${result.stdout ?? ""}${result.stderr ?? ""}`.trim();
    throw new Error(`${what} failed (${result.error?.message ?? `exit ${result.status}`}):\n${output}`);
  }
  return result.stdout;
}

export interface PostgresOptions {
  port: number;
  /** This server's own directory: pgdata/ (the cluster), postgres.log, postgres.pid. */
  dataDir: string;
  /** The data root the runtime created (folders up to it may be opened for the server user). */
  ownedRoot?: string;
  binDir?: string;
  detached?: boolean;
  /** false for throw-away test clusters: no fsync (a machine crash may corrupt them; a process crash does not). */
  durable?: boolean;
  readyTimeoutMs?: number;
}

export function postgresUrlFor(port: number, database = FERRETDB_PG_DATABASE): string {
  return `postgres://postgres@127.0.0.1:${port}/${database}`;
}

/** Server settings: loopback TCP only, no socket file, room for every service's FerretDB pool. */
export function postgresArgs(o: { pgdata: string; port: number; durable: boolean }): string[] {
  const settings = [
    "listen_addresses=127.0.0.1",
    `port=${o.port}`,
    "unix_socket_directories=",
    "max_connections=300",
    // Commits return before the WAL reaches the disk: a server crash can lose the last few ms of
    // commits, never corrupt the cluster. This is the development and test store, not production.
    "synchronous_commit=off",
    ...(o.durable ? [] : ["fsync=off", "full_page_writes=off"]),
  ];
  return ["-D", o.pgdata, ...settings.flatMap((s) => ["-c", s])];
}

/** Creates the cluster on first use, starts the server, creates FerretDB's database and its index twins. */
export async function startPostgres(opts: PostgresOptions): Promise<ManagedProcess> {
  const bin = opts.binDir ?? postgresBinDir();
  const dir = resolve(opts.dataDir);
  const pgdata = join(dir, "pgdata");
  if (!(await isPortFree(opts.port))) {
    throw new Error(`port 127.0.0.1:${opts.port} is already in use: choose another port (POSTGRES_PORT)`);
  }
  const user = serverUser();
  mkdirSync(pgdata, { recursive: true });
  if (user) {
    makeReachable(dir, opts.ownedRoot ?? dir);
    chownSync(pgdata, user.uid, user.gid);
  }
  chmodSync(pgdata, 0o700);
  if (!existsSync(join(pgdata, "PG_VERSION"))) {
    runAs(
      user,
      join(bin, "initdb"),
      ["-D", pgdata, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
      "initdb",
    );
  }
  const address = `127.0.0.1:${opts.port}`;
  return launchUntilReady({
    name: "postgres",
    label: "PostgreSQL",
    command: join(bin, "postgres"),
    args: postgresArgs({ pgdata, port: opts.port, durable: opts.durable ?? true }),
    dir,
    logFile: join(dir, "postgres.log"),
    address,
    marker: pgdata,
    detached: opts.detached ?? false,
    ...(user ? { user } : {}),
    ready: () => postgresAnswers(address, 1_000, bin),
    readyTimeoutMs: opts.readyTimeoutMs ?? 30_000,
    intervalMs: 100,
    afterReady: () => prepareFerretDbDatabase(bin, opts.port),
  });
}

function psql(bin: string, port: number, database: string, args: string[]): string {
  return runAs(
    undefined,
    join(bin, "psql"),
    [
      "-h",
      "127.0.0.1",
      "-p",
      String(port),
      "-U",
      "postgres",
      "-d",
      database,
      "-v",
      "ON_ERROR_STOP=1",
      "-qAt",
      ...args,
    ],
    `psql ${args.join(" ")}`,
  );
}

/** FerretDB's database, with the event trigger that gives its indexes GIN twins (infra/local/postgres). */
function prepareFerretDbDatabase(bin: string, port: number): void {
  const exists = psql(bin, port, "postgres", [
    "-c",
    `select 1 from pg_database where datname = '${FERRETDB_PG_DATABASE}'`,
  ]).trim();
  if (exists !== "1") psql(bin, port, "postgres", ["-c", `create database ${FERRETDB_PG_DATABASE}`]);
  psql(bin, port, FERRETDB_PG_DATABASE, ["-f", join(repoRoot(), "infra/local/postgres/gin-twins.sql")]);
}

/** True when the server at host:port accepts connections within `timeoutMs`. */
export async function postgresAnswers(address: string, timeoutMs = 3_000, binDir?: string): Promise<boolean> {
  const [host, port] = address.split(":");
  let bin: string;
  try {
    bin = binDir ?? postgresBinDir();
  } catch {
    return false;
  }
  const seconds = String(Math.max(1, Math.ceil(timeoutMs / 1000)));
  const probe = spawnSync(join(bin, "pg_isready"), ["-q", "-h", host!, "-p", port!, "-t", seconds]);
  return probe.status === 0;
}
