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
import { JaegerTrace, renderTrace, rootSpan as root, type Trace } from "./trace-tree.js";

const Answer = z.object({ data: z.array(JaegerTrace).nullable() });

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

try {
  console.log(renderTrace(await pick(), { compact: values.compact === true }));
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
