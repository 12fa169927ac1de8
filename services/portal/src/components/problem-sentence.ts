// What kind of refusal a problem+json is, said in the page's language: the services answer in English,
// so an Italian reader first learns what happened and what to do (this sentence), then reads the
// service's own detail. Decided by the problem's type URI when it names a kind, else by the status.
import type { Problem } from "../api/problem.js";
import type { MessageId } from "../i18n/it.js";

export interface ProblemSentence {
  id: MessageId;
  values?: Record<string, string | number>;
}

/** The last segment of the type URI ("https://lto.mantova.it/problems/not-found" -> "not-found"). */
function slugOf(type: string | undefined): string | undefined {
  if (!type || type === "about:blank") return undefined;
  return type.split(/[/#]/).filter(Boolean).pop();
}

const BY_SLUG: Record<string, MessageId> = {
  invalid: "error.kind.invalid",
  "bad-request": "error.kind.invalid",
  "payload-too-large": "error.kind.invalid",
  "unsupported-media-type": "error.kind.invalid",
  unauthenticated: "error.kind.unauthenticated",
  forbidden: "error.kind.forbidden",
  "not-found": "error.kind.notFound",
  conflict: "error.kind.conflict",
  "already-exists": "error.kind.alreadyExists",
  "invalid-state": "error.kind.invalidState",
  "precondition-failed": "error.kind.changed",
  "precondition-required": "error.kind.changed",
  "too-many-requests": "error.kind.rateLimited",
  unavailable: "error.kind.unavailable",
  "not-ready": "error.kind.unavailable",
};

const BY_STATUS: Record<number, MessageId> = {
  400: "error.kind.invalid",
  401: "error.kind.unauthenticated",
  403: "error.kind.forbidden",
  404: "error.kind.notFound",
  409: "error.kind.conflict",
  412: "error.kind.changed",
  413: "error.kind.invalid",
  415: "error.kind.invalid",
  422: "error.kind.invalid",
  428: "error.kind.changed",
  429: "error.kind.rateLimited",
  503: "error.kind.unavailable",
};

export function problemSentence(
  status: number,
  problem: Problem,
  retryAfterSeconds?: number,
): ProblemSentence {
  if (status === 0) return { id: "error.network" };
  const slug = slugOf(problem.type);
  const id: MessageId =
    (slug ? BY_SLUG[slug] : undefined) ??
    BY_STATUS[status] ??
    (status >= 500 ? "error.kind.server" : "error.kind.other");
  if (id === "error.kind.invalid") {
    // The fields as the service names them ("" is the request as a whole, not a field).
    const fields = [...new Set((problem.errors ?? []).map((e) => e.path).filter((p) => p !== ""))];
    return fields.length ? { id: "error.kind.invalidFields", values: { fields: fields.join(", ") } } : { id };
  }
  if (retryAfterSeconds !== undefined && id === "error.kind.rateLimited")
    return { id: "error.kind.rateLimited.retryIn", values: { seconds: retryAfterSeconds } };
  if (retryAfterSeconds !== undefined && id === "error.kind.unavailable")
    return { id: "error.kind.unavailable.retryIn", values: { seconds: retryAfterSeconds } };
  return { id };
}
