// The operations checks (scripts/opscheck.sh: compose-go and BuildKit built from the Go module proxy)
// on this repository, and on copies broken the ways a deployment goes wrong: a service of services/
// missing from compose, no healthcheck, a shared database user, a secret with a default, a root user,
// no /healthz, a shell-form entrypoint. Each broken copy must fail, naming what is wrong.
import { spawnSync } from "node:child_process";
import { generateKeyPairSync, randomBytes, randomUUID } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_TOPIC_PARTITIONS } from "@lto/config";
import { repoRoot } from "@lto/local-runtime";
import { afterAll, describe, expect, it } from "vitest";

const root = repoRoot();
// The first run builds the Go tools (a few minutes on a cold module cache); CI's "ops checks" phase
// has built them by then.
const BUILD_TIMEOUT = 900_000;
const copies: string[] = [];

function opscheck(dir: string, ...checks: string[]) {
  const out = spawnSync("bash", [join(root, "scripts/opscheck.sh"), "-root", dir, ...checks], {
    encoding: "utf8",
    timeout: BUILD_TIMEOUT,
  });
  return { status: out.status, stdout: out.stdout, stderr: out.stderr, output: `${out.stdout}${out.stderr}` };
}

/** What the checks read, copied to a temp dir (the services' package.json and main.ts, not their code). */
function copyOfRepository(): string {
  const dir = mkdtempSync(join(tmpdir(), "lto-opscheck-"));
  copies.push(dir);
  for (const path of ["docker-compose.yml", ".env.example", "infra", "packages/contracts/src/registry.ts"]) {
    cpSync(join(root, path), join(dir, path), { recursive: true });
  }
  for (const service of readdirSync(join(root, "services"))) {
    mkdirSync(join(dir, "services", service, "src"), { recursive: true });
    for (const file of ["package.json", "src/main.ts"]) {
      const from = join(root, "services", service, file);
      if (existsSync(from)) cpSync(from, join(dir, "services", service, file));
    }
  }
  return dir;
}

function edit(dir: string, file: string, change: (text: string) => string) {
  const path = join(dir, file);
  const before = readFileSync(path, "utf8");
  const after = change(before);
  expect(after, `the edit of ${file} changed nothing`).not.toBe(before);
  writeFileSync(path, after);
}

/** A filled-in .env as an operator writes it: real-looking addresses, fresh keys. */
function deploymentEnv(): string {
  const jwk = () => {
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    return JSON.stringify({
      ...privateKey.export({ format: "jwk" }),
      kid: randomUUID(),
      alg: "ES256",
      use: "sig",
    });
  };
  const secret = () => randomBytes(24).toString("hex");
  const values: Record<string, string> = {
    GATEWAY_PUBLIC_URL: "https://lto.example.org",
    MONGO_ROOT_USER: "root",
    KAFKA_CLUSTER_ID: "H79mchBskVK6r6-lH5OMzQ",
    OIDC_SIGNING_JWK: `'${jwk()}'`,
    OIDC_COOKIE_KEYS: `${secret()},${secret()}`,
    CATALOGUE_ISSUER_JWK: `'${jwk()}'`,
    CALENDAR_FEED_KEY: secret(),
    SMTP_URL: "smtps://lto:secret@mail.example.org:465",
    MAIL_FROM: "LTO Mantova <noreply@lto.example.org>",
  };
  return readFileSync(join(root, ".env.example"), "utf8")
    .split("\n")
    .map((line) => {
      const m = /^([A-Z0-9_]+)=$/.exec(line);
      return m ? `${m[1]}=${values[m[1]!] ?? secret()}` : line;
    })
    .join("\n");
}

/**
 * The compose model (JSON, as compose-go loads it) of a copy of the repository deployed with this .env;
 * fails naming compose's complaint when it does not load.
 */
