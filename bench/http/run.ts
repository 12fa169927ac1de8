// bench/http: writes over the public HTTP API at BENCH_HTTP_CONNECTIONS (64) concurrent clients with
// autocannon, next to plain driver writes of the same documents in the same run on the same store:
//   - idea submission (ideas service): a draft (POST /v1/ideas), then its submission (POST .../submit),
//     each connection doing the two in turn;
//   - enrolment (catalogue service): staff enrol a new person on a session (POST .../enrolments);
//   - booking (self-employment service): staff book an accoglienza in a free slot of an operator and a
//     room (POST /v1/bookings), every request a slot of its own.
// Each write is set up by its own function, which hands the shared harness (`measure`) what to send and
// how to find what the service stored. The baseline inserts those documents (read back, new _id) with
// the native driver, as many at a time as there are clients. Prints requests/s, p50/p99 latency and the
// ratios. `npm run bench:http`; knobs BENCH_HTTP_CONNECTIONS (64), BENCH_HTTP_SECONDS (60 per write:
// a booking under 64 clients takes 15 s or more on the shared machine), BENCH_HTTP_SESSIONS (10),
// BENCH_HTTP_PERSONS (500: each books at most twice, the accoglienza's cap), BENCH_HTTP_ONLY (a comma
// list of ideas, catalogue, self-employment: run only those).
// Uses KAFKA_BROKERS / MONGO_URL when set, otherwise the testkit starts the local runtime.
import { addDays, romeDate } from "@lto/civil-time";
import { catalogueService } from "@lto/catalogue-service";
import { ideasService } from "@lto/ideas-service";
import { selfEmploymentService } from "@lto/self-employment-service";
import { startTestService, type TestService } from "@lto/testkit/service";
import autocannon from "autocannon";
import { MongoClient, type Db, type Document } from "mongodb";
import { courseBody, sessionBody } from "../../services/catalogue/test/int/support.js";
import { operatorBody, personBody } from "../../services/self-employment/test/int/support.js";
import { fmt, must, pct, ratio, say, staffClaims, timed } from "../race/measure.js";

const CONNECTIONS = Number(process.env.BENCH_HTTP_CONNECTIONS ?? 64);
const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 60);

interface Figures {
  perSecond: number;
  p50: number;
  p99: number;
  count: number;
  seconds?: number;
}

/** One write to measure, as its setup hands it to the harness. */
interface WriteBench {
  /** What is written, in the printed lines. */
  what: string;
  /** What a request/s counts. */
  unit: string;
  svc: TestService;
  requests: autocannon.Request[];
  /** How many requests the setup has room for (the run stops there if it gets that far in time). */
  capacity?: number;
  /** The documents the service stored in the run, from its database. */
  stored(db: Db): Promise<Document[]>;
  /** What else to say of them. */
  summary?(docs: Document[]): string;
}

/** The harness: the write over HTTP, then the same documents with the driver, then the ratios. */
async function measure(mongo: MongoClient, bench: WriteBench) {
  say(`--- ${bench.what}, ${CONNECTIONS} connections, ${SECONDS} s ---`);
  const http = await cannon({
    title: bench.what,
    url: bench.svc.url,
    requests: bench.requests,
    ...(bench.capacity ? { maxOverallRequests: bench.capacity } : {}),
  });
  // Requests still in flight when autocannon stops go on in the service: the baseline waits for them,
  // or it would share the store with them.
  const db = mongo.db(bench.svc.dbName);
  let docs = await bench.stored(db);
  for (let before = -1; docs.length !== before;) {
    before = docs.length;
    await new Promise((r) => setTimeout(r, 2_000));
    docs = await bench.stored(db);
  }
  say(`documents stored: ${docs.length}${bench.summary ? ` (${bench.summary(docs)})` : ""}`);
  report(bench.what, bench.unit, http, await plainInserts(mongo, bench.svc.dbName, docs));
}

/** autocannon against one service; counts only 2xx answers; fails on any other. */
async function cannon(opts: autocannon.Options): Promise<Figures> {
  // A 60 s timeout: on a busy machine a write under 64 clients can take longer than the default 10 s.
  const result = await autocannon({ connections: CONNECTIONS, duration: SECONDS, timeout: 60, ...opts });
  const seconds = result.duration;
  const bad = result.non2xx + result.errors + result.timeouts;
  if (bad)
    throw new Error(
      `${opts.title}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`,
    );
  return {
    perSecond: result.requests.total / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    count: result.requests.total,
    seconds,
  };
}

/** The same documents inserted with the driver, CONNECTIONS at a time (new _ids). */
async function plainInserts(mongo: MongoClient, dbName: string, docs: Document[]): Promise<Figures> {
  const scratch = mongo.db(dbName).collection(`bench_plain_${Date.now()}`);
  const latencies: number[] = [];
  let next = 0;
  const { ms } = await timed(() =>
    Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (next < docs.length) {
          const { _id, ...doc } = docs[next++]!;
          const t = await timed(() => scratch.insertOne({ ...doc, _id: `plain-${String(_id)}` } as Document));
          latencies.push(t.ms);
        }
      }),
    ),
  );
  await scratch.drop();
  latencies.sort((a, b) => a - b);
  return {
    perSecond: (docs.length / ms) * 1000,
    p50: pct(latencies, 50),
    p99: pct(latencies, 99),
    count: docs.length,
  };
}

