// lto.selfemployment.v1.SelfEmploymentService: fresh reads for other services. GetAvailability
// answers; the others come with bookings and paths (the next waves of issue 10) and until then answer
// UNIMPLEMENTED saying so, after checking the caller: a token is needed, as for the REST API.
import { isLocalDate } from "@lto/civil-time";
import type { selfEmploymentV1 } from "@lto/contracts";
import {
  Issues,
  NotImplementedError,
  UnauthenticatedError,
  UnavailableError,
  ValidationError,
} from "@lto/errors";
import type { CallContext, UnaryHandlers } from "@lto/grpc-kit";
import type { SelfEmploymentApp } from "../../app/index.js";
import { toProtoAvailability, toProtoPath } from "../../contract/index.js";

function notYet(method: string, what: string) {
  return async (_request: unknown, { identity }: CallContext): Promise<never> => {
    if (!identity)
      throw new UnauthenticatedError("Send the caller's bearer token in the authorization metadata");
    throw new NotImplementedError(
      `${method} is not answered yet: ${what} come with the next version of the self-employment service`,
    );
  };
}

export function selfEmploymentServiceHandlers(
  app: SelfEmploymentApp,
): UnaryHandlers<typeof selfEmploymentV1.SelfEmploymentServiceService> {
  return {
    async getAvailability(request, { identity, signal }) {
      if (!identity)
        throw new UnauthenticatedError("Send the caller's bearer token in the authorization metadata");
      const issues = new Issues();
      issues.check(!!request.serviceType, "service_type", "is required");
      issues.check(!!request.site, "site", "is required");
      issues.check(isLocalDate(request.from), "from", "must be a date YYYY-MM-DD");
      issues.check(isLocalDate(request.to), "to", "must be a date YYYY-MM-DD");
      issues.throwIfAny("The availability request has invalid fields");
      // The caller's deadline: once it has passed nobody waits for the answer, so stop computing.
      const checkpoint = () => {
        if (signal.aborted)
          throw new UnavailableError("The caller's deadline passed before the slots were computed", 1);
      };
      checkpoint();
      const view = await app.availability.slots(
        identity,
        {
          service: request.serviceType,
          site: request.site,
          from: request.from,
          to: request.to,
          ...(request.operatorId ? { operator: request.operatorId } : {}),
        },
        checkpoint,
      );
      checkpoint();
      return toProtoAvailability(view);
    },
    // A person's path (or an adopted idea's team's, by the idea id): same readers as GET /v1/persons/{id}/path.
    async getPath(request, { identity }) {
      if (!request.personId)
        throw new ValidationError("person_id is required", [{ path: "person_id", message: "is required" }]);
      return { path: toProtoPath(await app.paths.forPeer(identity, request.personId)) };
    },
    listBookingsBySite: notYet("ListBookingsBySite", "bookings"),
  };
}
