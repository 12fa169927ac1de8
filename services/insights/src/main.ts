// The insights service as the platform's service host runs it: the figures' read model on the store,
// fed by every service's events, and the HTTP API the programme office reads it with. It publishes
// nothing and has no gRPC API.
import { runMain, type ServiceDefinition } from "@lto/service-host";
import { routes } from "./api/http/routes.js";
import { figuresApp, projection } from "./app/index.js";
import { loadInsightsConfig, type InsightsConfig } from "./config.js";
import { rebuildModel } from "./infra/rebuild.js";
import { insightsCollections, insightsModel } from "./infra/store.js";
import { subscriptions } from "./infra/subscriptions.js";

export const insightsService: ServiceDefinition<InsightsConfig> = {
  name: "insights",
  config: loadInsightsConfig,
  topics: [],
  async compose({ store, kafka, logger, config }) {
    const model = insightsModel(insightsCollections(store));
    // A new deployment builds its model from the topics' beginning before consuming (fast, in memory).
    if (!(await model.built())) {
      const built = await rebuildModel({
        kafka,
        model,
        logger,
        group: config.KAFKA_CONSUMER_GROUP,
        moveGroup: true,
      });
      logger.info(built, "first build of the figures from the topics' beginning");
    }
    return {
      routes: routes(figuresApp(model)),
      subscriptions: subscriptions(projection(model)),
    };
  },
};

await runMain(insightsService, import.meta.url);
