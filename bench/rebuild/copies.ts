// bench/rebuild, the projections a service keeps of other services' facts, each rebuilt from 1,000,000
// events by its service's rebuild command (the service stopped: a replay group of its own folds the
// events in memory with the live consumer's own decisions, then the projection is written in bulk and
// the service's group handed the replay's end; docs/operations.md). Each is measured in events per
// second against a baseline read in the same run on the same broker: a plain kafkajs consumer that
// reads the same records and does nothing with them.
//   - catalogue: the copy of ideas and their adoptions behind the course suggestions (ideas and
//     adoption topics: IdeaPublished, IdeaAdopted, AdoptionEnded, IdeaWithdrawn);
//   - self-employment: the adopted teams' paths (IdeaAdopted) and the labs the catalogue's course
//     meetings hold (SessionScheduled, SessionRescheduled, one meeting in a lab each), among the
//     enrolments it reads on the catalogue topic and skips;
//   - notifications: the notices, the address book and the sessions' rosters (adoption, catalogue,
//     self-employment and gateway topics).
// For comparison it can also rebuild the way a service does without the command: started on an empty
// database with a new consumer group, applying one event after another through its store
// (BENCH_REPLAY_CONCURRENCY, a comma list of KAFKA_CONSUMER_CONCURRENCY values; none by default: at
// 100-200 events/s a million take hours).
// Each projection gets a broker and store of its own from @lto/local-runtime (about 20 s), so its topics
// hold only its history. The projection's documents are then counted against what the history makes,
// and nothing may be parked on a DLQ.
// `npm run bench:rebuild:copies`; knobs BENCH_REBUILD_EVENTS (1,000,000 per projection),
// BENCH_REPLAY_ONLY (a comma list of the three), BENCH_REPLAY_CONCURRENCY.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AccountActivatedEvent,
  AdoptionEndedEvent,
  AdoptionOfferedEvent,
  BookingCancelledEvent,
  catalogueV1,
  dlqTopic,
  DeliveryLoggedEvent,
  EnrolmentConfirmedEvent,
  IdeaAdoptedEvent,
  IdeaPublishedEvent,
  IdeaWithdrawnEvent,
  ideasV1,
  OfferDeclinedEvent,
  SeatOfferedEvent,
  selfEmploymentV1,
  SessionRescheduledEvent,
  SessionScheduledEvent,
  topics,
} from "@lto/contracts";
import { startLocalInfra } from "@lto/local-runtime";
import { createKafka, type MessagingLogger } from "@lto/messaging";
import type { HostedConfig, ServiceDefinition } from "@lto/service-host";
import { createLogger } from "@lto/telemetry";
import { startTestService } from "@lto/testkit/service";
import { AggregateStore } from "@lto/store";
import type { Admin, Kafka } from "kafkajs";
import { MongoClient, type Db } from "mongodb";
import { rebuildTeamIdeas } from "../../services/catalogue/src/infra/rebuild.js";
import { catalogueService } from "../../services/catalogue/src/main.js";
import { rebuildNotices } from "../../services/notifications/src/infra/rebuild.js";
import { notificationsService } from "../../services/notifications/src/main.js";
import { rebuildCopies } from "../../services/self-employment/src/infra/rebuild.js";
import { selfEmploymentService } from "../../services/self-employment/src/main.js";
import { fmt, ratio, say, timed } from "../race/measure.js";
import { event, peakRss, plainRead, produce, rate, type HistoryEvent } from "./history.js";

const N = Number(process.env.BENCH_REBUILD_EVENTS ?? 1_000_000);
const CONCURRENCY = (process.env.BENCH_REPLAY_CONCURRENCY ?? "").split(",").filter(Boolean).map(Number);
const PARTITIONS = 12;
const logger = createLogger("bench-copies", { level: "error" });

/** A day of October 2026 at 09:00 UTC: the history is older than the notices' mail window. */
const past = (i: number) => new Date(Date.UTC(2026, 9, 1 + (i % 28), 9)).toISOString();

