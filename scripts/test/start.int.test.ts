// `npm start` for real: scripts/start.ts as a child process (through tsx, as npm start runs it) on free
// ports and a temp data dir, so it starts its own Kafka and FerretDB, the gateway and every
// service; then health, OpenAPI and an authenticated call with a token from the dev key; then SIGTERM,
// a clean exit and nothing left listening.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePorts, isPortFree, repoRoot } from "@lto/local-runtime";
import { getInfra } from "@lto/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devKeyPath, readDevKey } from "../dev-key.js";
import { envPrefix, formatLogLine, planServices, SERVICES } from "../start.js";

const root = repoRoot();
const tsxCli = join(root, "node_modules/tsx/dist/cli.mjs");
/** Every service's HTTP and gRPC port variables (IDEAS_HTTP_PORT ...), each given a free port below. */
// A gRPC port only for the services that serve gRPC (their config has a default one).
const servicePorts = SERVICES.flatMap(({ name, load }) => [
  `${envPrefix(name)}_HTTP_PORT`,
  ...(load({}).GRPC_PORT === undefined ? [] : [`${envPrefix(name)}_GRPC_PORT`]),
]);

describe("planServices and formatLogLine (pure)", () => {
  const shared = {
    mongoUrl: "mongodb://127.0.0.1:1/",
    kafkaBrokers: ["127.0.0.1:2", "127.0.0.1:3"],
    jwksUrl: "http://127.0.0.1:4/.well-known/jwks.json",
    issuer: "iss",
    audience: "aud",
  };

  it("gives each service the shared settings, its own ports and the ideas gRPC address", () => {
    const [ideas, adoption] = planServices(
      { HTTP_PORT: "1", MONGO_DB: "shared", IDEAS_GRPC_PORT: "6000", ADOPTION_HTTP_PORT: "7000" },
      shared,
      ["ideas", "adoption"],
      "/repo",
    );
    expect(ideas).toMatchObject({
      name: "ideas",
      main: "/repo/services/ideas/src/main.ts",
      httpUrl: "http://127.0.0.1:8081",
      grpcAddress: "127.0.0.1:6000",
      env: {
        NODE_ENV: "development",
        SERVICE_NAME: "ideas",
        HTTP_PORT: "8081",
        GRPC_PORT: "6000",
        MONGO_URL: shared.mongoUrl,
        KAFKA_BROKERS: "127.0.0.1:2,127.0.0.1:3",
        JWKS_URL: shared.jwksUrl,
        JWT_ISSUER: "iss",
        JWT_AUDIENCE: "aud",
      },
    });
    expect(ideas!.env.MONGO_DB).toBeUndefined(); // each service keeps its own database
    expect(adoption).toMatchObject({
      httpUrl: "http://127.0.0.1:7000",
      env: { HTTP_PORT: "7000", GRPC_PORT: "9082", IDEAS_GRPC_ADDRESS: "127.0.0.1:6000" },
    });
    expect(ideas!.env.ADOPTION_GRPC_ADDRESS).toBe(adoption!.grpcAddress);
  });

  it("names a hyphenated service's own variables with underscores (SELF_EMPLOYMENT_HTTP_PORT)", () => {
    const [selfEmployment] = planServices(
      { SELF_EMPLOYMENT_HTTP_PORT: "7100", MONGO_DB: "shared" },
      shared,
      ["self-employment"],
      "/repo",
    );
    expect(selfEmployment).toMatchObject({
      name: "self-employment",
      main: "/repo/services/self-employment/src/main.ts",
      httpUrl: "http://127.0.0.1:7100",
      grpcAddress: "127.0.0.1:9084",
      env: { SERVICE_NAME: "self-employment", HTTP_PORT: "7100", GRPC_PORT: "9084" },
    });
    expect(selfEmployment!.env.MONGO_DB).toBeUndefined();
  });

  it("gives a gRPC port only to the services that serve gRPC, all defaults below the ephemeral range", () => {
    const plans = planServices(
      { NOTIFICATIONS_GRPC_PORT: "7200", GATEWAY_GRPC_PORT: "7300" },
      shared,
      SERVICES.map((s) => s.name),
      "/repo",
    );
    const grpc = Object.fromEntries(plans.map((p) => [p.name, p.grpcAddress]));
    expect(grpc).toEqual({
      ideas: "127.0.0.1:9081",
      adoption: "127.0.0.1:9082",
      catalogue: "127.0.0.1:9083",
      "self-employment": "127.0.0.1:9084",
      insights: undefined,
      notifications: undefined,
      gateway: undefined,
    });
    for (const plan of plans) {
      if (!plan.grpcAddress) expect(plan.env.GRPC_PORT, plan.name).toBeUndefined();
      // Linux hands out 32768-60999 as the local ports of outgoing connections: a default there can be
      // taken by one (to Kafka, to the store) just as the service binds it.
      for (const variable of ["HTTP_PORT", "GRPC_PORT", "METRICS_PORT"]) {
        const port = plan.env[variable];
        if (port !== undefined) expect(Number(port), `${plan.name} ${variable}`).toBeLessThan(32768);
      }
    }
  });

  it("fails before anything starts when a service's setting is bad", () => {
    expect(() => planServices({ IDEAS_HTTP_PORT: "http" }, shared, ["ideas"])).toThrow(/HTTP_PORT/);
  });

  it("shortens pino and kafkajs JSON lines and leaves the rest alone", () => {
    expect(
      formatLogLine(
        '{"level":"info","time":"2026-01-02T10:11:12.000Z","service":"ideas","msg":"started","http":8081}',
      ),
    ).toBe("10:11:12 INFO  started http=8081");
    expect(
      formatLogLine(
        '{"level":"WARN","timestamp":"2026-01-02T10:11:12.000Z","logger":"kafkajs","message":"m"}',
      ),
    ).toBe("10:11:12 WARN  m logger=kafkajs");
    expect(formatLogLine("(node:1) Warning: x")).toBe("(node:1) Warning: x");
  });
});

