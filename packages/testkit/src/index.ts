/**
 * @lto/testkit: what integration tests need to run on the real broker and store, in parallel files.
 * The vitest global setup (./global-setup.ts) starts or finds the infrastructure once per run; every
 * helper here gives each test file its own database, topics, consumer groups and client ids.
 */
import { randomBytes } from "node:crypto";
import { createServer, type AddressInfo } from "node:net";
import { basename } from "node:path";
import { Kafka, logLevel, type KafkaConfig } from "kafkajs";
import mongoose from "mongoose";
import { afterAll, beforeAll, expect, inject } from "vitest";
import { generateSigningKey, serveJwks, signToken, type TokenClaims } from "@lto/auth";
import { quietKafkajsTimeoutWarning } from "@lto/local-runtime";
import { parseBrokers, PROVIDE_KEY, type InfraSource, type ProvidedInfra } from "./context.js";

export type { InfraSource, ProvidedInfra } from "./context.js";

// Test files that use the testkit are spared kafkajs 2.2.4's harmless TimeoutNegativeWarning flood.
quietKafkajsTimeoutWarning();

export interface TestInfra {
  kafkaBrokers: string[];
  mongoUrl: string;
  kafkaSource: InfraSource;
  mongoSource: InfraSource;
}

function provided(): ProvidedInfra | undefined {
  try {
    return inject(PROVIDE_KEY);
  } catch {
    return undefined; // not inside a vitest worker
  }
}

/**
 * The broker and store of this test run: KAFKA_BROKERS / MONGO_URL from the environment first, else
 * what the global setup provided. Throws a helpful error outside the "integration" project.
 */
export async function getInfra(): Promise<TestInfra> {
  const envBrokers = parseBrokers(process.env.KAFKA_BROKERS ?? "");
  const envMongo = process.env.MONGO_URL?.trim() ?? "";
  const fromSetup = provided();
  const kafkaBrokers = envBrokers.length ? envBrokers : (fromSetup?.kafkaBrokers ?? []);
  const mongoUrl = envMongo || fromSetup?.mongoUrl || "";
  if (!kafkaBrokers.length || !mongoUrl) {
    throw new Error(
      "no test infrastructure: run integration tests through vitest's integration project (its global setup starts Kafka and the store), or set KAFKA_BROKERS and MONGO_URL",
    );
  }
  return {
    kafkaBrokers,
    mongoUrl,
    kafkaSource: envBrokers.length ? "env" : (fromSetup?.kafkaSource ?? "env"),
    mongoSource: envMongo ? "env" : (fromSetup?.mongoSource ?? "env"),
  };
}

function slug(text: string, max: number): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, max);
}

/** Short name of the running test file ("ideas-repo.int.test.ts" -> "ideas_repo"), if known. */
function currentFileSlug(): string | undefined {
  try {
    const path = expect.getState().testPath;
    return path
      ? slug(basename(path).replace(/\.(int|unit)?\.?test\.[cm]?[jt]s$/, ""), 24) || undefined
      : undefined;
  } catch {
    return undefined;
  }
}

function suffix(): string {
  return `${Date.now().toString(36)}${randomBytes(4).toString("hex")}`;
}

/** A unique id with a readable prefix: "order-mf3k2x1a9c0d1e2f". Topic-, group- and client-id-safe. */
export function uniqueId(prefix = "id"): string {
  return `${prefix.replace(/[^A-Za-z0-9._-]+/g, "-")}-${suffix()}`;
}

/**
 * A fresh database name for one test file: "t_<prefix or file name>_<time><random>", lower case,
 * [a-z0-9_] only and at most 63 characters (valid on MongoDB and FerretDB alike).
 */
export function testDbName(prefix?: string): string {
  const head = slug(prefix ?? currentFileSlug() ?? "test", 30) || "test";
  return `t_${head}_${suffix()}`.slice(0, 63);
}

/** A unique topic name: "test.<prefix>.<time><random>". */
export function uniqueTopic(prefix = "topic"): string {
  return `test.${prefix.replace(/[^A-Za-z0-9._-]+/g, "-")}.${suffix()}`;
}

/** A unique consumer group id for this file: "test-<prefix>-<time><random>". */
export function uniqueGroupId(prefix = currentFileSlug() ?? "group"): string {
  return uniqueId(`test-${prefix}`);
}

const KAFKA_LOG_LEVELS: Record<string, logLevel> = {
  nothing: logLevel.NOTHING,
  error: logLevel.ERROR,
  warn: logLevel.WARN,
  info: logLevel.INFO,
  debug: logLevel.DEBUG,
};

/**
 * A kafkajs client on the test broker with a unique clientId. kafkajs logs retried, transient
 * conditions at ERROR, so it is silent unless LTO_TEST_KAFKA_LOG=error|warn|info|debug (failures still
 * surface as thrown errors). Any KafkaConfig field can be overridden.
 */
