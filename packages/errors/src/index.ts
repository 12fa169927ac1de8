// Transport-agnostic errors. Domain and app code throw these; the HTTP and gRPC edges map them with
// toProblem / toGrpcStatus, and gRPC clients turn a status back into the same class with fromGrpcStatus.
// Messages are shown to the caller, so they say what went wrong and what the caller can do about it.
// `details` is shown too (problem+json extensions, gRPC metadata): never put internals or secrets in it.

import { transience, transientRetryAfter } from "./transient.js";

export { retryTransient, transience, transientRetryAfter } from "./transient.js";
export type { RetryTransientOptions, Transience } from "./transient.js";

export type ErrorKind =
  | "invalid"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "invalid_state"
  | "already_exists"
  | "precondition_failed"
  | "precondition_required"
  | "unavailable"
  | "not_implemented";

export interface FieldIssue {
  /**
   * The offending field as the client names it, with no transport prefix: a resource field by its
   * dotted place ("summary", "members.0.pseudonym"), a parameter or header by its name ("limit",
   * "If-Match"); "" for the request body as a whole. Domain rules and the HTTP edge use the same names.
   */
  path: string;
  message: string;
}

export interface AppErrorOptions {
  details?: Record<string, unknown>;
  cause?: unknown;
}

export abstract class AppError extends Error {
  abstract readonly kind: ErrorKind;
  readonly details?: Record<string, unknown>;

  constructor(message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    if (options.details) this.details = options.details;
  }
}

export class ValidationError extends AppError {
  readonly kind = "invalid";
  readonly issues: FieldIssue[];

  constructor(message: string, issues: FieldIssue[] = [], options: AppErrorOptions = {}) {
    super(message, options);
    this.issues = issues;
  }
}

/** Collects every broken rule of an input, so the caller learns them all at once in one ValidationError. */
export class Issues {
  readonly list: FieldIssue[] = [];

  add(path: string, message: string): void {
    this.list.push({ path, message });
  }

  check(ok: boolean, path: string, message: string): void {
    if (!ok) this.add(path, message);
  }

  throwIfAny(summary = "The request has invalid fields"): void {
    if (this.list.length > 0) throw new ValidationError(summary, this.list);
  }
}

export class UnauthenticatedError extends AppError {
  readonly kind = "unauthenticated";

  constructor(reason = "A valid bearer token is required", options: AppErrorOptions = {}) {
    super(reason, options);
  }
}

export class ForbiddenError extends AppError {
  readonly kind = "forbidden";

  constructor(message = "You are not allowed to do this", options: AppErrorOptions = {}) {
    super(message, options);
  }
}

export class NotFoundError extends AppError {
  readonly kind = "not_found";

  constructor(entity: string, id: string, options: AppErrorOptions = {}) {
    super(`${entity} ${id} was not found; check the id`, {
      ...options,
      details: { entity, id, ...options.details },
    });
  }
}

export class ConflictError extends AppError {
  readonly kind = "conflict";
}

export interface InvalidStateOptions extends AppErrorOptions {
  /**
   * Why the state does not allow it when the state alone does not say (a stable slug, e.g. "not_scored"),
   * sent beside currentState so clients can tell the cases apart.
   */
  reason?: string;
  /** The explanation shown instead of "it is <currentState>", e.g. "no evaluator has scored it yet". */
  because?: string;
}

/**
 * An action that the entity's current state does not allow. currentState is always one of the entity's
 * real states (clients compare it); anything else about the refusal goes in reason and because.
 */
export class InvalidStateError extends AppError {
  readonly kind = "invalid_state";

  constructor(entity: string, currentState: string, attempted: string, options: InvalidStateOptions = {}) {
    const { reason, because, ...rest } = options;
    super(`Cannot ${attempted} the ${entity}: ${because ?? `it is ${currentState}`}`, {
      ...rest,
      details: { entity, currentState, attempted, ...(reason ? { reason } : {}), ...rest.details },
    });
  }
}

export class AlreadyExistsError extends AppError {
  readonly kind = "already_exists";
}

/** The caller's If-Match version is stale: someone else changed the resource first. */
export class PreconditionFailedError extends AppError {
  readonly kind = "precondition_failed";

  constructor(
    message = "The resource was changed since you read it; fetch it again and retry with its current ETag in If-Match",
    options: AppErrorOptions = {},
  ) {
    super(message, options);
  }
}

/** An update arrived without If-Match; lost updates are refused rather than risked. */
export class PreconditionRequiredError extends AppError {
  readonly kind = "precondition_required";

  constructor(
    message = "This update needs an If-Match header carrying the ETag from your last read of the resource",
    options: AppErrorOptions = {},
  ) {
    super(message, options);
  }
}

/** A dependency (store, broker, another service) is down; the caller may retry later. */
export class UnavailableError extends AppError {
  readonly kind = "unavailable";
  readonly retryAfterSeconds: number;