interface Replay {
  service: ServiceDefinition<HostedConfig>;
  /** The topics the service's group reads. */
  topics: string[];
  /** The i-th event of the history. */
  make(i: number): HistoryEvent;
  /** What the history of `n` events leaves in the projection: collection -> documents. */
  expected(n: number): Record<string, number>;
  /** The service's rebuild command, on its store, for its (stopped) consumer group. */
  rebuild(ctx: {
    kafka: Kafka;
    store: AggregateStore;
    logger: MessagingLogger;
    group: string;
  }): Promise<unknown>;
}

// --- catalogue: four events per idea, on two topics ---
function catalogueHistory(i: number): HistoryEvent {
  const k = Math.floor(i / 4);
  const ideaId = `idea-${k}`;
  const adoptionId = `adoption-${k}`;
  switch (i % 4) {
    case 0:
      return event(IdeaPublishedEvent, ideaId, {
        ideaId,
        idea: ideasV1.Idea.fromPartial({
          id: ideaId,
          callId: `call-${k % 50}`,
          schoolId: `school-${k % 200}`,
          schoolName: "IIS E. Fermi Mantova",
          teamId: `team-${k}`,
          teamName: `Team ${k}`,
          title: `Idea ${k}`,
          economicArea: "ECONOMIC_AREA_AGROALIMENTARE",
          technologies: ["iot"],
          district: "mantova",
          state: "IDEA_STATE_PUBLISHED",
          publishedAt: past(i),
          version: 2,
        }),
        occurredAt: past(i),
        version: 2,
      });
    case 1:
      return event(IdeaAdoptedEvent, ideaId, {
        adoptionId,
        ideaId,
        schoolId: `school-${k % 200}`,
        companyId: `company-${k % 100}`,
        companyName: "Officine Mantovane",
        occurredAt: past(i),
        version: 1,
      });
    case 2:
      return event(AdoptionEndedEvent, ideaId, { adoptionId, ideaId, occurredAt: past(i), version: 2 });
    default:
      return event(IdeaWithdrawnEvent, ideaId, { ideaId, occurredAt: past(i), version: 3 });
  }
}

// --- self-employment: an adopted idea (a team's path) or a course session with a meeting in a lab ---
function selfEmploymentHistory(i: number): HistoryEvent {
  // In every 40 events: an adoption, a course session scheduled, one moved, and 37 enrolments the
  // service's group reads on the catalogue topic but has nothing to do with (as on the real topics,
  // where enrolments far outnumber sessions).
  const k = Math.floor(i / 40);
  switch (i % 40) {
    case 0:
      return event(IdeaAdoptedEvent, `idea-${k}`, {
        adoptionId: `adoption-${k}`,
        ideaId: `idea-${k}`,
        schoolId: `school-${k % 200}`,
        companyId: `company-${k % 100}`,
        companyName: "Officine Mantovane",
        occurredAt: past(i),
        actorSubject: `referent-${k % 200}`,
        version: 1,
      });
    case 1:
    case 2: {
      // One meeting a session in the lab, each in its own hour (8 a day, from 2027), moved 8 hours later
      // by the second event: no two meetings ever overlap.
      const moved = i % 40 === 2;
      const day = new Date(Date.UTC(2027, 0, 1 + Math.floor(k / 8)));
      const start = new Date(day.getTime() + (7 + (k % 8) + (moved ? 8 : 0)) * 3_600_000);
      const end = new Date(start.getTime() + 3_600_000);
      const sessionId = `session-${k}`;
      const meeting = catalogueV1.Meeting.fromPartial({
        id: `meeting-${k}`,
        date: day.toISOString().slice(0, 10),
        timeZone: "Europe/Rome",
        startsAt: start.toISOString(),
        endsAt: end.toISOString(),
        minutes: 60,
        room: "lto-mantova-fablab",
        trainer: "Marco Neri",
        sequence: moved ? 1 : 0,
      });
      const common = { sessionId, courseId: `course-${k % 50}`, site: "lto-mantova", hours: 1 };
      const by = { occurredAt: past(i), actorSubject: "staff-lto-mantova" };
      if (moved)
        return event(SessionRescheduledEvent, sessionId, {
          ...common,
          meeting,
          previousStartsAt: new Date(start.getTime() - 8 * 3_600_000).toISOString(),
          previousEndsAt: new Date(end.getTime() - 8 * 3_600_000).toISOString(),
          ...by,
          version: 2,
        });
      return event(SessionScheduledEvent, sessionId, {
        ...common,
        session: catalogueV1.Session.fromPartial({
          id: sessionId,
          courseId: common.courseId,
          site: common.site,
          meetings: [meeting],
          capacity: 12,
          version: 1,
        }),
        ...by,
        version: 1,
      });
    }
    default: {
      const enrolmentId = `enrolment-${i}`;
      return event(EnrolmentConfirmedEvent, enrolmentId, {
        enrolmentId,
        sessionId: `session-${k}`,
        courseId: `course-${k % 50}`,
        site: "lto-mantova",
        personId: `person-${i}`,
        occurredAt: past(i),
        version: 1,
      } as never);
    }
  }
}

