import { describe, expect, it } from "vitest";
import { slidingWindow, WindowLimiter } from "../../src/app/index.js";

describe("WindowLimiter", () => {
  it("lets `max` through per window per key, then says how long to wait", () => {
    let now = 0;
    const limiter = new WindowLimiter(2, 60_000, () => now);
    expect(limiter.hit("a").allowed).toBe(true);
    expect(limiter.hit("a").allowed).toBe(true);
    now = 15_000;
    expect(limiter.hit("a")).toEqual({ allowed: false, retryAfterSeconds: 45 });
    expect(limiter.hit("b").allowed).toBe(true);
    now = 60_000;
    expect(limiter.hit("a").allowed).toBe(true);
  });
});

describe("slidingWindow", () => {
  const minute = 60_000;

  it("has room while fewer than `max` attempts are inside the window", () => {
    expect(slidingWindow([], 2, minute, 100_000)).toEqual({ allowed: true, retryAfterSeconds: 0 });
    expect(slidingWindow([90_000], 2, minute, 100_000).allowed).toBe(true);
  });

  it("does not count attempts that left the window", () => {
    // 40_000 is exactly a window old at 100_000: it no longer counts.
    expect(slidingWindow([30_000, 40_000, 90_000], 2, minute, 100_000).allowed).toBe(true);
  });

  it("when full, waits until enough of the oldest leave for one more", () => {
    // Three inside, max 2: the second oldest (70_000) must leave, at 130_000, 30 s from now.
    expect(slidingWindow([95_000, 50_000, 70_000], 2, minute, 100_000)).toEqual({
      allowed: false,
      retryAfterSeconds: 30,
    });
    // Full with exactly max: the oldest leaving is enough.
    expect(slidingWindow([50_000, 70_000], 2, minute, 100_000)).toEqual({
      allowed: false,
      retryAfterSeconds: 10,
    });
  });

  it("never says to wait less than a second", () => {
    expect(slidingWindow([40_001], 1, minute, 100_000)).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });
});
