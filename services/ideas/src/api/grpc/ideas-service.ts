// lto.ideas.v1.IdeasService: fresh reads for other services. The caller's token travels in the
// `authorization` metadata and the same read rules as the REST API apply.
import type { ideasV1 } from "@lto/contracts";
import { ValidationError } from "@lto/errors";
import type { UnaryHandlers } from "@lto/grpc-kit";
import type { IdeasApp, NotAdoptableReason } from "../../app/index.js";
import {
  adoptionWindow,
  fromProtoArea,
  fromProtoNeed,
  toProtoIdea,
  toProtoState,
} from "../../contract/index.js";

const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;

const REASONS: Record<NotAdoptableReason, ideasV1.NotAdoptableReason> = {
  not_published: "NOT_ADOPTABLE_REASON_NOT_PUBLISHED",
  withdrawn: "NOT_ADOPTABLE_REASON_WITHDRAWN",
  already_adopted: "NOT_ADOPTABLE_REASON_ALREADY_ADOPTED",
  adoption_phase_not_started: "NOT_ADOPTABLE_REASON_ADOPTION_PHASE_NOT_STARTED",
  adoption_phase_ended: "NOT_ADOPTABLE_REASON_ADOPTION_PHASE_ENDED",
  conflict_of_interest: "NOT_ADOPTABLE_REASON_CONFLICT_OF_INTEREST",
};

function requireIdeaId(ideaId: string): string {
  if (!ideaId)
    throw new ValidationError("idea_id is required", [{ path: "idea_id", message: "is required" }]);
  return ideaId;
}

export function ideasServiceHandlers(app: IdeasApp): UnaryHandlers<typeof ideasV1.IdeasServiceService> {
  return {
    async getIdea(request, { identity }) {
      const { idea, team, call } = await app.ideas.read(identity, requireIdeaId(request.ideaId));
      return { idea: toProtoIdea(idea, team, call) };
    },

    async listPublishedIdeas(request, { identity }) {
      if (request.pageSize < 0) {
        throw new ValidationError("page_size cannot be negative", [
          { path: "page_size", message: "must be >= 0" },
        ]);
      }
      const area = fromProtoArea(request.economicArea);
      const need = fromProtoNeed(request.need);
      const page = await app.ideas.listPublished(identity, {
        limit: Math.min(request.pageSize || DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE),
        ...(request.pageToken ? { cursor: request.pageToken } : {}),
        ...(request.callId ? { callId: request.callId } : {}),
        ...(area ? { area } : {}),
        ...(request.district ? { district: request.district } : {}),
        ...(request.technology ? { technology: request.technology } : {}),
        ...(need ? { need } : {}),
      });
      return {
        ideas: page.items.map(({ idea, team, call }) => toProtoIdea(idea, team, call)),
        nextPageToken: page.nextCursor ?? "",
      };
    },

    async checkAdoptable(request, { identity }) {
      const answer = await app.ideas.checkAdoptable(
        identity,
        requireIdeaId(request.ideaId),
        request.companyId || undefined,
      );
      return {
        adoptable: answer.adoptable,
        reason: answer.reason ? REASONS[answer.reason] : "NOT_ADOPTABLE_REASON_UNSPECIFIED",
        reasonDetail: answer.detail,
        ideaId: answer.idea.id,
        callId: answer.call.id,
        schoolId: answer.idea.schoolId,
        state: toProtoState(answer.idea.state),
        adoptionWindow: adoptionWindow(answer.call),
        checkedAt: answer.now.toISOString(),
        version: answer.idea.version,
      };
    },
  };
}