// --- notifications: ten kinds of event in turn, on four topics ---
const SCHOOLS = 200;
const COMPANIES = 100;
function notificationsHistory(i: number): HistoryEvent {
  const k = Math.floor(i / 10);
  const schoolId = `school-${k % SCHOOLS}`;
  const companyId = `company-${k % COMPANIES}`;
  const ideaId = `idea-${k}`;
  const at = past(i);
  switch (i % 10) {
    case 0: {
      // an account: a school's referent and a company's user in turn
      const school = k % 2 === 0;
      const subject = `user-${k}`;
      return event(AccountActivatedEvent, subject, {
        subject,
        role: school ? "school" : "company",
        organisationId: school ? schoolId : companyId,
        email: `${subject}@example.it`,
        displayName: `Utente ${k}`,
        locale: "it",
        occurredAt: at,
        actorSubject: "staff-1",
        version: 1,
      });
    }
    case 1:
    case 2:
      return event(AdoptionOfferedEvent, ideaId, {
        offerId: `offer-${k}-${i % 10}`,
        ideaId,
        callId: `call-${k % 50}`,
        schoolId,
        companyId,
        companyName: "Officine Mantovane",
        message: "Vi seguiremo con piacere.",
        occurredAt: at,
        actorSubject: "company-user",
        version: 1,
      });
    case 3:
      return event(OfferDeclinedEvent, ideaId, {
        offerId: `offer-${k}-2`,
        ideaId,
        schoolId,
        companyId,
        reason: "OFFER_DECLINE_REASON_ANOTHER_OFFER_ACCEPTED" as never,
        occurredAt: at,
        version: 2,
      });
    case 4:
      return event(IdeaAdoptedEvent, ideaId, {
        adoptionId: `adoption-${k}`,
        offerId: `offer-${k}-1`,
        ideaId,
        schoolId,
        companyId,
        companyName: "Officine Mantovane",
        occurredAt: at,
        version: 1,
      });
    case 5:
      return event(DeliveryLoggedEvent, `adoption-${k}`, {
        adoptionId: `adoption-${k}`,
        ideaId,
        schoolId,
        companyId,
        deliveryId: `delivery-${k}`,
        kind: "COMMITMENT_KIND_MENTORING" as never,
        deliveredOn: at.slice(0, 10),
        occurredAt: at,
        version: 2,
      });
    case 6:
    case 7: {
      const enrolmentId = `enrolment-${k}-${i % 10}`;
      return event(EnrolmentConfirmedEvent, enrolmentId, {
        enrolmentId,
        sessionId: `session-${k % 5_000}`,
        courseId: `course-${k % 50}`,
        site: "lto-mantova",
        personId: `person-${k}-${i % 10}`,
        occurredAt: at,
        version: 1,
      } as never);
    }
    case 8:
      return event(SeatOfferedEvent, `enrolment-${k}`, {
        enrolmentId: `enrolment-${k}-8`,
        sessionId: `session-${k % 5_000}`,
        courseId: `course-${k % 50}`,
        site: "lto-mantova",
        personId: `person-${k}-8`,
        expiresAt: new Date(Date.parse(at) + 48 * 3_600_000).toISOString(),
        occurredAt: at,
        version: 1,
      });
    default:
      return event(BookingCancelledEvent, `booking-${k}`, {
        bookingId: `booking-${k}`,
        personId: `person-${k}`,
        serviceType: "accoglienza",
        funder: "lto_diffuso",
        slot: {
          site: "lto-mantova",
          operatorId: "operator-1",
          roomId: "lto-mantova-sala-1",
          equipmentIds: [],
          startsAt: at,
          endsAt: new Date(Date.parse(at) + 3_600_000).toISOString(),
          mode: selfEmploymentV1.DeliveryMode.DELIVERY_MODE_IN_PERSON,
        },
        learnerSubject: `learner-${k}`,
        late: false,
        by: "CANCELLATION_BY_STAFF" as never,
        reason: "richiesta della persona",
        occurredAt: at,
        version: 2,
      });
  }
}

