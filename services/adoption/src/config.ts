import { loadConfig, peerGrpcAddress } from "@lto/config";
import { hostedEnv } from "@lto/service-host";
import { z } from "zod";

export const adoptionEnv = hostedEnv({ name: "adoption", httpPort: 8082, grpcPort: 9082 }).extend({
  /** The ideas service's gRPC address, asked CheckAdoptable before every accept. */
  IDEAS_GRPC_ADDRESS: peerGrpcAddress("127.0.0.1:9081"),
  /** Deadline of that call: past it the accept is refused with a retryable 503. */
  IDEAS_GRPC_DEADLINE_MS: z.coerce.number().int().min(50).max(30_000).default(2000),
  /** How often the sweeper lapses expired holds. */
  HOLD_SWEEP_MS: z.coerce.number().int().min(50).default(30_000),
});

export type AdoptionConfig = z.infer<typeof adoptionEnv>;

export function loadAdoptionConfig(env: NodeJS.ProcessEnv = process.env): AdoptionConfig {
  return loadConfig(adoptionEnv, env);
}
