/**
 * Prints one trace from Jaeger's query API as a tree: which service did what, when, for how long.
 * For `LTO_TRACES=1 npm start` (README "Observability"); the Jaeger web page there is a placeholder.
 *
 *   npm run trace -- <trace id>                 that trace
 *   npm run trace -- --service gateway          the latest trace that service took part in
 *   npm run trace -- --service gateway --operation "POST /api/adoption"   latest whose root starts so
 *   --compact   leaves out the framework's middleware spans, store reads and the write leases
 *
 * JAEGER_URL (default http://127.0.0.1:$JAEGER_UI_PORT, port 16686) says where the query API is.
 */
import { parseArgs } from "node:util";
import { z } from "zod";

const JaegerSpan = z.object({
  spanID: z.string(),
  operationName: z.string(),
  references: z.array(z.object({ refType: z.string(), spanID: z.string() })).default([]),
  startTime: z.number(),
  duration: z.number(),
  processID: z.string(),
  tags: z.array(z.object({ key: z.string(), value: z.unknown() })).default([]),
});
const JaegerTrace = z.object({
  traceID: z.string(),
  spans: z.array(JaegerSpan),
  processes: z.record(z.string(), z.object({ serviceName: z.string() })),
});
const Answer = z.object({ data: z.array(JaegerTrace).nullable() });
type Span = z.infer<typeof JaegerSpan>;
type Trace = z.infer<typeof JaegerTrace>;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    service: { type: "string" },
    operation: { type: "string" },
    lookback: { type: "string" },
    compact: { type: "boolean" },
  },
});
const base = process.env.JAEGER_URL ?? `http://127.0.0.1:${process.env.JAEGER_UI_PORT ?? "16686"}`;

async function query(path: string): Promise<Trace[]> {
  const res = await fetch(new URL(path, base)).catch((err: unknown) => {
    throw new Error(
      `Jaeger's query API at ${base} did not answer (${String(err)}); start with LTO_TRACES=1 npm start`,
    );
  });
  if (!res.ok) throw new Error(`Jaeger answered ${res.status} to ${path}: ${await res.text()}`);
  return Answer.parse(await res.json()).data ?? [];
}

const root = (t: Trace): Span | undefined => t.spans.find((s) => s.references.length === 0);

async function pick(): Promise<Trace> {
  if (positionals[0]) {
    const [found] = await query(`/api/traces/${encodeURIComponent(positionals[0])}`);
    if (!found) throw new Error(`Jaeger has no trace ${positionals[0]}`);
    return found;
  }
  const service = values.service ?? "gateway";
  const params = new URLSearchParams({ service, limit: "50", lookback: values.lookback ?? "1h" });
  const traces = (await query(`/api/traces?${params}`))
    .filter((t) => !values.operation || root(t)?.operationName.startsWith(values.operation))
    .sort((a, b) => (root(b)?.startTime ?? 0) - (root(a)?.startTime ?? 0));
  if (!traces[0])
    throw new Error(`no trace of ${service}${values.operation ? ` for ${values.operation}` : ""} yet`);
  return traces[0];
}

const ms = (us: number) => `${(us / 1000).toFixed(1)} ms`;

/** Spans --compact leaves out: express's own layers, store reads and the write leases. */
const noise = (s: Span) =>
  /^(middleware - |request handler$|find )/.test(s.operationName) || s.operationName.endsWith(" _leases");

function print(t: Trace): void {
  const children = new Map<string, Span[]>();
  const byId = new Map(t.spans.map((s) => [s.spanID, s]));
  const parentOf = (s: Span) =>
    s.references.find((r) => r.refType === "CHILD_OF" && byId.has(r.spanID))?.spanID;
  const shown = (s: Span) => !values.compact || !noise(s);
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
  console.log(
    `trace ${t.traceID}: ${t.spans.length} spans, ${services.size} services (${[...services].sort().join(", ")}), ${ms(end - start)}`,
  );
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
  for (const [a, b, c] of rows) console.log(`${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`);
}

try {
  print(await pick());
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
