// `npm run -w @lto/adoption-service projection:rebuild [-- --replace]`: rebuilds the browse
// projection from the ideas topic from the beginning (a fresh consumer group). --replace also drops
// live documents the rebuild did not produce: use it only while the service is stopped.
import { kafkaAuth } from "@lto/config";
import { createLogger } from "@lto/telemetry";
import { createKafka } from "@lto/messaging";
import { loadAdoptionConfig } from "./config.js";
import { openAdoptionStore } from "./infra/store.js";
import { rebuildProjection } from "./infra/rebuild.js";

const config = loadAdoptionConfig();
const logger = createLogger("adoption-projection-rebuild", { level: config.LOG_LEVEL });
const { store } = await openAdoptionStore({ url: config.MONGO_URL, dbName: config.MONGO_DB });
const kafka = createKafka({
  clientId: "lto-adoption-rebuild",
  brokers: config.KAFKA_BROKERS,
  logger,
  ...kafkaAuth(config),
});
try {
  const result = await rebuildProjection({
    kafka,
    store,
    logger,
    replace: process.argv.includes("--replace"),
  });
  logger.info(result, "projection rebuilt");
} finally {
  await store.close();
}
