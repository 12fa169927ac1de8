// Process-wide warning filter, importable alone as "@lto/telemetry/warnings" (no SDK loaded).
const FLAG = Symbol.for("lto.quietKafkajsTimeoutWarning");

/**
 * kafkajs 2.2.4 (unmaintained) calls setTimeout with a negative delay whenever its request queue is
 * idle, and Node 24 prints a TimeoutNegativeWarning for it: harmless (the delay becomes 1 ms) but it
 * floods the output. This drops that one warning and prints every other one as Node would. Idempotent.
 */
export function quietKafkajsTimeoutWarning(): void {
  const g = globalThis as Record<symbol, unknown>;
  if (g[FLAG]) return;
  g[FLAG] = true;
  const others = process.listeners("warning");
  process.removeAllListeners("warning");
  process.on("warning", (warning) => {
    if (warning.name === "TimeoutNegativeWarning") return;
    if (others.length) for (const listener of others) listener(warning);
    else console.warn(`(node:${process.pid}) ${warning.name}: ${warning.message}`);
  });
}
