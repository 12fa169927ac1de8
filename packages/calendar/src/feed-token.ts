import { createHmac, randomBytes } from "node:crypto";
import { feedTokenHash } from "./token.js";

/** A new secret for a personal feed URL: 256 random bits, base64url (43 characters). */
export function newFeedToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: feedTokenHash(token) };
}

/**
 * The secret of a feed link derived from a server key, the feed's id and its generation: the same link
 * each time its owner asks for it (nothing but its hash stored), a new one when the generation goes up
 * (rotation; the old link then matches nothing). Without the key a copy of the database opens nothing.
 */
export function derivedFeedToken(
  key: string,
  feedId: string,
  generation: number,
): { token: string; hash: string } {
  if (key.length < 32) throw new Error("a feed key must have at least 32 characters");
  if (!Number.isSafeInteger(generation) || generation < 1)
    throw new Error("a feed generation is a whole number from 1");
  const token = createHmac("sha256", key)
    .update(`lto-calendar-feed\n${feedId}\n${generation}`)
    .digest("base64url");
  return { token, hash: feedTokenHash(token) };
}
