// The self-employment service as the platform's service host runs it: reference data (service types,
// sites), operators and persons on the store, the self-employment topic it publishes, its HTTP API and
// the demo data. Availability, bookings and paths come in the next waves (see README.md).
import { selfEmploymentV1, topics } from "@lto/contracts";
import { grpcService, runMain, type ServiceDefinition } from "@lto/service-host";
import { selfEmploymentServiceHandlers } from "./api/grpc/self-employment-service.js";
import { routes } from "./api/http/routes.js";
import { createApp } from "./app/index.js";
import { loadSelfEmploymentConfig, type SelfEmploymentConfig } from "./config.js";
import { selfEmploymentPorts } from "./infra/ports.js";
import { subscriptions } from "./infra/subscriptions.js";
import { seedSelfEmploymentDemo } from "./seed/index.js";

export const selfEmploymentService: ServiceDefinition<SelfEmploymentConfig> = {
  name: "self-employment",
  config: loadSelfEmploymentConfig,
  topics: [topics.selfemployment],
  compose({ config, store, clock, logger, onStop }) {
    const { collections, ports, mail, close } = selfEmploymentPorts(store, clock, config, logger);
    onStop(close);
    const app = createApp(ports);
    return {
      routes: routes(app),
      grpc: [grpcService(selfEmploymentV1.SelfEmploymentServiceService, selfEmploymentServiceHandlers(app))],
      // Topics consumed: adoption (IdeaAdopted opens the adopted team's path), catalogue (course meetings
      // hold labs), its own booking events (calendar feeds, reminders).
      subscriptions: subscriptions(app, logger),
      periodic: [
        // The mail sender: reminders and booking notices from the outbox (SMTP, or .eml files).
        mail.senderJob,
        { name: "slot claim sweep", everyMs: config.BOOKING_SWEEP_MS, run: () => app.bookings.sweep() },
        {
          name: "booking change sweep",
          everyMs: config.BOOKING_SWEEP_MS,
          run: () => app.bookingChanges.sweep(),
        },
        { name: "waitlist offers", everyMs: config.WAITLIST_SWEEP_MS, run: () => app.waitlist.sweep() },
      ],
      seed: async () => {
        if ((await collections.operators.count({})) > 0) return;
        const created = await seedSelfEmploymentDemo(ports, clock.now(), (line) => logger.info(line));
        logger.info(created, "empty store: Mantova demo loaded");
      },
    };
  },
};

await runMain(selfEmploymentService, import.meta.url);
