// bench/messaging: on ONE broker in ONE run, the messaging package next to Kafka's own tools.
//   1. publish-to-consume throughput: N events pending in outboxes -> OutboxRelay -> Kafka ->
//      createConsumer handler, vs org.apache.kafka.tools.ProducerPerformance (producer only, acks=all);
//      plus the same consumer fed straight by an idempotent producer (the Kafka side without the store);
//   2. publish-to-consume latency: one write at a time (outbox write -> relay -> Kafka -> handler),
//      vs org.apache.kafka.tools.EndToEndLatency (produce -> consume, acks=all);
//   3. outbox write throughput (insert / update carrying a pending event) vs plain driver writes, and
//      the relay's throughput as a ratio to the store's own write rate (the limit of this path).
// Uses KAFKA_BROKERS / MONGO_URL when set, else starts the local runtime (Kafka + FerretDB) itself.
// Figures are for comparison on the same machine, not absolute claims. `npm run bench:messaging`.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { MongoClient, type Collection, type UpdateFilter } from "mongodb";
import { IdeaSubmittedEvent } from "@lto/contracts";
import { defaultCacheDir, ensureKafkaJars, startLocalInfra, type LocalInfra } from "@lto/local-runtime";
import { documentWriteGuard } from "@lto/mongo";
import {
  OUTBOX_INDEX,
  OutboxRelay,
  createConsumer,
  ensureTopics,
  on,
  pendingEvent,
  toKafkaMessage,
  withOutbox,
  withOutboxDoc,
  type MessagingLogger,
} from "@lto/messaging";

const N_THROUGHPUT = Number(process.env.BENCH_EVENTS ?? 2000);
const N_LATENCY = Number(process.env.BENCH_LATENCY_SAMPLES ?? 300);
const N_KAFKA_PATH = Number(process.env.BENCH_KAFKA_EVENTS ?? 20_000);
const N_WRITES = Number(process.env.BENCH_WRITES ?? 1000);
const WRITE_CONCURRENCY = Number(process.env.BENCH_WRITE_CONCURRENCY ?? 1);
const PP_RECORDS = Number(process.env.BENCH_PP_RECORDS ?? 100_000);
const E2E_MESSAGES = Number(process.env.BENCH_E2E_MESSAGES ?? 1000);

interface BenchDoc {
  _id: string;
  schoolId: string;
  title: string;
  district: string;
  version: number;
  edits?: number;
}

const say = (s: string) => process.stdout.write(`${s}\n`);
const silent: MessagingLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: (...a: unknown[]) => console.error("[bench]", ...a),
} as unknown as MessagingLogger;
const run = `${Date.now().toString(36)}`;
const fmt = (n: number, d = 1) =>
  n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });

