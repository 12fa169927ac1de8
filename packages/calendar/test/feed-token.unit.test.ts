import { describe, expect, it } from "vitest";
import { newFeedToken } from "../src/feed-token.js";
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
