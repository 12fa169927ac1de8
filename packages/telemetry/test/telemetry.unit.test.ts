import { Writable } from "node:stream";
import { SpanKind, SpanStatusCode, context, trace } from "@opentelemetry/api";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  activeTelemetry,
  createLogger,
  extractContext,
  inSpan,
  injectTraceHeaders,
  startTelemetry,
  startTestTelemetry,
  tracer,
  withExtractedContext,
  type TestTelemetry,
} from "../src/index.js";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  return { lines, destination };
}

const REMOTE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

describe("without telemetry started", () => {
  it("injects nothing and logs without trace ids", () => {
    expect(injectTraceHeaders()).toEqual({});
    const { lines, destination } = capture();
    createLogger("svc", { destination }).info("hello");
    expect(lines[0]).toMatchObject({ level: "info", service: "svc", name: "svc", msg: "hello" });
    expect(lines[0]).not.toHaveProperty("trace_id");
  });
});

describe("with the in-memory test telemetry", () => {
  let telemetry: TestTelemetry;
  beforeAll(async () => {
    telemetry = await startTestTelemetry({ serviceName: "unit" });
  });
  afterAll(() => telemetry.shutdown());
  beforeEach(() => telemetry.reset());

  it("adds trace_id/span_id of the active span to log lines", () => {
    const { lines, destination } = capture();
    const log = createLogger("svc", { destination, service: "ideas" });
    const ids = inSpan("work", {}, (span) => {
      log.info({ idea: "i-1" }, "inside");
      return span.spanContext();
    });
    log.info("outside");
    expect(lines[0]).toMatchObject({
      service: "ideas",
      idea: "i-1",
      trace_id: ids.traceId,
      span_id: ids.spanId,
    });
    expect(lines[0]?.trace_flags).toBe("01");
    expect(lines[1]).not.toHaveProperty("trace_id");
  });

  it("honours LOG_LEVEL", () => {
    const previous = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = "warn";
    try {
      const { lines, destination } = capture();
      const log = createLogger("svc", { destination });
      log.info("dropped");
      log.warn("kept");
      expect(lines.map((l) => l.msg)).toEqual(["kept"]);
    } finally {
      if (previous === undefined) delete process.env.LOG_LEVEL;
      else process.env.LOG_LEVEL = previous;
    }
  });

  it("falls back to info when LOG_LEVEL names no level (the config error reports it)", () => {
    const previous = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = "loud";
    try {
      const { lines, destination } = capture();
      const log = createLogger("svc", { destination });
      log.debug("dropped");
      log.info("kept");
      expect(lines.map((l) => l.msg)).toEqual(["kept"]);
    } finally {
      if (previous === undefined) delete process.env.LOG_LEVEL;
      else process.env.LOG_LEVEL = previous;
    }
  });

  it("injects the active span as traceparent and extracts it from Kafka-style Buffer headers", () => {
    const { headers, parent } = inSpan("produce", { kind: SpanKind.PRODUCER }, (span) => ({
      headers: injectTraceHeaders(),
      parent: span.spanContext(),
    }));
    expect(headers.traceparent).toBe(`00-${parent.traceId}-${parent.spanId}-01`);

    const kafkaHeaders = { traceparent: Buffer.from(headers.traceparent!), ce_id: Buffer.from("x") };
    const child = withExtractedContext(kafkaHeaders, () =>
      inSpan("consume", { kind: SpanKind.CONSUMER }, (span) => span),
    );
    const consumed = telemetry.spans().find((s) => s.name === "consume")!;
    expect(consumed.spanContext().traceId).toBe(parent.traceId);
    expect(consumed.parentSpanContext?.spanId).toBe(parent.spanId);
    expect(child.spanContext().spanId).toBe(consumed.spanContext().spanId);
  });

  it("round-trips tracestate and accepts string, array and mixed-case headers", () => {
    const ctx = extractContext({ TraceParent: [REMOTE], tracestate: "lto=1" });
    const sc = trace.getSpanContext(ctx)!;
    expect(sc.traceId).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
    expect(sc.isRemote).toBe(true);
    expect(injectTraceHeaders(ctx)).toEqual({ traceparent: REMOTE, tracestate: "lto=1" });
    expect(trace.getSpanContext(extractContext({ traceparent: "garbage" }))).toBeUndefined();
    expect(trace.getSpanContext(extractContext(undefined))).toBeUndefined();
  });

  it("inSpan records a thrown error (sync and async) and rethrows it", async () => {
    expect(() =>
      inSpan("sync", {}, () => {
        throw new Error("boom");
      }),
    ).toThrow("boom");
    await expect(inSpan("async", {}, async () => Promise.reject(new Error("later")))).rejects.toThrow(
      "later",
    );
    const [sync, failed] = ["sync", "async"].map((n) => telemetry.spans().find((s) => s.name === n)!);
    expect(sync?.status.code).toBe(SpanStatusCode.ERROR);
    expect(failed?.status).toMatchObject({ code: SpanStatusCode.ERROR, message: "later" });
    expect(failed?.events.map((e) => e.name)).toEqual(["exception"]);
  });

  it("exposes a tracer whose spans reach the exporter, with the service name", () => {
    tracer.startSpan("direct").end();
    const span = telemetry.spans().find((s) => s.name === "direct")!;
    expect(span.resource.attributes["service.name"]).toBe("unit");
  });

  it("startTelemetry is idempotent while telemetry runs", () => {
    expect(startTelemetry({ serviceName: "unit" })).toBe(activeTelemetry());
  });
});

describe("shutdown", () => {
  it("unregisters the globals so telemetry can be started again", async () => {
    const first = await startTestTelemetry({ serviceName: "first" });
    await first.shutdown();
    expect(activeTelemetry()).toBeUndefined();
    expect(context.active()).toBe(context.active()); // API usable after disable
    const second = await startTestTelemetry({ serviceName: "second" });
    inSpan("again", {}, () => undefined);
    expect(second.spans().map((s) => s.name)).toEqual(["again"]);
    expect(second.spans()[0]?.resource.attributes["service.name"]).toBe("second");
    await second.shutdown();
  });
});
