// Issue 12, the fault suite: the whole platform as OS processes (every service's real main.ts, the
// gateway in front) on a broker and a store of this file's own, which it stops. Writes go through the
// gateway's HTTP API the whole time; one run per fault:
//   a. kill -9 of each service in turn mid-load, then the service started again;
//   b. the broker stopped 60 s under writes;
//   c. the store (FerretDB) stopped 20 s under writes: clients get 503 with Retry-After, never a 500,
//      and succeed once it is back;
//   d. a poison message on each consumer's topic: parked on the group's DLQ, the group moves on.
// After each: every acknowledged write is there once (API), its event is on its topic under exactly
// one event id (a duplicate record of that id is at-least-once delivery, allowed), and the projections
// (insights' learning figure, the notifications of a cancelled session's roster) count each once.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { addDays, romeDate } from "@lto/civil-time";
import { CallCreatedEvent, dlqTopic, IdeaAdoptedEvent, topics } from "@lto/contracts";
import { OUTBOX_PENDING_FILTER } from "@lto/messaging";
import {
  defaultCacheDir,
  ferretDbBinaryPath,
  freePorts,
  postgresUrlFor,
  startFerretDb,
  startKafka,
  startLocalInfra,
  tailFile,
  type LocalInfra,
  type ManagedProcess,
} from "@lto/local-runtime";
import { groupLag, testAuth, uniqueId, waitFor, type TestAuth } from "@lto/testkit";
import { Caller, startPlatform, type Platform, type PlatformService } from "@lto/testkit/platform";
import { distinctEventIds, eventProducer, readWholeTopic, type TopicRecord } from "@lto/testkit/service";
import { MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { companyProfile } from "../../../services/adoption/test/int/support.js";
import { aPerson } from "../../../services/self-employment/test/fixtures.js";

const staff = {
  sub: "staff-faults",
  role: "staff",
  org: "provincia-mantova",
  sites: ["lto-mantova"],
} as const;
const programme = { sub: "programme-faults", role: "programme", org: "provincia-mantova" } as const;
/** Writes per run, and the one after which the fault comes. */
const WRITES = 16;
const FAULT_AT = 6;
/** At most this many writes a run: the rest of a long fault (the broker's 60 s) passes without new ones. */
const MAX_WRITES = 60;
const CONCURRENCY = 6;
/**
 * While the fault lasts each writer waits this long between writes: a fast machine would otherwise
 * spend the 60 writes before the fault has even begun (stopping FerretDB takes seconds), and no
 * write would meet the outage.
 */
const PACE_DURING_FAULT_MS = 1000;

let dir: string;
let infra: LocalInfra;
let ports: { kafka: number; controller: number; mongo: number; postgres: number };
let kafka: ManagedProcess | undefined;
let ferret: ManagedProcess | undefined;
let auth: TestAuth;
let platform: Platform;
let api: Caller;
const savedEnv = { KAFKA_BROKERS: process.env.KAFKA_BROKERS, MONGO_URL: process.env.MONGO_URL };
let courseId: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "lto-faults-"));
  const [k, c, m, p] = await freePorts(4);
  ports = { kafka: k!, controller: c!, mongo: m!, postgres: p! };
  infra = await startLocalInfra({
    dataDir: dir,
    durable: false,
    kafka: { port: ports.kafka, controllerPort: ports.controller, heap: "512m" },
    ferretdb: { port: ports.mongo, postgresPort: ports.postgres },
  });
  kafka = infra.processes.find((x) => x.name === "kafka");
  ferret = infra.processes.find((x) => x.name === "ferretdb");
  // The testkit's topic readers and group lag read this file's broker from here on.
  process.env.KAFKA_BROKERS = infra.kafkaBrokers.join(",");
  process.env.MONGO_URL = infra.mongoUrl;
  auth = await testAuth();
  platform = await startPlatform({ infra, auth, env: { LTO_DATA_DIR: join(dir, "services") } });
  api = new Caller(platform, auth);
  const course = await ok(
    api.request(staff, "POST", "/api/catalogue/v1/courses", {
      titleIt: "Programmare con Python",
      descriptionIt: "Dalle variabili alle funzioni, con piccoli progetti per il territorio.",
      audiences: ["young_people"],
      areas: ["cultura"],
      competences: [{ framework: "digcomp", version: "2.2", competence: "3.4", level: 4 }],
      hours: 20,
      mode: "blended",
      sites: ["lto-mantova"],
    }),
    201,
  );
  await ok(api.request(staff, "POST", `/api/catalogue/v1/courses/${course.id}/publish`));
  courseId = course.id;
}, 300_000);

