// Idempotency-Key support for create endpoints: a client that retries a POST (timeout, lost response)
// with the same key gets the first response back instead of creating a second resource.
import { createHash } from "node:crypto";

export interface StoredResponse {
  status: number;
  body?: unknown;
  headers: Record<string, string>;
}

export type IdempotencyClaim =
  /**
   * The key is ours: run the request, then complete() or release(). `firstClaimedAt` is when the key
   * was first claimed, kept when an abandoned claim is taken over (the ids of the request derive from it).
   */
  | { state: "claimed"; firstClaimedAt: Date }
  /** Another request with this key is running now. */
  | { state: "in_progress"; requestHash: string }
  /** A request with this key already finished; replay its response if the hash matches. */
  | { state: "completed"; requestHash: string; response: StoredResponse };

/**
 * Where keys and their responses live. `scope` is the caller's subject (keys are per user), so two
 * users can never see each other's responses. Implementations: InMemoryIdempotencyStore (tests),
 * MongoIdempotencyStore in @lto/mongo.
 */
export interface IdempotencyStore {
  /** Atomically claims `key`, or reports who holds it. A claim abandoned by a crash must expire. */
  claim(scope: string, key: string, requestHash: string): Promise<IdempotencyClaim>;
  complete(scope: string, key: string, response: StoredResponse): Promise<void>;
  /**
   * Frees a claim whose request failed, so the client can retry with the same key at once; the retry's
   * claim still reports the first claim's time (the failed run may have written: see ids.ts).
   */
  release(scope: string, key: string): Promise<void>;
}

interface MemoryEntry {
  requestHash: string;
  firstClaimedAt: number;
  claimedAt: number;
  released?: boolean;
  response?: StoredResponse;
}

export class InMemoryIdempotencyStore implements IdempotencyStore {
  private readonly entries = new Map<string, MemoryEntry>();

  /** @param abandonAfterMs an unfinished claim older than this is taken over (its request crashed). */
  constructor(private readonly abandonAfterMs = 60_000) {}

  async claim(scope: string, key: string, requestHash: string): Promise<IdempotencyClaim> {
    const id = `${scope}:${key}`;
    const entry = this.entries.get(id);
    if (entry?.response)
      return { state: "completed", requestHash: entry.requestHash, response: entry.response };
    if (entry && !entry.released && Date.now() - entry.claimedAt < this.abandonAfterMs) {
      return { state: "in_progress", requestHash: entry.requestHash };
    }
    const now = Date.now();
    const firstClaimedAt = entry?.firstClaimedAt ?? now;
    this.entries.set(id, { requestHash, firstClaimedAt, claimedAt: now });
    return { state: "claimed", firstClaimedAt: new Date(firstClaimedAt) };
  }

  async complete(scope: string, key: string, response: StoredResponse): Promise<void> {
    const entry = this.entries.get(`${scope}:${key}`);
    if (entry) entry.response = response;
  }

  async release(scope: string, key: string): Promise<void> {
    const entry = this.entries.get(`${scope}:${key}`);
    if (entry && !entry.response) entry.released = true;
  }
}

/** JSON with sorted object keys, so {"a":1,"b":2} and {"b":2,"a":1} hash the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** What makes two requests "the same": method, concrete path and JSON body. */
export function requestHash(method: string, path: string, body: unknown): string {
  return createHash("sha256")
    .update(`${method.toUpperCase()} ${path}\n${canonicalJson(body)}`)
    .digest("hex");
}

/** Keys are opaque client strings; we only bound their size and alphabet. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
