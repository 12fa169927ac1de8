// Which errors of the store's driver (or the broker's client) are transient: the request may succeed
// if tried again. Recognised by name, code, label and message, so this package needs neither driver.
//
// - "retry": the operation certainly did not apply (the store was busy or locked, no server was
//   selected, the server refused it before doing anything): running it again is safe.
// - "unavailable": transient, but the operation may or may not have applied (a connection dropped
//   mid-way): never repeated blindly; the caller gets 503 and decides.

export type Transience = "retry" | "unavailable";

/** Driver errors raised before the operation reached a server. */
const NOT_SENT_NAMES = new Set([
  "MongoServerSelectionError",
  "MongoNotConnectedError",
  "MongoPoolClearedError",
  "MongoWaitQueueTimeoutError",
]);

/** Connection trouble with an unknown outcome, in the store's or the broker's client. */
const UNKNOWN_OUTCOME_NAMES = new Set([
  "MongoNetworkError",
  "MongoNetworkTimeoutError",
  "MongoTopologyClosedError",
  "MongoOperationTimeoutError",
  "KafkaJSConnectionError",
  "KafkaJSConnectionClosedError",
  "KafkaJSNumberOfRetriesExceeded",
  "KafkaJSRequestTimeoutError",
]);

/**
 * MongoDB server codes answered before the write was applied: not primary, shutting down, interrupted
 * by a state change, write conflict, too busy (MongoDB's own retryable-error list, minus the network ones).
 */
const REFUSED_CODES = new Set([91, 112, 189, 262, 10107, 11600, 11602, 13435, 13436, 462]);
/** Network-level codes a server may relay: outcome unknown. */
const NETWORK_CODES = new Set([6, 7, 89, 9001]);

/**
 * Locked or busy store: FerretDB's SQLite backend ("database is locked", SQLITE_BUSY/LOCKED) and a
 * PostgreSQL backend's serialisation failures. The statement was rolled back: nothing applied.
 */
const BUSY_MESSAGE =
  /database is locked|database table is locked|SQLITE_BUSY|SQLITE_LOCKED|could not serialize access|deadlock detected/i;

/** Labels the MongoDB driver and server put on errors. */
const SAFE_LABELS = ["NoWritesPerformed", "SystemOverloadedError"];
const TRANSIENT_LABELS = ["RetryableWriteError", "TransientTransactionError", "ResetPool", "RetryableError"];

function labelsOf(e: Record<string, unknown>): string[] {
  const labels: string[] = [];
  if (Array.isArray(e.errorLabels)) labels.push(...e.errorLabels.map(String));
  if (e.errorLabelSet instanceof Set) labels.push(...[...e.errorLabelSet].map(String));
  return labels;
}

function classifyOne(err: unknown): Transience | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  const e = err as Record<string, unknown>;
  const name = typeof e.name === "string" ? e.name : "";
  const message = typeof e.message === "string" ? e.message : "";
  const code = typeof e.code === "number" ? e.code : undefined;
  const labels = labelsOf(e);
  if (NOT_SENT_NAMES.has(name) || BUSY_MESSAGE.test(message)) return "retry";
  if (labels.some((l) => SAFE_LABELS.includes(l))) return "retry";
  if (code !== undefined && REFUSED_CODES.has(code) && /^Mongo/.test(name)) return "retry";
  if (UNKNOWN_OUTCOME_NAMES.has(name)) return "unavailable";
  if (code !== undefined && NETWORK_CODES.has(code) && /^Mongo/.test(name)) return "unavailable";
  if (labels.some((l) => TRANSIENT_LABELS.includes(l))) return "unavailable";
  return undefined;
}

/**
 * Whether `err` (or an error in its `cause` chain) is transient, and whether repeating the operation is
 * safe; undefined for anything else (a bug, bad data, a domain error).
 */
export function transience(err: unknown): Transience | undefined {
  let current: unknown = err;
  let unavailable = false;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    const found = classifyOne(current);
    if (found === "retry") return unavailable ? "unavailable" : "retry";
    if (found === "unavailable") unavailable = true;
    current = (current as { cause?: unknown }).cause;
  }
  return unavailable ? "unavailable" : undefined;
}

/** Seconds a client should wait before retrying: a busy store clears fast, an unreachable one does not. */
export function transientRetryAfter(err: unknown): number {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    const message = (current as { message?: unknown }).message;
    if (typeof message === "string" && BUSY_MESSAGE.test(message)) return 1;
    current = (current as { cause?: unknown }).cause;
  }
  return 5;
}

export interface RetryTransientOptions {
  /** Attempts in total (default 4). */
  attempts?: number;
  /** Delay before the first retry (default 20 ms), doubling, with jitter. */
  initialDelayMs?: number;
  /** Cap of one delay (default 500 ms). */
  maxDelayMs?: number;
  /** Called before each retry. */
  onRetry?: (err: unknown, attempt: number) => void;
}

/**
 * Runs `fn`, and again (a bounded number of times, with backoff) when it fails with an error whose
 * operation did not apply (transience "retry"). Any other error, or the last one, is thrown as is.
 */
export async function retryTransient<T>(fn: () => Promise<T>, opts: RetryTransientOptions = {}): Promise<T> {
  const attempts = Math.max(1, opts.attempts ?? 4);
  const initial = opts.initialDelayMs ?? 20;
  const cap = opts.maxDelayMs ?? 500;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= attempts || transience(err) !== "retry") throw err;
      opts.onRetry?.(err, attempt);
      const delay = Math.min(cap, initial * 2 ** (attempt - 1));
      await new Promise((r) => setTimeout(r, Math.round(delay * (0.5 + Math.random() / 2))));
    }
  }
}
