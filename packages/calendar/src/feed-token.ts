import { randomBytes } from "node:crypto";
import { feedTokenHash } from "./token.js";

/** A new secret for a personal feed URL: 256 random bits, base64url (43 characters). */
export function newFeedToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: feedTokenHash(token) };
}
