// The adoption service over gRPC, for what it holds about a student (export). Every call has a
// deadline; a call that cannot be answered in time is a retryable 503, never a partial export.
import { adoptionV1 } from "@lto/contracts";
import { AppError, UnavailableError } from "@lto/errors";
import { createGrpcClient } from "@lto/grpc-kit";
import type { AdoptionRecords } from "../app/index.js";
import { fromProtoStudentAdoption } from "../contract/index.js";

export function adoptionRecords(address: string, deadlineMs = 2000): AdoptionRecords & { close(): void } {
  const client = createGrpcClient(adoptionV1.AdoptionServiceClient, address, { deadlineMs, retries: 2 });
  return {
    async exportStudent(ideaIds, pseudonym, token) {
      try {
        const r = await client.exportStudent({ ideaIds, pseudonym }, { token });
        return r.adoptions.map(fromProtoStudentAdoption);
      } catch (err) {
        if (err instanceof AppError && err.kind !== "unavailable" && err.kind !== "unauthenticated")
          throw err;
        throw new UnavailableError(
          "The adoption service did not answer, so the export would be incomplete; retry shortly",
          5,
          { cause: err },
        );
      }
    },
    close: () => client.close(),
  };
}
