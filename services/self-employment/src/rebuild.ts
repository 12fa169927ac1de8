// `npm run self-employment:rebuild`: with every instance of the service stopped, rebuilds its copies of
// other services' facts (adopted teams' paths that are missing, the labs held by course meetings and
// their conflicts) from the adoption and catalogue topics' beginning, then moves the service's consumer
// group past the replay (see infra/rebuild.ts). Reads the service's environment (MONGO_URL, MONGO_DB,
// KAFKA_BROKERS, KAFKA_CONSUMER_GROUP, the paths' settings).
import { runRebuild } from "@lto/service-host";
import { loadSelfEmploymentConfig } from "./config.js";
import { rebuildCopies } from "./infra/rebuild.js";
import { labHoldCollections, selfEmploymentCollections } from "./infra/store.js";

await runRebuild({
  name: "self-employment",
  config: loadSelfEmploymentConfig(),
  collections: (s) => ({ ...selfEmploymentCollections(s), ...labHoldCollections(s) }),
  rebuild: ({ config, kafka, store, logger, group }) =>
    rebuildCopies({ kafka, store, logger, group, config }),
  done: "paths and lab holds rebuilt from the topics' beginning; start the service again",
  failed: "rebuild failed; the consumer group was not moved: run it again before starting the service",
});
