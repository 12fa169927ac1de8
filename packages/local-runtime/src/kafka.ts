import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { launchUntilReady, type ManagedProcess } from "./launch.js";
import { defaultCacheDir, kafkaLibsDir } from "./paths.js";
import { isPortFree } from "./process.js";
import { requireJava } from "./tools.js";

export interface KafkaOptions {
  /** PLAINTEXT listener (clients). */
  port: number;
  /** CONTROLLER listener (KRaft quorum); never 0.0.0.0. */
  controllerPort: number;
  /** This broker's own directory: server.properties, data/, kafka.log, kafka.pid. */
  dataDir: string;
  /** JVM max heap, e.g. "512m" or "1g"; at most 1g. Default 1g. */
  heap?: string;
  cacheDir?: string;
  /** Directory of the broker jars; default <cacheDir>/kafka-3.9.2/libs (see ensureKafkaJars). */
  libsDir?: string;
  /** Outlive the calling process (CLI `up`). */
  detached?: boolean;
  readyTimeoutMs?: number;
}

export interface ServerPropertiesInput {
  port: number;
  controllerPort: number;
  logDir: string;
  host?: string;
  nodeId?: number;
  numPartitions?: number;
}

/** server.properties of one combined broker+controller KRaft node on 127.0.0.1. */
export function renderServerProperties(o: ServerPropertiesInput): string {
  const host = o.host ?? "127.0.0.1";
  if (host === "0.0.0.0") throw new Error("the controller address must not be 0.0.0.0");
  const nodeId = o.nodeId ?? 1;
  const lines: Array<[string, string | number]> = [
    ["process.roles", "broker,controller"],
    ["node.id", nodeId],
    ["controller.quorum.voters", `${nodeId}@${host}:${o.controllerPort}`],
    ["listeners", `PLAINTEXT://${host}:${o.port},CONTROLLER://${host}:${o.controllerPort}`],
    ["advertised.listeners", `PLAINTEXT://${host}:${o.port}`],
    ["inter.broker.listener.name", "PLAINTEXT"],
    ["controller.listener.names", "CONTROLLER"],
    ["listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT"],
    ["log.dirs", o.logDir],
    ["num.partitions", o.numPartitions ?? 3],
    ["default.replication.factor", 1],
    ["min.insync.replicas", 1],
    ["offsets.topic.replication.factor", 1],
    // Fewer internal partitions than the default 50: the first consumer group joins in well under a second.
    ["offsets.topic.num.partitions", 10],
    ["transaction.state.log.replication.factor", 1],
    ["transaction.state.log.min.isr", 1],
    ["transaction.state.log.num.partitions", 10],
    ["group.initial.rebalance.delay.ms", 0],
    // The log cleaner's buffer (default 128 MiB) comes out of the heap; a small heap must not be half of it.
    ["log.cleaner.dedupe.buffer.size", 32 * 1024 * 1024],
  ];
  return `# Written by @lto/local-runtime: one combined KRaft node for development and tests.\n${lines
    .map(([k, v]) => `${k}=${v}`)
    .join("\n")}\n`;
}

/** log4j 1 (reload4j) config: everything to the console, which the launcher appends to kafka.log. */
export function renderLog4jProperties(): string {
  return [
    "log4j.rootLogger=INFO, stdout",
    "log4j.appender.stdout=org.apache.log4j.ConsoleAppender",
    "log4j.appender.stdout.layout=org.apache.log4j.PatternLayout",
    "log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n",
    "log4j.logger.kafka.request.logger=WARN",
    "log4j.logger.state.change.logger=WARN",
    "log4j.logger.kafka.authorizer.logger=WARN",
    "",
  ].join("\n");
}

/** A KRaft cluster id: 16 random bytes, base64url without padding (22 chars), never starting with '-'. */
export function newClusterId(random: (n: number) => Buffer = randomBytes): string {
  for (;;) {
    const bytes = random(16);
    if (bytes.every((b) => b === 0)) continue; // Uuid.ZERO_UUID is reserved
    const id = bytes.toString("base64url");
    if (!id.startsWith("-")) return id;
  }
}

export function isValidClusterId(id: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/.test(id) && Buffer.from(id, "base64url").length === 16;
}

/** Reads cluster.id from a formatted log dir's meta.properties. */
export function parseMetaProperties(text: string): { clusterId?: string } {
  const m = /^cluster\.id=(.+)$/m.exec(text);
  return m?.[1] ? { clusterId: m[1].trim() } : {};
}

