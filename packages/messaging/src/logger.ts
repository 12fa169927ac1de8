import type { Logger } from "@lto/telemetry";

/** The logging the package needs; a pino Logger (from @lto/telemetry's createLogger) fits. */
export type MessagingLogger = Pick<Logger, "debug" | "info" | "warn" | "error">;

/** A short, loggable description of an unknown thrown value. */
export function errorFields(err: unknown): { err: { type: string; message: string } } {
  if (err instanceof Error) return { err: { type: err.name, message: err.message } };
  return { err: { type: typeof err, message: String(err) } };
}
