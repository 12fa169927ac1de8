import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT_CONTEXT, TraceFlags, context, trace } from "@opentelemetry/api";
import { IdeaSubmittedEvent } from "@lto/contracts";
import { startTestTelemetry, type TestTelemetry } from "@lto/telemetry";
import {
  InvalidCloudEventError,
  cloudEventHeaders,
  decodeStoredEvent,
  isRfc3339,
  parseCloudEventHeaders,
  pendingEvent,
  toKafkaMessage,
} from "../src/index.js";

const UUIDV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const idea = IdeaSubmittedEvent.create({
  ideaId: "idea-1",
  callId: "call-1",
  schoolId: "school-1",
  title: "Orto",
  version: 1,
});

// A context manager is needed for context.with to mean anything; the test SDK exports nothing.
let telemetry: TestTelemetry;
beforeAll(async () => {
  telemetry = await startTestTelemetry({ serviceName: "messaging-unit" });
});
afterAll(async () => {
  await telemetry.shutdown();
});

function withSpan<T>(fn: () => T): T {
  const sc = {
    traceId: "0af7651916cd43dd8448eb211c80319c",
    spanId: "b7ad6b7169203331",
    traceFlags: TraceFlags.SAMPLED,
  };
  return context.with(trace.setSpanContext(ROOT_CONTEXT, sc), fn);
}

describe("pendingEvent", () => {
  it("encodes the message, keys it by the aggregate and gives it a UUIDv7 id", () => {
    const ev = pendingEvent(IdeaSubmittedEvent, "idea-1", idea);
    expect(ev.id).toMatch(UUIDV7);
    expect(ev).toMatchObject({
      type: "lto.ideas.v1.IdeaSubmitted",
      source: "/lto/ideas",
      topic: "lto.ideas.events.v1",
      key: "idea-1",
      subject: "idea-1",
    });
    expect(IdeaSubmittedEvent.decode(ev.data)).toEqual(idea);
    expect(ev.traceparent).toBeUndefined();
    expect("traceparent" in ev).toBe(false); // absent, not undefined: stored documents hold no nulls
  });

  it("captures the active trace context", () => {
    const ev = withSpan(() => pendingEvent(IdeaSubmittedEvent, "idea-1", idea));
    expect(ev.traceparent).toBe("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
  });

  it("ids are time ordered", () => {
    const a = pendingEvent(IdeaSubmittedEvent, "x", idea);
    const b = pendingEvent(IdeaSubmittedEvent, "x", idea);
    expect(a.id < b.id).toBe(true);
  });

  it("refuses an empty aggregate id", () => {
    expect(() => pendingEvent(IdeaSubmittedEvent, "", idea)).toThrow(/aggregate id/);
  });
});

describe("CloudEvents binary-mode headers", () => {
  const time = new Date("2026-03-01T10:00:00.123Z");

  it("builds every required attribute and the trace context", () => {
    const h = cloudEventHeaders({
      id: "0195-id",
      source: "/lto/ideas",
      type: "lto.ideas.v1.IdeaSubmitted",
      time,
      subject: "idea-1",
      traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
      tracestate: "lto=1",
    });
    expect(h).toEqual({
      ce_specversion: "1.0",
      ce_id: "0195-id",
      ce_source: "/lto/ideas",
      ce_type: "lto.ideas.v1.IdeaSubmitted",
      ce_time: "2026-03-01T10:00:00.123Z",
      ce_subject: "idea-1",
      "content-type": "application/protobuf",
      traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
      tracestate: "lto=1",
    });
    expect(isRfc3339(h.ce_time!)).toBe(true);
  });

  it("round-trips through Kafka-style Buffer headers", () => {
    const ev = withSpan(() => pendingEvent(IdeaSubmittedEvent, "idea-1", idea, { time }));
    const msg = toKafkaMessage(ev);
    expect(msg.key).toBe("idea-1");
    const asBuffers = Object.fromEntries(
      Object.entries(msg.headers!).map(([k, v]) => [k, Buffer.from(String(v))]),
    );
    const parsed = parseCloudEventHeaders(asBuffers);
    expect(parsed).toEqual({
      specversion: "1.0",
      id: ev.id,
      source: "/lto/ideas",
      type: "lto.ideas.v1.IdeaSubmitted",
      time,
      subject: "idea-1",
      contentType: "application/protobuf",
      traceparent: ev.traceparent,
    });
  });

  it("lists every problem of invalid headers", () => {
    let err: unknown;
    try {
      parseCloudEventHeaders({
        ce_specversion: "0.3",
        ce_time: "yesterday",
        "content-type": "application/json",
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidCloudEventError);
    const problems = (err as InvalidCloudEventError).problems;
    expect(problems).toEqual([
      "ce_specversion must be 1.0, got 0.3",
      "ce_id missing",
      "ce_source missing",
      "ce_type missing",
      "ce_time is not an RFC 3339 timestamp: yesterday",
      "content-type must be application/protobuf, got application/json",
    ]);
  });

  it("rejects missing headers altogether", () => {
    expect(() => parseCloudEventHeaders(undefined)).toThrow(InvalidCloudEventError);
  });

  it("accepts a content type with parameters and offsets in the time", () => {
    const p = parseCloudEventHeaders({
      ce_specversion: "1.0",
      ce_id: "1",
      ce_source: "/x",
      ce_type: "t",
      ce_time: "2026-03-01T11:00:00+01:00",
      "content-type": "application/protobuf; proto=lto.ideas.v1.IdeaSubmitted",
    });
    expect(p.time.toISOString()).toBe("2026-03-01T10:00:00.000Z");
    expect(p.subject).toBeUndefined();
  });

  it("RFC 3339 check", () => {
    expect(isRfc3339("2026-02-30T00:00:00Z")).toBe(true); // Date.parse rolls over; shape is what matters
    expect(isRfc3339("2026-13-01T00:00:00Z")).toBe(false);
    expect(isRfc3339("2026-01-01 00:00:00Z")).toBe(false);
    expect(isRfc3339("2026-01-01T00:00:00")).toBe(false);
  });
});

describe("decodeStoredEvent", () => {
  it("reads an outbox entry as stored (BSON Binary data) and names a malformed one", () => {
    const ev = pendingEvent(IdeaSubmittedEvent, "idea-1", idea);
    const bytes = new Uint8Array(64);
    bytes.set(ev.data);
    const binaryLike = { buffer: bytes, position: ev.data.length, sub_type: 0 };
    const back = decodeStoredEvent({ ...ev, data: binaryLike });
    expect(back).toEqual(ev);
    expect(decodeStoredEvent({ ...ev, time: "soon" })).toMatch(/malformed outbox entry/);
  });
});
