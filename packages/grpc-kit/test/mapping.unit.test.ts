import * as grpc from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import {
  ConflictError,
  ForbiddenError,
  InvalidStateError,
  NotFoundError,
  UnavailableError,
  ValidationError,
  toGrpcStatus,
} from "@lto/errors";
import { callPeer, errorFromStatus, splitPath, statusName } from "../src/index.js";

const PATH = "/lto.ideas.v1.IdeasService/CheckAdoptable";

/** What a client receives for an error thrown by a handler (status + trailers), built as grpc-js does. */
function received(err: unknown): Partial<grpc.ServiceError> {
  const status = toGrpcStatus(err);
  const metadata = new grpc.Metadata();
  for (const [k, v] of Object.entries(status.metadata)) metadata.set(k, v);
  return { code: status.code, details: status.details, metadata };
}

describe("gRPC status mapping", () => {
  it.each([
    [new NotFoundError("Idea", "i-1"), grpc.status.NOT_FOUND, NotFoundError],
    [new InvalidStateError("Idea", "WITHDRAWN", "adopt"), grpc.status.FAILED_PRECONDITION, InvalidStateError],
    [new ConflictError("Already adopted"), grpc.status.FAILED_PRECONDITION, ConflictError],
    [new ForbiddenError("Not your idea"), grpc.status.PERMISSION_DENIED, ForbiddenError],
    [
      new ValidationError("bad", [{ path: "ideaId", message: "Required" }]),
      grpc.status.INVALID_ARGUMENT,
      ValidationError,
    ],
  ])("%s travels as its code and comes back as the same class", (err, code, cls) => {
    const wire = received(err);
    expect(wire.code).toBe(code);
    const back = errorFromStatus(wire, PATH);
    expect(back).toBeInstanceOf(cls);
    expect(back.message).toBe(err.message);
  });

  it("keeps validation issues", () => {
    const back = errorFromStatus(
      received(new ValidationError("bad", [{ path: "ideaId", message: "Required" }])),
      PATH,
    );
    expect((back as ValidationError).issues).toEqual([{ path: "ideaId", message: "Required" }]);
  });

  it("never answers UNKNOWN: an unexpected error is INTERNAL with a generic message", () => {
    const wire = received(new Error("connection string mongodb://user:secret@db"));
    expect(wire.code).toBe(grpc.status.INTERNAL);
    expect(wire.details).not.toContain("secret");
  });

  it.each([
    grpc.status.UNAVAILABLE,
    grpc.status.DEADLINE_EXCEEDED,
    grpc.status.INTERNAL,
    grpc.status.UNKNOWN,
  ])(
    "a transport or server failure (%i) becomes a retryable UnavailableError without transport details",
    (code) => {
      const back = errorFromStatus(
        { code, details: "No connection established. Last error: connect ECONNREFUSED 10.0.0.7:9081" },
        PATH,
      );
      expect(back).toBeInstanceOf(UnavailableError);
      expect(back.kind).toBe("unavailable");
      expect(back.message).not.toContain("10.0.0.7");
      expect(back.message).toContain("lto.ideas.v1.IdeasService.CheckAdoptable");
    },
  );

  it("maps a plain NOT_FOUND from a server without our trailers by its code", () => {
    expect(errorFromStatus({ code: grpc.status.NOT_FOUND, details: "no such idea" }, PATH)).toBeInstanceOf(
      NotFoundError,
    );
  });

  it("splits method paths and names codes", () => {
    expect(splitPath(PATH)).toEqual({ service: "lto.ideas.v1.IdeasService", method: "CheckAdoptable" });
    expect(statusName(grpc.status.FAILED_PRECONDITION)).toBe("FAILED_PRECONDITION");
  });
});

describe("callPeer", () => {
  it("passes a peer's refusal through and turns a peer that cannot answer into a retryable 503", async () => {
    await expect(callPeer(async () => 7, "down")).resolves.toBe(7);
    const refused = new NotFoundError("Idea", "i-1");
    await expect(callPeer(() => Promise.reject(refused), "down")).rejects.toBe(refused);
    for (const cause of [new UnavailableError("deadline", 1), new Error("socket hang up")]) {
      const err = await callPeer(() => Promise.reject(cause), "The peer did not answer; retry shortly").catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(UnavailableError);
      expect(err).toMatchObject({ message: "The peer did not answer; retry shortly", cause });
    }
  });
});
