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
import { must, plainInserts, race, reportRace, say, staffClaims } from "./measure.js";

const N = Number(process.env.BENCH_RACE_CONTENDERS ?? 1000);
const CAPACITY = Number(process.env.BENCH_RACE_CAPACITY ?? 5);

async function main() {
  const svc = await startTestService(catalogueService, { env: { LOG_LEVEL: "error" } });
  const peer = await startTestService(catalogueService, { sameAs: svc });
  const mongo = await MongoClient.connect(svc.mongoUrl);
  try {
    const staff = svc.as(staffClaims);
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
    const r = await race(N, (i) => clients[i]!.post(`/v1/sessions/${session.id}/enrolments`, {}));
    const db = mongo.db(svc.dbName);
    const seats = await db.collection("seats").countDocuments({ group: session.id });
    const plain = await plainInserts(
      db,
      N,
      await db.collection("enrolments").findOne({ sessionId: session.id }),
    );

    say(`answers: ${JSON.stringify(Object.fromEntries(r.statuses))} (201 confirmed, 202 waiting)`);
    say(
      `winners: ${r.statuses.get(201) ?? 0}; seat documents for the session: ${seats} (capacity ${CAPACITY})`,
    );
    reportRace("enrolment", "enrolments", r, plain);
    if ((r.statuses.get(201) ?? 0) !== 1 || seats !== CAPACITY) process.exitCode = 1;
  } finally {
    await mongo.close();
    await peer.close();
    await svc.close();
  }
}

await main();
