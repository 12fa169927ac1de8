/**
 * True when `fn` has been wrapped by an OpenTelemetry instrumentation (its shimmer marks wrappers with
 * `__wrapped`). Kits use it to skip their own spans when auto-instrumentation already makes them.
 */
export function isInstrumented(fn: unknown): boolean {
  return typeof fn === "function" && (fn as { __wrapped?: unknown }).__wrapped === true;
}
