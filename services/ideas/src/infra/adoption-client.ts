// The adoption service over gRPC, for what it holds about a student (export). Every call has a
// deadline; a call that cannot be answered in time is a retryable 503, never a partial export.
import { adoptionV1 } from "@lto/contracts";
import { callPeer, createGrpcClient } from "@lto/grpc-kit";
import type { AdoptionRecords } from "../app/index.js";
import { fromProtoStudentAdoption } from "../contract/index.js";

export function adoptionRecords(address: string, deadlineMs = 2000): AdoptionRecords & { close(): void } {
  const client = createGrpcClient(adoptionV1.AdoptionServiceClient, address, { deadlineMs, retries: 2 });
  return {
    async exportStudent(ideaIds, pseudonym, token) {
      const r = await callPeer(
        () => client.exportStudent({ ideaIds, pseudonym }, { token }),
        "The adoption service did not answer, so the export would be incomplete; retry shortly",
      );
      return r.adoptions.map(fromProtoStudentAdoption);
    },
    close: () => client.close(),
  };
}
