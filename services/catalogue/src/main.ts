// The catalogue service as the platform's service host runs it: courses and sessions on the store, the
// catalogue topic it publishes, its HTTP and gRPC APIs and the demo catalogue.
import { catalogueV1, topics } from "@lto/contracts";
import { grpcService, runMain, type ServiceDefinition } from "@lto/service-host";
import { catalogueServiceHandlers } from "./api/grpc/catalogue-service.js";
import { routes } from "./api/http/routes.js";
import { createApp } from "./app/index.js";
import { loadCatalogueConfig, type CatalogueConfig } from "./config.js";
import { credentialPorts } from "./infra/credential-repositories.js";
import { catalogueRepositories } from "./infra/repositories.js";
import { catalogueCollections } from "./infra/store.js";
import { uuidV7Ids } from "./infra/system.js";
import { seedCatalogueDemo } from "./seed/index.js";

export const catalogueService: ServiceDefinition<CatalogueConfig> = {
  name: "catalogue",
  config: loadCatalogueConfig,
  topics: [topics.catalogue],
  compose({ store, clock, logger, config }) {
    const collections = catalogueCollections(store);
    const ports = {
      ...catalogueRepositories(collections),
      clock,
      ids: uuidV7Ids,
      ...credentialPorts(store, collections, {
        publicBaseUrl: config.PUBLIC_BASE_URL,
        issuerName: config.ISSUER_NAME,
        ...(config.ISSUER_JWK ? { issuerJwk: config.ISSUER_JWK } : {}),
        now: () => clock.now(),
        newId: () => uuidV7Ids.newId(),
      }),
    };
    const app = createApp(ports);
    return {
      routes: routes(app),
      grpc: [grpcService(catalogueV1.CatalogueServiceService, catalogueServiceHandlers(app))],
      seed: async () => {
        if ((await collections.courses.count({})) > 0) return;
        logger.info(
          await seedCatalogueDemo(ports, clock.now()),
          "empty store: Mantova demo catalogue loaded",
        );
      },
    };
  },
};

await runMain(catalogueService, import.meta.url);
