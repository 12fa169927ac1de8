import { randomBytes } from "node:crypto";
import type { Clock, IdGenerator } from "../app/index.js";

export const systemClock: Clock = { now: () => new Date() };

/** UUIDv7: time-ordered, so "newest first" is "_id descending" and cursors are simple. */
export function uuidv7(): string {
  const b = randomBytes(16);
  b.writeUIntBE(Date.now(), 0, 6);
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
export const uuidV7Ids: IdGenerator = { next: uuidv7 };
