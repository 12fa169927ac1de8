// The service host: a service declares what it has (its config, its topics, how its parts are composed
// on the store); the host opens and closes everything else the same way for every service, in order:
// store -> broker -> parts -> indexes -> demo data -> relay -> consumer -> timers -> HTTP -> gRPC (only
// for a service that serves some), and the reverse on stop. Nothing internal is handed out: callers get the addresses and stop().
import type * as grpc from "@grpc/grpc-js";
import { createJwtVerifier } from "@lto/auth";
import { kafkaAuth, type CommonEnv } from "@lto/config";
import { createGrpcServer, type UnaryHandlers } from "@lto/grpc-kit";
import { createHttpApp, ShutdownStack, type ApiRouter, type HttpAppOptions } from "@lto/http-kit";
import {
  brokerReadiness,
  createConsumer,
  createKafka,
  watchConsumerLag,
  type Subscriptions,
} from "@lto/messaging";
import { AggregateStore } from "@lto/store";
import { createLogger, type Logger } from "@lto/telemetry";
import type { Kafka } from "kafkajs";

/** The settings every hosted service has (its config schema extends commonEnv with these). */
export interface HostedConfig extends CommonEnv {
  SERVICE_NAME: string;
  /** Binds HTTP and gRPC here; 0.0.0.0 in containers. */
  HOST: string;
  /** The gRPC port of a service that serves gRPC (hostedEnv's grpcPort is its default); unused otherwise. */
  GRPC_PORT?: number | undefined;
  /** /metrics on a port of its own instead of HTTP_PORT (a service whose HTTP port is published). */
  METRICS_PORT?: number | undefined;
  KAFKA_CONSUMER_GROUP: string;
  /** Load the demo data when the store is empty (default: only in development). */
  SEED_DEMO_WHEN_EMPTY?: boolean | undefined;
  /** How often the relay looks for events without a nudge. */
  OUTBOX_SWEEP_MS: number;
  /** How often the backlog, lag and DLQ gauges are refreshed (default 10 s). */
  METRICS_REFRESH_MS?: number | undefined;
  /** When an unfinished Idempotency-Key claim (its instance died) may be taken over by a retry. */
  IDEMPOTENCY_ABANDON_MS: number;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** What a service's compose() gets to build its parts with. */
export interface ComposeContext<C extends HostedConfig> {
  config: C;
  logger: Logger;
  clock: Clock;
  /** The service's database: register its aggregate collections here. */
  store: AggregateStore;
  kafka: Kafka;
  /** Runs `step` at stop, after the servers have closed (clients to other services, say). */
  onStop(step: () => Promise<unknown> | unknown): void;
}

/** A gRPC service to serve: its generated definition and the handlers implementing it. */
export interface GrpcService {
  definition: grpc.ServiceDefinition;
  handlers: UnaryHandlers<grpc.ServiceDefinition>;
}

/** A gRPC service with handlers checked against its definition. */
export function grpcService<D extends grpc.ServiceDefinition>(
  definition: D,
  handlers: UnaryHandlers<D>,
): GrpcService {
  return { definition, handlers: handlers as unknown as UnaryHandlers<grpc.ServiceDefinition> };
}

/** Work done every `everyMs` while the service runs (an expiry sweep); one run at a time. */
export interface Periodic {
  name: string;
  everyMs: number;
  run(): Promise<unknown>;
}

/** What a service is made of, once composed. */
export interface ServiceParts {
  routes(api: ApiRouter): void;
  /** The gRPC services it serves; none: no gRPC server, no port bound. */
  grpc?: readonly GrpcService[];
  /** Every event the service consumes, event type -> handler. */
  subscriptions?: Subscriptions;
  /** Loads the demo data if the store holds none (called when seeding is on, before serving). */
  seed?: () => Promise<unknown>;
  periodic?: readonly Periodic[];
  /** Non-JSON handlers (an OpenID Connect provider, a proxy, static files): see @lto/http-kit's `mount`. */
  mount?: HttpAppOptions["mount"];
}

export interface ServiceDefinition<C extends HostedConfig> {
  /** Short name: logs, client ids, the OpenAPI title ("LTO <name> service"). */
  name: string;
  config(env: NodeJS.ProcessEnv): C;
  /** Topics the service publishes (its relay creates them). */
  topics: readonly string[];
  compose(ctx: ComposeContext<C>): ServiceParts | Promise<ServiceParts>;
}

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  /** Overrides of HTTP_PORT / GRPC_PORT / METRICS_PORT when set (tests pass 0 for a free port). */
  httpPort?: number;
  /** Used only by a service that serves gRPC. */
  grpcPort?: number;
  metricsPort?: number;
  clock?: Clock;
  logger?: Logger;
}