const per = (n: number, every: number, at: number[]) =>
  at.reduce((sum, r) => sum + Math.floor((n - r - 1) / every) + 1, 0);

const REPLAYS: Record<string, Replay> = {
  catalogue: {
    service: catalogueService as unknown as ServiceDefinition<HostedConfig>,
    topics: [topics.ideas, topics.adoption],
    make: catalogueHistory,
    expected: (n) => ({ teamIdeas: Math.ceil(n / 4) }),
    rebuild: (ctx) => rebuildTeamIdeas({ ...ctx, timeoutMs: 3_600_000 }),
  },
  "self-employment": {
    service: selfEmploymentService as unknown as ServiceDefinition<HostedConfig>,
    topics: [topics.adoption, topics.catalogue, topics.selfemployment],
    make: selfEmploymentHistory,
    rebuild: (ctx) => rebuildCopies({ ...ctx, timeoutMs: 3_600_000 }),
    expected: (n) => ({ paths: per(n, 40, [0]), course_session_holds: per(n, 40, [1]) }),
  },
  notifications: {
    service: notificationsService as unknown as ServiceDefinition<HostedConfig>,
    topics: [topics.adoption, topics.catalogue, topics.selfemployment, topics.gateway],
    make: notificationsHistory,
    rebuild: (ctx) =>
      rebuildNotices({
        ...ctx,
        settings: { holdNoticeHours: 48, mailMaxAgeHours: 72 },
        timeoutMs: 3_600_000,
      }),
    expected: (n) => ({
      accounts: per(n, 10, [0]),
      rosters: Math.min(5_000, Math.ceil(n / 10)),
      // one notice for each offer, decline, adoption (the company), delivery, seat and cancellation
      notices: per(n, 10, [1, 2, 3, 4, 5, 8, 9]),
    }),
  },
};

/** Messages between the group's committed offsets and the topics' ends. */
async function lagOf(admin: Admin, groupId: string, topicList: string[]): Promise<number> {
  const committed = await admin.fetchOffsets({ groupId, topics: topicList });
  let lag = 0;
  for (const topic of topicList) {
    const ends = await admin.fetchTopicOffsets(topic);
    const mine = committed.find((c) => c.topic === topic)?.partitions ?? [];
    for (const end of ends) {
      const at = Number(mine.find((p) => p.partition === end.partition)?.offset ?? -1);
      lag += Number(end.high) - Math.max(0, at);
    }
  }
  return lag;
}

/** The projection's documents against what the history makes; throws when they differ. */
async function check(name: string, r: Replay, db: Db): Promise<string> {
  const found = await Promise.all(
    Object.entries(r.expected(N)).map(
      async ([collection, want]) =>
        [collection, await db.collection(collection).countDocuments(), want] as const,
    ),
  );
  const wrong = found.filter(([, got, want]) => got !== want);
  if (wrong.length)
    throw new Error(
      `${name}: the rebuilt projection is not what the history makes: ${wrong.map(([c, got, want]) => `${c} ${got}, expected ${want}`).join("; ")}`,
    );
  return found.map(([c, got]) => `${c} ${got.toLocaleString("en-US")}`).join(", ");
}

