// The catalogue service as the platform's service host runs it: courses and sessions on the store, the
// catalogue topic it publishes, the ideas and adoption topics it consumes (course suggestions for
// adopted teams), its HTTP and gRPC APIs and the demo catalogue.
import { catalogueV1, topics } from "@lto/contracts";
import { grpcService, runMain, type ServiceDefinition } from "@lto/service-host";
import { catalogueServiceHandlers } from "./api/grpc/catalogue-service.js";
import { routes } from "./api/http/routes.js";
import { createApp } from "./app/index.js";
import { loadCatalogueConfig, type CatalogueConfig } from "./config.js";
import { cataloguePorts } from "./infra/ports.js";
import { subscriptions } from "./infra/subscriptions.js";
import { upgradeSeatDocuments } from "./infra/upgrades.js";
import { seedCatalogueDemo } from "./seed/index.js";

export const catalogueService: ServiceDefinition<CatalogueConfig> = {
  name: "catalogue",
  config: loadCatalogueConfig,
  topics: [topics.catalogue],
  async compose({ config, store, clock, logger }) {
    const { collections, ports } = cataloguePorts(store, config, clock);
    const upgraded = await upgradeSeatDocuments(collections.seats);
    if (upgraded > 0) logger.info({ seats: upgraded }, "seat documents of an earlier version upgraded");
    const app = createApp(ports);
    return {
      routes: routes(app, {
        ...(config.CALENDAR_FEED_BASE_URL ? { calendarFeedBaseUrl: config.CALENDAR_FEED_BASE_URL } : {}),
      }),
      grpc: [grpcService(catalogueV1.CatalogueServiceService, catalogueServiceHandlers(app))],
      // Topics consumed: ideas (IdeaPublished, IdeaWithdrawn) and adoption (IdeaAdopted, AdoptionEnded).
      subscriptions: subscriptions(app),
      periodic: [{ name: "seat sweep", everyMs: config.SEAT_SWEEP_MS, run: () => app.enrolments.sweep() }],
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
