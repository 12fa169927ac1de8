/** Exponential backoff with a cap and optional jitter, shared by the relay and the consumer runner. */
export interface BackoffOptions {
  /** Delay before the first retry. */
  initialBackoffMs: number;
  /** Upper bound of any single delay. */
  maxBackoffMs: number;
  /** Multiplier per attempt (default 2). */
  factor?: number;
  /** Fraction of the delay taken away at random, 0..1 (default 0: deterministic). */
  jitter?: number;
}

/**
 * Delay before retry number `attempt` (1 = the first retry): initial * factor^(attempt-1), capped at
 * maxBackoffMs, then reduced by up to `jitter` of itself so that many clients do not retry in lockstep.
 */
export function backoffDelay(
  attempt: number,
  opts: BackoffOptions,
  random: () => number = Math.random,
): number {
  const factor = opts.factor ?? 2;
  const n = Math.max(1, Math.floor(attempt));
  const raw = opts.initialBackoffMs * Math.pow(factor, n - 1);
  const capped = Math.min(opts.maxBackoffMs, Number.isFinite(raw) ? raw : opts.maxBackoffMs);
  const jitter = Math.min(1, Math.max(0, opts.jitter ?? 0));
  return Math.max(0, Math.round(capped * (1 - jitter * random())));
}

/** Resolves after `ms`, or early (without error) when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
