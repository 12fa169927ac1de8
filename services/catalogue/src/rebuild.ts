// `npm run catalogue:rebuild`: rebuilds the copy of ideas and adoptions behind the course suggestions
// from the ideas and adoption topics' beginning (see infra/rebuild.ts). Run it with every instance of the
// catalogue stopped (it refuses otherwise), then start them: they go on from where the replay stopped.
// Reads the service's environment (MONGO_URL, MONGO_DB, KAFKA_BROKERS, KAFKA_CONSUMER_GROUP).
import { kafkaAuth } from "@lto/config";
import { createKafka } from "@lto/messaging";
import { AggregateStore } from "@lto/store";
import { createLogger } from "@lto/telemetry";
import { loadCatalogueConfig } from "./config.js";
import { rebuildTeamIdeas } from "./infra/rebuild.js";

const config = loadCatalogueConfig();
const logger = createLogger("catalogue-rebuild", { level: config.LOG_LEVEL });
const store = await AggregateStore.open({ url: config.MONGO_URL, dbName: config.MONGO_DB });
try {
  const kafka = createKafka({
    clientId: "lto-catalogue-rebuild",
    brokers: config.KAFKA_BROKERS,
    logger,
    ...kafkaAuth(config),
  });
  const result = await rebuildTeamIdeas({ kafka, store, logger, group: config.KAFKA_CONSUMER_GROUP });
  logger.info(result, "the ideas' copy is rebuilt from the topics' beginning; start the service again");
} catch (err) {
  logger.error(
    { err },
    "rebuild failed: run it again (with the service stopped) before starting the service",
  );
  process.exitCode = 1;
} finally {
  await store.close();
}
