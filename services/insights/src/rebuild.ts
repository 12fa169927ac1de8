// `npm run insights:rebuild`: replays every topic from its beginning into a new generation of the
// figures' model and makes it current (see infra/rebuild.ts). Safe while the service runs; reads the
// service's environment (MONGO_URL, MONGO_DB, KAFKA_BROKERS, KAFKA_CONSUMER_GROUP).
import { runRebuild } from "@lto/service-host";
import { loadInsightsConfig } from "./config.js";
import { rebuildModel } from "./infra/rebuild.js";
import { insightsCollections, insightsModel } from "./infra/store.js";

await runRebuild({
  name: "insights",
  config: loadInsightsConfig(),
  collections: insightsCollections,
  rebuild: ({ kafka, collections, logger, group }) =>
    rebuildModel({ kafka, model: insightsModel(collections), logger, group }),
  done: "figures rebuilt from the topics' beginning; the new generation is current",
  failed: "rebuild failed; the current model is unchanged",
});
