// `npm run bench:race:all`: both races of issue 12 in one run, one after the other on the same
// infrastructure: 1,000 enrolments for the last seat of a session (enrolment.ts), then 1,000 bookings of
// the last slot of an operator (booking.ts). Each prints its answers, its one winner, its latency
// distribution and its ratios to plain inserts measured in the same run; this exits non-zero unless both
// had exactly one winner. Same knobs as each (BENCH_RACE_CONTENDERS, ...), KAFKA_BROKERS / MONGO_URL.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { say } from "./measure.js";

const outcomes: string[] = [];
for (const race of ["enrolment", "booking"]) {
  say(`--- ${race} race ---`);
  // A process each: the two start their services on their own and leave nothing behind for the other.
  const run = spawnSync(process.execPath, ["--import", "tsx", join(import.meta.dirname, `${race}.ts`)], {
    stdio: "inherit",
    env: process.env,
  });
  outcomes.push(`${race}: ${run.status === 0 ? "one winner" : `FAILED (exit ${run.status ?? run.signal})`}`);
}
say(`--- ${outcomes.join("; ")} ---`);
if (outcomes.some((o) => o.includes("FAILED"))) process.exitCode = 1;
