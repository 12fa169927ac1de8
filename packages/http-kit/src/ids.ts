// The platform's id generator, and the scope of an idempotent request that makes it repeatable.
//
// A request with an Idempotency-Key can run twice: its process dies after the handler's writes and
// before the key is completed, and a retry takes the abandoned key over. So that the second run does not
// create a second resource, ids made inside such a request are derived from the request (caller, key,
// body) and their order in it, with the time of the key's FIRST claim: the re-run builds the same ids in
// the same order, and @lto/store recognises the documents the first run wrote. Outside such a request
// ids are ordinary UUIDv7s.
import { AsyncLocalStorage } from "node:async_hooks";
import { createHash } from "node:crypto";
import { v7 as uuidv7 } from "uuid";

export interface IdempotentRequest {
  /** Names the request (caller scope, key, request hash): the same for every run of it. */
  readonly token: string;
  /** When its key was first claimed: the timestamp of the ids it makes. */
  readonly firstClaimedAt: Date;
}

interface Scope extends IdempotentRequest {
  made: number;
}

const scopes = new AsyncLocalStorage<Scope>();

/** The token of the request (caller scope, Idempotency-Key, request hash). */
export function idempotentRequestToken(scope: string, key: string, requestHash: string): string {
  return createHash("sha256").update(`${scope}\n${key}\n${requestHash}`).digest("hex");
}

/**
 * Runs `fn` as (one attempt of) the idempotent request: ids start again from the first, so an attempt
 * repeated after a transient error also builds the same ids.
 */
export function runIdempotentRequest<T>(request: IdempotentRequest, fn: () => Promise<T>): Promise<T> {
  return scopes.run({ ...request, made: 0 }, fn);
}

/** The idempotent request being served, if any (what @lto/store marks its inserts with). */
export function currentIdempotentRequest(): IdempotentRequest | undefined {
  const scope = scopes.getStore();
  return scope && { token: scope.token, firstClaimedAt: scope.firstClaimedAt };
}

function format(b: Buffer): string {
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The n-th id of an idempotent request: its first claim's time, its order (12 bits), the rest hashed. */
function requestId(scope: Scope): string {
  const n = scope.made++;
  const digest = createHash("sha256").update(`${scope.token}\n${n}`).digest();
  const b = Buffer.alloc(16);
  b.writeUIntBE(scope.firstClaimedAt.getTime(), 0, 6);
  b.writeUInt16BE(0x7000 | (n & 0x0fff), 6); // version 7, then the order: ids sort as they were made
  digest.copy(b, 8, 0, 8);
  b[8] = (b[8]! & 0x3f) | 0x80; // RFC 9562 variant
  return format(b);
}

/** Makes ids: UUIDv7 (time-ordered, so "newest first" is id order). */
export interface IdGenerator {
  newId(): string;
}

/** The one id generator of every service: repeatable inside an idempotent request, see above. */
export const platformIds: IdGenerator = {
  newId() {
    const scope = scopes.getStore();
    return scope ? requestId(scope) : uuidv7();
  },
};
