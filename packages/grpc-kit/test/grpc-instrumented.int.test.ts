// With the grpc auto-instrumentation active, grpc-kit must not add spans of its own: exactly one client
// and one server span per call, made by @opentelemetry/instrumentation-grpc, still one trace.
import { SpanKind } from "@opentelemetry/api";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ideasV1 } from "@lto/contracts";
import { createLogger, inSpan, startTestTelemetry, traceFields, type TestTelemetry } from "@lto/telemetry";
import { createGrpcClient, createGrpcServer, type GrpcServer } from "../src/index.js";

const { IdeasServiceClient, IdeasServiceService, CheckAdoptableResponse, GetIdeaResponse } = ideasV1;

let telemetry: TestTelemetry;
let server: GrpcServer;
let address: string;
let handlerTrace: ReturnType<typeof traceFields> = {};

beforeAll(async () => {
  telemetry = await startTestTelemetry({ serviceName: "grpc-kit-instrumented", instrumentations: true });
  server = createGrpcServer({ logger: createLogger("grpc-kit-instrumented", { level: "silent" }) });
  server.addService(IdeasServiceService, {
    async checkAdoptable(request) {
      handlerTrace = traceFields();
      return CheckAdoptableResponse.create({ adoptable: true, ideaId: request.ideaId });
    },
    async getIdea() {
      return GetIdeaResponse.create({});
    },
    async listPublishedIdeas() {
      throw new Error("not used");
    },
  });
  const { port } = await server.listen(0, "127.0.0.1");
  address = `127.0.0.1:${port}`;
});
afterAll(async () => {
  await server?.stop();
  await telemetry?.shutdown();
});

it("leaves the spans to the grpc instrumentation when it is active", async () => {
  const client = createGrpcClient(IdeasServiceClient, address);
  const traceId = await inSpan("caller", {}, async (span) => {
    await client.checkAdoptable({ ideaId: "i-1", companyId: "" });
    return span.spanContext().traceId;
  });
  client.close();
  const rpcSpans = telemetry
    .spans()
    .filter((s) => s.name === "grpc.lto.ideas.v1.IdeasService/CheckAdoptable");
  expect(rpcSpans.map((s) => [s.kind, s.instrumentationScope.name]).sort()).toEqual([
    [SpanKind.SERVER, "@opentelemetry/instrumentation-grpc"],
    [SpanKind.CLIENT, "@opentelemetry/instrumentation-grpc"],
  ]);
  const clientSpan = rpcSpans.find((s) => s.kind === SpanKind.CLIENT)!;
  const serverSpan = rpcSpans.find((s) => s.kind === SpanKind.SERVER)!;
  expect(clientSpan.spanContext().traceId).toBe(traceId);
  expect(serverSpan.parentSpanContext?.spanId).toBe(clientSpan.spanContext().spanId);
  expect(handlerTrace.span_id).toBe(serverSpan.spanContext().spanId);
});