afterAll(async () => {
  await platform?.stop();
  await auth?.close();
  // Whatever a run stopped and started again is stopped here, each by its own pid.
  await Promise.all([kafka?.stop(), ferret?.stop()]);
  await infra?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  Object.assign(process.env, savedEnv);
  for (const [key, value] of Object.entries(savedEnv)) if (value === undefined) delete process.env[key];
}, 120_000);

/** On a failure: every service's output, and the tails of the broker's and the store's own logs. */
function diagnose() {
  console.error(platform?.output());
  for (const p of [kafka, ferret])
    if (p) console.error(`--- ${p.name}: ${p.logFile}\n${tailFile(p.logFile, 120)}`);
}

async function ok(reply: Promise<{ status: number; body: unknown }>, status = 200) {
  const r = await reply;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return r.body as any;
}

// ---------------------------------------------------------------------------------------------------
// The load: four kinds of write in turn, each through the gateway, each with an Idempotency-Key.

interface Write {
  kind: "call" | "enrolment" | "company" | "person";
  id: string;
  personId?: string;
}

interface Run {
  name: string;
  sessionId: string;
  writes: Write[];
}
const enrolmentsOf = (run: Run) => run.writes.filter((w) => w.kind === "enrolment");

let people = 0;
function personBody() {
  // Letters vary with the counter and the run, so each codice fiscale is new.
  const n = (++people + Math.floor(Math.random() * 9_000) * 100) % 1_000_000;
  const letters = [...String(n).padStart(6, "0")].map((d) => String.fromCharCode(65 + Number(d))).join("");
  return aPerson(romeDate(new Date()), {}, 20, letters);
}
const schoolYear = (() => {
  const now = new Date();
  const y = now.getUTCMonth() >= 8 ? now.getUTCFullYear() : now.getUTCFullYear() - 1;
  return `${y}/${String((y + 1) % 100).padStart(2, "0")}`;
})();
const day = (offset: number) => addDays(romeDate(new Date()), offset);

async function newSession(): Promise<string> {
  const first = day(30);
  const session = await ok(
    api.request(staff, "POST", "/api/catalogue/v1/sessions", {
      courseId,
      site: "lto-mantova",
      meetings: [0, 7].map((d) => ({
        date: addDays(first, d),
        start: "15:00",
        end: "18:00",
        room: "Laboratorio 2",
        trainer: "Marco Neri",
      })),
      capacity: 500,
      enrolment: { opensOn: day(0), closesOn: addDays(first, -1) },
      completionRule: { minimumAttendanceShare: 0.75, mandatoryMeetings: [0], finalAssessment: true },
    }),
    201,
  );
  return session.id;
}

async function write(n: number, run: Run): Promise<Write> {
  const key = { "idempotency-key": uniqueId("fault") };
  switch (n % 4) {
    case 0: {
      const body = await ok(
        api.request(
          staff,
          "POST",
          "/api/ideas/v1/calls",
          {
            title: `Call ${run.name} ${n}`,
            description: "Call della prova dei guasti",
            model: "open",
            schoolYear,
            phaseStarts: { submission: day(-5), evaluation: day(20), adoption: day(40), closed: day(80) },
            panel: [{ subject: staff.sub, organisationId: staff.org, kind: "staff" }],
          },
          key,
        ),
        201,
      );
      return { kind: "call", id: body.id };
    }
    case 1: {
      const personId = uniqueId("learner");
      const r = await api.request(
        staff,
        "POST",
        `/api/catalogue/v1/sessions/${run.sessionId}/enrolments`,
        { personId, overrideReason: "Ammesso dallo staff per la prova" },
        key,
      );
      expect([200, 201], JSON.stringify(r.body)).toContain(r.status);
      expect(r.body.status).toBe("confirmed");
      return { kind: "enrolment", id: r.body.id, personId };
    }
    case 2: {
      const org = uniqueId("company");
      const claims = { role: "company", org, sub: uniqueId("cu") } as const;
      const body = await ok(
        api.request(
          claims,
          "POST",
          "/api/adoption/v1/companies",
          companyProfile(n + Math.floor(Math.random() * 1e6)),
          key,
        ),
        201,
      );
      return { kind: "company", id: body.id };
    }
    default: {
      const body = await ok(
        api.request(staff, "POST", "/api/self-employment/v1/persons", personBody(), key),
        201,
      );
      return { kind: "person", id: body.id };
    }
  }
}

