/**
 * Preload: `node --import tsx --import @lto/telemetry/register services/x/src/main.ts`.
 * Registers the import-in-the-middle ESM loader hook (so ESM imports of express, kafkajs, mongodb,
 * @grpc/grpc-js and node:http are patched; CJS requires are patched by require-in-the-middle) and starts
 * the SDK, both before the app's modules load.
 * Service name: OTEL_SERVICE_NAME, else SERVICE_NAME, else the npm package name, else "unknown_service".
 * OTEL_SDK_DISABLED=true loads nothing.
 */
import { createRequire, register, syncBuiltinESMExports } from "node:module";

if (process.env.OTEL_SDK_DISABLED?.toLowerCase() !== "true") {
  // Order matters: load the SDK (whose exporters import node:http) BEFORE registering the loader hook.
  // Otherwise node:http is already wrapped by import-in-the-middle when HttpInstrumentation is built,
  // the hook is replayed inside its constructor before its `_httpPatched` field exists, and http ends
  // up patched twice (two client spans per request).
  const { startTelemetry } = await import("./sdk.js");
  // Only the modules the instrumentations ask for are wrapped (they announce them through this
  // channel): wrapping every module fails on our `export *` barrels and prints a warning for each.
  const { createAddHookMessageChannel } = await import("import-in-the-middle");
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register("@opentelemetry/instrumentation/hook.mjs", import.meta.url, registerOptions);
  const serviceName =
    process.env.OTEL_SERVICE_NAME ??
    process.env.SERVICE_NAME ??
    process.env.npm_package_name ??
    "unknown_service";
  const telemetry = startTelemetry({ serviceName });
  await waitForAllMessagesAcknowledged();
  // Patch http/https now (require-in-the-middle) and publish the patched functions to the builtin ESM
  // namespaces, so `import { request } from "node:http"` is traced even when a CJS dependency such as
  // express required http first (the instrumentation then skips the ESM namespace).
  const require = createRequire(import.meta.url);
  require("node:http");
  require("node:https");
  syncBuiltinESMExports();
  process.once("beforeExit", () => {
    void telemetry.shutdown();
  });
}
