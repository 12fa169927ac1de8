// `npm run notifications:rebuild`: rebuilds the notices, the address book, the rosters and the watched
// holds from every topic's beginning, keeping read marks and the hold sweep's work (see
// infra/rebuild.ts). Only with every instance of the service stopped (it refuses otherwise); start it
// again afterwards. Reads the service's environment (MONGO_URL, MONGO_DB, KAFKA_BROKERS,
// KAFKA_CONSUMER_GROUP, HOLD_NOTICE_HOURS).
import { runRebuild } from "@lto/service-host";
import { loadNotificationsConfig } from "./config.js";
import { rebuildNotices } from "./infra/rebuild.js";
import { notificationsCollections } from "./infra/store.js";

await runRebuild({
  name: "notifications",
  config: loadNotificationsConfig(),
  collections: notificationsCollections,
  rebuild: ({ config, kafka, store, logger, group }) =>
    rebuildNotices({
      kafka,
      store,
      logger,
      group,
      settings: { holdNoticeHours: config.HOLD_NOTICE_HOURS, mailMaxAgeHours: config.MAIL_MAX_AGE_HOURS },
    }),
  done: "notifications rebuilt from the topics' beginning; start the service again",
  failed: "rebuild failed: run it again, with the service stopped, before starting the service",
});