/**
 * WRITES writes (and more while the fault lasts), CONCURRENCY at a time; the fault starts once
 * FAULT_AT writes were acknowledged. Resolves with every acknowledged write once the fault is over.
 */
/** Every run so far, with its acknowledged writes. */
const all: Run[] = [];

async function underLoad(name: string, fault: () => Promise<void>): Promise<Run> {
  const run: Run = { name, sessionId: await newSession(), writes: [] };
  let next = 0;
  let faulted: Promise<void> | undefined;
  let faultOver = false;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < WRITES || (faulted && !faultOver && next < MAX_WRITES)) {
        run.writes.push(await write(next++, run));
        if (!faulted && run.writes.length >= FAULT_AT)
          faulted = fault().finally(() => {
            faultOver = true;
          });
        if (faulted && !faultOver) await new Promise((r) => setTimeout(r, PACE_DURING_FAULT_MS));
      }
    }),
  );
  await faulted;
  // Counted whatever the run's own checks say: the later runs' totals include its writes.
  all.push(run);
  return run;
}

// ---------------------------------------------------------------------------------------------------
// The checks

const EVENT_OF: Partial<Record<Write["kind"], { topic: string; type: string }>> = {
  call: { topic: topics.ideas, type: "CallCreated" },
  enrolment: { topic: topics.catalogue, type: "EnrolmentConfirmed" },
  person: { topic: topics.selfemployment, type: "PersonRegistered" },
};
const PATH_OF: Record<Write["kind"], string> = {
  call: "/api/ideas/v1/calls/",
  enrolment: "/api/catalogue/v1/enrolments/",
  company: "/api/adoption/v1/companies/",
  person: "/api/self-employment/v1/persons/",
};

