// AdoptionService over gRPC: GetAdoption, ListAdoptionsByCompany, ListAdoptionsByIdea. The caller's
// identity comes from the `authorization` metadata and the same access rules as HTTP apply.
import { adoptionV1 } from "@lto/contracts";
import type { UnaryHandlers } from "@lto/grpc-kit";
import { ValidationError } from "@lto/errors";
import type { Stored, UseCases } from "../../app/index.js";
import { adoptionMessage } from "../../contract/index.js";
import type { Adoption } from "../../domain/index.js";

type Handlers = UnaryHandlers<typeof adoptionV1.AdoptionServiceService>;

const STATE = {
  ADOPTION_STATE_ACTIVE: "active",
  ADOPTION_STATE_ENDED: "ended",
  ADOPTION_STATE_COMPLETED: "completed",
} as const;
const STATE_OF = {
  active: "ADOPTION_STATE_ACTIVE",
  ended: "ADOPTION_STATE_ENDED",
  completed: "ADOPTION_STATE_COMPLETED",
} as const;
const stateFilter = (state: string) => {
  const status = STATE[state as keyof typeof STATE];
  return status ? { status } : {};
};
const pageSize = (n: number) => (n > 0 ? Math.min(n, 100) : 20);
const required = (value: string, field: string) => {
  if (!value) throw new ValidationError(`${field} is required`, [{ path: field, message: "is required" }]);
  return value;
};

export function adoptionServiceHandlers(
  uc: UseCases,
  companyName: (id: string) => Promise<string>,
): Handlers {
  const toMessage = async (a: Stored<Adoption>) => adoptionMessage(a, await companyName(a.companyId));
  return {
    async getAdoption(req, ctx) {
      const a = await uc.adoptions.get(ctx.identity, required(req.adoptionId, "adoption_id"));
      return { adoption: await toMessage(a) };
    },
    async listAdoptionsByCompany(req, ctx) {
      const page = await uc.adoptions.list(
        ctx.identity,
        { companyId: required(req.companyId, "company_id"), ...stateFilter(req.state) },
        { limit: pageSize(req.pageSize), ...(req.pageToken ? { cursor: req.pageToken } : {}) },
      );
      return {
        adoptions: await Promise.all(page.items.map(toMessage)),
        nextPageToken: page.nextCursor ?? "",
      };
    },
    async exportStudent(req, ctx) {
      const found = await uc.adoptions.exportStudent(
        ctx.identity,
        req.ideaIds,
        required(req.pseudonym, "pseudonym"),
      );
      return {
        adoptions: found.map(({ adoption: a, records, pcto }) =>
          adoptionV1.StudentAdoption.fromPartial({
            adoptionId: a.id,
            ideaId: a.ideaId,
            ideaTitle: a.ideaTitle,
            companyId: a.companyId,
            state: STATE_OF[a.status],
            adoptedAt: a.startedAt.toISOString(),
            records: records.map((r) => ({
              id: r.id,
              kind: r.kind,
              status: r.status,
              date: r.date ?? "",
              startedOn: r.startedOn ?? "",
              endedOn: r.endedOn ?? "",
              hours: r.hours ?? 0,
            })),
            pctoMentoringHours: pcto.mentoringHours,
            pctoInternshipHours: pcto.internshipHours,
            pctoTotalHours: pcto.totalHours,
          }),
        ),
      };
    },
    async listAdoptionsByIdea(req, ctx) {
      const page = await uc.adoptions.list(
        ctx.identity,
        { ideaId: required(req.ideaId, "idea_id") },
        { limit: pageSize(req.pageSize), ...(req.pageToken ? { cursor: req.pageToken } : {}) },
      );
      return {
        adoptions: await Promise.all(page.items.map(toMessage)),
        nextPageToken: page.nextCursor ?? "",
      };
    },
  };
}
