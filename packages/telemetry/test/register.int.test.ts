// The production path: `node --import tsx --import @lto/telemetry/register main.ts` (ESM, tsx, Node 24).
// A child process runs a small app; its spans are exported over OTLP/HTTP to a receiver in this test.
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { getInfra, testDbName, uniqueTopic } from "@lto/testkit";

interface ReceivedSpan {
  service: string;
  scope: string;
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
}

const root = fileURLToPath(new URL("../../..", import.meta.url));
const spans: ReceivedSpan[] = [];
let receiver: Server;
let endpoint: string;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString()) as {
        resourceSpans: {
          resource: { attributes: { key: string; value: { stringValue?: string } }[] };
          scopeSpans: { scope: { name: string }; spans: Omit<ReceivedSpan, "service" | "scope">[] }[];
        }[];
      };
      for (const rs of body.resourceSpans) {
        const service = rs.resource.attributes.find((a) => a.key === "service.name")?.value.stringValue ?? "";
        for (const ss of rs.scopeSpans)
          for (const s of ss.spans) spans.push({ ...s, service, scope: ss.scope.name });
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

it("instruments http, express, mongodb, kafkajs and grpc in an ESM app started through ./register", async () => {
  const infra = await getInfra();
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "--import",
      "@lto/telemetry/register",
      "packages/telemetry/test/fixtures/traced-app.ts",
    ],
    {
      cwd: root,
      env: {
        ...process.env,
        OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
        OTEL_SERVICE_NAME: "traced-app",
        KAFKA_BROKERS: infra.kafkaBrokers.join(","),
        MONGO_URL: infra.mongoUrl,
        DB: testDbName("telemetry"),
        TOPIC: uniqueTopic("telemetry"),
        LOG_LEVEL: "info",
        NODE_OPTIONS: "",
      },
    },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  expect(code, stderr).toBe(0);
  expect(stdout).toContain('"done":true');

  // logs carry the trace ids of the active span
  const logs = stdout
    .split("\n")
    .filter((l) => l.startsWith("{") && l.includes('"msg"'))
    .map((l) => JSON.parse(l) as { msg: string; trace_id?: string; span_id?: string; service: string });
  const handlerLog = logs.find((l) => l.msg === "in express handler");
  expect(handlerLog?.service).toBe("traced-app");
  expect(handlerLog?.trace_id).toMatch(/^[0-9a-f]{32}$/);

  const trace = spans.filter((s) => s.traceId === handlerLog?.trace_id);
  const byScope = (scope: string) =>
    trace.filter((s) => s.scope === `@opentelemetry/instrumentation-${scope}`);
  // kinds in OTLP JSON: 1 internal, 2 server, 3 client, 4 producer
  expect(
    byScope("http")
      .map((s) => [s.kind, s.name])
      .sort(),
  ).toEqual([
    [2, "GET /hello/:id"],
    [3, "GET"], // exactly one client span: http is patched once
  ]);
  expect(byScope("express").length).toBeGreaterThan(0);
  expect(byScope("mongodb").map((s) => s.name)).toContain("insert hits");
  expect(byScope("kafkajs").map((s) => s.kind)).toEqual([4]);
  expect(
    byScope("grpc")
      .map((s) => s.kind)
      .sort(),
  ).toEqual([2, 3]);
  expect(new Set(trace.map((s) => s.service))).toEqual(new Set(["traced-app"]));
  const grpcLog = logs.find((l) => l.msg === "in grpc handler");
  expect(grpcLog?.trace_id).toBe(handlerLog?.trace_id);

  // a named import of node:http's request is traced too (client + server in their own trace)
  const named = spans.filter((s) => s.name === "GET /hello/:id" && s.traceId !== handlerLog?.trace_id);
  expect(named).toHaveLength(1);
  const namedHttp = spans.filter(
    (s) => s.traceId === named[0]?.traceId && s.scope.endsWith("instrumentation-http"),
  );
  expect(namedHttp.map((s) => s.kind).sort()).toEqual([2, 3]);
});
