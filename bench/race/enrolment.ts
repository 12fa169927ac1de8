// bench/race: N learners enrol at the same moment for the LAST seat of a session, through the public
// HTTP API of two catalogue instances on one store (the seat ledger under contention), against a
// baseline measured in the same run on the same store: N plain unique inserts of documents the size of
// an enrolment, all at once. Prints the winner count, the answers, p50/p99 latency and the ratios.
// `npm run bench:race`; knobs BENCH_RACE_CONTENDERS (1000), BENCH_RACE_CAPACITY (5). Uses KAFKA_BROKERS
// and MONGO_URL when set (the shared infrastructure), otherwise the testkit starts the local runtime.
import { catalogueService } from "@lto/catalogue-service";
import { startTestService } from "@lto/testkit/service";
import { MongoClient } from "mongodb";
import { courseBody, sessionBody } from "../../services/catalogue/test/int/support.js";
import { distribution, fmt, pct, say, staffClaims, timed } from "./measure.js";

const N = Number(process.env.BENCH_RACE_CONTENDERS ?? 1000);
const CAPACITY = Number(process.env.BENCH_RACE_CAPACITY ?? 5);

async function main() {
  const svc = await startTestService(catalogueService, { env: { LOG_LEVEL: "error" } });
  const peer = await startTestService(catalogueService, { sameAs: svc });
  const mongo = await MongoClient.connect(svc.mongoUrl);
  try {
    const staff = svc.as(staffClaims);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers of the API
    const must = async (p: Promise<{ status: number; body: any }>) => {
      const r = await p;
      if (r.status >= 300) throw new Error(`setup failed: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };
    const course = await must(staff.post("/v1/courses", courseBody()));
    await must(staff.post(`/v1/courses/${course.id}/publish`, undefined));
    const session = await must(staff.post("/v1/sessions", sessionBody(course.id, { capacity: CAPACITY })));
    for (let i = 0; i < CAPACITY - 1; i++)
      await must(staff.post(`/v1/sessions/${session.id}/enrolments`, { personId: `early-${i}` }));
    const clients = Array.from({ length: N }, (_, i) =>
      (i % 2 ? peer : svc).as({ sub: `bench-${i}`, role: "learner", org: `bench-${i}` }),
    );
    await Promise.all(clients.map((c) => c.get("/v1/enrolments/mine"))); // tokens signed, sockets open

    say(`${N} learners race for the last of ${CAPACITY} seats (two instances, one store)`);
    const latencies: number[] = [];
    const statuses = new Map<number, number>();
    const race = await timed(() =>
      Promise.all(
        clients.map(async (c) => {
          const { value, ms } = await timed(() => c.post(`/v1/sessions/${session.id}/enrolments`, {}));
          latencies.push(ms);
          statuses.set(value.status, (statuses.get(value.status) ?? 0) + 1);
        }),
      ),
    );
    latencies.sort((a, b) => a - b);
    const seats = await mongo.db(svc.dbName).collection("seats").countDocuments({ group: session.id });

    // Baseline: the same number of plain unique inserts, all at once, of an enrolment-sized document.
    const sample = await mongo.db(svc.dbName).collection("enrolments").findOne({ sessionId: session.id });
    const size = JSON.stringify(sample).length;
    const scratch = mongo.db(svc.dbName).collection<{ _id: string }>("bench_plain_inserts");
    const plain: number[] = [];
    const baseline = await timed(() =>
      Promise.all(
        Array.from({ length: N }, async (_, i) => {
          const { ms } = await timed(() =>
            scratch.insertOne({ _id: `plain-${i}`, pad: "x".repeat(size) } as { _id: string }),
          );
          plain.push(ms);
        }),
      ),
    );
    plain.sort((a, b) => a - b);

    say(`answers: ${JSON.stringify(Object.fromEntries(statuses))} (201 confirmed, 202 waiting)`);
    say(
      `winners: ${statuses.get(201) ?? 0}; seat documents for the session: ${seats} (capacity ${CAPACITY})`,
    );
    say(
      `enrolment race: ${fmt(race.ms)} ms in all, p50 ${fmt(pct(latencies, 50))} ms, p99 ${fmt(pct(latencies, 99))} ms, ${fmt((N / race.ms) * 1000)} enrolments/s`,
    );
    say(`enrolment latency distribution: ${distribution(latencies)}`);
    say(
      `plain unique inserts (${size} bytes): ${fmt(baseline.ms)} ms in all, p50 ${fmt(pct(plain, 50))} ms, p99 ${fmt(pct(plain, 99))} ms, ${fmt((N / baseline.ms) * 1000)} inserts/s`,
    );
    say(
      `ratio enrolment / plain insert: p50 ${fmt(pct(latencies, 50) / pct(plain, 50))}, p99 ${fmt(pct(latencies, 99) / pct(plain, 99))}, total time ${fmt(race.ms / baseline.ms)}`,
    );
    if ((statuses.get(201) ?? 0) !== 1 || seats !== CAPACITY) process.exitCode = 1;
  } finally {
    await mongo.close();
    await peer.close();
    await svc.close();
  }
}

await main();
