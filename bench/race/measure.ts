// What the race benchmarks share: printing, percentiles, timing, the staff who race, the race itself
// and its baseline of plain inserts.
import type { TokenClaims } from "@lto/auth";
import type { Db } from "mongodb";

export const say = (s: string) => process.stdout.write(`${s}\n`);

/** The p-th percentile of ascending `sorted`. */
export const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** The shape of a latency distribution: min, quartiles, p90, p99 and max of ascending `sorted` (ms). */
export const distribution = (sorted: number[]) =>
  [
    `min ${fmt(sorted[0]!)}`,
    ...[25, 50, 75, 90, 99].map((p) => `p${p} ${fmt(pct(sorted, p))}`),
    `max ${fmt(sorted.at(-1)!)}`,
  ].join(", ") + " ms";

export const fmt = (n: number) =>
  n.toLocaleString("en-US", { maximumFractionDigits: 1, minimumFractionDigits: 1 });

/** A ratio with two significant digits (0.028, 0.41, 5.7, 22). */
export const ratio = (n: number) => (n >= 10 ? fmt(n) : n.toPrecision(2));

export async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await run();
  return { value, ms: performance.now() - started };
}

/** Staff of lto-mantova, who book and enrol on the contenders' behalf. */
export const staffClaims: TokenClaims = {
  sub: "staff-bench",
  role: "staff",
  org: "provincia-mantova",
  sites: ["lto-mantova"],
};

/** A set-up request that must succeed: its JSON body, else an error with the answer. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers of the API
export async function must(request: Promise<{ status: number; body: any }>) {
  const r = await request;
  if (r.status >= 300) throw new Error(`setup failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

export interface Race {
  /** From the first request sent to the last answer. */
  ms: number;
  /** Each request's, ascending. */
  latencies: number[];
  /** How many answers had each status. */
  statuses: Map<number, number>;
}

/** Sends `n` requests at once (request i from `send(i)`) and times each and all. */
export async function race(n: number, send: (i: number) => Promise<{ status: number }>): Promise<Race> {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const { ms } = await timed(() =>
    Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const { value, ms } = await timed(() => send(i));
        latencies.push(ms);
        statuses.set(value.status, (statuses.get(value.status) ?? 0) + 1);
      }),
    ),
  );
  latencies.sort((a, b) => a - b);
  return { ms, latencies, statuses };
}

/**
 * The baseline, in the same run on the same store: `n` plain unique inserts, all at once, of documents
 * the size of `sample` (one the race wrote), into a scratch collection.
 */
export async function plainInserts(db: Db, n: number, sample: unknown) {
  const size = JSON.stringify(sample).length;
  const scratch = db.collection<{ _id: string }>("bench_plain_inserts");
  const latencies: number[] = [];
  const { ms } = await timed(() =>
    Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const { ms } = await timed(() =>
          scratch.insertOne({ _id: `plain-${i}`, pad: "x".repeat(size) } as { _id: string }),
        );
        latencies.push(ms);
      }),
    ),
  );
  latencies.sort((a, b) => a - b);
  return { ms, latencies, size };
}

/** Prints the race's times (`what`: booking, enrolment; `unit`: what it counts per second) against the baseline's. */
export function reportRace(
  what: string,
  unit: string,
  r: Race,
  plain: Awaited<ReturnType<typeof plainInserts>>,
): void {
  const n = r.latencies.length;
  const { latencies } = r;
  say(
    `${what} race: ${fmt(r.ms)} ms in all, p50 ${fmt(pct(latencies, 50))} ms, p99 ${fmt(pct(latencies, 99))} ms, ${fmt((n / r.ms) * 1000)} ${unit}/s`,
  );
  say(`${what} latency distribution: ${distribution(latencies)}`);
  say(
    `plain unique inserts (${plain.size} bytes): ${fmt(plain.ms)} ms in all, p50 ${fmt(pct(plain.latencies, 50))} ms, p99 ${fmt(pct(plain.latencies, 99))} ms, ${fmt((n / plain.ms) * 1000)} inserts/s`,
  );
  say(
    `ratio ${what} / plain insert: p50 ${fmt(pct(latencies, 50) / pct(plain.latencies, 50))}, p99 ${fmt(pct(latencies, 99) / pct(plain.latencies, 99))}, total time ${fmt(r.ms / plain.ms)}`,
  );
}
