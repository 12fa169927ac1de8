// The adoption service as the platform's service host runs it: companies, holds, offers, adoptions and
// the ideas/calls projection on the store, the adoption topic it publishes, the ideas events it
// consumes, its HTTP and gRPC APIs, the hold sweeper and the demo data.
import { adoptionV1, topics } from "@lto/contracts";
import { grpcService, platformIds, runMain, type ServiceDefinition } from "@lto/service-host";
import { adoptionServiceHandlers } from "./api/grpc/adoption-service.js";
import { routes } from "./api/http/routes.js";
import { createUseCases } from "./app/index.js";
import { loadAdoptionConfig, type AdoptionConfig } from "./config.js";
import { ideasGateway } from "./infra/ideas-client.js";
import { ideaProjection } from "./infra/projection.js";
import {
  adoptionCollections,
  adoptionRepository,
  companyRepository,
  holdRepository,
  offerRepository,
} from "./infra/store.js";
import { subscriptions } from "./infra/subscriptions.js";
import { isEmpty, seedAdoptionDemo } from "./seed/index.js";

export const adoptionService: ServiceDefinition<AdoptionConfig> = {
  name: "adoption",
  config: loadAdoptionConfig,
  topics: [topics.adoption],
  compose({ config, store, clock, logger, onStop }) {
    const cols = adoptionCollections(store);
    const ideas = ideasGateway(config.IDEAS_GRPC_ADDRESS, config.IDEAS_GRPC_DEADLINE_MS);
    onStop(() => ideas.close());
    const companies = companyRepository(cols.companies);
    const useCases = createUseCases({
      companies,
      holds: holdRepository(cols.holds),
      offers: offerRepository(cols.offers),
      adoptions: adoptionRepository(cols.adoptions),
      projection: ideaProjection(cols.ideas, cols.calls),
      ideas,
      clock,
      ids: platformIds,
    });
    const legalName = async (id: string) => (await companies.get(id))?.legalName ?? "";
    return {
      routes: routes(useCases),
      grpc: [grpcService(adoptionV1.AdoptionServiceService, adoptionServiceHandlers(useCases, legalName))],
      subscriptions: subscriptions(useCases.ideaEvents),
      // The clock decides when an unused hold lapses (no TTL index).
      periodic: [{ name: "hold sweep", everyMs: config.HOLD_SWEEP_MS, run: () => useCases.sweepHolds() }],
      async seed() {
        if (!(await isEmpty(cols))) return;
        // In the background: the demo ideas reach this service over Kafka once its consumer runs,
        // so the seed is retried until they are there (or the service stops).
        let stopping = false;
        const seeding = (async () => {
          for (let attempt = 0; attempt < 30 && !stopping; attempt++) {
            const result = await seedAdoptionDemo(cols, clock.now());
            if (!result.pendingIdeas) return logger.info(result, "empty store: adoption demo loaded");
            await new Promise((r) => setTimeout(r, 2000).unref());
          }
        })().catch((err: unknown) => {
          if (!stopping) logger.warn({ err }, "adoption demo seed failed");
        });
        onStop(() => {
          stopping = true;
          return seeding;
        });
      },
    };
  },
};

await runMain(adoptionService, import.meta.url);
