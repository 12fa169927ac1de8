// Preload that only registers the import-in-the-middle ESM loader hook (no SDK start), for runners that
// start telemetry themselves later, e.g. vitest: `execArgv: ["--import", "@lto/telemetry/hook"]` plus a
// setup file calling startTestTelemetry({ instrumentations: true }). Plain JS so Node loads it without tsx.
import { register } from "node:module";

register("@opentelemetry/instrumentation/hook.mjs", import.meta.url);
