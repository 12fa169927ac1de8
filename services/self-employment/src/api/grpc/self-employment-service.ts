// lto.selfemployment.v1.SelfEmploymentService: fresh reads for other services. The contract is
// complete; the answers come with availability, bookings and paths (the next waves of issue 10).
// Until then each method answers UNIMPLEMENTED saying so, after checking the caller: a token is
// needed, as for the REST API.
import type { selfEmploymentV1 } from "@lto/contracts";
import { NotImplementedError, UnauthenticatedError, ValidationError } from "@lto/errors";
import type { CallContext, UnaryHandlers } from "@lto/grpc-kit";
import type { SelfEmploymentApp } from "../../app/index.js";
import { toProtoPath } from "../../contract/index.js";

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
    getAvailability: notYet("GetAvailability", "slots (availability)"),
    // A person's path (or an adopted idea's team's, by the idea id): same readers as GET /v1/persons/{id}/path.
    async getPath(request, { identity }) {
      if (!request.personId)
        throw new ValidationError("person_id is required", [{ path: "person_id", message: "is required" }]);
      return { path: toProtoPath(await app.paths.forPeer(identity, request.personId)) };
    },
    listBookingsBySite: notYet("ListBookingsBySite", "bookings"),
  };
}
