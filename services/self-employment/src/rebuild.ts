// `npm run self-employment:rebuild`: with every instance of the service stopped, rebuilds its copies of
// other services' facts (adopted teams' paths that are missing, the labs held by course meetings and
// their conflicts) from the adoption and catalogue topics' beginning, then moves the service's consumer
// group past the replay (see infra/rebuild.ts). Reads the service's environment (MONGO_URL, MONGO_DB,
// KAFKA_BROKERS, KAFKA_CONSUMER_GROUP, the paths' settings).
import { kafkaAuth } from "@lto/config";
import { createKafka } from "@lto/messaging";
import { openServiceStore } from "@lto/service-host";
import { createLogger } from "@lto/telemetry";
import { loadSelfEmploymentConfig } from "./config.js";
import { rebuildCopies } from "./infra/rebuild.js";
import { labHoldCollections, selfEmploymentCollections } from "./infra/store.js";

const config = loadSelfEmploymentConfig();
const logger = createLogger("self-employment-rebuild", { level: config.LOG_LEVEL });
const { store } = await openServiceStore(
  { name: "self-employment", url: config.MONGO_URL, dbName: config.MONGO_DB },
  (s) => ({ ...selfEmploymentCollections(s), ...labHoldCollections(s) }),
);
try {
  const kafka = createKafka({
    clientId: "lto-self-employment-rebuild",
    brokers: config.KAFKA_BROKERS,
    logger,
    ...kafkaAuth(config),
  });
  const result = await rebuildCopies({ kafka, store, logger, group: config.KAFKA_CONSUMER_GROUP, config });
  logger.info(result, "paths and lab holds rebuilt from the topics' beginning; start the service again");
} catch (err) {
  logger.error(
    { err },
    "rebuild failed; the consumer group was not moved: run it again before starting the service",
  );
  process.exitCode = 1;
} finally {
  await store.close();
}