export interface RunningService {
  name: string;
  http: { port: number; url: string };
  /** Where gRPC is served; absent for a service that serves none (no gRPC port is bound). */
  grpc?: { port: number; address: string };
  /** Where /metrics is served when it has a port of its own (METRICS_PORT); else on `http`. */
  metrics?: { port: number; url: string };
  /** Stops serving, drains, closes everything; safe to call twice. */
  stop(): Promise<void>;
}

export async function startService<C extends HostedConfig>(
  service: ServiceDefinition<C>,
  options: StartOptions = {},
): Promise<RunningService> {
  const config = service.config(options.env ?? process.env);
  const logger =
    options.logger ?? createLogger(service.name, { level: config.LOG_LEVEL, service: config.SERVICE_NAME });
  const clock = options.clock ?? systemClock;
  const stops = new ShutdownStack(logger);
  const late = new ShutdownStack(logger);
  stops.defer(() => late.stop());
  let stopped: Promise<void> | undefined;
  const stop = () => (stopped ??= stops.stop());

  try {
    const store = await AggregateStore.open({
      url: config.MONGO_URL,
      dbName: config.MONGO_DB,
      appName: `lto-${service.name}`,
      idempotency: { abandonAfterMs: config.IDEMPOTENCY_ABANDON_MS },
    });
    stops.defer(() => store.close());
    const stopSweeper = store.idempotency.startSweeper(undefined, (err) =>
      logger.warn({ err }, "idempotency key sweep failed"),
    );
    stops.defer(async () => stopSweeper());

    const kafka = createKafka({
      clientId: `lto-${service.name}`,
      brokers: config.KAFKA_BROKERS,
      logger,
      ...kafkaAuth(config),
    });
    const parts = await service.compose({
      config,
      logger,
      clock,
      store,
      kafka,
      onStop: (step) => late.defer(step),
    });
    await store.ensureIndexes();

    const seed = config.SEED_DEMO_WHEN_EMPTY ?? config.NODE_ENV === "development";
    if (seed && parts.seed) await parts.seed();

    const relay = store.outboxRelay({
      kafka,
      logger,
      topics: service.topics,
      sweepIntervalMs: config.OUTBOX_SWEEP_MS,
      numPartitions: config.KAFKA_TOPIC_PARTITIONS,
      ...(config.METRICS_REFRESH_MS ? { gaugeIntervalMs: config.METRICS_REFRESH_MS } : {}),
    });
    await relay.start();
    stops.defer(() => relay.stop());

    const readiness: Record<string, () => Promise<void>> = {
      store: () => store.ping(),
      broker: brokerReadiness(kafka),
    };
    if (parts.subscriptions?.length) {
      const consumer = createConsumer({
        kafka,
        groupId: config.KAFKA_CONSUMER_GROUP,
        logger,
        subscriptions: parts.subscriptions,
        numPartitions: config.KAFKA_TOPIC_PARTITIONS,
        partitionsConsumedConcurrently: config.KAFKA_CONSUMER_CONCURRENCY,
      });
      // The group's lag on /metrics for as long as the service runs, whatever its consumer does (dead or
      // unable to join is when it matters); stopped after the consumer, at the very end.
      stops.defer(watchConsumerLag(consumer, config.METRICS_REFRESH_MS ?? 10_000, logger));
      // Not awaited: the service serves as soon as its store answers. Joining the group can take a
      // session timeout (a crashed predecessor's member) or wait for the broker; /readyz shows it.
      consumer.startInBackground();
      stops.defer(() => consumer.stop());
      readiness.consumer = () => consumer.readiness();
    }

    for (const job of parts.periodic ?? []) {
      let running: Promise<unknown> = Promise.resolve();
      const timer = setInterval(() => {
        running = running.then(() =>
          job.run().catch((err: unknown) => logger.warn({ err, job: job.name }, `${job.name} failed`)),
        );
      }, job.everyMs);
      timer.unref();
      stops.defer(async () => {
        clearInterval(timer);
        await running;
      });
    }

    const authenticate = createJwtVerifier({
      jwksUrl: config.JWKS_URL,
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
    });
    const http = createHttpApp({
      serviceName: service.name,
      logger,
      authenticate,
      readiness,
      idempotencyStore: store.idempotency,
      routes: parts.routes,
      ...(parts.mount ? { mount: parts.mount } : {}),
      openapi: { title: `LTO ${service.name} service`, version: "1.0.0" },
      metricsOnOwnPort: config.METRICS_PORT !== undefined,
    });
    const httpServer = await bind(
      "HTTP",
      "HTTP_PORT",
      options.httpPort ?? config.HTTP_PORT,
      config.HOST,
      (p, h) => http.listen(p, h),
    );
    stops.defer(() => httpServer.close());
    const metricsServer =
      config.METRICS_PORT === undefined
        ? undefined
        : await bind(
            "metrics",
            "METRICS_PORT",
            options.metricsPort ?? config.METRICS_PORT,
            config.HOST,
            (p, h) => http.listenMetrics(p, h),
          );
    if (metricsServer) stops.defer(() => metricsServer.close());

    // No gRPC services, no gRPC server: a port bound for health alone is one more that can clash.
    let grpcBound: { port: number } | undefined;
    if (parts.grpc?.length) {
      const grpcPort = options.grpcPort ?? config.GRPC_PORT;
      if (grpcPort === undefined)
        throw new Error(
          `${service.name} serves gRPC but its config has no GRPC_PORT: give hostedEnv its grpcPort`,
        );
      const grpcServer = createGrpcServer({ logger, authenticate });
      for (const s of parts.grpc) grpcServer.addService(s.definition, s.handlers);
      grpcBound = await bind("gRPC", "GRPC_PORT", grpcPort, config.HOST, (p, h) => grpcServer.listen(p, h));
      stops.defer(() => grpcServer.stop());
    }

    logger.info(
      { http: httpServer.port, grpc: grpcBound?.port, metrics: metricsServer?.port },
      `${service.name} service started`,
    );
    return {
      name: service.name,
      http: { port: httpServer.port, url: `http://${config.HOST}:${httpServer.port}` },
      ...(grpcBound ? { grpc: { port: grpcBound.port, address: `${config.HOST}:${grpcBound.port}` } } : {}),
      ...(metricsServer
        ? { metrics: { port: metricsServer.port, url: `http://${config.HOST}:${metricsServer.port}` } }
        : {}),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Binds with `listen`; a port that cannot be bound fails start-up naming the port and the variable that
 * chooses it (a bare EADDRINUSE says neither). The code stays, in the message and on the error: callers
 * that retry on another port look for it.
 */
async function bind<T>(
  what: string,
  variable: string,
  port: number,
  host: string,
  listen: (port: number, host: string) => Promise<T>,
): Promise<T> {
  try {
    return await listen(port, host);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    // Node's listen() says EADDRINUSE in its code; grpc-js only in its message.
    const inUse = (error as { code?: unknown }).code === "EADDRINUSE" || detail.includes("EADDRINUSE");
    const problem = inUse ? "is in use (EADDRINUSE)" : `could not be bound (${detail})`;
    throw Object.assign(
      new Error(`${what} port ${port} on ${host} ${problem}: set ${variable} to a free port`, {
        cause: error,
      }),
      inUse ? { code: "EADDRINUSE" } : {},
    );
  }
}
