// What the race benchmarks share: printing, percentiles, timing, and the staff who race.
import type { TokenClaims } from "@lto/auth";

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