describe("npm start (scripts/start.ts) on free ports", () => {
  let dataDir: string;
  let child: ChildProcess;
  let output = "";
  let exited: Promise<number | null>;
  let ports: Record<string, number>;
  const services = () => ({
    ideas: `http://127.0.0.1:${ports.IDEAS_HTTP_PORT}`,
    adoption: `http://127.0.0.1:${ports.ADOPTION_HTTP_PORT}`,
    catalogue: `http://127.0.0.1:${ports.CATALOGUE_HTTP_PORT}`,
    selfEmployment: `http://127.0.0.1:${ports.SELF_EMPLOYMENT_HTTP_PORT}`,
    gateway: `http://127.0.0.1:${ports.GATEWAY_HTTP_PORT}`,
  });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "lto-start-"));
    const names = [
      "KAFKA_PORT",
      "KAFKA_CONTROLLER_PORT",
      "MONGO_PORT",
      "POSTGRES_PORT",
      "GATEWAY_METRICS_PORT",
      ...servicePorts,
    ];
    const free = await freePorts(names.length);
    ports = Object.fromEntries(names.map((n, i) => [n, free[i]!]));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      LTO_DATA_DIR: dataDir,
      KAFKA_HEAP: "512m",
      // The portal is built here (missing, so built), not into the repository's services/portal/dist.
      PORTAL_DIST: join(dataDir, "portal-dist"),
    };
    for (const [name, port] of Object.entries(ports)) env[name] = String(port);
    // As from a shell: its own infrastructure, development mode (vitest sets NODE_ENV=test).
    for (const name of ["KAFKA_BROKERS", "MONGO_URL", "NODE_ENV", "HTTP_PORT", "GRPC_PORT"]) delete env[name];

    child = spawn(process.execPath, [tsxCli, "scripts/start.ts"], {
      cwd: root,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));

    const deadline = Date.now() + 240_000;
    while (!output.includes("LTO platform ready")) {
      if (child.exitCode !== null) throw new Error(`start.ts exited with ${child.exitCode}:\n${output}`);
      if (Date.now() > deadline) throw new Error(`start.ts not ready after 240 s:\n${output}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }, 300_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill("SIGTERM");
      await exited;
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 120_000);

  it("prints where everything answers and how to get a token", () => {
    const ready = output.slice(output.indexOf("LTO platform ready"));
    expect(ready).toContain(`${services().ideas}/openapi.json`);
    expect(ready).toContain(`127.0.0.1:${ports.ADOPTION_GRPC_PORT}`);
    expect(ready).toContain(`127.0.0.1:${ports.KAFKA_PORT}`);
    expect(ready).toContain(`mongodb://127.0.0.1:${ports.MONGO_PORT}/`);
    expect(ready).toContain("npm run -s token -- school");
    // The one URL to open and the demo accounts to sign in with.
    expect(ready).toContain(`Open       ${services().gateway}`);
    expect(ready).toContain("scuola@demo.lto.local");
    expect(ready).toContain("password lto-mantova-demo");
  });

  it("each service answers /healthz, /readyz and /openapi.json", async () => {
    for (const [name, url] of Object.entries(services())) {
      expect((await fetch(`${url}/healthz`)).status, `${name} /healthz`).toBe(200);
      expect((await fetch(`${url}/readyz`)).status, `${name} /readyz`).toBe(200);
      const openapi = await fetch(`${url}/openapi.json`);
      expect(openapi.status, `${name} /openapi.json`).toBe(200);
      expect(((await openapi.json()) as { openapi: string }).openapi).toMatch(/^3\.1/);
    }
  });

  it("accepts a token from `npm run token` (the shared dev key), refuses none, and has seeded the demo", async () => {
    const key = await readDevKey(devKeyPath({ LTO_DATA_DIR: dataDir }));
    expect(key, "start.ts created the dev key in its data dir").toBeDefined();
    const token = (role: string) => {
      const run = spawnSync(process.execPath, [tsxCli, "scripts/token.ts", role], {
        cwd: root,
        env: {
          ...process.env,
          LTO_DATA_DIR: dataDir,
          NODE_ENV: "development",
          GATEWAY_HTTP_PORT: String(ports.GATEWAY_HTTP_PORT),
        },
        encoding: "utf8",
      });
      expect(run.status, run.stderr).toBe(0);
      return run.stdout.trim();
    };

    expect((await fetch(`${services().ideas}/v1/teams`)).status).toBe(401);
    const teams = await fetch(`${services().ideas}/v1/teams`, {
      headers: { authorization: `Bearer ${token("school")}` },
    });
    expect(teams.status).toBe(200);
    // The store was empty, so the ideas service loaded the Mantova demo: the demo school has teams.
    expect(((await teams.json()) as { items: unknown[] }).items.length).toBeGreaterThan(0);
    // The gateway is the issuer the services trust; its JWKS also holds the development key.
    const discovery = (await (
      await fetch(`${services().gateway}/oidc/.well-known/openid-configuration`)
    ).json()) as { issuer: string; jwks_uri: string };
    expect(discovery.issuer).toBe(`${services().gateway}/oidc`);
    const jwks = (await (await fetch(discovery.jwks_uri)).json()) as { keys: { kid: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toContain(key!.kid);
    expect(jwks.keys.length).toBe(2);
    // The same through the gateway's edge, the browser's one origin.
    const viaGateway = await fetch(`${services().gateway}/api/ideas/v1/teams`, {
      headers: { authorization: `Bearer ${token("school")}` },
    });
    expect(viaGateway.status).toBe(200);
    // The portal, built by npm start, at the gateway's root, and its client-side routes too.
    expect(output).toContain(`portal built into ${join(dataDir, "portal-dist")}`);
    for (const path of ["/", "/courses"]) {
      const page = await fetch(`${services().gateway}${path}`, { headers: { accept: "text/html" } });
      expect(page.status, path).toBe(200);
      const html = await page.text();
      expect(html, path).toContain('<div id="root">');
      const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
      expect(script, path).toBeDefined();
      expect((await fetch(`${services().gateway}${script}`)).status).toBe(200);
    }

    const browse = await fetch(`${services().adoption}/v1/ideas`, {
      headers: { authorization: `Bearer ${token("company")}` },
    });
    expect(browse.status).toBe(200);
    // The catalogue loaded its Mantova demo too: anyone browses its published courses without a token.
    const courses = await fetch(`${services().catalogue}/v1/courses`);
    expect(courses.status).toBe(200);
    expect(((await courses.json()) as { items: unknown[] }).items.length).toBeGreaterThan(0);
    // The self-employment service answers its public reference data and loaded its demo operators.
    const types = await fetch(`${services().selfEmployment}/v1/service-types`);
    expect(((await types.json()) as { items: unknown[] }).items.length).toBe(11);
    const operators = await fetch(`${services().selfEmployment}/v1/sites/lto-mantova/operators`, {
      headers: { authorization: `Bearer ${token("programme")}` },
    });
    expect(((await operators.json()) as { items: unknown[] }).items.length).toBeGreaterThan(0);
  });

  it("stops everything on SIGTERM, exits 0 and leaves nothing listening", async () => {
    child.kill("SIGTERM");
    expect(await exited, output.slice(-4000)).toBe(0);
    // A fresh broker answers "coordinator is loading" at first: retried by kafkajs, not an ERROR here.
    expect(output.split("\n").filter((l) => /\bERROR\b/.test(l) && /kafkajs/i.test(l))).toEqual([]);
    expect(output).toContain("kafka terminated");
    expect(output).toContain("ferretdb terminated");
    for (const [name, port] of Object.entries(ports)) {
      expect(await isPortFree(port), `${name} ${port} still in use`).toBe(true);
    }
  }, 120_000);
});

