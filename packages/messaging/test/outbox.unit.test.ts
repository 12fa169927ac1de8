import { describe, expect, it } from "vitest";
import { IdeaSubmittedEvent } from "@lto/contracts";
import { backoffDelay, pendingEvent, withOutbox, withOutboxDoc } from "../src/index.js";

const ev = pendingEvent(IdeaSubmittedEvent, "i1", IdeaSubmittedEvent.create({ ideaId: "i1" }));

describe("withOutbox", () => {
  it("adds the events to the same update", () => {
    expect(withOutbox({ $set: { state: "SUBMITTED" }, $inc: { version: 1 } }, [ev])).toEqual({
      $set: { state: "SUBMITTED", _pending: true },
      $inc: { version: 1 },
      $push: { _outbox: { $each: [ev] } },
    });
  });

  it("moves plain fields under $set and keeps other $push fields", () => {
    expect(withOutbox({ state: "X", $set: { a: 1 }, $push: { log: "x" } }, [ev])).toEqual({
      $set: { a: 1, state: "X", _pending: true },
      $push: { log: "x", _outbox: { $each: [ev] } },
    });
  });

  it("refuses a second writer of _outbox in the update", () => {
    expect(() => withOutbox({ $push: { _outbox: ev } }, [ev])).toThrow(/already pushes/);
    expect(() => withOutbox({ $set: { _outbox: [] } }, [ev])).toThrow(/\$set/);
  });

  it("with no events leaves the update alone", () => {
    expect(withOutbox({ $set: { a: 1 } }, [])).toEqual({ $set: { a: 1 } });
  });

  it("withOutboxDoc puts the events in a new document", () => {
    expect(withOutboxDoc({ _id: "i1", title: "t" }, [ev])).toEqual({
      _id: "i1",
      title: "t",
      _outbox: [ev],
      _pending: true,
    });
    expect(withOutboxDoc({ _id: "i2" }, [])).toEqual({ _id: "i2", _outbox: [] });
  });
});

describe("backoffDelay", () => {
  const opts = { initialBackoffMs: 100, maxBackoffMs: 1000 };
  it("doubles from the initial delay up to the cap", () => {
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, opts))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });
  it("takes away at most the jitter fraction", () => {
    expect(backoffDelay(3, { ...opts, jitter: 0.5 }, () => 0)).toBe(400);
    expect(backoffDelay(3, { ...opts, jitter: 0.5 }, () => 0.999999)).toBe(200);
  });
  it("survives absurd attempt numbers", () => {
    expect(backoffDelay(5000, opts)).toBe(1000);
    expect(backoffDelay(0, opts)).toBe(100);
  });
});