export async function createTestKafka(
  config: Partial<KafkaConfig> & { clientPrefix?: string } = {},
): Promise<Kafka> {
  const { clientPrefix, ...rest } = config;
  const infra = await getInfra();
  return new Kafka({
    clientId: uniqueId(clientPrefix ?? `test-${currentFileSlug() ?? "client"}`),
    brokers: infra.kafkaBrokers,
    logLevel: KAFKA_LOG_LEVELS[process.env.LTO_TEST_KAFKA_LOG?.toLowerCase() ?? ""] ?? logLevel.NOTHING,
    connectionTimeout: 3_000,
    retry: { retries: 8, initialRetryTime: 100, maxRetryTime: 2_000 },
    ...rest,
  });
}

/** Creates topics (waiting for their leaders) and returns their names; existing ones are fine. */
export async function createTestTopics(
  kafka: Kafka,
  topics: string[],
  opts: { partitions?: number } = {},
): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: topics.map((topic) => ({ topic, numPartitions: opts.partitions ?? 3, replicationFactor: 1 })),
    });
  } finally {
    await admin.disconnect();
  }
  return topics;
}

/**
 * A consumer group positioned at the current end of `topics`: a service started with it
 * (KAFKA_CONSUMER_GROUP) hears only the events published from now on. The shared test broker holds
 * every other test's events; a fresh group reading them all can take minutes.
 */
export async function consumerGroupAtEnd(name: string, topics: readonly string[]): Promise<string> {
  const groupId = uniqueGroupId(name);
  const kafka = await createTestKafka({ clientPrefix: `${name}-offsets` });
  await createTestTopics(kafka, [...topics], { partitions: 3 });
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (const topic of topics) {
      const partitions = (await admin.fetchTopicOffsets(topic)).map((p) => ({
        partition: p.partition,
        offset: p.high,
      }));
      await admin.setOffsets({ groupId, topic, partitions });
    }
  } finally {
    await admin.disconnect();
  }
  return groupId;
}

/**
 * How many records of `topic` the consumer group `groupId` has not committed yet, summed over the
 * partitions, as the broker sees it (a group without a committed offset counts from the start:
 * service consumers of a fresh group read from the beginning). 0 = the group has caught up.
 */
export async function groupLag(groupId: string, topic: string): Promise<number> {
  const admin = (await createTestKafka({ clientPrefix: "group-lag" })).admin();
  await admin.connect();
  try {
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    let lag = 0n;
    for (const p of await admin.fetchTopicOffsets(topic)) {
      let at = BigInt(committed?.partitions.find((c) => c.partition === p.partition)?.offset ?? "-1");
      if (at < 0n) at = BigInt(p.low);
      if (BigInt(p.high) > at) lag += BigInt(p.high) - at;
    }
    return Number(lag);
  } finally {
    await admin.disconnect();
  }
}

export interface TestDb {
  connection: mongoose.Connection;
  dbName: string;
  /** The server's connection string (without the database). */
  mongoUrl: string;
  /** Drops this file's database. */
  drop(): Promise<void>;
  /** Drops the database and closes the connection. */
  close(): Promise<void>;
}

/**
 * A mongoose connection to a fresh database of its own (autoIndex off, as in the services: create
 * indexes explicitly). Call close() when done, or use useTestDb() to have it done for you.
 */
export async function connectTestDb(opts: { prefix?: string; dbName?: string } = {}): Promise<TestDb> {
  const { mongoUrl } = await getInfra();
  const dbName = opts.dbName ?? testDbName(opts.prefix);
  const connection = await mongoose
    .createConnection(mongoUrl, {
      dbName,
      autoIndex: false,
      autoCreate: true,
      serverSelectionTimeoutMS: 10_000,
    })
    .asPromise();
  const drop = async () => {
    await connection.dropDatabase();
  };
  return {
    connection,
    dbName,
    mongoUrl,
    drop,
    async close() {
      try {
        await drop();
      } finally {
        await connection.close();
      }
    },
  };
}

/**
 * Registers beforeAll/afterAll in the calling test file: connects to a fresh database before the
 * tests and drops it after. Read `.connection` / `.dbName` inside tests or hooks.
 */
export function useTestDb(opts: { prefix?: string } = {}): TestDb {
  let db: TestDb | undefined;
  const get = () => {
    if (!db)
      throw new Error("useTestDb(): the database is available inside tests and hooks, not at module level");
    return db;
  };
  beforeAll(async () => {
    db = await connectTestDb(opts);
  });
  afterAll(async () => {
    await db?.close();
  });
  return {
    get connection() {
      return get().connection;
    },
    get dbName() {
      return get().dbName;
    },
    get mongoUrl() {
      return get().mongoUrl;
    },
    drop: () => get().drop(),
    close: () => get().close(),
  };
}

