import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { MongoClient } from "mongodb";
import { afterAll, describe, expect, it } from "vitest";
import {
  componentStatus,
  down,
  freePort,
  isAlive,
  kafkaAnswers,
  mongoAnswers,
  startFerretDb,
  startLocalInfra,
} from "../src/index.js";

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "lto-local-runtime-test-"));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe("local runtime", () => {
  it("starts Kafka, PostgreSQL and FerretDB on free ports, all answer, and down() leaves no process", async () => {
    const dataDir = tempDir();
    const infra = await startLocalInfra({ dataDir, kafka: { heap: "512m" } });
    const pids = infra.processes.map((p) => p.pid);
    try {
      expect(infra.processes.map((p) => p.name).sort()).toEqual(["ferretdb", "kafka", "postgres"]);
      expect(await kafkaAnswers(infra.kafkaBrokers)).toBe(true);
      expect(await mongoAnswers(infra.mongoUrl)).toBe(true);

      // A real round trip through each.
      const kafka = new Kafka({
        clientId: "local-runtime-test",
        brokers: infra.kafkaBrokers,
        logLevel: logLevel.ERROR,
      });
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({ waitForLeaders: true, topics: [{ topic: "probe", numPartitions: 1 }] });
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic: "probe", messages: [{ key: "k", value: "hello" }] });
      await producer.disconnect();
      const offsets = await admin.fetchTopicOffsets("probe");
      await admin.disconnect();
      expect(offsets[0]?.high).toBe("1");

      const client = await new MongoClient(infra.mongoUrl).connect();
      try {
        await client
          .db("probe")
          .collection("docs")
          .insertOne({ _id: "a" as never, n: 1 });
        expect(
          await client
            .db("probe")
            .collection("docs")
            .findOne({ _id: "a" as never }),
        ).toEqual({ _id: "a", n: 1 });
      } finally {
        await client.close();
      }

      const statuses = await Promise.all([
        componentStatus(dataDir, "kafka"),
        componentStatus(dataDir, "postgres"),
        componentStatus(dataDir, "ferretdb"),
      ]);
      for (const s of statuses) {
        expect(s).toMatchObject({ running: true, healthy: true });
      }
      expect(statuses.map((s) => s.pid).sort()).toEqual([...pids].sort());
    } finally {
      const results = await down({ dataDir });
      expect(results.map((r) => r.outcome)).toEqual(["terminated", "terminated", "terminated"]);
    }
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
    expect(existsSync(join(dataDir, "kafka", "kafka.pid"))).toBe(false);
    expect(existsSync(join(dataDir, "ferretdb", "ferretdb.pid"))).toBe(false);
    expect(existsSync(join(dataDir, "postgres", "postgres.pid"))).toBe(false);
    expect(await componentStatus(dataDir, "kafka")).toMatchObject({ running: false, healthy: false });
  });

  it("refuses a port that is already taken, naming it", async () => {
    const port = await freePort();
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, "127.0.0.1", resolve));
    try {
      await expect(startFerretDb({ port, dataDir: tempDir() })).rejects.toThrow(
        `127.0.0.1:${port} is already in use`,
      );
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
