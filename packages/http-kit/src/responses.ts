// What every service's routes document and return the same way.
import { problemSchema } from "./openapi.js";
import type { HandlerResult } from "./routes.js";

// The problems a route's own rules answer. The kit documents by itself what it answers from the
// route's declaration: 400 (input), 401 (auth), 409/422 (Idempotency-Key), 412/428 (If-Match),
// 413/415 (body) and 503 (a dependency down).

/** ...of a route that reads. */
export const problemResponses = {
  403: { description: "Your role or organisation may not do this", schema: problemSchema },
  404: { description: "Not found", schema: problemSchema },
};

/** ...of a route that changes state (lifecycle rules, duplicates). */
export const writeProblemResponses = {
  ...problemResponses,
  409: { description: "The current state does not allow this (named in the problem)", schema: problemSchema },
};

/** A result whose body's numeric `version`, when present, becomes its ETag. */
export function versionedResult(body: unknown, status = 200): HandlerResult {
  const version = (body as { version?: unknown } | null)?.version;
  return { status, body, ...(typeof version === "number" ? { etag: version } : {}) };
}
