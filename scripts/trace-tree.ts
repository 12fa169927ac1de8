// A Jaeger trace (its query API's JSON) drawn as a tree of spans, for `npm run trace` (scripts/trace.ts).
import { z } from "zod";

export const JaegerSpan = z.object({
  spanID: z.string(),
  operationName: z.string(),
  references: z.array(z.object({ refType: z.string(), spanID: z.string() })).default([]),
  startTime: z.number(),
  duration: z.number(),
  processID: z.string(),
  tags: z.array(z.object({ key: z.string(), value: z.unknown() })).default([]),
});
export const JaegerTrace = z.object({
  traceID: z.string(),
  spans: z.array(JaegerSpan),
  processes: z.record(z.string(), z.object({ serviceName: z.string() })),
});
export type Span = z.infer<typeof JaegerSpan>;
export type Trace = z.infer<typeof JaegerTrace>;

/** The span with no parent: the request as the first service saw it. */
export const rootSpan = (t: Trace): Span | undefined => t.spans.find((s) => s.references.length === 0);

const ms = (us: number) => `${(us / 1000).toFixed(1)} ms`;

/** Spans --compact leaves out: express's own layers, store reads and the write leases. */
const noise = (s: Span) =>
  /^(middleware - |request handler$|find )/.test(s.operationName) || s.operationName.endsWith(" _leases");

/** The trace as lines: a header, then one row per span (service, operation, offset, duration). */
export function renderTrace(t: Trace, opts: { compact?: boolean } = {}): string {
  const children = new Map<string, Span[]>();
  const byId = new Map(t.spans.map((s) => [s.spanID, s]));
  const parentOf = (s: Span) =>
    s.references.find((r) => r.refType === "CHILD_OF" && byId.has(r.spanID))?.spanID;
  const shown = (s: Span) => !opts.compact || !noise(s);
  const roots: Span[] = [];
  for (const s of t.spans.filter(shown)) {
    // The nearest ancestor shown; none in this answer (a span not exported) makes it a root.
    let parent = parentOf(s);
    while (parent && !shown(byId.get(parent)!)) parent = parentOf(byId.get(parent)!);
    if (parent) children.set(parent, [...(children.get(parent) ?? []), s]);
    else roots.push(s);
  }
  const start = Math.min(...t.spans.map((s) => s.startTime));
  const end = Math.max(...t.spans.map((s) => s.startTime + s.duration));
  const services = new Set(Object.values(t.processes).map((p) => p.serviceName));
  const out = [
    `trace ${t.traceID}: ${t.spans.length} spans, ${services.size} services (${[...services].sort().join(", ")}), ${ms(end - start)}`,
  ];
  const rows: Array<[string, string, string]> = [];
  const walk = (s: Span, prefix: string, last: boolean, top: boolean) => {
    const service = t.processes[s.processID]?.serviceName ?? s.processID;
    const branch = top ? "" : `${prefix}${last ? "└─ " : "├─ "}`;
    rows.push([`${branch}${service}`, s.operationName, `+${ms(s.startTime - start)}  ${ms(s.duration)}`]);
    const kids = (children.get(s.spanID) ?? []).sort((a, b) => a.startTime - b.startTime);
    const next = top ? "" : `${prefix}${last ? "   " : "│  "}`;
    kids.forEach((k, i) => walk(k, next, i === kids.length - 1, false));
  };
  roots.sort((a, b) => a.startTime - b.startTime).forEach((r) => walk(r, "", true, true));
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  for (const [a, b, c] of rows) out.push(`${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`);
  return out.join("\n");
}
