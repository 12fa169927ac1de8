// `npm run insights:rebuild`: replays every topic from its beginning into a new generation of the
// figures' model and makes it current (see infra/rebuild.ts). Safe while the service runs; reads the
// service's environment (MONGO_URL, MONGO_DB, KAFKA_BROKERS, KAFKA_CONSUMER_GROUP).
import { kafkaAuth } from "@lto/config";
import { createKafka } from "@lto/messaging";
import { openServiceStore } from "@lto/service-host";
import { createLogger } from "@lto/telemetry";
import { loadInsightsConfig } from "./config.js";
import { rebuildModel } from "./infra/rebuild.js";
import { insightsCollections, insightsModel } from "./infra/store.js";

const config = loadInsightsConfig();
const logger = createLogger("insights-rebuild", { level: config.LOG_LEVEL });
const { store, collections } = await openServiceStore(
  { name: "insights", url: config.MONGO_URL, dbName: config.MONGO_DB },
  insightsCollections,
);
try {
  const kafka = createKafka({
    clientId: "lto-insights-rebuild",
    brokers: config.KAFKA_BROKERS,
    logger,
    ...kafkaAuth(config),
  });
  const result = await rebuildModel({
    kafka,
    model: insightsModel(collections),
    logger,
    group: config.KAFKA_CONSUMER_GROUP,
  });
  logger.info(result, "figures rebuilt from the topics' beginning; the new generation is current");
} catch (err) {
  logger.error({ err }, "rebuild failed; the current model is unchanged");
  process.exitCode = 1;
} finally {
  await store.close();
}