async function nothingLostNothingTwice(run: Run) {
  expect(run.writes.length).toBeGreaterThanOrEqual(WRITES);
  // Every acknowledged write is there, through its service's API.
  for (const w of run.writes) {
    const r = await api.request(staff, "GET", PATH_OF[w.kind] + w.id);
    if (w.kind !== "company") expect(r.status, `${w.kind} ${w.id}`).toBe(200);
  }
  // ... and once: the session holds one enrolment per acknowledged enrolment.
  const enrolments = enrolmentsOf(run);
  const listed = await ok(
    api.request(staff, "GET", `/api/catalogue/v1/sessions/${run.sessionId}/enrolments?limit=100`),
  );
  expect(listed.items.map((e: { id: string }) => e.id).sort()).toEqual(enrolments.map((w) => w.id).sort());

  // Every event of an acknowledged write on its topic, under exactly one event id.
  for (const topic of new Set(Object.values(EVENT_OF).map((e) => e!.topic))) {
    const ofTopic = run.writes.filter((w) => EVENT_OF[w.kind]?.topic === topic);
    const idsOf = (records: readonly TopicRecord[], w: Write) =>
      distinctEventIds(records, EVENT_OF[w.kind]!.type, (r) => r.value.includes(Buffer.from(w.id)));
    const records = await waitFor(
      `every event of ${run.name} on ${topic}`,
      async () => {
        const rs = await readWholeTopic(topic);
        return ofTopic.every((w) => idsOf(rs, w).size >= 1) ? rs : undefined;
      },
      120_000,
    );
    for (const w of ofTopic) expect(idsOf(records, w).size, `${w.kind} ${w.id}`).toBe(1);
    // The topics are this file's alone: as many events of each kind as writes were acknowledged in all
    // the runs so far (a retried create that made a second call, person or enrolment would show here).
    for (const [kind, event] of Object.entries(EVENT_OF).filter(([, e]) => e!.topic === topic)) {
      const acknowledged = all.flatMap((r) => r.writes).filter((w) => w.kind === kind).length;
      expect(
        distinctEventIds(records, event!.type, (r) => !r.key.startsWith("poison")).size,
        `${event!.type} events`,
      ).toBe(acknowledged);
    }
  }

  // insights counts each confirmed enrolment once (a session cancelled later keeps its enrolments'
  // confirmations in the figure: insights does not follow cancellations).
  const expected = all.flatMap(enrolmentsOf).length;
  const counted = async () => {
    const figure = await ok(api.request(programme, "GET", "/api/insights/v1/figures/learning"));
    return (figure.rows as Array<{ enrolments: number }>).reduce((n, row) => n + (row.enrolments ?? 0), 0);
  };
  await waitFor(
    `insights counted ${expected} enrolments`,
    async () => (await counted()) >= expected,
    120_000,
  );
  expect(await counted()).toBe(expected);

  // notifications: the session cancelled, each person on its roster is told once.
  const session = await ok(api.request(staff, "GET", `/api/catalogue/v1/sessions/${run.sessionId}`));
  await ok(
    api.request(
      staff,
      "POST",
      `/api/catalogue/v1/sessions/${run.sessionId}/cancel`,
      { reason: "Prova dei guasti: sessione annullata" },
      { "if-match": `"${session.version}"` },
    ),
  );
  for (const w of enrolments) {
    const learner = { role: "learner", org: w.personId!, sub: w.personId! } as const;
    const told = async () => {
      const list = await ok(api.request(learner, "GET", "/api/notifications/v1/notifications?limit=100"));
      return (list.items as Array<{ kind: string; refs?: { sessionId?: string } }>).filter(
        (x) => x.kind === "session_cancelled" && x.refs?.sessionId === run.sessionId,
      ).length;
    };
    await waitFor(`${w.personId} told of the cancellation`, async () => (await told()) >= 1, 120_000);
    expect(await told(), w.personId).toBe(1);
  }
  await storesHoldEachWriteOnce();
  expect(api.seen.get(500) ?? 0, "no 500 ever").toBe(0);
}

/** Where each kind of write is stored (startPlatform names each service's database faults_<service>). */
const STORED_IN: Record<Write["kind"], { db: string; collection: string }> = {
  call: { db: "faults_ideas", collection: "calls" },
  enrolment: { db: "faults_catalogue", collection: "enrolments" },
  company: { db: "faults_adoption", collection: "companies" },
  person: { db: "faults_self_employment", collection: "persons" },
};

/**
 * Read in the stores themselves: one document per acknowledged create over all the runs (nothing
 * seeds these databases, so a retried request that made a second call, enrolment, company or person
 * shows as one too many), and no service's outbox keeps an event unpublished.
 */
async function storesHoldEachWriteOnce() {
  const client = new MongoClient(infra.mongoUrl, { serverSelectionTimeoutMS: 10_000 });
  try {
    const writes = all.flatMap((r) => r.writes);
    for (const [kind, { db, collection }] of Object.entries(STORED_IN)) {
      const ofKind = writes.filter((w) => w.kind === kind);
      const stored = client.db(db).collection<{ _id: string }>(collection);
      expect(await stored.countDocuments({}), `${collection} in ${db}`).toBe(ofKind.length);
      expect(await stored.countDocuments({ _id: { $in: ofKind.map((w) => w.id) } })).toBe(ofKind.length);
    }
    const databases = (await client.db("admin").admin().listDatabases()).databases
      .map((d) => d.name)
      .filter((name) => name.startsWith("faults_"));
    expect(databases.length).toBeGreaterThanOrEqual(Object.keys(STORED_IN).length);
    const pending = async () => {
      const left: string[] = [];
      for (const name of databases)
        for (const c of await client.db(name).listCollections({}, { nameOnly: true }).toArray()) {
          const n = await client.db(name).collection(c.name).countDocuments(OUTBOX_PENDING_FILTER);
          if (n > 0) left.push(`${name}.${c.name}: ${n}`);
        }
      return left;
    };
    await waitFor("every outbox published", async () => (await pending()).length === 0, 60_000);
  } finally {
    await client.close();
  }
}

