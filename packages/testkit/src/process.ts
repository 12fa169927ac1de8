// A service's real entry point (services/<name>/src/main.ts) as an OS process of its own, started the
// way `npm start` starts it, on free ports: for tests that must kill a process (SIGKILL mid-load, a
// crash without shutdown hooks), which an in-process instance cannot show.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { freePorts, repoRoot } from "@lto/local-runtime";

/** Free ports on 127.0.0.1, e.g. to tell one service another's port before both are up. */
export { freePorts };

export interface ServiceProcess {
  /** The service's directory name under services/ (ideas, adoption, ...). */
  service: string;
  pid: number;
  httpUrl: string;
  /** Where it serves gRPC, for a service that serves some (the others bind no gRPC port). */
  grpcAddress: string;
  /** Everything it wrote to stdout and stderr so far (for failure messages). */
  output(): string;
  /** True once kill() was called, or the process exited. */
  readonly gone: boolean;
  /** Sends the signal (SIGKILL by default: no shutdown hook runs) and resolves when it has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** SIGTERM (a clean stop), then SIGKILL if it has not exited after `graceMs` (default 15 s). */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnServiceOptions {
  /** The service's environment; HTTP_PORT and GRPC_PORT are chosen here (free ports). */
  env: Record<string, string>;
  /** Its gRPC port, when another process must know it before this one is up (default: a free one). */
  grpcPort?: number;
  /** Its HTTP port, e.g. to start it again where a killed process answered (default: a free one). */
  httpPort?: number;
  /** Its METRICS_PORT (a service that serves /metrics on a port of its own, the gateway). */
  metricsPort?: number;
  /** How long to wait for /readyz to answer 200 (tsx and the OTel SDK load first: seconds). */
  readyTimeoutMs?: number;
}

/** Starts services/<service>/src/main.ts as a child process and waits until its /readyz answers 200. */
export async function spawnService(service: string, opts: SpawnServiceOptions): Promise<ServiceProcess> {
  // A port found free can be taken by another process before the service binds it: start again on others.
  for (let attempt = 1; ; attempt++) {
    try {
      return await spawnOnce(service, opts);
    } catch (error) {
      if (attempt >= 3 || !String(error).includes("EADDRINUSE")) throw error;
    }
  }
}

async function spawnOnce(service: string, opts: SpawnServiceOptions): Promise<ServiceProcess> {
  const [freeHttpPort, freeGrpcPort] = await freePorts(2);
  const httpPort = opts.httpPort ?? freeHttpPort;
  const grpcPort = opts.grpcPort ?? freeGrpcPort;
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", "--import", "@lto/telemetry/register", "src/main.ts"],
    {
      cwd: join(repoRoot(), "services", service),
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        ...opts.env,
        HTTP_PORT: String(httpPort),
        GRPC_PORT: String(grpcPort),
        ...(opts.metricsPort === undefined ? {} : { METRICS_PORT: String(opts.metricsPort) }),
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  child.on("error", (err) => (output += `\nspawn error: ${String(err)}`));
  const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
  let killed = false;
  const proc: ServiceProcess = {
    service,
    pid: child.pid!,
    httpUrl: `http://127.0.0.1:${httpPort}`,
    grpcAddress: `127.0.0.1:${grpcPort}`,
    output: () => output,
    get gone() {
      return killed || child.exitCode !== null || child.signalCode !== null;
    },
    async kill(signal = "SIGKILL") {
      killed = true;
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
    async stop(graceMs = 15_000) {
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await proc.kill("SIGTERM");
      clearTimeout(timer);
    },
  };
  // Never outlives the test run, whatever happens to the test.
  const orphanGuard = () => child.kill("SIGKILL");
  process.once("exit", orphanGuard);
  void exited.then(() => process.off("exit", orphanGuard));

  const deadline = Date.now() + (opts.readyTimeoutMs ?? 120_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`${service} exited (${child.exitCode ?? child.signalCode}) before ready:\n${output}`);
    const ready = await fetch(`${proc.httpUrl}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) return proc;
    if (Date.now() > deadline) {
      await proc.kill();
      throw new Error(`${service} not ready after ${opts.readyTimeoutMs ?? 120_000} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