function report(what: string, unit: string, http: Figures, plain: Figures) {
  say(
    `${what} over HTTP: ${fmt(http.perSecond)} ${unit}/s (${http.count} in ${fmt(http.seconds ?? SECONDS)} s), p50 ${fmt(http.p50)} ms, p99 ${fmt(http.p99)} ms`,
  );
  say(
    `plain driver inserts of the same ${plain.count} documents: ${fmt(plain.perSecond)} inserts/s, p50 ${fmt(plain.p50)} ms, p99 ${fmt(plain.p99)} ms`,
  );
  say(
    `ratio HTTP / plain: throughput ${ratio(http.perSecond / plain.perSecond)}, p50 ${ratio(http.p50 / plain.p50)}, p99 ${ratio(http.p99 / plain.p99)}`,
  );
}

async function ideaSubmission(svc: TestService): Promise<WriteBench> {
  const staff = {
    role: "staff",
    org: "provincia-mantova",
    sub: "staff-bench",
    sites: ["lto-mantova"],
  } as const;
  const school = { role: "school", org: "school-bench", sub: "referent-bench" } as const;
  const day = (offset: number) => addDays(romeDate(new Date()), offset);
  const now = new Date();
  const y = now.getUTCMonth() >= 8 ? now.getUTCFullYear() : now.getUTCFullYear() - 1;
  const call = await svc.as(staff).post("/v1/calls", {
    title: "Call del banco di prova",
    description: "Call per misurare le proposte via HTTP",
    model: "open",
    schoolYear: `${y}/${String((y + 1) % 100).padStart(2, "0")}`,
    phaseStarts: { submission: day(-5), evaluation: day(20), adoption: day(40), closed: day(80) },
    panel: [{ subject: staff.sub, organisationId: staff.org, kind: "staff" }],
  });
  const team = await svc.as(school).post("/v1/teams", {
    name: "I Rinnovabili",
    schoolName: "IIS E. Fermi Mantova",
    className: "4A",
    schoolYear: call.body.schoolYear,
    referentTeacher: "Prof.ssa Bonfanti",
    members: [{ pseudonym: "Airone", minor: false }],
  });
  if (call.status !== 201 || team.status !== 201) throw new Error(`setup: ${call.text} ${team.text}`);
  const authorization = `Bearer ${await svc.auth.token(school)}`;
  const headers = { authorization, "content-type": "application/json" };
  const draft = JSON.stringify({
    title: "Serra idroponica",
    summary: "Una serra idroponica con sensori IoT per le aziende agricole del Viadanese.",
    problem: "Le piccole aziende agricole sprecano acqua e fertilizzanti senza dati sul suolo.",
    solution: "Sensori a basso costo e un cruscotto web che suggerisce quando irrigare.",
    area: "agroalimentare",
    district: "viadana",
    technologies: ["iot"],
    needs: ["mentoring"],
    callId: call.body.id,
    teamId: team.body.id,
  });
  return {
    what: "idea submission (draft + submit)",
    unit: "requests",
    svc,
    requests: [
      {
        method: "POST",
        path: "/v1/ideas",
        headers,
        body: draft,
        onResponse: (_status, body, context) => {
          (context as { ideaId?: string }).ideaId = JSON.parse(body).id;
        },
      },
      {
        method: "POST",
        headers: { authorization },
        setupRequest: (req, context) => ({
          ...req,
          path: `/v1/ideas/${String((context as { ideaId?: string }).ideaId)}/submit`,
        }),
      },
    ],
    stored: (db) => db.collection("ideas").find({ callId: call.body.id }).toArray(),
    summary: (docs) => `ideas, ${docs.filter((d) => d.state === "submitted").length} of them submitted`,
  };
}

async function enrolment(svc: TestService): Promise<WriteBench> {
  const staff = svc.as(staffClaims);
  const course = await staff.post("/v1/courses", courseBody());
  await staff.post(`/v1/courses/${course.body.id}/publish`, undefined);
  // A session holds at most 500 seats: enough sessions for the run, the enrolments spread over them.
  const sessions: string[] = [];
  for (let i = 0; i < Number(process.env.BENCH_HTTP_SESSIONS ?? 10); i++) {
    const session = await staff.post("/v1/sessions", sessionBody(course.body.id, { capacity: 500 }));
    if (session.status !== 201) throw new Error(`setup: ${session.text}`);
    sessions.push(session.body.id);
  }
  let n = 0;
  return {
    what: "enrolment (staff enrol a new person)",
    unit: "enrolments",
    svc,
    requests: [
      {
        method: "POST",
        path: `/v1/sessions/${sessions[0]}/enrolments`,
        headers: {
          authorization: `Bearer ${await svc.auth.token(staffClaims)}`,
          "content-type": "application/json",
        },
        setupRequest: (req) => ({
          ...req,
          path: `/v1/sessions/${sessions[n % sessions.length]}/enrolments`,
          body: JSON.stringify({ personId: `bench-${++n}`, overrideReason: "Banco di prova" }),
        }),
      },
    ],
    stored: (db) =>
      db
        .collection("enrolments")
        .find({ sessionId: { $in: sessions } })
        .toArray(),
    summary: () => `enrolments on ${sessions.length} sessions of 500 seats`,
  };
}

