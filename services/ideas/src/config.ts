import { loadConfig, peerGrpcAddress } from "@lto/config";
import { hostedEnv } from "@lto/service-host";
import { z } from "zod";

export const ideasEnv = hostedEnv({ name: "ideas", httpPort: 8081, grpcPort: 9081 }).extend({
  /** The adoption service's gRPC, asked for a student's adoption records when exporting their data. */
  ADOPTION_GRPC_ADDRESS: peerGrpcAddress("127.0.0.1:9082"),
  ADOPTION_GRPC_DEADLINE_MS: z.coerce.number().int().min(50).max(30_000).default(2000),
});

export type IdeasConfig = z.infer<typeof ideasEnv>;

export function loadIdeasConfig(env: NodeJS.ProcessEnv = process.env): IdeasConfig {
  return loadConfig(ideasEnv, env);
}