/** Heap size in MiB from "512m"/"1g"; throws when malformed or over 1 GiB. */
export function parseHeap(heap: string): number {
  const m = /^(\d+)([mMgG])$/.exec(heap.trim());
  if (!m) throw new Error(`Kafka heap must look like 512m or 1g, got "${heap}"`);
  const mib = Number(m[1]) * (m[2]!.toLowerCase() === "g" ? 1024 : 1);
  if (mib < 128 || mib > 1024) throw new Error(`Kafka heap must be between 128m and 1g, got "${heap}"`);
  return mib;
}

export function kafkaJvmArgs(heap: string, log4jFile: string, libsDir: string): string[] {
  const mib = parseHeap(heap);
  return [
    `-Xms${Math.min(mib, 256)}m`,
    `-Xmx${mib}m`,
    "-XX:+UseG1GC",
    "-XX:MaxGCPauseMillis=20",
    "-XX:InitiatingHeapOccupancyPercent=35",
    "-XX:+ExplicitGCInvokesConcurrent",
    "-Djava.awt.headless=true",
    `-Dlog4j.configuration=file:${log4jFile}`,
    "-cp",
    `${libsDir}/*`,
  ];
}

function runToEnd(
  command: string,
  args: string[],
  cwd: string,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (output += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (output += c));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, output }));
  });
}

/** True when the admin API of the broker(s) answers a listTopics within `timeoutMs`. */
export async function kafkaAnswers(brokers: string[], timeoutMs = 3_000): Promise<boolean> {
  const kafka = new Kafka({
    clientId: "lto-local-runtime-probe",
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: Math.min(timeoutMs, 1_000),
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  let timer: NodeJS.Timeout | undefined;
  try {
    const probe = (async () => {
      await admin.connect();
      await admin.listTopics();
      return true;
    })();
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    return await Promise.race([probe.catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * Formats the storage (once; a formatted dir keeps its cluster id) and starts a single-node KRaft
 * broker. Resolves when the admin API answers; on failure stops it and throws with the log's tail.
 */
export async function startKafka(opts: KafkaOptions): Promise<ManagedProcess> {
  requireJava();
  const dir = resolve(opts.dataDir);
  const libsDir = opts.libsDir ?? kafkaLibsDir(opts.cacheDir ?? defaultCacheDir());
  if (!existsSync(join(libsDir, "kafka_2.13-3.9.2.jar"))) {
    throw new Error(`Kafka jars missing in ${libsDir}: run ensureKafkaJars() (npm run infra:up does)`);
  }
  const heap = opts.heap ?? "1g";
  parseHeap(heap);
  for (const port of [opts.port, opts.controllerPort]) {
    if (!(await isPortFree(port))) {
      throw new Error(
        `port 127.0.0.1:${port} is already in use: choose other ports (KAFKA_PORT, KAFKA_CONTROLLER_PORT)`,
      );
    }
  }

  const logDir = join(dir, "data");
  mkdirSync(logDir, { recursive: true });
  const serverProperties = join(dir, "server.properties");
  const log4j = join(dir, "log4j.properties");
  const logFile = join(dir, "kafka.log");
  writeFileSync(
    serverProperties,
    renderServerProperties({ port: opts.port, controllerPort: opts.controllerPort, logDir }),
  );
  writeFileSync(log4j, renderLog4jProperties());

  const metaFile = join(logDir, "meta.properties");
  const clusterId =
    (existsSync(metaFile) && parseMetaProperties(readFileSync(metaFile, "utf8")).clusterId) || newClusterId();
  const jvm = kafkaJvmArgs(heap, log4j, libsDir);
  // Asynchronously: the JVM takes seconds to start, and FerretDB is being started alongside.
  const format = await runToEnd(
    "java",
    [
      ...jvm.filter((a) => !a.startsWith("-Xm")),
      "-Xmx256m",
      "kafka.tools.StorageTool",
      "format",
      "-t",
      clusterId,
      "-c",
      serverProperties,
      "--ignore-formatted",
    ],
    dir,
  );
  if (format.code !== 0) {
    throw new Error(`kafka StorageTool format failed (exit ${format.code}):\n${format.output}`);
  }

  const address = `127.0.0.1:${opts.port}`;
  return launchUntilReady({
    name: "kafka",
    label: "Kafka",
    command: "java",
    args: [...jvm, "kafka.Kafka", serverProperties],
    dir,
    logFile,
    address,
    marker: serverProperties,
    detached: opts.detached ?? false,
    extra: { controllerPort: opts.controllerPort, clusterId, heap },
    ready: () => kafkaAnswers([address], 2_000),
    readyTimeoutMs: opts.readyTimeoutMs ?? 90_000,
    intervalMs: 300,
  });
}
