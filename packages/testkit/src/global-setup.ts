/**
 * vitest global setup of the "integration" project: one Kafka broker and one MongoDB-compatible store
 * for the whole run, handed to the test files with provide/inject (see getInfra()). In this order:
 *   1. KAFKA_BROKERS / MONGO_URL from the environment (each on its own);
 *   2. testcontainers (mongo:8.0 replica set, confluentinc/cp-kafka 7.9 in KRaft mode) when a container
 *      runtime answers;
 *   3. @lto/local-runtime (real Kafka 3.9.2 + FerretDB 1.24.2 on PostgreSQL) on free ports in a temp dir.
 * LTO_TEST_INFRA=local|testcontainers forces 2 or 3. Everything started here is stopped at the end.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { quietKafkajsTimeoutWarning, startLocalInfra } from "@lto/local-runtime";
import { parseBrokers, PROVIDE_KEY, type InfraSource, type ProvidedInfra } from "./context.js";

export const MONGO_IMAGE = process.env.LTO_TEST_MONGO_IMAGE ?? "mongo:8.0";
export const KAFKA_IMAGE = process.env.LTO_TEST_KAFKA_IMAGE ?? "confluentinc/cp-kafka:7.9.1";

const say = (line: string) => process.stderr.write(`[testkit] ${line}\n`);

/** True when a Docker (or Podman) engine answers; false fast when there is none. */
export async function containerRuntimeAnswers(timeoutMs = 15_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const { getContainerRuntimeClient } = await import("testcontainers");
    const probe = getContainerRuntimeClient().then(
      () => true,
      (err: unknown) => {
        const message = err instanceof Error ? err.message : String(err);
        if (!/Could not find a working container runtime strategy/.test(message))
          say(`no container runtime: ${message}`);
        return false;
      },
    );
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Makes a fresh broker create its internal topics (__consumer_offsets, __transaction_state) now, once,
 * rather than in the middle of the first test that joins a group or starts an idempotent producer.
 */
export async function warmUpKafka(brokers: string[]): Promise<void> {
  const { Kafka, logLevel } = await import("kafkajs");
  const kafka = new Kafka({
    clientId: "lto-testkit-warmup",
    brokers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 20, maxRetryTime: 1_000 },
  });
  const topic = "lto.testkit.warmup";
  const admin = kafka.admin();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const consumer = kafka.consumer({ groupId: "lto-testkit-warmup", maxWaitTimeInMs: 100 });
  try {
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] });
    await producer.connect();
    await producer.send({ topic, messages: [{ value: "warm" }] });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer.run({ eachMessage: async () => resolve() }).catch(reject);
    });
  } finally {
    await Promise.allSettled([consumer.disconnect(), producer.disconnect(), admin.disconnect()]);
  }
}

interface Started {
  kafkaBrokers?: string[];
  mongoUrl?: string;
  stop(): Promise<void>;
}

async function startWithTestcontainers(needKafka: boolean, needMongo: boolean): Promise<Started> {
  const stops: Array<() => Promise<unknown>> = [];
  const result: Started = {
    async stop() {
      await Promise.allSettled(stops.map((s) => s()));
    },
  };
  try {
    const [kafka, mongo] = await Promise.all([
      needKafka
        ? import("@testcontainers/kafka").then(({ KafkaContainer }) =>
            new KafkaContainer(KAFKA_IMAGE).withKraft().start(),
          )
        : undefined,
      needMongo
        ? import("@testcontainers/mongodb").then(({ MongoDBContainer }) =>
            new MongoDBContainer(MONGO_IMAGE).start(),
          )
        : undefined,
    ]);
    if (kafka) {
      stops.push(() => kafka.stop());
      result.kafkaBrokers = [`${kafka.getHost()}:${kafka.getMappedPort(9093)}`];
    }
    if (mongo) {
      stops.push(() => mongo.stop());
      // A one-node replica set whose member name is the container's: talk to it directly.
      result.mongoUrl = `mongodb://${mongo.getHost()}:${mongo.getMappedPort(27017)}/?directConnection=true`;
    }
    return result;
  } catch (err) {
    await result.stop();
    throw err;
  }
}

async function startWithLocalRuntime(needKafka: boolean, needMongo: boolean): Promise<Started> {
  const dataDir = mkdtempSync(join(tmpdir(), "lto-test-infra-"));
  const removeDir = () => rmSync(dataDir, { recursive: true, force: true });
  try {
    const infra = await startLocalInfra({
      dataDir,
      kafka: needKafka ? { heap: process.env.LTO_TEST_KAFKA_HEAP ?? "512m" } : false,
      ferretdb: needMongo ? {} : false,
      durable: false, // a throw-away store: no fsync
      log: say,
    });
    // Should vitest exit without running the teardown, do not leave the processes behind.
    const onExit = () => {
      for (const p of infra.processes) {
        try {
          process.kill(p.pid, "SIGTERM");
        } catch {
          /* already gone */
        }
      }
    };
    process.once("exit", onExit);
    return {
      ...(needKafka ? { kafkaBrokers: infra.kafkaBrokers } : {}),
      ...(needMongo ? { mongoUrl: infra.mongoUrl } : {}),
      async stop() {
        process.removeListener("exit", onExit);
        await infra.stop();
        removeDir();
      },
    };
  } catch (err) {
    removeDir();
    throw err;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  quietKafkajsTimeoutWarning();
  const began = Date.now();
  const envBrokers = parseBrokers(process.env.KAFKA_BROKERS ?? "");
  const envMongo = process.env.MONGO_URL?.trim() ?? "";
  const needKafka = envBrokers.length === 0;
  const needMongo = envMongo === "";
  const mode = process.env.LTO_TEST_INFRA?.trim() || "auto";
  if (!["auto", "local", "testcontainers"].includes(mode)) {
    throw new Error(`LTO_TEST_INFRA must be auto, local or testcontainers, got "${mode}"`);
  }

  let started: Started | undefined;
  let source: InfraSource = "env";
  if (needKafka || needMongo) {
    const useContainers = mode === "testcontainers" || (mode === "auto" && (await containerRuntimeAnswers()));
    if (mode === "testcontainers" && !(await containerRuntimeAnswers())) {
      throw new Error("LTO_TEST_INFRA=testcontainers but no container runtime answers");
    }
    source = useContainers ? "testcontainers" : "local";
    say(
      `starting ${[needKafka && "Kafka", needMongo && "MongoDB"].filter(Boolean).join(" and ")} with ${useContainers ? "testcontainers" : "the local runtime (no container runtime answers)"}`,
    );
    started = useContainers
      ? await startWithTestcontainers(needKafka, needMongo)
      : await startWithLocalRuntime(needKafka, needMongo);
    if (needKafka) {
      try {
        await warmUpKafka(started.kafkaBrokers!);
      } catch (err) {
        await started.stop();
        throw err;
      }
    }
  }

  const infra: ProvidedInfra = {
    kafkaBrokers: needKafka ? started!.kafkaBrokers! : envBrokers,
    mongoUrl: needMongo ? started!.mongoUrl! : envMongo,
    kafkaSource: needKafka ? source : "env",
    mongoSource: needMongo ? source : "env",
  };
  project.provide(PROVIDE_KEY, infra);
  say(
    `Kafka ${infra.kafkaBrokers.join(",")} (${infra.kafkaSource}), MongoDB ${infra.mongoUrl} (${infra.mongoSource}); ready in ${((Date.now() - began) / 1000).toFixed(1)} s`,
  );

  return async () => {
    if (!started) return;
    const t = Date.now();
    await started.stop();
    say(`stopped the test infrastructure in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  };
}