// Issue 7 item 21: `npm start` run in the background of a script (where the shell ignores SIGINT for
// background jobs) and stopped by SIGINT sent to the npm process itself; on the test's broker and
// store (KAFKA_BROKERS + MONGO_URL), so only the services (the gateway among them) and the script run here.
describe("npm start in the background of a script, stopped by SIGINT to npm", () => {
  let dataDir: string;
  let script: ChildProcess;
  let output = "";
  let ports: Record<string, number>;

  beforeAll(async () => {
    const infra = await getInfra();
    dataDir = mkdtempSync(join(tmpdir(), "lto-start-bg-"));
    const free = await freePorts(servicePorts.length);
    ports = Object.fromEntries(servicePorts.map((n, i) => [n, free[i]!]));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      LTO_DATA_DIR: dataDir,
      KAFKA_BROKERS: infra.kafkaBrokers.join(","),
      MONGO_URL: infra.mongoUrl,
      LTO_SKIP_INSTALL: "1",
    };
    for (const [name, port] of Object.entries(ports)) env[name] = String(port);
    for (const name of ["NODE_ENV", "HTTP_PORT", "GRPC_PORT", "LOG_LEVEL"]) delete env[name];
    script = spawn("bash", ["-c", 'npm start & echo "npm-pid $!"; wait; echo "script done"'], {
      cwd: root,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    script.stdout!.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    script.stderr!.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    const deadline = Date.now() + 240_000;
    while (!output.includes("LTO platform ready")) {
      if (script.exitCode !== null) throw new Error(`the script exited with ${script.exitCode}:\n${output}`);
      if (Date.now() > deadline) throw new Error(`npm start not ready after 240 s:\n${output}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }, 300_000);

  afterAll(async () => {
    // Whatever is left of the script's process group (only after a failure).
    if (script?.pid) {
      try {
        process.kill(-script.pid, "SIGTERM");
      } catch {
        // gone already
      }
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it("stops every service and frees every port, with no kafkajs ERROR lines on the way", async () => {
    const npmPid = Number(/npm-pid (\d+)/.exec(output)?.[1]);
    expect(npmPid).toBeGreaterThan(0);
    process.kill(npmPid, "SIGINT");
    const deadline = Date.now() + 90_000;
    const allFree = async () => {
      for (const port of Object.values(ports)) if (!(await isPortFree(port))) return false;
      return true;
    };
    while (!(output.includes("script done") && output.includes("[start] stopped") && (await allFree()))) {
      if (Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    for (const [name, port] of Object.entries(ports)) {
      expect(await isPortFree(port), `${name} ${port} still in use:\n${output.slice(-3000)}`).toBe(true);
    }
    expect(output).toContain("[start] stopped");
    expect(output).toContain("script done");
    const alarming = output.split("\n").filter((l) => /\bERROR\b/.test(l) && /kafkajs/i.test(l));
    expect(alarming).toEqual([]);
  }, 120_000);
});
