// The ideas service as the platform's service host runs it: calls, teams and ideas on the store, the
// ideas topic it publishes, the adoption events it consumes, its HTTP and gRPC APIs and the demo data.
import { ideasV1, topics } from "@lto/contracts";
import { grpcService, platformIds, runMain, type ServiceDefinition } from "@lto/service-host";
import { ideasServiceHandlers } from "./api/grpc/ideas-service.js";
import { routes } from "./api/http/routes.js";
import { createApp } from "./app/index.js";
import { loadIdeasConfig, type IdeasConfig } from "./config.js";
import { adoptionRecords } from "./infra/adoption-client.js";
import { ideasRepositories } from "./infra/repositories.js";
import { ideasCollections } from "./infra/store.js";
import { subscriptions } from "./infra/subscriptions.js";
import { seedIdeasDemo } from "./seed/index.js";

export const ideasService: ServiceDefinition<IdeasConfig> = {
  name: "ideas",
  config: loadIdeasConfig,
  topics: [topics.ideas],
  compose({ config, store, clock, logger, onStop }) {
    const collections = ideasCollections(store);
    const adoption = adoptionRecords(config.ADOPTION_GRPC_ADDRESS, config.ADOPTION_GRPC_DEADLINE_MS);
    onStop(() => adoption.close());
    const ports = { ...ideasRepositories(collections), clock, ids: platformIds, adoption };
    const app = createApp(ports, logger);
    return {
      routes: routes(app),
      grpc: [grpcService(ideasV1.IdeasServiceService, ideasServiceHandlers(app))],
      subscriptions: subscriptions(app),
      seed: async () => {
        if ((await collections.calls.count({})) > 0) return;
        logger.info(await seedIdeasDemo(ports, clock.now()), "empty store: Mantova demo loaded");
      },
    };
  },
};

await runMain(ideasService, import.meta.url);
