import { describe, expect, it } from "vitest";
import { renderTrace, type Trace } from "../trace-tree.js";

const span = (
  spanID: string,
  operationName: string,
  processID: string,
  startMs: number,
  parent?: string,
) => ({
  spanID,
  operationName,
  processID,
  startTime: 1_000_000 + startMs * 1000,
  duration: 2000,
  references: parent ? [{ refType: "CHILD_OF", spanID: parent }] : [],
  tags: [],
});

// The edge, adoption's handler with a store read and a lease, and a consumer of the published event.
const trace: Trace = {
  traceID: "t1",
  processes: {
    p1: { serviceName: "gateway" },
    p2: { serviceName: "adoption" },
    p3: { serviceName: "ideas" },
  },
  spans: [
    span("a", "POST /api/adoption/*", "p1", 0),
    span("b", "POST /v1/offers/:id/accept", "p2", 1, "a"),
    span("c", "request handler", "p2", 2, "b"),
    span("d", "find offers", "p2", 3, "c"),
    span("e", "insert _leases", "p2", 4, "c"),
    span("f", "send lto.adoption.events.v1", "p2", 5, "c"),
    span("g", "process lto.adoption.events.v1", "p3", 6, "f"),
    span("h", "orphan of an unexported parent", "p3", 7, "zz"),
  ],
};

describe("renderTrace", () => {
  it("draws every span under its parent, with its service, offset and duration", () => {
    const lines = renderTrace(trace).split("\n");
    expect(lines[0]).toBe("trace t1: 8 spans, 3 services (adoption, gateway, ideas), 9.0 ms");
    expect(lines.slice(1).map((l) => l.replace(/\s+/g, " ").trim())).toEqual([
      "gateway POST /api/adoption/* +0.0 ms 2.0 ms",
      "└─ adoption POST /v1/offers/:id/accept +1.0 ms 2.0 ms",
      "└─ adoption request handler +2.0 ms 2.0 ms",
      "├─ adoption find offers +3.0 ms 2.0 ms",
      "├─ adoption insert _leases +4.0 ms 2.0 ms",
      "└─ adoption send lto.adoption.events.v1 +5.0 ms 2.0 ms",
      "└─ ideas process lto.adoption.events.v1 +6.0 ms 2.0 ms",
      "ideas orphan of an unexported parent +7.0 ms 2.0 ms",
    ]);
  });

  it("compact: leaves out express's layers, reads and leases, hanging their children on the nearest shown", () => {
    const rows = renderTrace(trace, { compact: true }).split("\n").slice(1);
    expect(rows.map((l) => l.trim().split(/\s{2,}/)[0])).toEqual([
      "gateway",
      "└─ adoption",
      "└─ adoption",
      "└─ ideas",
      "ideas",
    ]);
    expect(rows[2]).toContain("send lto.adoption.events.v1");
  });
});
