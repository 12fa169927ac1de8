// What every service's routes document and return the same way.
import { problemSchema } from "./openapi.js";
import type { HandlerResult } from "./routes.js";

/** The problem responses of any authenticated route. */
export const problemResponses = {
  400: { description: "Invalid input, every bad field named", schema: problemSchema },
  401: { description: "Missing or invalid token", schema: problemSchema },
  403: { description: "Your role or organisation may not do this", schema: problemSchema },
  404: { description: "Not found", schema: problemSchema },
};

/** ...and those of a route that changes state (optimistic versions, lifecycle rules). */
export const writeProblemResponses = {
  ...problemResponses,
  409: { description: "The current state does not allow this (named in the problem)", schema: problemSchema },
  412: { description: "Stale If-Match version", schema: problemSchema },
  428: { description: "If-Match missing", schema: problemSchema },
};

/** A result whose body's numeric `version`, when present, becomes its ETag. */
export function versionedResult(body: unknown, status = 200): HandlerResult {
  const version = (body as { version?: unknown } | null)?.version;
  return { status, body, ...(typeof version === "number" ? { etag: version } : {}) };
}
