// `npm run notifications:rebuild`: rebuilds the notices, the address book, the rosters and the watched
// holds from every topic's beginning, keeping read marks and the hold sweep's work (see
// infra/rebuild.ts). Only with every instance of the service stopped (it refuses otherwise); start it
// again afterwards. Reads the service's environment (MONGO_URL, MONGO_DB, KAFKA_BROKERS,
// KAFKA_CONSUMER_GROUP, HOLD_NOTICE_HOURS).
import { kafkaAuth } from "@lto/config";
import { createKafka } from "@lto/messaging";
import { openServiceStore } from "@lto/service-host";
import { createLogger } from "@lto/telemetry";
import { loadNotificationsConfig } from "./config.js";
import { rebuildNotices } from "./infra/rebuild.js";
import { notificationsCollections } from "./infra/store.js";

const config = loadNotificationsConfig();
const logger = createLogger("notifications-rebuild", { level: config.LOG_LEVEL });
const { store } = await openServiceStore(
  { name: "notifications", url: config.MONGO_URL, dbName: config.MONGO_DB },
  notificationsCollections,
);
try {
  const kafka = createKafka({
    clientId: "lto-notifications-rebuild",
    brokers: config.KAFKA_BROKERS,
    logger,
    ...kafkaAuth(config),
  });
  const result = await rebuildNotices({
    kafka,
    store,
    logger,
    group: config.KAFKA_CONSUMER_GROUP,
    settings: { holdNoticeHours: config.HOLD_NOTICE_HOURS, mailMaxAgeHours: config.MAIL_MAX_AGE_HOURS },
  });
  logger.info(result, "notifications rebuilt from the topics' beginning; start the service again");
} catch (err) {
  logger.error(
    { err },
    "rebuild failed: run it again, with the service stopped, before starting the service",
  );
  process.exitCode = 1;
} finally {
  await store.close();
}
