// A failed call as the user reads it: the problem+json (RFC 9457) the service answered, its own
// `detail` (or `title`) and the fields it names, never a generic "error 400".

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  requestId?: string;
  errors?: Array<{ path: string; message: string }>;
}

export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
    /** The answer's Retry-After in seconds, when it said when to try again (429, 503). */
    readonly retryAfterSeconds?: number,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }

  static from(status: number, body: unknown, headers?: Headers): ProblemError {
    const retryAfter = Number(headers?.get("retry-after") ?? NaN);
    const wait = Number.isInteger(retryAfter) && retryAfter >= 0 ? retryAfter : undefined;
    if (body && typeof body === "object") return new ProblemError(status, body as Problem, wait);
    const text = typeof body === "string" && body.trim() ? body.trim().slice(0, 500) : undefined;
    return new ProblemError(status, { status, ...(text ? { detail: text } : {}) }, wait);
  }

  /** The request never got an answer (offline, gateway down). */
  static network(cause: unknown): ProblemError {
    const error = new ProblemError(0, { status: 0 });
    error.cause = cause;
    return error;
  }
}
