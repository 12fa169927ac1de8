// lto.selfemployment.v1.SelfEmploymentService: fresh reads for other services (GetAvailability,
// GetPath, ListBookingsBySite), with the readers of the REST API: a token is needed.
import { isLocalDate } from "@lto/civil-time";
import type { selfEmploymentV1 } from "@lto/contracts";
import { Issues, UnauthenticatedError, UnavailableError, ValidationError } from "@lto/errors";
import type { UnaryHandlers } from "@lto/grpc-kit";
import type { SelfEmploymentApp } from "../../app/index.js";
import { toProtoAvailability, toProtoBooking, toProtoPath } from "../../contract/index.js";

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
    // A site's bookings starting in [from, to): the readers of GET /v1/bookings?site=.
    async listBookingsBySite(request, { identity }) {
      const issues = new Issues();
      issues.check(!!request.site, "site", "is required");
      const from = request.from ? new Date(request.from) : undefined;
      const to = request.to ? new Date(request.to) : undefined;
      issues.check(!from || !Number.isNaN(from.getTime()), "from", "must be a timestamp");
      issues.check(!to || !Number.isNaN(to.getTime()), "to", "must be a timestamp");
      issues.check(request.pageSize >= 0 && request.pageSize <= 100, "page_size", "must be 0 to 100");
      issues.throwIfAny("The booking list request has invalid fields");
      const page = await app.bookings.list(
        identity,
        { site: request.site, ...(from ? { from } : {}), ...(to ? { to } : {}) },
        { limit: request.pageSize || 50, ...(request.pageToken ? { cursor: request.pageToken } : {}) },
      );
      return { bookings: page.items.map(toProtoBooking), nextPageToken: page.nextCursor ?? "" };
    },
  };
}
