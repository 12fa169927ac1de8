// The environment every hosted service reads: the platform's common variables plus what the host needs
// (bind address, consumer group, relay sweep, demo seed, idempotency key takeover), with defaults named
// after the service.
import { commonEnv, envBoolean, port } from "@lto/config";
import { z } from "zod";

/**
 * `commonEnv` extended with the host's variables for service `name` (database `lto_<name>`, consumer
 * group `lto-<name>`); a service `.extend`s it with its own. `grpcPort` only for a service that serves
 * gRPC. Default ports sit below Linux's ephemeral range (32768-60999), where an outgoing connection
 * could hold one just as the service binds it: HTTP 808N, gRPC 908N.
 */
export function hostedEnv(opts: { name: string; httpPort: number; grpcPort?: number; metricsPort?: number }) {
  return commonEnv.extend({
    SERVICE_NAME: z.string().default(opts.name),
    HTTP_PORT: port().default(opts.httpPort),
    GRPC_PORT: opts.grpcPort === undefined ? port().optional() : port().default(opts.grpcPort),
    /**
     * Where /metrics is served when not on HTTP_PORT: a service whose HTTP port is published (the
     * gateway) keeps its metrics on a port only the network inside reaches. Unset: on HTTP_PORT.
     */
    METRICS_PORT: opts.metricsPort === undefined ? port().optional() : port().default(opts.metricsPort),
    MONGO_DB: z.string().min(1).default(`lto_${opts.name}`),
    /** Binds HTTP and gRPC here; 0.0.0.0 in containers. */
    HOST: z.string().min(1).default("127.0.0.1"),
    KAFKA_CONSUMER_GROUP: z.string().min(1).default(`lto-${opts.name}`),
    /** Load the service's demo data when the store is empty; by default only in development (`npm start`). */
    SEED_DEMO_WHEN_EMPTY: envBoolean().optional(),
    /** How often the relay looks for events without a nudge. */
    OUTBOX_SWEEP_MS: z.coerce.number().int().min(50).default(2000),
    /**
     * How often the gauges that need a query are refreshed for /metrics: the outbox backlog (a scan of
     * the pending documents) and the consumer lag and DLQ depth (broker offsets).
     */
    METRICS_REFRESH_MS: z.coerce.number().int().min(100).default(10_000),
    /**
     * When an Idempotency-Key claimed by a request that never finished (its instance died) may be taken
     * over by a retry: until then the retry gets 409 "in progress". Must exceed the slowest request.
     */
    IDEMPOTENCY_ABANDON_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  });
}
