import { describe, expect, it } from "vitest";
import { derivedFeedToken, newFeedToken } from "../src/feed-token.js";
import { feedTokenHash, feedTokenMatches, isFeedTokenShape } from "../src/index.js";

describe("a new feed token", () => {
  it("is 32 random bytes in base64url, stored only as its hash", () => {
    const { token, hash } = newFeedToken();
    expect(isFeedTokenShape(token)).toBe(true);
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
    expect(hash).toBe(feedTokenHash(token));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(feedTokenMatches(token, hash)).toBe(true);
  });

  it("is never the same twice, and rotating leaves the old token matching nothing", () => {
    const tokens = Array.from({ length: 1000 }, () => newFeedToken());
    expect(new Set(tokens.map((t) => t.token)).size).toBe(1000);
    const [old, rotated] = tokens as [ReturnType<typeof newFeedToken>, ReturnType<typeof newFeedToken>];
    expect(feedTokenMatches(old.token, rotated.hash)).toBe(false);
    expect(feedTokenMatches(rotated.token, rotated.hash)).toBe(true);
  });
});

describe("a derived feed token", () => {
  const key = "k".repeat(32);

  it("is the same link each time for one feed and generation, a link of the feed-token shape", () => {
    const first = derivedFeedToken(key, "operator:op-1", 1);
    expect(isFeedTokenShape(first.token)).toBe(true);
    expect(derivedFeedToken(key, "operator:op-1", 1)).toEqual(first);
    expect(first.hash).toBe(feedTokenHash(first.token));
  });

  it("differs per feed, per generation and per key, so a rotated link matches nothing", () => {
    const tokens = [
      derivedFeedToken(key, "operator:op-1", 1),
      derivedFeedToken(key, "operator:op-1", 2),
      derivedFeedToken(key, "person:op-1", 1),
      derivedFeedToken("j".repeat(32), "operator:op-1", 1),
    ];
    expect(new Set(tokens.map((t) => t.token)).size).toBe(4);
    expect(feedTokenMatches(tokens[0]!.token, tokens[1]!.hash)).toBe(false);
  });

  it("refuses a short key and a generation below 1", () => {
    expect(() => derivedFeedToken("short", "x", 1)).toThrow(/at least 32/);
    expect(() => derivedFeedToken(key, "x", 0)).toThrow(/generation/);
  });
});
