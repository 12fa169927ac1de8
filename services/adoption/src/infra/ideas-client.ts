// The ideas service over gRPC: a fresh CheckAdoptable with a deadline. If it cannot answer in time
// the accept is refused with a retryable UnavailableError; nothing is accepted blindly.
import { AppError, UnavailableError } from "@lto/errors";
import { createGrpcClient } from "@lto/grpc-kit";
import { ideasV1 } from "@lto/contracts";
import type { IdeasGateway } from "../app/index.js";

export function ideasGateway(address: string, deadlineMs = 2000): IdeasGateway & { close(): void } {
  const client = createGrpcClient(ideasV1.IdeasServiceClient, address, { deadlineMs, retries: 2 });
  return {
    async checkAdoptable(ideaId, companyId, token) {
      try {
        const r = await client.checkAdoptable({ ideaId, companyId }, { token });
        return {
          adoptable: r.adoptable,
          reason: r.reason.replace(/^NOT_ADOPTABLE_REASON_/, "").toLowerCase(),
          detail: r.reasonDetail,
        };
      } catch (err) {
        if (err instanceof AppError && err.kind !== "unavailable" && err.kind !== "unauthenticated")
          throw err;
        throw new UnavailableError(
          "The ideas service did not confirm that the idea is still adoptable; nothing was accepted, retry shortly",
          5,
          { cause: err },
        );
      }
    },
    close: () => client.close(),
  };
}
