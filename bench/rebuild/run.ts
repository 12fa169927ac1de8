// bench/rebuild: every projection rebuilt from its topics' beginning, in events per second, against a
// baseline measured in the same run on the same broker: a plain kafkajs consumer that reads the same
// records and does nothing with them.
//   - insights' figures (services/insights/src/infra/rebuild.ts): a replay group folds the facts in
//     memory, then writes the model's records in bulk inserts; it reads all four topics.
//   - adoption's browse projection (services/adoption/src/infra/rebuild.ts): a replay group folds the
//     ideas topic in memory with the projection's own decisions, writes the shadow collections in bulk
//     inserts, then merges them into the live projection a page at a time (bulk inserts of what it lacks).
// The topics must hold only this run's events, so it always starts its own Kafka and FerretDB from
// @lto/local-runtime in a temp dir (about 20 s) and stops them at the end.
// `npm run bench:rebuild`; knobs BENCH_REBUILD_EVENTS (1,000,000: the events insights replays) and
// BENCH_REBUILD_IDEAS_EVENTS (as many: the share on the ideas topic, which adoption replays; the rest
// go to the catalogue topic). With both at 1,000,000 each projection rebuilds from 1,000,000 events.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CallCreatedEvent,
  EnrolmentConfirmedEvent,
  IdeaPublishedEvent,
  IdeaSubmittedEvent,
  ideasV1,
  topics,
  type RegisteredEventCodec,
} from "@lto/contracts";
import { startLocalInfra } from "@lto/local-runtime";
import { createKafka, pendingEvent, toKafkaMessage } from "@lto/messaging";
import { openServiceStore } from "@lto/service-host";
import { createLogger } from "@lto/telemetry";
import type { Kafka, Message } from "kafkajs";
import { rebuildProjection } from "../../services/adoption/src/infra/rebuild.js";
import { openAdoptionStore } from "../../services/adoption/src/infra/store.js";
import { rebuildModel } from "../../services/insights/src/infra/rebuild.js";
import { insightsCollections, insightsModel } from "../../services/insights/src/infra/store.js";
import { fmt, ratio, say, timed } from "../race/measure.js";

const N = Number(process.env.BENCH_REBUILD_EVENTS ?? 1_000_000);
const IDEAS_EVENTS = Math.min(N, Number(process.env.BENCH_REBUILD_IDEAS_EVENTS ?? N));
const BATCH = 2_000;
const SCHOOL_YEAR = "2026/27";
const logger = createLogger("bench-rebuild", { level: "error" });

/** The i-th event of the run: on the ideas topic a call, then its ideas submitted and published. */
function ideasEvent(i: number): { codec: RegisteredEventCodec<unknown>; key: string; message: unknown } {
  const call = `call-${Math.floor(i / 20)}`;
  if (i % 20 === 0)
    return event(CallCreatedEvent, call, {
      callId: call,
      call: {
        id: call,
        title: `Bando ${i}`,
        schoolYear: SCHOOL_YEAR,
        site: "lto-mantova",
        version: 1,
      } as never,
      version: 1,
    });
  const idea = `idea-${Math.floor(i / 2)}`;
  const at = new Date(Date.UTC(2026, 9, 1 + (i % 28), 9)).toISOString();
  if (i % 2)
    return event(IdeaSubmittedEvent, idea, {
      ideaId: idea,
      callId: call,
      economicArea: "ECONOMIC_AREA_AGROALIMENTARE" as never,
      district: "mantova",
      occurredAt: at,
      version: 1,
    });
  return event(IdeaPublishedEvent, idea, {
    ideaId: idea,
    idea: ideasV1.Idea.fromPartial({
      id: idea,
      callId: call,
      callTitle: `Bando ${call}`,
      schoolYear: SCHOOL_YEAR,
      schoolId: `school-${i % 40}`,
      schoolName: "IIS E. Fermi Mantova",
      title: `Idea ${i}`,
      summary: "Una serra idroponica con sensori IoT per le aziende agricole del Viadanese.",
      problem: "Spreco d'acqua",
      solution: "Sensori e un cruscotto web",
      economicArea: "ECONOMIC_AREA_AGROALIMENTARE",
      technologies: ["iot"],
      district: "mantova",
      needs: ["NEED_MENTORING"],
      teamName: "Team Verde",
      memberPseudonyms: ["volpe-rossa", "gufo-blu"],
      state: "IDEA_STATE_PUBLISHED",
      publishedAt: at,
      version: 2,
    }),
    occurredAt: at,
    version: 2,
  });
}

function catalogueEvent(i: number) {
  const enrolment = `enr-${i}`;
  return event(EnrolmentConfirmedEvent, enrolment, {
    enrolmentId: enrolment,
    sessionId: `session-${i % 500}`,
    courseId: `course-${i % 50}`,
    site: i % 3 ? "lto-mantova" : "lto-asola",
    competences: [{ framework: "digcomp", frameworkVersion: "2.2", competence: "3.4", level: 4 }],
    occurredAt: new Date(Date.UTC(2026, 9, 1 + (i % 28), 9)).toISOString(),
    version: 1,
  } as never);
}

