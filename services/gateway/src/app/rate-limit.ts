// Fixed-window counters kept in the instance's memory: sign-in attempts per account and per address,
// requests per client at the edge. Each instance counts on its own, so N instances let N times the
// limit through at most: a bound on guessing, not an accounting.
export interface Limited {
  allowed: boolean;
  /** Seconds until the window resets (Retry-After). */
  retryAfterSeconds: number;
}

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

  private retryAfter(w: { start: number }): number {
    return Math.max(1, Math.ceil((w.start + this.windowMs - this.now()) / 1000));
  }

  /** Whether `key` is still under the limit, without counting. */
  check(key: string): Limited {
    const w = this.window(key);
    return { allowed: w.count < this.max, retryAfterSeconds: this.retryAfter(w) };
  }

  /** Counts one more and says whether it was within the limit. */
  hit(key: string): Limited {
    const w = this.window(key);
    w.count += 1;
    return { allowed: w.count <= this.max, retryAfterSeconds: this.retryAfter(w) };
  }

  reset(key: string): void {
    this.windows.delete(key);
  }

  private prune(t: number): void {
    for (const [key, w] of this.windows) if (t - w.start >= this.windowMs) this.windows.delete(key);
  }
}
