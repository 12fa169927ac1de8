// Rate limits. Sign-in attempts are counted in the gateway's store (SignInAttempts) over a sliding
// window, so every instance sees the same counts and a restart forgets nothing. The edge's requests per
// client are counted in each instance's memory (WindowLimiter): a guard against floods, where N
// instances letting N times the rate through matters less than a store write per request.
export interface Limited {
  allowed: boolean;
  /** Seconds until the window lets one more through (Retry-After); 0 when allowed. */
  retryAfterSeconds: number;
}

/**
 * Whether one more attempt fits in a sliding window that holds at most `max`, given the times (ms) of
 * the attempts already made, and when not, how long until the oldest that matters leaves the window.
 */
export function slidingWindow(times: readonly number[], max: number, windowMs: number, now: number): Limited {
  const inWindow = times.filter((t) => t > now - windowMs).sort((a, b) => a - b);
  if (inWindow.length < max) return { allowed: true, retryAfterSeconds: 0 };
  const freesAt = inWindow[inWindow.length - max]! + windowMs;
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((freesAt - now) / 1000)) };
}

/** Fixed-window counters kept in the instance's memory (the edge's requests per client). */
export class WindowLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  private window(key: string) {
    const t = this.now();
    let w = this.windows.get(key);
    if (!w || t - w.start >= this.windowMs) {
      w = { start: t, count: 0 };
      this.windows.set(key, w);
      if (this.windows.size > 100_000) this.prune(t);
    }
    return w;
  }

  /** Counts one more and says whether it was within the limit. */
  hit(key: string): Limited {
    const w = this.window(key);
    w.count += 1;
    return {
      allowed: w.count <= this.max,
      retryAfterSeconds: Math.max(1, Math.ceil((w.start + this.windowMs - this.now()) / 1000)),
    };
  }

  private prune(t: number): void {
    for (const [key, w] of this.windows) if (t - w.start >= this.windowMs) this.windows.delete(key);
  }
}
