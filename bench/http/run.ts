// bench/http: writes over the public HTTP API at BENCH_HTTP_CONNECTIONS (64) concurrent clients with
// autocannon, next to plain driver writes of the same documents in the same run on the same store:
//   - idea submission (ideas service): a draft (POST /v1/ideas), then its submission (POST .../submit),
//     each connection doing the two in turn;
//   - enrolment (catalogue service): staff enrol a new person on a session (POST .../enrolments).
// The baseline inserts the documents the service stored (read back, new _id) with the native driver,
// as many at a time as there are clients. Prints requests/s, p50/p99 latency and the ratios.
// `npm run bench:http`; knobs BENCH_HTTP_CONNECTIONS (64), BENCH_HTTP_SECONDS (15 per write).
// Uses KAFKA_BROKERS / MONGO_URL when set, otherwise the testkit starts the local runtime.
import { addDays, romeDate } from "@lto/civil-time";
import { catalogueService } from "@lto/catalogue-service";
import { ideasService } from "@lto/ideas-service";
import { startTestService, type TestService } from "@lto/testkit/service";
import autocannon from "autocannon";
import { MongoClient, type Document } from "mongodb";
import { courseBody, sessionBody } from "../../services/catalogue/test/int/support.js";
import { fmt, pct, say, staffClaims, timed } from "../race/measure.js";

const CONNECTIONS = Number(process.env.BENCH_HTTP_CONNECTIONS ?? 64);
const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 15);

interface Figures {
  perSecond: number;
  p50: number;
  p99: number;
  count: number;
}

/** autocannon against one service; counts only 2xx answers; fails on any other. */
async function cannon(opts: autocannon.Options): Promise<Figures> {
  // A 60 s timeout: on a busy machine a write under 64 clients can take longer than the default 10 s.
  const result = await autocannon({ connections: CONNECTIONS, duration: SECONDS, timeout: 60, ...opts });
  const bad = result.non2xx + result.errors + result.timeouts;
  if (bad)
    throw new Error(
      `${opts.title}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`,
    );
  return {
    perSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    count: result.requests.total,
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
    `${what} over HTTP: ${fmt(http.perSecond)} ${unit}/s (${http.count} in ${SECONDS} s), p50 ${fmt(http.p50)} ms, p99 ${fmt(http.p99)} ms`,
  );
  say(
    `plain driver inserts of the same ${plain.count} documents: ${fmt(plain.perSecond)} inserts/s, p50 ${fmt(plain.p50)} ms, p99 ${fmt(plain.p99)} ms`,
  );
  say(
    `ratio HTTP / plain: throughput ${fmt(http.perSecond / plain.perSecond)}, p50 ${fmt(http.p50 / plain.p50)}, p99 ${fmt(http.p99 / plain.p99)}`,
  );
}

async function ideasBench(svc: TestService, mongo: MongoClient) {
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
  say(`--- idea submission: draft + submit, ${CONNECTIONS} connections, ${SECONDS} s ---`);
  const http = await cannon({
    title: "idea submission",
    url: svc.url,
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
  });
  const docs = await mongo.db(svc.dbName).collection("ideas").find({ callId: call.body.id }).toArray();
  const submitted = docs.filter((d) => d.state === "submitted").length;
  say(`ideas stored: ${docs.length}, submitted: ${submitted}`);
  report(
    "idea submission (requests: drafts and submissions)",
    "requests",
    http,
    await plainInserts(mongo, svc.dbName, docs),
  );
}

async function enrolmentBench(svc: TestService, mongo: MongoClient) {
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
  say(`--- enrolment: staff enrol new persons on one session, ${CONNECTIONS} connections, ${SECONDS} s ---`);
  const http = await cannon({
    title: "enrolment",
    url: svc.url,
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
  });
  const docs = await mongo
    .db(svc.dbName)
    .collection("enrolments")
    .find({ sessionId: { $in: sessions } })
    .toArray();
  say(`enrolments stored: ${docs.length} (sessions of 500 seats: ${sessions.length})`);
  report("enrolment", "enrolments", http, await plainInserts(mongo, svc.dbName, docs));
}

async function main() {
  const ideas = await startTestService(ideasService, { env: { LOG_LEVEL: "error" } });
  const catalogue = await startTestService(catalogueService, { env: { LOG_LEVEL: "error" } });
  const mongo = await MongoClient.connect(ideas.mongoUrl);
  try {
    await ideasBench(ideas, mongo);
    await enrolmentBench(catalogue, mongo);
  } finally {
    await mongo.close();
    await catalogue.close();
    await ideas.close();
  }
}

await main();