async function parkedOn(admin: Admin, group: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(dlqTopic(group)).catch(() => []);
  return offsets.reduce((sum, p) => sum + Number(p.high), 0);
}

async function copy(name: string, r: Replay) {
  const dir = mkdtempSync(join(tmpdir(), `lto-bench-copies-${name}-`));
  const infra = await startLocalInfra({ dataDir: dir, durable: false, kafka: { heap: "1g" } });
  // the test services of the comparison read their broker and store from these
  process.env.KAFKA_BROKERS = infra.kafkaBrokers.join(",");
  process.env.MONGO_URL = infra.mongoUrl;
  const kafka = createKafka({ clientId: "bench-copies", brokers: infra.kafkaBrokers, logger });
  const admin = kafka.admin();
  const mongo = new MongoClient(infra.mongoUrl);
  try {
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: Object.values(topics).map((topic) => ({
        topic,
        numPartitions: PARTITIONS,
        replicationFactor: 1,
      })),
    });
    const produced = await timed(() => produce(kafka, 0, N, r.make));
    say(
      `${name}: produced ${N.toLocaleString("en-US")} events in ${fmt(produced.ms / 1000)} s on ${r.topics.length} topics`,
    );
    const plain = rate(N, await plainRead(kafka, r.topics, N));
    say(`${name}: baseline, plain consumer of the same topics: ${fmt(plain)} events/s`);

    // the rebuild command
    const dbName = `bench_${name.replace("-", "_")}_rebuild`;
    const store = await AggregateStore.open({ url: infra.mongoUrl, dbName });
    try {
      const group = `bench-${name}-service`;
      const { value, ms } = await timed(() => r.rebuild({ kafka, store, logger, group }));
      const counted = await check(name, r, mongo.db(dbName));
      say(
        `${name} rebuild: ${N.toLocaleString("en-US")} events in ${fmt(ms / 1000)} s = ${fmt(rate(N, ms))} events/s; ratio to the plain consumer ${ratio(rate(N, ms) / plain)}; ${counted}; ${JSON.stringify(value)}; ${peakRss()}`,
      );
    } finally {
      await store.close();
    }

    // for comparison: the service's own consumer from the first event, one event after another
    for (const concurrency of CONCURRENCY) {
      const groupId = `bench-${name}-${concurrency}-${Date.now()}`;
      const consumerDb = `bench_${name.replace("-", "_")}_${concurrency}`;
      const started = performance.now();
      const svc = await startTestService(r.service, {
        dbName: consumerDb,
        env: {
          LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "error",
          KAFKA_CONSUMER_GROUP: groupId,
          KAFKA_TOPIC_PARTITIONS: String(PARTITIONS),
          KAFKA_CONSUMER_CONCURRENCY: String(concurrency),
        },
      });
      let ms: number;
      let counted: string;
      try {
        while ((await lagOf(admin, groupId, r.topics)) > 0)
          await new Promise((resolve) => setTimeout(resolve, 250));
        ms = performance.now() - started;
        // counted before the test service's close drops its database
        counted = await check(name, r, mongo.db(consumerDb));
      } finally {
        await svc.close();
      }
      const parked = await parkedOn(admin, groupId);
      if (parked) throw new Error(`${name}: ${parked} events parked on the DLQ`);
      say(
        `${name}, the service's consumer from the first event, KAFKA_CONSUMER_CONCURRENCY=${concurrency}: ${N.toLocaleString("en-US")} events in ${fmt(ms / 1000)} s = ${fmt(rate(N, ms))} events/s; ratio to the plain consumer ${ratio(rate(N, ms) / plain)}; ${counted}`,
      );
    }
  } finally {
    await mongo.close();
    await admin.disconnect();
    await infra.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const only = process.env.BENCH_REPLAY_ONLY?.split(",") ?? Object.keys(REPLAYS);
for (const name of only) {
  const r = REPLAYS[name];
  if (!r) throw new Error(`BENCH_REPLAY_ONLY: no projection ${name} (${Object.keys(REPLAYS).join(", ")})`);
  await copy(name, r);
}
