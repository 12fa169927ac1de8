// The ideas service over gRPC: a fresh CheckAdoptable with a deadline. If it cannot answer in time
// the accept is refused with a retryable UnavailableError; nothing is accepted blindly.
import { callPeer, createGrpcClient } from "@lto/grpc-kit";
import { ideasV1 } from "@lto/contracts";
import type { IdeasGateway } from "../app/index.js";

export function ideasGateway(address: string, deadlineMs = 2000): IdeasGateway & { close(): void } {
  const client = createGrpcClient(ideasV1.IdeasServiceClient, address, { deadlineMs, retries: 2 });
  return {
    async checkAdoptable(ideaId, companyId, token) {
      const r = await callPeer(
        () => client.checkAdoptable({ ideaId, companyId }, { token }),
        "The ideas service did not confirm that the idea is still adoptable; nothing was accepted, retry shortly",
      );
      return {
        adoptable: r.adoptable,
        reason: r.reason.replace(/^NOT_ADOPTABLE_REASON_/, "").toLowerCase(),
        detail: r.reasonDetail,
      };
    },
    close: () => client.close(),
  };
}
