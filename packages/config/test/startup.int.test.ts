// Issue 2, section 6f: bad configuration fails start-up naming each bad variable. The services' real
// entry points run as child processes, started exactly as `npm start` starts them
// (`node --import tsx --import @lto/telemetry/register src/main.ts`), with a clean environment.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, it, type ExpectStatic } from "vitest";

const root = fileURLToPath(new URL("../../..", import.meta.url));

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout's JSON log lines. */
  lines: Array<Record<string, unknown>>;
}

/** Runs a service's main.ts with exactly `env` (plus PATH/HOME) and collects what it wrote. */
function runMain(service: string, env: Record<string, string>, timeoutMs = 100_000): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--import", "@lto/telemetry/register", "src/main.ts"],
      {
        cwd: `${root}services/${service}`,
        // Nothing inherited (no KAFKA_BROKERS/MONGO_URL of the test run): only what the case sets.
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${service} did not exit within ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const lines = stdout
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      resolve({ code, signal, stdout, stderr, lines });
    });
  });
}

/** The one fatal start-up line, and the problems it lists ("  VARIABLE: message" lines). */
function startupFailure(expect: ExpectStatic, out: Outcome) {
  const fatal = out.lines.filter((l) => l.level === "fatal");
  expect(fatal, `one fatal line expected\nstdout:\n${out.stdout}\nstderr:\n${out.stderr}`).toHaveLength(1);
  const msg = String(fatal[0]!.msg);
  expect(msg).toMatch(/^start-up failed: Invalid configuration \(\d+ problems?\)/);
  const listed = new Map(
    msg
      .split("\n")
      .slice(1)
      .map((line) => /^ {2}([A-Z0-9_]+): (.+)$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1]!, m[2]!]),
  );
  return { msg, listed, fatal: fatal[0]! };
}

const services = ["ideas", "adoption"];
// Each case is a child process of its own: several seconds (tsx and the OTel SDK load first), more on a
// busy machine.
const CHILD_TIMEOUT = 120_000;

describe.concurrent.each(services)("%s service start-up", (service) => {
  it(
    "exits with code 1 naming every bad variable, in one message, before touching store or broker",
    async ({ expect }) => {
      const out = await runMain(service, {
        NODE_ENV: "staging",
        LOG_LEVEL: "loud",
        HTTP_PORT: "http",
        GRPC_PORT: "70000",
        MONGO_URL: "postgres://db.lto:5432/",
        KAFKA_BROKERS: "kafka-without-port",
        JWKS_URL: "jwks.json",
        OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318",
        // and one of the service's own variables
        OUTBOX_SWEEP_MS: "10",
      });
      expect(out.signal).toBeNull();
      expect(out.code).toBe(1);
      const { listed, msg, fatal } = startupFailure(expect, out);
      expect(Object.fromEntries(listed)).toEqual({
        NODE_ENV: "must be development, test or production",
        LOG_LEVEL: "must be one of fatal, error, warn, info, debug, trace, silent",
        HTTP_PORT: "must be a port number (0-65535)",
        GRPC_PORT: "must be a port number (0-65535)",
        MONGO_URL: "must be a mongodb:// or mongodb+srv:// URL",
        KAFKA_BROKERS: "each entry must look like host:port",
        JWKS_URL: "must be an http(s) URL of a JWKS document",
        OTEL_EXPORTER_OTLP_ENDPOINT: "must be an http(s) URL",
        OUTBOX_SWEEP_MS: expect.stringMatching(/>=\s*50/),
      });
      expect(msg).toContain(`Invalid configuration (${listed.size} problems)`);
      expect(fatal.err).toMatchObject({ type: "ConfigError" });
      // Nothing was started: no store, broker or listener lines, just the failure and the shutdown.
      expect(out.lines.map((l) => l.msg)).toEqual([msg, "shutting down", "stopped"]);
    },
    CHILD_TIMEOUT,
  );

  it(
    "in production, refuses every development default it would otherwise fall back to",
    async ({ expect }) => {
      const out = await runMain(service, { NODE_ENV: "production" });
      expect(out.code).toBe(1);
      const { listed } = startupFailure(expect, out);
      for (const variable of ["MONGO_URL", "KAFKA_BROKERS", "JWKS_URL", "JWT_ISSUER", "JWT_AUDIENCE"]) {
        expect(listed.get(variable), `${variable} in\n${out.stdout}`).toBe(
          "must be set explicitly in production (the default is for development)",
        );
      }
      // And the other service it calls, whose address defaults to this machine's loopback.
      const peer = { ideas: "ADOPTION_GRPC_ADDRESS", adoption: "IDEAS_GRPC_ADDRESS" }[service]!;
      expect(listed.get(peer), `${peer} in\n${out.stdout}`).toMatch(
        /^must be set in production to the other service's address/,
      );
      expect(listed.size).toBe(6);
    },
    CHILD_TIMEOUT,
  );
});
