// The one way a service makes its Kafka client and checks the broker for /readyz.
import { createRequire } from "node:module";
import { createLogger } from "@lto/telemetry";
import { quietKafkajsTimeoutWarning } from "@lto/telemetry/warnings";
import { Kafka, logLevel, type LogEntry, type logCreator, type SASLOptions } from "kafkajs";
import type { MessagingLogger } from "./logger.js";

export interface CreateKafkaOptions {
  clientId: string;
  brokers: readonly string[];
  /** kafkajs's own logging (default WARN: its INFO lines are per connection). */
  logLevel?: logLevel;
  /** Where kafkajs's lines go (default: a pino logger named kafkajs). */
  logger?: MessagingLogger;
  /** TLS to the brokers (default off). */
  ssl?: boolean;
  /** SASL authentication (e.g. a Strimzi KafkaUser's SCRAM-SHA-512 credentials); unset: none. */
  sasl?: { mechanism: "plain" | "scram-sha-256" | "scram-sha-512"; username: string; password: string };
}

// kafkajs logs conditions it retries by itself at ERROR ("The coordinator is loading...", "The group
// is rebalancing...", "There is no leader..."), with whole objects: alarming to a newcomer while all is
// well. Those are debug lines here; anything else is a warning, with a few short fields.
const require = createRequire(import.meta.url);
const RETRIABLE_MESSAGES = new Set(
  (
    require("kafkajs/src/protocol/error.js") as { errorCodes: { message: string; retriable: boolean }[] }
  ).errorCodes
    .filter((c) => c.retriable)
    .map((c) => c.message),
);
const EXPECTED = [
  /group is rebalancing/i,
  /Limiting retries for the idempotent producer/i, // every idempotent producer says it
  /Restarting the consumer in/i, // after a retriable crash; kafkajs restarts it itself
];

/** Whether a kafkajs log line is an expected, retried condition (debug) or worth a warning. */
export function isExpectedKafkaLog(entry: Pick<LogEntry["log"], "message"> & { error?: unknown }): boolean {
  const error = typeof entry.error === "string" ? entry.error : "";
  return (
    RETRIABLE_MESSAGES.has(error) ||
    [...RETRIABLE_MESSAGES].some((m) => entry.message.includes(m)) ||
    EXPECTED.some((re) => re.test(entry.message) || re.test(error))
  );
}

const KEPT_FIELDS = ["broker", "clientId", "groupId", "topic", "error", "retryCount", "retryTime"];

/** kafkajs -> the service's logger: short lines, expected retries at debug. */
export function kafkajsLogCreator(logger: MessagingLogger): logCreator {
  return () => (entry: LogEntry) => {
    const { message, ...rest } = entry.log;
    const fields: Record<string, unknown> = { kafkajs: entry.namespace };
    for (const key of KEPT_FIELDS) {
      const value = (rest as Record<string, unknown>)[key];
      if (value !== undefined && (typeof value !== "object" || value === null)) fields[key] = value;
    }
    const line = `kafkajs: ${message}`;
    if (entry.level >= logLevel.INFO || isExpectedKafkaLog({ message, error: rest.error }))
      logger.debug(fields, line);
    else logger.warn(fields, line);
  };
}

let defaultLogger: MessagingLogger | undefined;

export function createKafka(opts: CreateKafkaOptions): Kafka {
  quietKafkajsTimeoutWarning();
  return new Kafka({
    clientId: opts.clientId,
    brokers: [...opts.brokers],
    ...(opts.ssl ? { ssl: true } : {}),
    ...(opts.sasl ? { sasl: opts.sasl as SASLOptions } : {}),
    logLevel: opts.logLevel ?? logLevel.WARN,
    logCreator: kafkajsLogCreator(opts.logger ?? (defaultLogger ??= createLogger("kafkajs"))),
  });
}

/** Readiness check: the broker accepts an admin connection. */
export function brokerReadiness(kafka: Kafka): () => Promise<void> {
  return async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.disconnect();
  };
}