function composeModel<Model>(envFile: string, dir = copyOfRepository()): Model {
  writeFileSync(join(dir, "deploy.env"), envFile);
  const out = opscheck(dir, "compose", "-dump", "-env-file", "deploy.env");
  expect(out.status, out.stderr).toBe(0);
  return JSON.parse(out.stdout) as Model;
}

afterAll(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

describe("scripts/opscheck.sh", () => {
  it(
    "accepts the repository's compose file and Dockerfile",
    () => {
      const { status, output } = opscheck(root);
      expect(output).toContain("docker-compose.yml: valid");
      expect(output).toContain("service.Dockerfile: parsed and linted by BuildKit");
      expect(status, output).toBe(0);
    },
    BUILD_TIMEOUT,
  );

  it(
    "gives every service an environment its production configuration accepts",
    async () => {
      const model = composeModel<{
        services: Record<string, { build?: { dockerfile?: string }; environment?: Record<string, string> }>;
      }>(deploymentEnv());
      const built = Object.entries(model.services).filter(([, s]) =>
        s.build?.dockerfile?.endsWith("infra/docker/service.Dockerfile"),
      );
      expect(built.map(([name]) => name).sort()).toEqual(
        readdirSync(join(root, "services"))
          .filter((name) => existsSync(join(root, "services", name, "src/main.ts")))
          .sort(),
      );
      for (const [name, service] of built) {
        const env = service.environment ?? {};
        expect(env.NODE_ENV, name).toBe("production");
        // The service's own loader (load<Service>Config in src/config.ts), as its start-up calls it.
        const mod = (await import(join(root, "services", name, "src/config.ts"))) as Record<string, unknown>;
        const load = Object.entries(mod).find(
          ([k, v]) => /^load\w*Config$/.test(k) && typeof v === "function",
        );
        expect(load, `services/${name}/src/config.ts exports no load...Config`).toBeDefined();
        const loadConfig = load![1] as (env: NodeJS.ProcessEnv) => unknown;
        expect(() => loadConfig(env), `${name} in compose`).not.toThrow();
      }
    },
    BUILD_TIMEOUT,
  );

  it(
    "gives kafka-init, the broker and every service one number of partitions: the platform's default, or .env's",
    () => {
      expect(readFileSync(join(root, ".env.example"), "utf8")).toMatch(
        new RegExp(`^KAFKA_TOPIC_PARTITIONS=${DEFAULT_TOPIC_PARTITIONS}$`, "m"),
      );
      expect(readFileSync(join(root, "infra/compose/kafka-topics.sh"), "utf8")).toMatch(
        /^partitions="\$\{KAFKA_TOPIC_PARTITIONS:\?/m,
      );
      const dir = copyOfRepository();
      const env = deploymentEnv()
        .split("\n")
        .filter((line) => !line.startsWith("KAFKA_TOPIC_PARTITIONS="))
        .join("\n");
      const partitionsIn = (envFile: string) => {
        const { services } = composeModel<{
          services: Record<string, { build?: unknown; environment?: Record<string, string> }>;
        }>(envFile, dir);
        const seen: Record<string, string | undefined> = {
          "kafka-init": services["kafka-init"]?.environment?.KAFKA_TOPIC_PARTITIONS,
          kafka: services.kafka?.environment?.KAFKA_NUM_PARTITIONS,
        };
        for (const [name, service] of Object.entries(services))
          if (service.build && name !== "otel-collector")
            seen[name] = service.environment?.KAFKA_TOPIC_PARTITIONS;
        expect(Object.keys(seen)).toHaveLength(9);
        return seen;
      };
      for (const [name, value] of Object.entries(partitionsIn(env)))
        expect(value, `${name} without KAFKA_TOPIC_PARTITIONS in .env`).toBe(
          String(DEFAULT_TOPIC_PARTITIONS),
        );
      for (const [name, value] of Object.entries(partitionsIn(`${env}\nKAFKA_TOPIC_PARTITIONS=24\n`)))
        expect(value, `${name} with KAFKA_TOPIC_PARTITIONS=24`).toBe("24");
    },
    BUILD_TIMEOUT,
  );

  it(
    "publishes the gateway's HTTP port only: Prometheus scrapes its /metrics on METRICS_PORT inside",
    () => {
      const { services } = composeModel<{
        services: Record<string, { environment?: Record<string, string>; ports?: { target: number }[] }>;
      }>(deploymentEnv());
      const gateway = services.gateway!;
      const metricsPort = Number(gateway.environment?.METRICS_PORT);
      expect(metricsPort).toBeGreaterThan(0);
      expect(metricsPort).not.toBe(Number(gateway.environment?.HTTP_PORT));
      expect(gateway.ports?.map((p) => Number(p.target))).toEqual([Number(gateway.environment?.HTTP_PORT)]);
      const scrape = readFileSync(join(root, "infra/compose/prometheus.yml"), "utf8");
      expect(scrape).toContain(`"gateway:${metricsPort}"`);
      expect(scrape).not.toContain(`"gateway:${gateway.environment?.HTTP_PORT}"`);
    },
    BUILD_TIMEOUT,
  );

  it("refuses a compose file that leaves out a service of services/", () => {
    const dir = copyOfRepository();
    mkdirSync(join(dir, "services/reports/src"), { recursive: true });
    writeFileSync(join(dir, "services/reports/package.json"), '{ "name": "@lto/reports-service" }\n');
    writeFileSync(join(dir, "services/reports/src/main.ts"), "export {};\n");
    const { status, output } = opscheck(dir, "compose");
    expect(status).toBe(1);
    expect(output).toContain("services/reports is not a service of the compose file");
  });

  it("refuses a service without a healthcheck, a shared database user and a secret with a default", () => {
    const dir = copyOfRepository();
    edit(dir, "docker-compose.yml", (text) => {
      const start = text.indexOf("\n  insights:\n");
      const end = text.indexOf("\n  notifications:\n");
      const insights = text.slice(start, end).replace(/\n {4}healthcheck:\n( {6}.*\n?)+/, "\n");
      return (text.slice(0, start) + insights + text.slice(end))
        .replace("mongodb://notifications:", "mongodb://ideas:")
        .replace(/\$\{OIDC_COOKIE_KEYS:\?[^}]*\}/, "${OIDC_COOKIE_KEYS:-dev-cookie-key}");
    });
    const { status, output } = opscheck(dir, "compose");
    expect(status).toBe(1);
    expect(output).toContain("insights: has no healthcheck");
    expect(output).toContain('database user "ideas" is also');
    expect(output).toContain("OIDC_COOKIE_KEYS: has a default");
  });

  it("refuses a compose file the compose-spec schema rejects", () => {
    const dir = copyOfRepository();
    edit(dir, "docker-compose.yml", (text) =>
      text.replace("\n  jaeger:\n", "\n  jaeger:\n    restart_policy: always\n"),
    );
    const { status, output } = opscheck(dir, "compose");
    expect(status).toBe(1);
    expect(output).toMatch(/services\.jaeger.*restart_policy/);
  });

  it("refuses an image that runs as root, without /healthz, with node behind a shell", () => {
    const dir = copyOfRepository();
    edit(dir, "infra/docker/service.Dockerfile", (text) =>
      text
        .replace("\nUSER node\n", "\n")
        .replace("'/healthz'", "'/status'")
        .replace(
          /^ENTRYPOINT .*$/m,
          "ENTRYPOINT node --import tsx --import @lto/telemetry/register src/main.ts",
        ),
    );
    const { status, output } = opscheck(dir, "dockerfile");
    expect(status).toBe(1);
    expect(output).toContain("must set a non-root USER");
    expect(output).toContain("HEALTHCHECK must probe /healthz");
    expect(output).toContain("ENTRYPOINT must use the exec form");
    // BuildKit's own lint rule for the same mistake.
    expect(output).toContain("JSONArgsRecommended");
  });
});