describe("faults under load: nothing lost, nothing applied twice", () => {
  const services: PlatformService[] = [
    "ideas",
    "adoption",
    "catalogue",
    "self-employment",
    "insights",
    "notifications",
    "gateway",
  ];
  for (const service of services) {
    it(`a. kill -9 of ${service} mid-load, then started again`, { retry: 0, timeout: 300_000 }, async () => {
      onTestFailed(diagnose);
      const pid = () => platform.process(service).pid;
      const before = pid();
      const run = await underLoad(`kill-${service}`, () => platform.killAndRestart(service));
      expect(pid()).not.toBe(before);
      await nothingLostNothingTwice(run);
    });
  }

  it("b. the broker stopped 60 s under writes", { retry: 0, timeout: 420_000 }, async () => {
    onTestFailed(diagnose);
    const run = await underLoad("broker", async () => {
      await kafka!.stop();
      kafka = undefined;
      const back = Date.now() + 60_000;
      // Writes keep going meanwhile (they only need the store); count them as the outage goes on.
      await waitFor("60 s of outage", async () => Date.now() >= back, 70_000);
      kafka = await startKafka({
        port: ports.kafka,
        controllerPort: ports.controller,
        dataDir: join(dir, "kafka"),
        heap: "512m",
      });
    });
    await nothingLostNothingTwice(run);
  });

  it(
    "c. the store stopped 20 s under writes: 503 with Retry-After, never 500",
    { retry: 0, timeout: 300_000 },
    async () => {
      onTestFailed(diagnose);
      const unavailable = api.seen.get(503) ?? 0;
      const run = await underLoad("store", async () => {
        await ferret!.stop();
        ferret = undefined;
        const back = Date.now() + 20_000;
        await waitFor("20 s of outage", async () => Date.now() >= back, 30_000);
        ferret = await startFerretDb({
          port: ports.mongo,
          dataDir: join(dir, "ferretdb"),
          backend: { postgresqlUrl: postgresUrlFor(ports.postgres) },
          binary: ferretDbBinaryPath(defaultCacheDir()),
        });
      });
      expect(
        (api.seen.get(503) ?? 0) - unavailable,
        "writes during the outage were answered 503",
      ).toBeGreaterThan(0);
      expect(api.unavailableWithoutRetryAfter).toBe(0);
      await nothingLostNothingTwice(run);
    },
  );

  it(
    "d. a poison message on each consumer's topic is parked on its DLQ; the consumer moves on",
    { retry: 0, timeout: 300_000 },
    async () => {
      onTestFailed(diagnose);
      // Bytes no protobuf decoder takes, under the CloudEvents headers of a type each group handles.
      const events = await eventProducer();
      const garbage = Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]);
      const adopted = await events.send(IdeaAdoptedEvent, uniqueId("poison"), IdeaAdoptedEvent.create({}), {
        value: garbage,
      });
      const created = await events.send(CallCreatedEvent, uniqueId("poison"), CallCreatedEvent.create({}), {
        value: garbage,
      });
      await events.stop();
      const parkedIn: Record<string, string[]> = {
        ideas: [adopted],
        catalogue: [adopted],
        "self-employment": [adopted],
        insights: [adopted, created],
        notifications: [adopted],
        adoption: [created],
      };
      for (const [group, ids] of Object.entries(parkedIn)) {
        const parked = await waitFor(
          `${group} parked the poison`,
          async () => {
            const rs = await readWholeTopic(dlqTopic(group));
            return ids.every((id) => rs.some((r) => r.headers.ce_id === id)) ? rs : undefined;
          },
          60_000,
        );
        for (const id of ids) expect(parked.filter((r) => r.headers.ce_id === id)).toHaveLength(1);
      }
      // The groups moved on: writes after the poison are applied (the checks), and nothing is left behind.
      const run = await underLoad("poison", async () => undefined);
      await nothingLostNothingTwice(run);
      for (const [group, ids] of Object.entries(parkedIn)) {
        const poisoned = [...new Set(ids.map((id) => (id === adopted ? topics.adoption : topics.ideas)))];
        for (const topic of poisoned)
          await waitFor(
            `${group} caught up on ${topic}`,
            async () => (await groupLag(group, topic)) === 0,
            60_000,
          );
      }
    },
  );
});
