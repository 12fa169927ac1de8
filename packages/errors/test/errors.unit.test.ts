import { describe, expect, it } from "vitest";
import type { AppError } from "../src/index.js";
import {
  AlreadyExistsError,
  ConflictError,
  ERROR_DETAILS_METADATA_KEY,
  ERROR_KIND_METADATA_KEY,
  ForbiddenError,
  fromGrpcStatus,
  GrpcCode,
  InvalidStateError,
  NotFoundError,
  NotImplementedError,
  PreconditionFailedError,
  PreconditionRequiredError,
  toGrpcStatus,
  toProblem,
  UnauthenticatedError,
  UnavailableError,
  ValidationError,
} from "../src/index.js";

describe("toProblem", () => {
  it("maps every kind to its HTTP status with a stable type", () => {
    const cases: [AppError, number, string][] = [
      [new ValidationError("bad"), 400, "invalid"],
      [new UnauthenticatedError(), 401, "unauthenticated"],
      [new ForbiddenError(), 403, "forbidden"],
      [new NotFoundError("Idea", "i1"), 404, "not-found"],
      [new ConflictError("clash"), 409, "conflict"],
      [new InvalidStateError("idea", "published", "withdraw"), 409, "invalid-state"],
      [new AlreadyExistsError("dup"), 409, "already-exists"],
      [new PreconditionFailedError(), 412, "precondition-failed"],
      [new PreconditionRequiredError(), 428, "precondition-required"],
      [new UnavailableError(), 503, "unavailable"],
      [new NotImplementedError("later"), 501, "not-implemented"],
    ];
    for (const [err, status, slug] of cases) {
      const problem = toProblem(err, "/v1/x");
      expect(problem.status).toBe(status);
      expect(problem.body).toMatchObject({
        status,
        type: `https://lto.mantova.it/problems/${slug}`,
        detail: err.message,
        instance: "/v1/x",
      });
    }
  });

  it("names the current state in an invalid-state conflict", () => {
    const { body } = toProblem(new InvalidStateError("idea", "published", "withdraw"));
    expect(body.detail).toBe("Cannot withdraw the idea: it is published");
    expect(body).toMatchObject({ currentState: "published", attempted: "withdraw" });
  });

  it("lists every field issue of a validation error", () => {
    const issues = [
      { path: "title", message: "Required" },
      { path: "limit", message: "Too big" },
    ];
    expect(toProblem(new ValidationError("Invalid request", issues)).body.errors).toEqual(issues);
  });

  it("adds Retry-After for unavailable dependencies", () => {
    expect(toProblem(new UnavailableError("store down", 7)).headers).toEqual({ "Retry-After": "7" });
  });

  it("never leaks internals of unknown errors", () => {
    const problem = toProblem(new Error("ECONNREFUSED 10.0.0.3:27017 password=secret"));
    expect(problem.status).toBe(500);
    expect(JSON.stringify(problem.body)).not.toMatch(/ECONNREFUSED|secret|stack/);
  });

  it("does not let details override the standard members", () => {
    const err = new ConflictError("clash", { details: { status: 200, type: "x" } });
    expect(toProblem(err).body).toMatchObject({
      status: 409,
      type: "https://lto.mantova.it/problems/conflict",
    });
  });
});

describe("gRPC mapping", () => {
  it("uses the agreed codes and never UNKNOWN for app errors", () => {
    expect(toGrpcStatus(new ValidationError("bad")).code).toBe(GrpcCode.INVALID_ARGUMENT);
    expect(toGrpcStatus(new NotFoundError("Idea", "1")).code).toBe(GrpcCode.NOT_FOUND);
    expect(toGrpcStatus(new ConflictError("c")).code).toBe(GrpcCode.FAILED_PRECONDITION);
    expect(toGrpcStatus(new InvalidStateError("idea", "draft", "publish")).code).toBe(
      GrpcCode.FAILED_PRECONDITION,
    );
    expect(toGrpcStatus(new AlreadyExistsError("d")).code).toBe(GrpcCode.ALREADY_EXISTS);
    expect(toGrpcStatus(new ForbiddenError()).code).toBe(GrpcCode.PERMISSION_DENIED);
    expect(toGrpcStatus(new UnauthenticatedError()).code).toBe(GrpcCode.UNAUTHENTICATED);
    expect(toGrpcStatus(new UnavailableError()).code).toBe(GrpcCode.UNAVAILABLE);
    expect(toGrpcStatus(new PreconditionFailedError()).code).toBe(GrpcCode.ABORTED);
    expect(toGrpcStatus(new Error("boom"))).toEqual({
      code: GrpcCode.INTERNAL,
      details: "Internal error",
      metadata: {},
    });
  });

  it("round-trips the exact class, message and details through status + metadata", () => {
    const original = new InvalidStateError("idea", "adopted", "withdraw");
    const status = toGrpcStatus(original);
    expect(status.metadata[ERROR_KIND_METADATA_KEY]).toBe("invalid_state");
    const restored = fromGrpcStatus(status.code, status.details, status.metadata);
    expect(restored).toBeInstanceOf(InvalidStateError);
    expect(restored.message).toBe(original.message);
    expect(restored.details).toEqual(original.details);

    const invalid = toGrpcStatus(new ValidationError("bad", [{ path: "id", message: "Required" }]));
    const back = fromGrpcStatus(invalid.code, invalid.details, invalid.metadata);
    expect(back).toBeInstanceOf(ValidationError);
    expect((back as ValidationError).issues).toEqual([{ path: "id", message: "Required" }]);

    const notFound = toGrpcStatus(new NotFoundError("Idea", "abc"));
    expect(fromGrpcStatus(notFound.code, notFound.details, notFound.metadata)).toMatchObject({
      message: "Idea abc was not found; check the id",
      details: { entity: "Idea", id: "abc" },
    });
  });

  it("falls back to the code when a server sent no kind", () => {
    expect(fromGrpcStatus(GrpcCode.NOT_FOUND, "no such idea")).toBeInstanceOf(NotFoundError);
    expect(fromGrpcStatus(GrpcCode.FAILED_PRECONDITION, "x")).toBeInstanceOf(ConflictError);
    expect(fromGrpcStatus(GrpcCode.DEADLINE_EXCEEDED, "late")).toBeInstanceOf(UnavailableError);
    expect(fromGrpcStatus(GrpcCode.INTERNAL, "")).toBeInstanceOf(UnavailableError);
    expect(fromGrpcStatus(GrpcCode.UNIMPLEMENTED, "later")).toBeInstanceOf(NotImplementedError);
  });

  it("answers a method not done yet with UNIMPLEMENTED and its message, and back", () => {
    const status = toGrpcStatus(new NotImplementedError("GetPath comes with the paths"));
    expect(status).toMatchObject({ code: GrpcCode.UNIMPLEMENTED, details: "GetPath comes with the paths" });
    const back = fromGrpcStatus(status.code, status.details, status.metadata);
    expect(back).toBeInstanceOf(NotImplementedError);
    expect(back.message).toBe("GetPath comes with the paths");
  });

  it("ignores garbage metadata", () => {
    const err = fromGrpcStatus(GrpcCode.NOT_FOUND, "gone", {
      [ERROR_KIND_METADATA_KEY]: "nonsense",
      [ERROR_DETAILS_METADATA_KEY]: "{not json",
    });
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err.message).toBe("gone");
  });
});

describe("AppError", () => {
  it("keeps name, cause and instanceof Error", () => {
    const cause = new Error("root");
    const err = new ConflictError("clash", { cause });
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe("ConflictError");
    expect(err.cause).toBe(cause);
  });
});