export interface TestAuth {
  /** URL of the JWKS document holding the test key (JWKS_URL). */
  jwksUrl: string;
  issuer: string;
  audience: string;
  /** A signed ES256 token with these claims (expiresIn in seconds or a span like "5m"; default 1h). */
  token(
    claims: TokenClaims,
    opts?: { expiresIn?: number | string; issuer?: string; audience?: string },
  ): Promise<string>;
  /** "Bearer <token>", for the Authorization header. */
  bearer(claims: TokenClaims): Promise<string>;
  /** A token with the same claims signed by a key that is NOT in the JWKS (must be refused). */
  foreignToken(claims: TokenClaims): Promise<string>;
  /** The env a service under test needs to trust these tokens. */
  env: { JWKS_URL: string; JWT_ISSUER: string; JWT_AUDIENCE: string };
  close(): Promise<void>;
}

/** A throw-away signing key served as a JWKS on a free 127.0.0.1 port, and a token factory for it. */
export async function testAuth(opts: { issuer?: string; audience?: string } = {}): Promise<TestAuth> {
  const issuer = opts.issuer ?? "https://auth.lto.local/test";
  const audience = opts.audience ?? "lto";
  const key = await generateSigningKey();
  const server = await serveJwks([key.publicJwk]);
  let foreignKey: Awaited<ReturnType<typeof generateSigningKey>> | undefined;
  const token: TestAuth["token"] = (claims, o = {}) =>
    signToken(key, claims, {
      issuer: o.issuer ?? issuer,
      audience: o.audience ?? audience,
      ...(o.expiresIn === undefined ? {} : { expiresIn: o.expiresIn }),
    });
  return {
    jwksUrl: server.url,
    issuer,
    audience,
    token,
    bearer: async (claims) => `Bearer ${await token(claims)}`,
    async foreignToken(claims) {
      foreignKey ??= await generateSigningKey();
      return signToken(foreignKey, claims, { issuer, audience });
    },
    env: { JWKS_URL: server.url, JWT_ISSUER: issuer, JWT_AUDIENCE: audience },
    close: () => server.close(),
  };
}

const DEAD_MEMBER_SCRIPT = `
import { Kafka, logLevel } from "kafkajs";
const kafka = new Kafka({ clientId: "dead-member", brokers: process.env.DM_BROKERS.split(","), logLevel: logLevel.NOTHING });
const timeout = Number(process.env.DM_SESSION_MS);
const consumer = kafka.consumer({ groupId: process.env.DM_GROUP, sessionTimeout: timeout, rebalanceTimeout: timeout });
consumer.on(consumer.events.GROUP_JOIN, () => console.log("joined"));
await consumer.connect();
await consumer.subscribe({ topics: JSON.parse(process.env.DM_TOPICS), fromBeginning: true });
// Never finishes a message, so it commits nothing for the group's real members.
await consumer.run({ eachMessage: () => new Promise(() => {}) });
`;

/**
 * Leaves `groupId` holding a member that died without leaving (its process killed with SIGKILL after
 * it joined), as after a kill -9 of a service: the next member to join waits until the broker drops
 * the dead one, i.e. up to `sessionTimeoutMs` (the broker accepts 6000 ms and more).
 */
export async function deadGroupMember(opts: {
  groupId: string;
  topics: string[];
  sessionTimeoutMs: number;
}): Promise<void> {
  const { spawn } = await import("node:child_process");
  const { kafkaBrokers } = await getInfra();
  const child = spawn(process.execPath, ["--input-type=module", "-e", DEAD_MEMBER_SCRIPT], {
    cwd: import.meta.dirname,
    env: {
      ...process.env,
      DM_BROKERS: kafkaBrokers.join(","),
      DM_GROUP: opts.groupId,
      DM_TOPICS: JSON.stringify(opts.topics),
      DM_SESSION_MS: String(opts.sessionTimeoutMs),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stderr.setEncoding("utf8").on("data", (c: string) => (output += c));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`dead member did not join in 60 s: ${output}`)),
        60_000,
      );
      child.stdout.setEncoding("utf8").on("data", (c: string) => {
        if (c.includes("joined")) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`dead member exited with ${code}: ${output}`));
      });
    });
  } finally {
    child.kill("SIGKILL");
  }
}

/** Polls `check` every 100 ms until it returns something truthy; fails after `timeoutMs` naming `what`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T> | T,
  timeoutMs = 30_000,
): Promise<Exclude<T, false | null | undefined>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as Exclude<T, false | null | undefined>;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * A local port free right now (nobody listens on it once this returns): a peer's address known before
 * the peer starts, or a peer that is down.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
