// One place for a service's process lifecycle: start, SIGTERM/SIGINT, and errors that escape
// everything else. main.ts calls runService and nothing else touches `process`.
import { pathToFileURL } from "node:url";
import type { Logger } from "@lto/telemetry";

export interface RunServiceOptions<T> {
  logger: Logger;
  /** Starts everything; its result (bound addresses) is returned by runService. */
  start: () => Promise<T>;
  /** Drains and closes everything start() opened. */
  stop: () => Promise<void>;
  /** Longest stop() may take before the process exits anyway. */
  stopTimeoutMs?: number;
  /** Overridable for tests; defaults to process.exit. */
  exit?: (code: number) => void;
}

export async function runService<T>(opts: RunServiceOptions<T>): Promise<T> {
  const { logger } = opts;
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  let stopping: Promise<void> | undefined;

  const shutdown = (reason: string, code: number): Promise<void> => {
    if (stopping) return stopping;
    logger.info({ reason }, "shutting down");
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), opts.stopTimeoutMs ?? 25_000);
    });
    stopping = Promise.race([opts.stop().then(() => "stopped" as const), timeout])
      .then((outcome) => {
        if (outcome === "timeout") logger.error("stop did not finish in time; exiting anyway");
        else logger.info("stopped");
        exit(outcome === "timeout" ? 1 : code);
      })
      .catch((err: unknown) => {
        logger.error({ err }, "stop failed");
        exit(1);
      })
      .finally(() => clearTimeout(timer));
    return stopping;
  };

  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, "second signal: exiting now");
      exit(1);
      return;
    }
    void shutdown(signal, 0);
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  process.on("unhandledRejection", (err) => {
    logger.fatal({ err }, "unhandled promise rejection");
    void shutdown("unhandledRejection", 1);
  });
  process.on("uncaughtException", (err) => {
    logger.fatal({ err }, "uncaught exception");
    void shutdown("uncaughtException", 1);
  });

  try {
    const started = await opts.start();
    logger.info({ started }, "started");
    return started;
  } catch (err) {
    // Configuration errors list every bad variable in their message: put it where operators look.
    logger.fatal({ err }, `start-up failed: ${err instanceof Error ? err.message : String(err)}`);
    await shutdown("start-up failed", 1);
    throw err;
  }
}

/**
 * What a composition root opened, closed in reverse order: `defer` each close right after its open,
 * and `stop()` both on shutdown and when start-up fails half-way. A failing step is logged, the rest
 * still run.
 */
export class ShutdownStack {
  private readonly steps: Array<() => Promise<unknown> | unknown> = [];
  constructor(private readonly logger: Logger) {}

  defer(step: () => Promise<unknown> | unknown): void {
    this.steps.push(step);
  }

  async stop(): Promise<void> {
    while (this.steps.length > 0) {
      const step = this.steps.pop()!;
      try {
        await step();
      } catch (err) {
        this.logger.error({ err }, "stop step failed");
      }
    }
  }
}

/** True when the module at `importMetaUrl` is the program node was started with (main.ts run directly). */
export function isEntryPoint(importMetaUrl: string): boolean {
  return !!process.argv[1] && importMetaUrl === pathToFileURL(process.argv[1]).href;
}
