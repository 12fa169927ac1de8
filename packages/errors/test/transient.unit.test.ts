// Which store and broker errors are transient (issue 7 item 17), shaped as the drivers throw them.
import { describe, expect, it } from "vitest";
import {
  NotFoundError,
  retryTransient,
  toGrpcStatus,
  toProblem,
  transience,
  GrpcCode,
} from "../src/index.js";

function driverError(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  const err = new Error(message);
  err.name = name;
  return Object.assign(err, extra);
}

// FerretDB's SQLite backend under load (InternalError wrapping modernc.org/sqlite's error).
const busy = driverError("MongoServerError", "database is locked (5) (SQLITE_BUSY)", { code: 1 });

describe("transience", () => {
  it("a busy or locked store, no server selected, refused before applying: safe to retry", () => {
    for (const err of [
      busy,
      driverError("MongoServerError", "sqlite: step: database table is locked", { code: 1 }),
      driverError("MongoServerError", "ERROR: could not serialize access due to concurrent update", {
        code: 1,
      }),
      driverError("MongoServerSelectionError", "Server selection timed out after 5000 ms"),
      driverError("MongoNotConnectedError", "Client must be connected"),
      driverError("MongoPoolClearedError", "Connection pool was cleared"),
      driverError("MongoServerError", "not primary", { code: 10107 }),
      driverError("MongoServerError", "WriteConflict", { code: 112 }),
      driverError("MongoServerError", "overloaded", { errorLabels: ["SystemOverloadedError"] }),
      driverError("MongoNetworkError", "closed", { errorLabelSet: new Set(["NoWritesPerformed"]) }),
      new Error("wrapped", { cause: busy }),
    ]) {
      expect(transience(err), err.message).toBe("retry");
    }
  });

  it("a connection lost mid-way: transient, but the outcome is unknown, so not repeated", () => {
    for (const err of [
      driverError("MongoNetworkError", "connection 2 to 127.0.0.1:37017 closed"),
      driverError("MongoNetworkTimeoutError", "timed out"),
      driverError("MongoTopologyClosedError", "Topology is closed"),
      driverError("MongoServerError", "socket exception", { code: 9001 }),
      driverError("MongoServerError", "x", { errorLabels: ["RetryableWriteError"] }),
      driverError("KafkaJSConnectionError", "Connection error: connect ECONNREFUSED"),
      driverError("KafkaJSNumberOfRetriesExceeded", "retries exceeded"),
    ]) {
      expect(transience(err), err.name).toBe("unavailable");
    }
  });

  it("bugs, bad data, duplicates and domain errors are not transient", () => {
    for (const err of [
      new TypeError("x is not iterable"),
      driverError("MongoServerError", "E11000 duplicate key error", { code: 11000 }),
      driverError("MongoServerError", "unknown operator: $foo", { code: 2 }),
      new NotFoundError("idea", "i1"),
      "a string",
      undefined,
    ]) {
      expect(transience(err)).toBeUndefined();
    }
  });
});

describe("toProblem and toGrpcStatus", () => {
  it("answer a transient error 503 / UNAVAILABLE with Retry-After, never 500", () => {
    const p = toProblem(busy, "/v1/teams");
    expect(p.status).toBe(503);
    expect(p.headers["Retry-After"]).toBe("1");
    expect(p.body.detail).toMatch(/retry/i);
    expect(p.body.detail).not.toMatch(/sqlite/i); // nothing internal leaks
    expect(toProblem(driverError("MongoNetworkError", "closed")).headers["Retry-After"]).toBe("5");
    expect(toGrpcStatus(busy).code).toBe(GrpcCode.UNAVAILABLE);
    expect(toProblem(new TypeError("bug")).status).toBe(500);
  });
});

describe("retryTransient", () => {
  it("retries an operation that did not apply, a bounded number of times", async () => {
    let calls = 0;
    await expect(
      retryTransient(async () => {
        if (++calls < 3) throw busy;
        return "done";
      }),
    ).resolves.toBe("done");
    expect(calls).toBe(3);

    calls = 0;
    await expect(
      retryTransient(
        async () => {
          calls++;
          throw busy;
        },
        { attempts: 4, initialDelayMs: 1 },
      ),
    ).rejects.toBe(busy);
    expect(calls).toBe(4);
  });

  it("never repeats an operation whose outcome is unknown, nor any other error", async () => {
    for (const err of [driverError("MongoNetworkError", "closed"), new TypeError("bug")]) {
      let calls = 0;
      await expect(
        retryTransient(async () => {
          calls++;
          throw err;
        }),
      ).rejects.toBe(err);
      expect(calls).toBe(1);
    }
  });
});
