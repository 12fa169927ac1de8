// bench/race booking: N requests book the LAST slot of an operator at the same moment, through the
// public HTTP API of two self-employment instances on one store (the slot_claims ledger under
// contention: each booking claims 27 keys, 15 operator units with the buffer and 12 room units),
// against a baseline measured in the same run on the same store: N plain unique inserts of documents
// the size of a booking, all at once. Prints the winners, the answers, p50/p99 latency and the ratios.
// `npm run bench:race:booking`; knobs BENCH_RACE_CONTENDERS (1000), BENCH_RACE_PERSONS (100: the
// contenders book for these persons in turn). Uses KAFKA_BROKERS and MONGO_URL when set (the shared
// infrastructure), otherwise the testkit starts the local runtime.
import { selfEmploymentService } from "@lto/self-employment-service";
import { startTestService } from "@lto/testkit/service";
import { MongoClient } from "mongodb";
import { operatorBody, personBody } from "../../services/self-employment/test/int/support.js";
import { must, plainInserts, race, reportRace, say, staffClaims } from "./measure.js";

const N = Number(process.env.BENCH_RACE_CONTENDERS ?? 1000);
const PERSONS = Number(process.env.BENCH_RACE_PERSONS ?? 100);
/** Monday 2 March 2026, 08:00 in Rome; the slots are on Tuesday. */
const MONDAY = new Date("2026-03-02T07:00:00Z");

async function main() {
  const env = { LOG_LEVEL: "error", SEED_DEMO_WHEN_EMPTY: "false" };
  const svc = await startTestService(selfEmploymentService, { env });
  const peer = await startTestService(selfEmploymentService, { sameAs: svc });
  svc.clock.set(MONDAY);
  const mongo = await MongoClient.connect(svc.mongoUrl);
  try {
    const staff = svc.as(staffClaims);
    // Tuesdays 09:00-11:15: accoglienza (60' + 15' after) fits at 09:00 and at 10:15 only.
    const operator = await must(
      staff.post(
        "/v1/operators",
        operatorBody({
          plan: [{ weekday: 2, site: "lto-mantova", hours: { start: "09:00", end: "11:15" }, breaks: [] }],
        }),
      ),
    );
    const persons: string[] = [];
    for (let i = 0; i < PERSONS; i += 20)
      persons.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(20, PERSONS - i) }, async () => {
            const p = await must(staff.post("/v1/persons", personBody(svc)));
            await must(staff.post(`/v1/persons/${p.id}/path`, {}));
            return p.id as string;
          }),
        )),
      );
    const body = (person: string, start: string) => ({
      person,
      serviceType: "accoglienza",
      site: "lto-mantova",
      start,
      operatorId: operator.id,
      mode: "in_person",
    });
    await must(staff.post("/v1/bookings", body(persons[0]!, "2026-03-03T09:00:00+01:00")));
    const last = "2026-03-03T10:15:00+01:00";
    const clients = [svc.as(staffClaims), peer.as(staffClaims)];
    await Promise.all(clients.map((c) => c.get("/v1/bookings?site=lto-mantova&limit=1"))); // tokens, sockets

    say(`${N} requests race for the last slot of an operator (two instances, one store, ${PERSONS} persons)`);
    const r = await race(N, (i) => clients[i % 2]!.post("/v1/bookings", body(persons[i % PERSONS]!, last)));
    const db = mongo.db(svc.dbName);
    const bookings = await db.collection("bookings").countDocuments({ start: new Date(last) });
    const claims = await db.collection("slot_claims").countDocuments({});
    const plain = await plainInserts(
      db,
      N,
      await db.collection("bookings").findOne({ start: new Date(last) }),
    );

    say(`answers: ${JSON.stringify(Object.fromEntries(r.statuses))} (201 booked, 409 taken)`);
    say(
      `winners: ${r.statuses.get(201) ?? 0}; bookings of the slot: ${bookings}; claims in the ledger: ${claims} (2 bookings x 27)`,
    );
    reportRace("booking", "requests", r, plain);
    if ((r.statuses.get(201) ?? 0) !== 1 || bookings !== 1 || claims !== 54) process.exitCode = 1;
  } finally {
    await mongo.close();
    await peer.close();
    await svc.close();
  }
}

await main();
