// Composition root of the ideas service: store, broker, relay, consumer, HTTP and gRPC.
import { createJwtVerifier } from "@lto/auth";
import { ideasV1, topics } from "@lto/contracts";
import { createGrpcServer } from "@lto/grpc-kit";
import { createHttpApp, isEntryPoint, runService, ShutdownStack } from "@lto/http-kit";
import { brokerReadiness, createConsumer, createKafka } from "@lto/messaging";
import { createLogger, type Logger } from "@lto/telemetry";
import { createApp, type Clock, type IdeasApp } from "./app/index.js";
import { ideasServiceHandlers } from "./api/grpc/ideas-service.js";
import { routes } from "./api/http/routes.js";
import { loadIdeasConfig } from "./config.js";
import { adoptionRecords } from "./infra/adoption-client.js";
import { ideasRepositories } from "./infra/repositories.js";
import { openIdeasStore } from "./infra/store.js";
import { subscriptions } from "./infra/subscriptions.js";
import { systemClock, uuidV7Ids } from "./infra/system.js";
import { seedIdeasDemo } from "./seed/index.js";

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  /** Overrides of HTTP_PORT / GRPC_PORT (tests pass 0 for any free port). */
  httpPort?: number;
  grpcPort?: number;
  clock?: Clock;
  logger?: Logger;
}

export interface RunningIdeasService {
  http: { port: number; url: string };
  grpc: { port: number; address: string };
  app: IdeasApp;
  stop(): Promise<void>;
}

export async function start(options: StartOptions = {}): Promise<RunningIdeasService> {
  const config = loadIdeasConfig(options.env ?? process.env);
  const logger =
    options.logger ?? createLogger("ideas", { level: config.LOG_LEVEL, service: config.SERVICE_NAME });
  const clock = options.clock ?? systemClock;
  const stops = new ShutdownStack(logger);
  const stop = () => stops.stop();

  try {
    const { store, collections } = await openIdeasStore(config.MONGO_URL, config.MONGO_DB);
    stops.defer(() => store.close());
    const stopSweeper = store.idempotency.startSweeper(undefined, (err) =>
      logger.warn({ err }, "idempotency sweep failed"),
    );
    stops.defer(async () => stopSweeper());

    const kafka = createKafka({ clientId: "lto-ideas", brokers: config.KAFKA_BROKERS, logger });
    const relay = store.outboxRelay({
      kafka,
      logger,
      sweepIntervalMs: config.OUTBOX_SWEEP_MS,
      topics: [topics.ideas],
    });
    const adoption = adoptionRecords(config.ADOPTION_GRPC_ADDRESS, config.ADOPTION_GRPC_DEADLINE_MS);
    stops.defer(async () => adoption.close());
    const ports = {
      ...ideasRepositories(collections),
      clock,
      ids: uuidV7Ids,
      adoption,
    };
    const app = createApp(ports, logger);

    const seed = config.SEED_DEMO_WHEN_EMPTY ?? config.NODE_ENV === "development";
    if (seed && (await collections.calls.count({})) === 0) {
      logger.info(await seedIdeasDemo(ports, clock.now()), "empty store: Mantova demo loaded");
    }

    await relay.start();
    stops.defer(() => relay.stop());
    const consumer = createConsumer({
      kafka,
      groupId: config.KAFKA_CONSUMER_GROUP,
      logger,
      subscriptions: subscriptions(app),
    });
    // Not awaited: the service serves as soon as its store answers. Joining the group can take a
    // session timeout (a crashed predecessor's member) or wait for the broker; /readyz shows it.
    consumer.startInBackground();
    stops.defer(() => consumer.stop());

    const authenticate = createJwtVerifier({
      jwksUrl: config.JWKS_URL,
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
    });
    const http = createHttpApp({
      serviceName: "ideas",
      logger,
      authenticate,
      readiness: {
        store: () => store.ping(),
        broker: brokerReadiness(kafka),
        consumer: () => consumer.readiness(),
      },
      idempotencyStore: store.idempotency,
      routes: routes(app),
      openapi: { title: "LTO ideas service", version: "1.0.0" },
    });
    const httpServer = await http.listen(options.httpPort ?? config.HTTP_PORT, config.HOST);
    stops.defer(() => httpServer.close());

    const grpc = createGrpcServer({ logger, authenticate });
    grpc.addService(ideasV1.IdeasServiceService, ideasServiceHandlers(app));
    const grpcServer = await grpc.listen(options.grpcPort ?? config.GRPC_PORT, config.HOST);
    stops.defer(() => grpc.stop());

    logger.info({ http: httpServer.port, grpc: grpcServer.port }, "ideas service started");
    return {
      http: { port: httpServer.port, url: `http://${config.HOST}:${httpServer.port}` },
      grpc: { port: grpcServer.port, address: `${config.HOST}:${grpcServer.port}` },
      app,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

if (isEntryPoint(import.meta.url)) {
  const logger = createLogger("ideas");
  let running: RunningIdeasService | undefined;
  await runService({
    logger,
    start: async () => {
      running = await start({ logger });
      return { http: running.http, grpc: running.grpc };
    },
    stop: async () => running?.stop(),
  });
}