/** The process's resident memory so far at its peak (the folds hold a whole replay in memory). */
const heap = () => `peak RSS ${fmt(process.resourceUsage().maxRSS / 1024)} MB`;

function event<T>(codec: RegisteredEventCodec<T>, key: string, message: Partial<T>) {
  return { codec: codec as RegisteredEventCodec<unknown>, key, message: codec.create(message) as unknown };
}

/** Produces events `from`..`to` of `make` in batches (acks from the leader; one broker). */
async function produce(kafka: Kafka, from: number, to: number, make: typeof ideasEvent) {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    for (let i = from; i < to; i += BATCH) {
      const byTopic = new Map<string, Message[]>();
      for (let j = i; j < Math.min(to, i + BATCH); j++) {
        const e = make(j);
        const list = byTopic.get(e.codec.topic) ?? [];
        list.push(toKafkaMessage(pendingEvent(e.codec, e.key, e.message)));
        byTopic.set(e.codec.topic, list);
      }
      await producer.sendBatch({
        acks: 1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
    }
  } finally {
    await producer.disconnect();
  }
}

/** The baseline: a consumer group of its own reads `count` records of `topicList` and does nothing. */
async function plainRead(kafka: Kafka, topicList: string[], count: number): Promise<number> {
  const consumer = kafka.consumer({ groupId: `bench-plain-${Date.now()}`, maxBytes: 50 * 1024 * 1024 });
  await consumer.connect();
  await consumer.subscribe({ topics: topicList, fromBeginning: true });
  let seen = 0;
  const { ms } = await timed(
    () =>
      new Promise<void>((resolve) => {
        void consumer.run({
          eachBatch: async ({ batch }) => {
            seen += batch.messages.length;
            if (seen >= count) resolve();
          },
        });
      }),
  );
  await consumer.disconnect();
  return ms;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "lto-bench-rebuild-"));
  const infra = await startLocalInfra({ dataDir: dir, durable: false, kafka: { heap: "1g" } });
  try {
    const kafka = createKafka({ clientId: "bench-rebuild", brokers: infra.kafkaBrokers, logger });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: Object.values(topics).map((topic) => ({ topic, numPartitions: 3, replicationFactor: 1 })),
    });
    await admin.disconnect();

    say(
      `producing ${N.toLocaleString("en-US")} events: ${IDEAS_EVENTS.toLocaleString("en-US")} on the ideas topic (calls, ideas submitted and published), the rest enrolments on the catalogue topic`,
    );
    const produced = await timed(async () => {
      await produce(kafka, 0, IDEAS_EVENTS, ideasEvent);
      await produce(kafka, 0, N - IDEAS_EVENTS, catalogueEvent);
    });
    say(`produced in ${fmt(produced.ms / 1000)} s (${fmt((N / produced.ms) * 1000)} events/s)`);

    const all = [topics.ideas, topics.adoption, topics.catalogue, topics.selfemployment];
    const plainAll = await plainRead(kafka, all, N);
    const plainIdeas = await plainRead(kafka, [topics.ideas], IDEAS_EVENTS);
    const rate = (events: number, ms: number) => (events / ms) * 1000;
    say(`baseline, plain consumer, all four topics: ${fmt(rate(N, plainAll))} events/s`);
    say(`baseline, plain consumer, the ideas topic: ${fmt(rate(IDEAS_EVENTS, plainIdeas))} events/s`);

    // insights: the figures' model, from all four topics.
    const insights = await openServiceStore(
      { name: "insights", url: infra.mongoUrl, dbName: "bench_insights" },
      insightsCollections,
    );
    try {
      const { value, ms } = await timed(() =>
        rebuildModel({
          kafka,
          model: insightsModel(insights.collections),
          logger,
          group: "bench-insights",
          timeoutMs: 3_600_000,
        }),
      );
      say(
        `insights rebuild: ${N.toLocaleString("en-US")} events in ${fmt(ms / 1000)} s = ${fmt(rate(N, ms))} events/s, ${value.records.toLocaleString("en-US")} records written; ratio to the plain consumer ${ratio(rate(N, ms) / rate(N, plainAll))}; ${heap()}`,
      );
    } finally {
      await insights.store.close();
    }

    // adoption: the browse projection, from the ideas topic.
    const adoption = await openAdoptionStore({ url: infra.mongoUrl, dbName: "bench_adoption" });
    try {
      const { value, ms } = await timed(() =>
        rebuildProjection({ kafka, store: adoption.store, logger, timeoutMs: 3_600_000 }),
      );
      say(
        `adoption projection rebuild: ${IDEAS_EVENTS.toLocaleString("en-US")} events in ${fmt(ms / 1000)} s = ${fmt(rate(IDEAS_EVENTS, ms))} events/s (${value.ideas} ideas, ${value.calls} calls, ${value.merged} merged); ratio to the plain consumer ${ratio(rate(IDEAS_EVENTS, ms) / rate(IDEAS_EVENTS, plainIdeas))}; ${heap()}`,
      );
    } finally {
      await adoption.store.close();
    }
  } finally {
    await infra.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
