// Secret feed URLs. A personal feed is read by calendar apps that cannot sign in, so its URL carries a
// secret token: 32 random bytes (256 bits) in base64url. Only the token's SHA-256 is stored, so a copy
// of the database does not open anyone's calendar; rotating stores a new hash and the old URL is 404.
// Pure (hashing only): a domain room may import it; `newFeedToken` (randomness) is in ./feed-token.
import { createHash, timingSafeEqual } from "node:crypto";

/** The length of a token of 32 bytes in unpadded base64url. */
export const FEED_TOKEN_LENGTH = 43;
const FEED_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** Whether a URL segment can be a feed token at all (anything else is 404 without a lookup). */
export function isFeedTokenShape(token: string): boolean {
  return FEED_TOKEN.test(token);
}

/** What is stored for a token: its SHA-256, hex. */
export function feedTokenHash(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Whether two stored hashes are equal, in time that does not depend on where they differ. */
export function sameFeedTokenHash(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Whether a presented token is the one whose hash is stored. */
export function feedTokenMatches(token: string, storedHash: string): boolean {
  return isFeedTokenShape(token) && sameFeedTokenHash(feedTokenHash(token), storedHash);
}