  constructor(
    message = "A service this request depends on is unavailable; retry shortly",
    retryAfterSeconds = 5,
    options: AppErrorOptions = {},
  ) {
    super(message, options);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * An operation the contract declares but this version of the service does not do yet (a gRPC method
 * defined ahead of its implementation): 501 / UNIMPLEMENTED, never retried. Say when it comes.
 */
export class NotImplementedError extends AppError {
  readonly kind = "not_implemented";
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

/**
 * A transient store or broker error (see transient.ts) as the UnavailableError the caller sees: 503 /
 * UNAVAILABLE with Retry-After, never a 500. Undefined for anything else.
 */
export function transientAsUnavailable(err: unknown): UnavailableError | undefined {
  if (isAppError(err)) return undefined;
  const kind = transience(err);
  if (!kind) return undefined;
  const retryAfter = transientRetryAfter(err);
  return new UnavailableError(
    retryAfter === 1
      ? "The store is busy; retry in a moment"
      : "A service this request depends on is unavailable; retry shortly",
    retryAfter,
    { cause: err },
  );
}

// ---------------------------------------------------------------------------------------------------
// HTTP: RFC 9457 problem details

export const PROBLEM_TYPE_BASE = "https://lto.mantova.it/problems/";

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldIssue[];
  [extension: string]: unknown;
}

export interface HttpProblem {
  status: number;
  body: ProblemDetails;
  /** Extra response headers, e.g. Retry-After for unavailable. */
  headers: Record<string, string>;
}

const httpByKind: Record<ErrorKind, { status: number; title: string }> = {
  invalid: { status: 400, title: "Invalid request" },
  unauthenticated: { status: 401, title: "Authentication required" },
  forbidden: { status: 403, title: "Forbidden" },
  not_found: { status: 404, title: "Not found" },
  conflict: { status: 409, title: "Conflict" },
  invalid_state: { status: 409, title: "Not allowed in the current state" },
  already_exists: { status: 409, title: "Already exists" },
  precondition_failed: { status: 412, title: "Precondition failed" },
  precondition_required: { status: 428, title: "Precondition required" },
  unavailable: { status: 503, title: "Service unavailable" },
  not_implemented: { status: 501, title: "Not implemented" },
};

/** Problem type URI for a kind or any other stable slug (http-kit uses it for 404/413/415 too). */
export function problemType(slug: string): string {
  return PROBLEM_TYPE_BASE + slug.replaceAll("_", "-");
}

export function httpStatusOf(kind: ErrorKind): number {
  return httpByKind[kind].status;
}

/**
 * Maps any thrown value to a problem+json response. Unknown errors become a generic 500 whose body
 * reveals nothing about the failure; the caller is expected to log the original with the request id.
 */
export function toProblem(err: unknown, instance?: string): HttpProblem {
  const unavailable = transientAsUnavailable(err);
  if (unavailable) return toProblem(unavailable, instance);
  if (!isAppError(err)) {
    return {
      status: 500,
      headers: {},
      body: {
        type: problemType("internal"),
        title: "Internal server error",
        status: 500,
        detail: "Something went wrong on our side; retry later, and quote the request id if it persists",
        ...(instance === undefined ? {} : { instance }),
      },
    };
  }
  const { status, title } = httpByKind[err.kind];
  const body: ProblemDetails = {
    ...err.details,
    type: problemType(err.kind),
    title,
    status,
    detail: err.message,
    ...(instance === undefined ? {} : { instance }),
  };
  if (err instanceof ValidationError) body.errors = err.issues;
  const headers: Record<string, string> = {};
  if (err instanceof UnavailableError) headers["Retry-After"] = String(err.retryAfterSeconds);
  return { status, body, headers };
}

// ---------------------------------------------------------------------------------------------------
// gRPC: numeric status codes (this package deliberately does not depend on @grpc/grpc-js)

export const GrpcCode = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;

/**
 * Several kinds share a gRPC code (conflict and invalid_state are both FAILED_PRECONDITION), so the
 * exact kind and details travel in trailing metadata under these keys and fromGrpcStatus restores the
 * same class on the client.
 */
export const ERROR_KIND_METADATA_KEY = "lto-error-kind";
export const ERROR_DETAILS_METADATA_KEY = "lto-error-details";

const grpcByKind: Record<ErrorKind, number> = {
  invalid: GrpcCode.INVALID_ARGUMENT,
  unauthenticated: GrpcCode.UNAUTHENTICATED,
  forbidden: GrpcCode.PERMISSION_DENIED,
  not_found: GrpcCode.NOT_FOUND,
  conflict: GrpcCode.FAILED_PRECONDITION,
  invalid_state: GrpcCode.FAILED_PRECONDITION,
  already_exists: GrpcCode.ALREADY_EXISTS,
  precondition_failed: GrpcCode.ABORTED,
  precondition_required: GrpcCode.FAILED_PRECONDITION,
  unavailable: GrpcCode.UNAVAILABLE,
  not_implemented: GrpcCode.UNIMPLEMENTED,
};

export interface GrpcStatus {
  code: number;
  details: string;
  /** String metadata to send as trailers; empty for unknown errors. */
  metadata: Record<string, string>;
}

export function toGrpcStatus(err: unknown): GrpcStatus {
  const unavailable = transientAsUnavailable(err);
  if (unavailable) return toGrpcStatus(unavailable);
  if (!isAppError(err)) {
    return { code: GrpcCode.INTERNAL, details: "Internal error", metadata: {} };
  }
  const metadata: Record<string, string> = { [ERROR_KIND_METADATA_KEY]: err.kind };
  const details: Record<string, unknown> = { ...err.details };
  if (err instanceof ValidationError) details.issues = err.issues;
  if (err instanceof UnavailableError) details.retryAfterSeconds = err.retryAfterSeconds;
  if (Object.keys(details).length > 0) metadata[ERROR_DETAILS_METADATA_KEY] = JSON.stringify(details);
  return { code: grpcByKind[err.kind], details: err.message, metadata };
}

const kindByGrpcCode: Record<number, ErrorKind> = {
  [GrpcCode.INVALID_ARGUMENT]: "invalid",
  [GrpcCode.OUT_OF_RANGE]: "invalid",
  [GrpcCode.UNAUTHENTICATED]: "unauthenticated",
  [GrpcCode.PERMISSION_DENIED]: "forbidden",
  [GrpcCode.NOT_FOUND]: "not_found",
  [GrpcCode.FAILED_PRECONDITION]: "conflict",
  [GrpcCode.ALREADY_EXISTS]: "already_exists",
  [GrpcCode.ABORTED]: "precondition_failed",
  [GrpcCode.UNAVAILABLE]: "unavailable",
  [GrpcCode.DEADLINE_EXCEEDED]: "unavailable",
  [GrpcCode.RESOURCE_EXHAUSTED]: "unavailable",
  [GrpcCode.UNIMPLEMENTED]: "not_implemented",
};

const errorKinds = new Set<string>(Object.keys(httpByKind));

function parseDetails(raw: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed && typeof parsed === "object" && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

const str = (v: unknown, fallback: string) => (typeof v === "string" ? v : fallback);

/**
 * Client side: a failed call's status back to an AppError. Uses the kind from metadata when the server
 * sent it, otherwise the code. Codes with no domain meaning (UNKNOWN, INTERNAL, ...) become
 * UnavailableError: from the caller's point of view the dependency failed.
 */
export function fromGrpcStatus(
  code: number,
  details: string,
  metadata: Record<string, string | undefined> = {},
): AppError {
  const sentKind = metadata[ERROR_KIND_METADATA_KEY];
  const kind: ErrorKind =
    sentKind && errorKinds.has(sentKind) ? (sentKind as ErrorKind) : (kindByGrpcCode[code] ?? "unavailable");
  const extra = parseDetails(metadata[ERROR_DETAILS_METADATA_KEY]);
  const message = details || `Remote call failed with gRPC status ${code}`;
  const { issues, retryAfterSeconds, ...rest } = extra;
  const options: AppErrorOptions = Object.keys(rest).length > 0 ? { details: rest } : {};
  let err: AppError;
  switch (kind) {
    case "invalid":
      err = new ValidationError(message, Array.isArray(issues) ? (issues as FieldIssue[]) : [], options);
      break;
    case "unauthenticated":
      err = new UnauthenticatedError(message, options);
      break;
    case "forbidden":
      err = new ForbiddenError(message, options);
      break;
    case "not_found":
      err = new NotFoundError(str(rest.entity, "resource"), str(rest.id, "?"), options);
      break;
    case "conflict":
      err = new ConflictError(message, options);
      break;
    case "invalid_state":
      err = new InvalidStateError(
        str(rest.entity, "resource"),
        str(rest.currentState, "unknown"),
        str(rest.attempted, "act on"),
        options,
      );
      break;
    case "already_exists":
      err = new AlreadyExistsError(message, options);
      break;
    case "precondition_failed":
      err = new PreconditionFailedError(message, options);
      break;
    case "precondition_required":
      err = new PreconditionRequiredError(message, options);
      break;
    case "unavailable":
      err = new UnavailableError(
        message,
        typeof retryAfterSeconds === "number" ? retryAfterSeconds : 5,
        options,
      );
      break;
    case "not_implemented":
      err = new NotImplementedError(message, options);
      break;
  }
  // The server's wording wins over the constructor's default (it may carry more context).
  err.message = message;
  return err;
}
