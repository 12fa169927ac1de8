import { commonEnv, envBoolean, loadConfig, port } from "@lto/config";
import { z } from "zod";

export const adoptionEnv = commonEnv.extend({
  SERVICE_NAME: z.string().default("adoption"),
  HTTP_PORT: port().default(8082),
  GRPC_PORT: port().default(50052),
  MONGO_DB: z.string().min(1).default("lto_adoption"),
  /** Binds HTTP and gRPC here; 0.0.0.0 in containers. */
  HOST: z.string().min(1).default("127.0.0.1"),
  /** The ideas service's gRPC address, asked CheckAdoptable before every accept. */
  IDEAS_GRPC_ADDRESS: z.string().min(1).default("127.0.0.1:50051"),
  /** Deadline of that call: past it the accept is refused with a retryable 503. */
  IDEAS_GRPC_DEADLINE_MS: z.coerce.number().int().min(50).max(30_000).default(2000),
  KAFKA_CONSUMER_GROUP: z.string().min(1).default("lto-adoption"),
  OUTBOX_SWEEP_MS: z.coerce.number().int().min(50).default(2000),
  /** How often the sweeper lapses expired holds. */
  HOLD_SWEEP_MS: z.coerce.number().int().min(50).default(30_000),
  /** Load the demo companies, holds, offers and adoptions when the store is empty (default: development only). */
  SEED_DEMO_WHEN_EMPTY: envBoolean().optional(),
});

export type AdoptionConfig = z.infer<typeof adoptionEnv>;

export function loadAdoptionConfig(env: NodeJS.ProcessEnv = process.env): AdoptionConfig {
  return loadConfig(adoptionEnv, env);
}
