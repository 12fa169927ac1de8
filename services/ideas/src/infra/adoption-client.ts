// The adoption service over gRPC, for what it holds about a student (export). Every call has a
// deadline; a call that cannot be answered in time is a retryable 503, never a partial export.
import { adoptionV1 } from "@lto/contracts";
import { AppError, UnavailableError } from "@lto/errors";
import { createGrpcClient } from "@lto/grpc-kit";
import type { AdoptionRecords } from "../app/index.js";

const STATES: Record<string, string> = {
  ADOPTION_STATE_ACTIVE: "active",
  ADOPTION_STATE_ENDED: "ended",
  ADOPTION_STATE_COMPLETED: "completed",
};

export function adoptionRecords(address: string, deadlineMs = 2000): AdoptionRecords & { close(): void } {
  const client = createGrpcClient(adoptionV1.AdoptionServiceClient, address, { deadlineMs, retries: 2 });
  return {
    async exportStudent(ideaIds, pseudonym, token) {
      try {
        const r = await client.exportStudent({ ideaIds, pseudonym }, { token });
        return r.adoptions.map((a) => ({
          adoptionId: a.adoptionId,
          ideaId: a.ideaId,
          ideaTitle: a.ideaTitle,
          companyId: a.companyId,
          state: STATES[a.state] ?? "unknown",
          ...(a.adoptedAt ? { adoptedAt: new Date(a.adoptedAt) } : {}),
          records: a.records.map((rec) => ({
            id: rec.id,
            kind: rec.kind,
            status: rec.status,
            ...(rec.date ? { date: rec.date } : {}),
            ...(rec.startedOn ? { startedOn: rec.startedOn } : {}),
            ...(rec.endedOn ? { endedOn: rec.endedOn } : {}),
            ...(rec.hours ? { hours: rec.hours } : {}),
          })),
          pctoHours: {
            mentoring: a.pctoMentoringHours,
            internship: a.pctoInternshipHours,
            total: a.pctoTotalHours,
          },
        }));
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
