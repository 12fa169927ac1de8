// The catalogue service as the platform's service host runs it: courses and sessions on the store, the
// catalogue topic it publishes, the ideas and adoption topics it consumes (course suggestions for
// adopted teams), its HTTP and gRPC APIs and the demo catalogue.
import { catalogueV1, topics } from "@lto/contracts";
import { grpcService, platformIds, runMain, type ServiceDefinition } from "@lto/service-host";
import { catalogueServiceHandlers } from "./api/grpc/catalogue-service.js";
import { routes } from "./api/http/routes.js";
import { createApp } from "./app/index.js";
import { loadCatalogueConfig, type CatalogueConfig } from "./config.js";
import { calendarPorts } from "./infra/calendar-repositories.js";
import { credentialPorts } from "./infra/credential-repositories.js";
import { catalogueRepositories } from "./infra/repositories.js";
import { enrolmentPorts } from "./infra/enrolment-repositories.js";
import { talentPorts } from "./infra/talent-repositories.js";
import { catalogueCollections } from "./infra/store.js";
import { suggestRepositories } from "./infra/suggest-repositories.js";
import { subscriptions } from "./infra/subscriptions.js";
import { seedCatalogueDemo } from "./seed/index.js";

export const catalogueService: ServiceDefinition<CatalogueConfig> = {
  name: "catalogue",
  config: loadCatalogueConfig,
  topics: [topics.catalogue],
  compose({ config, store, clock, logger }) {
    const collections = catalogueCollections(store);
    const ports = {
      ...catalogueRepositories(collections),
      ...suggestRepositories(collections),
      clock,
      ids: platformIds,
      calendars: calendarPorts(collections),
      ...credentialPorts(store, collections, {
        publicBaseUrl: config.PUBLIC_BASE_URL,
        issuerName: config.ISSUER_NAME,
        ...(config.ISSUER_JWK ? { issuerJwk: config.ISSUER_JWK } : {}),
        now: () => clock.now(),
        newId: () => platformIds.newId(),
      }),
      ...enrolmentPorts(collections),
      ...talentPorts(collections),
      enrolmentSettings: {
        offerHours: config.SEAT_OFFER_HOURS,
        withdrawalHoursBefore: config.WITHDRAWAL_HOURS_BEFORE,
        waitlist: config.WAITLIST,
        seatGraceMs: config.SEAT_GRACE_MS,
      },
    };
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
