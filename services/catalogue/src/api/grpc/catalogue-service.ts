// lto.catalogue.v1.CatalogueService: fresh reads for other services. The caller's token travels in the
// `authorization` metadata and the same read rules as the REST API apply.
import type { catalogueV1 } from "@lto/contracts";
import { ValidationError } from "@lto/errors";
import type { UnaryHandlers } from "@lto/grpc-kit";
import type { CatalogueApp } from "../../app/index.js";
import { toProtoCourse, toProtoCredential, toProtoSession } from "../../contract/index.js";

const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;

function required(value: string, field: string): string {
  if (!value) throw new ValidationError(`${field} is required`, [{ path: field, message: "is required" }]);
  return value;
}

export function catalogueServiceHandlers(
  app: CatalogueApp,
): UnaryHandlers<typeof catalogueV1.CatalogueServiceService> {
  return {
    async getCourse(request, { identity }) {
      return {
        course: toProtoCourse(await app.courses.read(identity, required(request.courseId, "course_id"))),
      };
    },

    async listSessions(request, { identity }) {
      if (request.pageSize < 0)
        throw new ValidationError("page_size cannot be negative", [
          { path: "page_size", message: "must be >= 0" },
        ]);
      const page = await app.sessions.listPage(identity, required(request.courseId, "course_id"), {
        limit: Math.min(request.pageSize || DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE),
        ...(request.site ? { site: request.site } : {}),
        ...(request.pageToken ? { cursor: request.pageToken } : {}),
      });
      return { sessions: page.items.map((s) => toProtoSession(s)), nextPageToken: page.nextCursor ?? "" };
    },

    async listCredentials(request, { identity }) {
      const list = await app.credentials.list(identity, request.personId);
      return { credentials: list.map(toProtoCredential) };
    },

    async checkCredential(request, { identity }) {
      const answer = await app.credentials.check(identity, {
        personId: request.personId,
        framework: required(request.framework, "framework"),
        version: required(request.frameworkVersion, "framework_version"),
        competence: required(request.competence, "competence"),
        minimumLevel: request.minimumLevel,
      });
      return {
        satisfied: answer.satisfied,
        credentialId: answer.credentialId ?? "",
        level: answer.level ?? 0,
        checkedAt: answer.checkedAt.toISOString(),
      };
    },
  };
}