/** The LTO sites' rooms for one person (their kind "room"): a booking names one, so none is contended. */
const SITES = ["lto-mantova", "lto-asola", "lto-guidizzolo", "lto-ostiglia", "lto-suzzara", "lto-viadana"];
const ROOMS = ["sala-1", "sala-2", "aula"];
/** Monday 2 February 2026, 07:00 in Rome: the slots are the weekdays after it, within the 30-day horizon. */
const MONDAY = new Date("2026-02-02T06:00:00Z");

async function booking(svc: TestService): Promise<WriteBench> {
  svc.clock.set(MONDAY);
  const claims = { ...staffClaims, sites: SITES };
  const staff = svc.as(claims);
  // An operator per room, working 08:00-20:00 on weekdays: an accoglienza (60' + 15' after) starts
  // every 75 minutes, 9 a day, in February (no public holiday), from Tuesday 3 to Friday 27.
  const slots: { site: string; operatorId: string; roomId: string; start: string }[][] = [];
  for (const site of SITES) {
    const rooms = await Promise.all(
      ROOMS.map(async (room) => {
        const weekdays = ([1, 2, 3, 4, 5] as const).map((weekday) => ({
          weekday,
          site,
          hours: { start: "08:00", end: "20:00" },
          breaks: [],
        }));
        const op = await must(staff.post("/v1/operators", operatorBody({ sites: [site], plan: weekdays })));
        return { operatorId: op.id as string, roomId: `${site}-${room}` };
      }),
    );
    const ofSite: (typeof slots)[number] = [];
    for (let day = 3; day <= 27; day++) {
      if ([0, 6].includes(new Date(Date.UTC(2026, 1, day)).getUTCDay())) continue;
      for (let k = 0; k < 9; k++) {
        const minutes = 8 * 60 + k * 75;
        const hhmm = `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
        const start = `2026-02-${String(day).padStart(2, "0")}T${hhmm}:00+01:00`;
        for (const room of rooms) ofSite.push({ site, ...room, start });
      }
    }
    slots.push(ofSite);
  }
  // Persons with open paths, each at one site; booking k goes to site k % 6 for person k % PERSONS, so
  // a person's two bookings are PERSONS apart (never at once, days apart) and within the 2-hour cap.
  const PERSONS = Math.ceil(Number(process.env.BENCH_HTTP_PERSONS ?? 500) / SITES.length) * SITES.length;
  const persons: string[] = [];
  for (let i = 0; i < PERSONS; i += 20)
    persons.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(20, PERSONS - i) }, async (_, j) => {
          const p = await must(
            staff.post("/v1/persons", personBody(svc, { site: SITES[(i + j) % SITES.length] })),
          );
          await must(staff.post(`/v1/persons/${p.id}/path`, {}));
          return p.id as string;
        }),
      )),
    );
  const capacity = Math.min(2 * PERSONS, ...slots.map((s) => s.length * SITES.length));
  say(
    `booking setup: ${SITES.length * ROOMS.length} operators and rooms, ${PERSONS} persons, room for ${capacity} bookings`,
  );
  let n = 0;
  return {
    what: "booking (staff book an accoglienza)",
    unit: "bookings",
    svc,
    capacity,
    requests: [
      {
        method: "POST",
        path: "/v1/bookings",
        headers: {
          authorization: `Bearer ${await svc.auth.token(claims)}`,
          "content-type": "application/json",
        },
        setupRequest: (req) => {
          const k = n++;
          const slot = slots[k % SITES.length]![Math.floor(k / SITES.length)]!;
          return {
            ...req,
            body: JSON.stringify({
              person: persons[k % PERSONS],
              serviceType: "accoglienza",
              mode: "in_person",
              ...slot,
            }),
          };
        },
      },
    ],
    stored: (db) => db.collection("bookings").find({}).toArray(),
    summary: () => "bookings",
  };
}

async function main() {
  const env = { LOG_LEVEL: "error", SEED_DEMO_WHEN_EMPTY: "false" };
  const benches = [
    { name: "ideas", start: () => startTestService(ideasService, { env }), setup: ideaSubmission },
    { name: "catalogue", start: () => startTestService(catalogueService, { env }), setup: enrolment },
    {
      name: "self-employment",
      start: () => startTestService(selfEmploymentService, { env }),
      setup: booking,
    },
  ];
  const only = process.env.BENCH_HTTP_ONLY?.split(",");
  for (const { name, start, setup } of benches) {
    if (only && !only.includes(name)) continue;
    const svc = await start();
    const mongo = await MongoClient.connect(svc.mongoUrl);
    try {
      await measure(mongo, await setup(svc));
    } finally {
      await mongo.close();
      await svc.close();
    }
  }
}

await main();