function sample(i: number) {
  const ideaId = `idea-${run}-${i}`;
  return IdeaSubmittedEvent.create({
    ideaId,
    callId: "call-2026",
    schoolId: `school-${i % 50}`,
    title: "Orto didattico e compostaggio di quartiere per la scuola primaria",
    district: "Mantova",
    actorSubject: "user-123",
    version: 1,
    occurredAt: new Date().toISOString(),
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Runs a Kafka tool class from the kafka-tools jar; returns its stdout+stderr. */
function kafkaTool(libsDir: string, cls: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("java", ["-Xmx512m", "-cp", `${libsDir}/*`, cls, ...args], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${cls} exited ${code}:\n${out}`)),
    );
  });
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

async function pool(n: number, concurrency: number, task: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await task(next++);
    }),
  );
}

async function main(): Promise<void> {
  const started = performance.now();
  let infra: LocalInfra | undefined;
  let tmp: string | undefined;
  let brokers = (process.env.KAFKA_BROKERS ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  let mongoUrl = process.env.MONGO_URL?.trim() ?? "";
  if (!brokers.length || !mongoUrl) {
    tmp = mkdtempSync(join(tmpdir(), "lto-bench-"));
    say("starting the local runtime (Kafka + FerretDB) in a temp dir ...");
    infra = await startLocalInfra({
      dataDir: tmp,
      kafka: brokers.length ? false : {},
      ferretdb: mongoUrl ? false : {},
    });
    if (!brokers.length) brokers = infra.kafkaBrokers;
    if (!mongoUrl) mongoUrl = infra.mongoUrl;
  }
  const libsDir = await ensureKafkaJars(defaultCacheDir());
  say(`broker ${brokers.join(",")}  store ${mongoUrl}`);

  const kafka = new Kafka({ clientId: `bench-${run}`, brokers, logLevel: logLevel.NOTHING });
  const mongo = await MongoClient.connect(mongoUrl);
  const dbName = `bench_messaging_${run}`;
  const db = mongo.db(dbName);
  const topics = {
    pp: `bench.pp.${run}`,
    e2e: `bench.e2e.${run}`,
    tp: `bench.tp.${run}`,
    lat: `bench.lat.${run}`,
    kp: `bench.kp.${run}`,
  };
  const results: string[] = [];
  const record = (line: string) => {
    say(line);
    results.push(line);
  };

  try {
    const eventBytes = IdeaSubmittedEvent.encode(sample(0)).length;
    const headerBytes = Object.entries(
      toKafkaMessage(pendingEvent(IdeaSubmittedEvent, "x", sample(0))).headers!,
    ).reduce((a, [k, v]) => a + k.length + String(v).length, 0);
    say(`event: IdeaSubmitted, ${eventBytes} B protobuf + ${headerBytes} B CloudEvents headers`);
    await ensureTopics(kafka, [topics.pp, topics.tp, topics.lat, topics.kp], { numPartitions: 3 });
    await ensureTopics(kafka, [topics.e2e], { numPartitions: 1 });

    // ---- 1. Kafka's ProducerPerformance (acks=all, idempotent like our relay) ----
    say(`\n[1/6] ProducerPerformance: ${PP_RECORDS} records of ${eventBytes} B, acks=all, idempotent`);
    const pp = await kafkaTool(libsDir, "org.apache.kafka.tools.ProducerPerformance", [
      "--topic",
      topics.pp,
      "--num-records",
      String(PP_RECORDS),
      "--record-size",
      String(eventBytes),
      "--throughput",
      "-1",
      "--producer-props",
      `bootstrap.servers=${brokers.join(",")}`,
      "acks=all",
      "enable.idempotence=true",
    ]);
    const ppLine =
      pp
        .split("\n")
        .filter((l) => / records sent, /.test(l))
        .pop() ?? "";
    const ppRate = Number(/([\d.]+) records\/sec/.exec(ppLine)?.[1] ?? NaN);
    record(`kafka ProducerPerformance           ${fmt(ppRate, 0)} records/s   (${ppLine.trim()})`);

    // ---- 2. Kafka's EndToEndLatency ----
    say(`\n[2/6] EndToEndLatency: ${E2E_MESSAGES} messages of ${eventBytes} B, acks=all`);
    const e2e = await kafkaTool(libsDir, "org.apache.kafka.tools.EndToEndLatency", [
      brokers.join(","),
      topics.e2e,
      String(E2E_MESSAGES),
      "all",
      String(eventBytes),
    ]);
    const e2eAvg = Number(/Avg latency: ([\d.]+) ms/.exec(e2e)?.[1] ?? NaN);
    const e2ePct = /Percentiles: (.*)/.exec(e2e)?.[1] ?? "";
    record(`kafka EndToEndLatency               avg ${fmt(e2eAvg, 2)} ms   (${e2ePct.trim()}, whole ms)`);

    // ---- 3. messaging: outbox -> relay -> Kafka -> consumer, throughput ----
    say(
      `\n[3/6] messaging publish-to-consume throughput: ${N_THROUGHPUT} events via outbox, relay and consumer`,
    );
    const tpCodec = { ...IdeaSubmittedEvent, topic: topics.tp };
    const tpColl = db.collection("tp_ideas");
    await tpColl.createIndex(OUTBOX_INDEX);
    for (let i = 0; i < N_THROUGHPUT; i += 500) {
      await tpColl.insertMany(
        Array.from({ length: Math.min(500, N_THROUGHPUT - i) }, (_, k) => {
          const m = sample(i + k);
          return withOutboxDoc({ _id: m.ideaId, title: m.title } as Record<string, unknown>, [
            pendingEvent(tpCodec, m.ideaId, m),
          ]);
        }) as never[],
      );
    }
    let consumed = 0;
    let allConsumed!: () => void;
    const done = new Promise<void>((r) => (allConsumed = r));
    const tpConsumer = createConsumer({
      kafka,
      groupId: `bench-tp-${run}`,
      logger: silent,
      partitionsConsumedConcurrently: 3,
      subscriptions: [
        on(tpCodec, async () => {
          if (++consumed === N_THROUGHPUT) allConsumed();
        }),
      ],
    });
    await tpConsumer.start();
    const tpRelay = new OutboxRelay({
      kafka,
      collections: [tpColl],
      logger: silent,
      guard: await documentWriteGuard(db), // as the store gives its relay
      batchSize: 500,
    });
    const tp = await timed(async () => {
      await tpRelay.start();
      await done;
    });
    await tpRelay.stop();
    await tpConsumer.stop();
    const tpRate = (N_THROUGHPUT / tp.ms) * 1000;
    record(
      `messaging outbox->consumer          ${fmt(tpRate, 0)} events/s   (${N_THROUGHPUT} in ${fmt(tp.ms / 1000, 2)} s, incl. store reads and $pullAll)`,
    );

    // ---- 4. the same consumer fed straight from a producer (no store): the Kafka side alone ----
    say(
      `\n[4/6] messaging Kafka path: ${N_KAFKA_PATH} CloudEvents records (relay's encoding, idempotent producer) -> consumer`,
    );
    const kpCodec = { ...IdeaSubmittedEvent, topic: topics.kp };
    let kpConsumed = 0;
    let kpAll!: () => void;
    const kpDone = new Promise<void>((r) => (kpAll = r));
    const kpConsumer = createConsumer({
      kafka,
      groupId: `bench-kp-${run}`,
      logger: silent,
      partitionsConsumedConcurrently: 3,
      subscriptions: [
        on(kpCodec, async () => {
          if (++kpConsumed === N_KAFKA_PATH) kpAll();
        }),
      ],
    });
    await kpConsumer.start();
    const kpProducer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await kpProducer.connect();
    const kpMessages = Array.from({ length: N_KAFKA_PATH }, (_, i) => {
      const m = sample(i);
      return toKafkaMessage(pendingEvent(kpCodec, m.ideaId, m));
    });
    const kp = await timed(async () => {
      for (let i = 0; i < kpMessages.length; i += 500) {
        await kpProducer.sendBatch({
          acks: -1,
          topicMessages: [{ topic: topics.kp, messages: kpMessages.slice(i, i + 500) }],
        });
      }
      await kpDone;
    });
    await kpProducer.disconnect();
    await kpConsumer.stop();
    const kpRate = (N_KAFKA_PATH / kp.ms) * 1000;
    record(
      `messaging Kafka path (no store)     ${fmt(kpRate, 0)} events/s   (${N_KAFKA_PATH} in ${fmt(kp.ms / 1000, 2)} s, produce -> createConsumer handler)`,
    );

    // ---- 5. messaging: latency, one write at a time ----
    say(`\n[5/6] messaging publish-to-consume latency: ${N_LATENCY} sequential outbox writes`);
    const latCodec = { ...IdeaSubmittedEvent, topic: topics.lat };
    const latColl = db.collection("lat_ideas");
    await latColl.createIndex(OUTBOX_INDEX);
    const waiting = new Map<string, () => void>();
    const latConsumer = createConsumer({
      kafka,
      groupId: `bench-lat-${run}`,
      logger: silent,
      subscriptions: [on(latCodec, async (e) => waiting.get(e.id)?.())],
    });
    await latConsumer.start();
    const latRelay = new OutboxRelay({
      kafka,
      collections: [latColl],
      logger: silent,
      guard: await documentWriteGuard(db),
    });
    await latRelay.start();
    const latencies: number[] = [];
    const warmup = 20;
    for (let i = 0; i < N_LATENCY + warmup; i++) {
      const m = sample(i);
      const ev = pendingEvent(latCodec, m.ideaId, m);
      const arrived = new Promise<void>((r) => waiting.set(ev.id, r));
      const t0 = performance.now();
      await latColl.insertOne(
        withOutboxDoc({ _id: m.ideaId, title: m.title } as Record<string, unknown>, [ev]) as never,
      );
      latRelay.nudge();
      await arrived;
      if (i >= warmup) latencies.push(performance.now() - t0);
      waiting.delete(ev.id);
    }
    await latRelay.stop();
    await latConsumer.stop();
    latencies.sort((a, b) => a - b);
    const latAvg = latencies.reduce((a, b) => a + b, 0) / latencies.length;
    record(
      `messaging outbox->consumer latency  avg ${fmt(latAvg, 2)} ms   (p50 ${fmt(percentile(latencies, 50), 2)}, p99 ${fmt(percentile(latencies, 99), 2)}, max ${fmt(latencies[latencies.length - 1]!, 2)}; write + relay + Kafka + handler)`,
    );

    // ---- 6. outbox writes vs plain driver writes ----
    say(`\n[6/6] store writes: ${N_WRITES} each, ${WRITE_CONCURRENCY} in flight`);
    const plain = db.collection<BenchDoc>("w_plain");
    const boxed = db.collection<BenchDoc>("w_outbox");
    await boxed.createIndex(OUTBOX_INDEX);
    const writeRate = async (
      label: string,
      coll: Collection<BenchDoc>,
      op: (i: number) => Promise<unknown>,
    ) => {
      const t = await timed(() => pool(N_WRITES, WRITE_CONCURRENCY, op));
      const rate = (N_WRITES / t.ms) * 1000;
      say(`  ${label.padEnd(34)} ${fmt(rate, 0)} writes/s`);
      void coll;
      return rate;
    };
    const doc = (i: number) => {
      const m = sample(i);
      return { _id: m.ideaId, schoolId: m.schoolId, title: m.title, district: m.district, version: 1 };
    };
    const insPlain = await writeRate("plain insertOne", plain, (i) => plain.insertOne(doc(i)));
    const insBoxed = await writeRate("insertOne + pending event", boxed, (i) => {
      const d = doc(i);
      return boxed.insertOne(withOutboxDoc(d, [pendingEvent(IdeaSubmittedEvent, d._id, sample(i))]));
    });
    const updPlain = await writeRate("plain updateOne $set", plain, (i) =>
      plain.updateOne({ _id: doc(i)._id }, { $set: { version: 2 }, $inc: { edits: 1 } }),
    );
    const updBoxed = await writeRate("updateOne $set + $push event", boxed, (i) =>
      boxed.updateOne(
        { _id: doc(i)._id },
        withOutbox<UpdateFilter<BenchDoc>>({ $set: { version: 2 }, $inc: { edits: 1 } }, [
          pendingEvent(IdeaSubmittedEvent, doc(i)._id, sample(i)),
        ]),
      ),
    );
    record(`outbox insert vs plain insert       ${fmt(insBoxed, 0)} vs ${fmt(insPlain, 0)} writes/s`);
    record(`outbox update vs plain update       ${fmt(updBoxed, 0)} vs ${fmt(updPlain, 0)} writes/s`);

    say("\n== ratios (messaging / reference) ==");
    const ratio = (label: string, a: number, b: number, note: string) =>
      record(`${label.padEnd(44)} ${fmt(a / b, 3)}  ${note}`);
    ratio("throughput: outbox->consumer / ProducerPerformance", tpRate, ppRate, "(higher is better)");
    ratio("throughput: Kafka path (no store) / ProducerPerformance", kpRate, ppRate, "(higher is better)");
    ratio("latency: outbox->consumer avg / EndToEndLatency avg", latAvg, e2eAvg, "(lower is better)");
    ratio("write: outbox insert / plain insert", insBoxed, insPlain, "(1.0 = no cost)");
    ratio("write: outbox update / plain update", updBoxed, updPlain, "(1.0 = no cost)");
    // The path's own limit is the store: each event costs one write to store it and one to clear it
    // (step 3 pre-stores its events, so its limit is the clearing write alone).
    const storeLimit = 1 / (1 / insBoxed + 1 / updPlain);
    ratio("throughput: outbox->consumer / store's clearing rate", tpRate, updPlain, "(1.0 = store-bound)");
    record(
      `store limit of the whole path (store + clear)  ${fmt(storeLimit, 0)} events/s; relay path alone ${fmt(tpRate, 0)} events/s`,
    );
    say(`\ntotal ${fmt((performance.now() - started) / 1000, 1)} s`);
  } finally {
    const admin = kafka.admin();
    await admin
      .connect()
      .then(() => admin.deleteTopics({ topics: Object.values(topics) }))
      .catch(() => undefined)
      .finally(() => admin.disconnect());
    await db.dropDatabase().catch(() => undefined);
    await mongo.close();
    if (infra) await infra.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
