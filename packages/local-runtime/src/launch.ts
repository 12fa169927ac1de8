import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, writeFileSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import {
  isAlive,
  removeFile,
  stopProcess,
  tailFile,
  waitUntil,
  writePidFile,
  type StopOutcome,
} from "./process.js";

export type ComponentName = "kafka" | "postgres" | "ferretdb" | "jaeger";

/** What is written next to the pid file so that `status` and `down` know what runs where. */
export interface ComponentState {
  name: ComponentName;
  pid: number;
  /** host:port clients connect to. */
  address: string;
  /** Substring of the process command line that identifies it as ours (guards against pid reuse). */
  marker: string;
  logFile: string;
  startedAt: string;
  extra?: Record<string, unknown>;
}

/** A started Kafka, PostgreSQL or FerretDB process. */
export interface ManagedProcess {
  readonly name: ComponentName;
  readonly pid: number;
  /** host:port */
  readonly address: string;
  readonly dir: string;
  readonly logFile: string;
  readonly pidFile: string;
  /** Milliseconds from spawn until it answered (set by launchUntilReady). */
  readyMs?: number;
  /** SIGTERM, then SIGKILL after `timeoutMs` (default 20 s); removes the pid and state files. */
  stop(timeoutMs?: number): Promise<StopOutcome>;
}

export function pidFilePath(dir: string, name: ComponentName): string {
  return `${dir}/${name}.pid`;
}
export function stateFilePath(dir: string, name: ComponentName): string {
  return `${dir}/${name}.state.json`;
}

export function readState(dir: string, name: ComponentName): ComponentState | undefined {
  try {
    return JSON.parse(readFileSync(stateFilePath(dir, name), "utf8")) as ComponentState;
  } catch {
    return undefined;
  }
}

export function clearState(dir: string, name: ComponentName): void {
  removeFile(pidFilePath(dir, name));
  removeFile(stateFilePath(dir, name));
}

export interface LaunchOptions {
  name: ComponentName;
  command: string;
  args: string[];
  dir: string;
  logFile: string;
  address: string;
  marker: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  detached?: boolean;
  /** Run as this user (root starting PostgreSQL as `postgres`). */
  user?: { uid: number; gid: number };
  extra?: Record<string, unknown>;
}

/**
 * Spawns a long-running process with stdout and stderr appended to `logFile`, writes its pid file and
 * state file, and returns at once (readiness is the caller's business). The child is unref'd so it
 * never holds the caller's event loop; with `detached` it also gets its own process group and
 * outlives the caller (the CLI's `up`), without it a terminal's Ctrl-C reaches it too (tests).
 */
export async function launch(opts: LaunchOptions): Promise<ManagedProcess> {
  mkdirSync(dirname(opts.logFile), { recursive: true });
  const fd = openSync(opts.logFile, "a");
  let pid: number;
  try {
    const child = spawn(opts.command, opts.args, {
      cwd: opts.cwd ?? opts.dir,
      env: opts.env ?? process.env,
      stdio: ["ignore", fd, fd],
      detached: opts.detached ?? false,
      ...(opts.user ?? {}),
    });
    pid = await new Promise<number>((resolve, reject) => {
      child.once("error", (err) => reject(new Error(`could not start ${opts.command}: ${err.message}`)));
      child.once("spawn", () => resolve(child.pid as number));
    });
    child.unref();
  } finally {
    closeSync(fd);
  }
  const pidFile = pidFilePath(opts.dir, opts.name);
  writePidFile(pidFile, pid);
  const state: ComponentState = {
    name: opts.name,
    pid,
    address: opts.address,
    marker: opts.marker,
    logFile: opts.logFile,
    startedAt: new Date().toISOString(),
    ...(opts.extra ? { extra: opts.extra } : {}),
  };
  writeFileSync(stateFilePath(opts.dir, opts.name), `${JSON.stringify(state, null, 2)}\n`);
  return managed(opts.name, pid, opts.address, opts.dir, opts.logFile);
}

/**
 * `launch`, then polls `ready` until it answers. If the process exits or the timeout passes first (or
 * `afterReady`, a set-up step on the answering server, throws), stops the process and throws with the
 * tail of its log, so that a failed start leaves nothing running and says why. `readyMs` counts from
 * spawn to the end of `afterReady`.
 */
export async function launchUntilReady(
  opts: LaunchOptions & {
    /** How the component is named in the error: "Kafka" gives "Kafka on 127.0.0.1:9092 ...". */
    label: string;
    ready: () => Promise<boolean>;
    readyTimeoutMs: number;
    intervalMs: number;
    afterReady?: () => void | Promise<void>;
  },
): Promise<ManagedProcess> {
  const { label, ready, readyTimeoutMs, intervalMs, afterReady, ...launchOpts } = opts;
  const spawnedAt = Date.now();
  const proc = await launch(launchOpts);
  const outcome = await waitUntil(ready, {
    timeoutMs: readyTimeoutMs,
    intervalMs,
    alive: () => isAlive(proc.pid),
  });
  if (outcome !== "ready") {
    await proc.stop(5_000);
    throw new Error(
      `${label} on ${opts.address} ${outcome === "exited" ? "exited during start-up" : "did not answer in time"}; tail of ${opts.logFile}:\n${tailFile(opts.logFile)}`,
    );
  }
  if (afterReady) {
    try {
      await afterReady();
    } catch (err) {
      await proc.stop(5_000);
      throw err;
    }
  }
  proc.readyMs = Date.now() - spawnedAt;
  return proc;
}

/** A handle on an already running component (from its state file). */
export function managed(
  name: ComponentName,
  pid: number,
  address: string,
  dir: string,
  logFile: string,
): ManagedProcess {
  return {
    name,
    pid,
    address,
    dir,
    logFile,
    pidFile: pidFilePath(dir, name),
    async stop(timeoutMs?: number) {
      const outcome = await stopProcess(pid, timeoutMs === undefined ? {} : { timeoutMs });
      clearState(dir, name);
      return outcome;
    },
  };
}
