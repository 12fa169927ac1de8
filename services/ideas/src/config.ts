import { commonEnv, envBoolean, loadConfig, port } from "@lto/config";
import { z } from "zod";

export const ideasEnv = commonEnv.extend({
  SERVICE_NAME: z.string().default("ideas"),
  HTTP_PORT: port().default(8081),
  GRPC_PORT: port().default(50051),
  MONGO_DB: z.string().min(1).default("lto_ideas"),
  /** Binds HTTP and gRPC here; 0.0.0.0 in containers. */
  HOST: z.string().min(1).default("127.0.0.1"),
  KAFKA_CONSUMER_GROUP: z.string().min(1).default("lto-ideas"),
  /** Load the Mantova demo when the store is empty; by default only in development (`npm start`). */
  SEED_DEMO_WHEN_EMPTY: envBoolean().optional(),
  OUTBOX_SWEEP_MS: z.coerce.number().int().min(50).default(2000),
  /** The adoption service's gRPC, asked for a student's adoption records when exporting their data. */
  ADOPTION_GRPC_ADDRESS: z.string().min(1).default("127.0.0.1:50052"),
  ADOPTION_GRPC_DEADLINE_MS: z.coerce.number().int().min(50).max(30_000).default(2000),
});

export type IdeasConfig = z.infer<typeof ideasEnv>;

export function loadIdeasConfig(env: NodeJS.ProcessEnv = process.env): IdeasConfig {
  return loadConfig(ideasEnv, env);
}
