// Composition root of the adoption service: store, broker, relay, consumer, hold sweeper, HTTP, gRPC.
import { createJwtVerifier } from "@lto/auth";
import { adoptionV1, topics } from "@lto/contracts";
import { createGrpcServer } from "@lto/grpc-kit";
import { createHttpApp, isEntryPoint, runService, ShutdownStack, type IdempotencyStore } from "@lto/http-kit";
import { brokerReadiness, createConsumer, createKafka, type ConsumerRunner } from "@lto/messaging";
import { createLogger, type Logger } from "@lto/telemetry";
import type { Kafka } from "kafkajs";
import { adoptionServiceHandlers } from "./api/grpc/adoption-service.js";
import { routes } from "./api/http/routes.js";
import { createUseCases, type Clock, type IdeasGateway, type UseCases } from "./app/index.js";
import { loadAdoptionConfig } from "./config.js";
import { ideasGateway } from "./infra/ideas-client.js";
import { ideaProjection } from "./infra/projection.js";
import {
  adoptionRepository,
  companyRepository,
  holdRepository,
  offerRepository,
  openAdoptionStore,
  type AdoptionStore,
} from "./infra/store.js";
import { subscriptions } from "./infra/subscriptions.js";
import { systemClock, uuidV7Ids } from "./infra/system.js";
import { isEmpty, seedAdoptionDemo } from "./seed/index.js";

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  /** Overrides of HTTP_PORT / GRPC_PORT (tests pass 0 for any free port). */
  httpPort?: number;
  grpcPort?: number;
  clock?: Clock;
  logger?: Logger;
  idempotencyStore?: IdempotencyStore;
  /** Replaces the gRPC client of the ideas service (e.g. to point at a test server). */
  ideas?: IdeasGateway;
}

export interface RunningAdoptionService {
  http: { port: number; url: string };
  grpc: { port: number; address: string };
  useCases: UseCases;
  store: AdoptionStore;
  kafka: Kafka;
  /** The ideas-topic consumer (lag() tells whether the projection has caught up). */
  consumer: ConsumerRunner;
  stop(): Promise<void>;
}

export async function start(options: StartOptions = {}): Promise<RunningAdoptionService> {
  const config = loadAdoptionConfig(options.env ?? process.env);
  const logger =
    options.logger ?? createLogger("adoption", { level: config.LOG_LEVEL, service: config.SERVICE_NAME });
  const clock = options.clock ?? systemClock;
  const stops = new ShutdownStack(logger);
  const stop = () => stops.stop();

  try {
    const adoptionStore = await openAdoptionStore({ url: config.MONGO_URL, dbName: config.MONGO_DB });
    const { store, collections: cols } = adoptionStore;
    stops.defer(() => store.close());
    const stopSweeper = store.idempotency.startSweeper(undefined, (err) =>
      logger.warn({ err }, "idempotency key sweep failed"),
    );
    stops.defer(async () => stopSweeper());

    const kafka = createKafka({ clientId: "lto-adoption", brokers: config.KAFKA_BROKERS, logger });
    const relay = store.outboxRelay({
      kafka,
      logger,
      sweepIntervalMs: config.OUTBOX_SWEEP_MS,
      topics: [topics.adoption],
    });
    let ideas = options.ideas;
    if (!ideas) {
      const client = ideasGateway(config.IDEAS_GRPC_ADDRESS, config.IDEAS_GRPC_DEADLINE_MS);
      stops.defer(async () => client.close());
      ideas = client;
    }
    const companies = companyRepository(cols.companies);
    const useCases = createUseCases({
      companies,
      holds: holdRepository(cols.holds),
      offers: offerRepository(cols.offers),
      adoptions: adoptionRepository(cols.adoptions),
      projection: ideaProjection(cols.ideas, cols.calls),
      ideas,
      clock,
      ids: uuidV7Ids,
    });

    await relay.start();
    stops.defer(() => relay.stop());
    const consumer = createConsumer({
      kafka,
      groupId: config.KAFKA_CONSUMER_GROUP,
      logger,
      subscriptions: subscriptions(useCases.ideaEvents),
    });
    // Not awaited: the service serves as soon as its store answers. Joining the group can take a
    // session timeout (a crashed predecessor's member) or wait for the broker; /readyz shows it.
    consumer.startInBackground();
    stops.defer(() => consumer.stop());

    const seed = config.SEED_DEMO_WHEN_EMPTY ?? config.NODE_ENV === "development";
    if (seed && (await isEmpty(cols))) {
      // In the background: the demo ideas arrive over Kafka first; retried until they are there.
      let stopping = false;
      const seeding = (async () => {
        for (let attempt = 0; attempt < 30 && !stopping; attempt++) {
          const result = await seedAdoptionDemo(cols, clock.now());
          if (!result.pendingIdeas) return logger.info(result, "empty store: adoption demo loaded");
          await new Promise((r) => setTimeout(r, 2000).unref());
        }
      })().catch((err: unknown) => logger.warn({ err }, "adoption demo seed failed"));
      stops.defer(() => {
        stopping = true;
        return seeding;
      });
    }

    // The hold sweeper: the clock decides when an unused hold lapses (no TTL index).
    let sweeping: Promise<unknown> = Promise.resolve();
    const timer = setInterval(() => {
      sweeping = useCases.sweepHolds().catch((err: unknown) => logger.warn({ err }, "hold sweep failed"));
    }, config.HOLD_SWEEP_MS);
    stops.defer(async () => {
      clearInterval(timer);
      await sweeping;
    });

    const authenticate = createJwtVerifier({
      jwksUrl: config.JWKS_URL,
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
    });
    const http = createHttpApp({
      serviceName: "adoption",
      logger,
      authenticate,
      readiness: {
        store: () => store.ping(),
        broker: brokerReadiness(kafka),
        consumer: () => consumer.readiness(),
      },
      idempotencyStore: options.idempotencyStore ?? store.idempotency,
      routes: routes(useCases),
      openapi: { title: "LTO adoption service", version: "1.0.0" },
    });
    const httpServer = await http.listen(options.httpPort ?? config.HTTP_PORT, config.HOST);
    stops.defer(() => httpServer.close());

    const grpc = createGrpcServer({ logger, authenticate });
    grpc.addService(
      adoptionV1.AdoptionServiceService,
      adoptionServiceHandlers(useCases, async (id) => (await companies.get(id))?.legalName ?? ""),
    );
    const grpcServer = await grpc.listen(options.grpcPort ?? config.GRPC_PORT, config.HOST);
    stops.defer(() => grpc.stop());

    logger.info({ http: httpServer.port, grpc: grpcServer.port }, "adoption service started");
    return {
      http: { port: httpServer.port, url: `http://${config.HOST}:${httpServer.port}` },
      grpc: { port: grpcServer.port, address: `${config.HOST}:${grpcServer.port}` },
      useCases,
      store: adoptionStore,
      kafka,
      consumer,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

if (isEntryPoint(import.meta.url)) {
  const logger = createLogger("adoption");
  let running: RunningAdoptionService | undefined;
  await runService({
    logger,
    start: async () => (running = await start({ logger })),
    stop: async () => running?.stop(),
  });
}
