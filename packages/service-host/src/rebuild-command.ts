// A service's rebuild command (its src/rebuild.ts): the store and the broker opened as the service opens
// them, from the service's own environment, the rebuild run, its result logged; a failure is logged with
// what to do and exits 1.
import { kafkaAuth } from "@lto/config";
import { createKafka } from "@lto/messaging";
import type { AggregateStore } from "@lto/store";
import { createLogger, type Logger } from "@lto/telemetry";
import type { Kafka } from "kafkajs";
import type { HostedConfig } from "./host.js";
import { openServiceStore } from "./store.js";

export interface RebuildContext<C, Cols> {
  config: C;
  kafka: Kafka;
  store: AggregateStore;
  collections: Cols;
  logger: Logger;
  /** The service's consumer group (KAFKA_CONSUMER_GROUP). */
  group: string;
}

export async function runRebuild<C extends HostedConfig, Cols, R extends object>(opts: {
  /** The service's name (logs, the store's app name, the Kafka client id). */
  name: string;
  config: C;
  /** Registers the service's collections (their indexes are made as at the service's start). */
  collections(store: AggregateStore): Cols;
  rebuild(ctx: RebuildContext<C, Cols>): Promise<R>;
  /** Logged with the result. */
  done: string;
  /** Logged with the error: what the operator does next. */
  failed: string;
}): Promise<void> {
  const { config } = opts;
  const logger = createLogger(`${opts.name}-rebuild`, { level: config.LOG_LEVEL });
  const { store, collections } = await openServiceStore(
    { name: opts.name, url: config.MONGO_URL, dbName: config.MONGO_DB },
    opts.collections,
  );
  try {
    const kafka = createKafka({
      clientId: `lto-${opts.name}-rebuild`,
      brokers: config.KAFKA_BROKERS,
      logger,
      ...kafkaAuth(config),
    });
    const result = await opts.rebuild({
      config,
      kafka,
      store,
      collections,
      logger,
      group: config.KAFKA_CONSUMER_GROUP,
    });
    logger.info({ result }, opts.done);
  } catch (err) {
    logger.error({ err }, opts.failed);
    process.exitCode = 1;
  } finally {
    await store.close();
  }
}
