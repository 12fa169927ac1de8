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
} from "@lto/contracts";
import { startLocalInfra } from "@lto/local-runtime";
import { createKafka } from "@lto/messaging";
import { openServiceStore } from "@lto/service-host";
import { createLogger } from "@lto/telemetry";
import { rebuildProjection } from "../../services/adoption/src/infra/rebuild.js";
import { openAdoptionStore } from "../../services/adoption/src/infra/store.js";
import { rebuildModel } from "../../services/insights/src/infra/rebuild.js";
import { insightsCollections, insightsModel } from "../../services/insights/src/infra/store.js";
import { fmt, ratio, say, timed } from "../race/measure.js";
import { event, peakRss, plainRead, produce, rate, type HistoryEvent } from "./history.js";

const N = Number(process.env.BENCH_REBUILD_EVENTS ?? 1_000_000);
const IDEAS_EVENTS = Math.min(N, Number(process.env.BENCH_REBUILD_IDEAS_EVENTS ?? N));
const SCHOOL_YEAR = "2026/27";
const logger = createLogger("bench-rebuild", { level: "error" });

/** The i-th event of the run: on the ideas topic a call, then its ideas submitted and published. */
function ideasEvent(i: number): HistoryEvent {
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
        `insights rebuild: ${N.toLocaleString("en-US")} events in ${fmt(ms / 1000)} s = ${fmt(rate(N, ms))} events/s, ${value.records.toLocaleString("en-US")} records written; ratio to the plain consumer ${ratio(rate(N, ms) / rate(N, plainAll))}; ${peakRss()}`,
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
        `adoption projection rebuild: ${IDEAS_EVENTS.toLocaleString("en-US")} events in ${fmt(ms / 1000)} s = ${fmt(rate(IDEAS_EVENTS, ms))} events/s (${value.ideas} ideas, ${value.calls} calls, ${value.merged} merged); ratio to the plain consumer ${ratio(rate(IDEAS_EVENTS, ms) / rate(IDEAS_EVENTS, plainIdeas))}; ${peakRss()}`,
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
