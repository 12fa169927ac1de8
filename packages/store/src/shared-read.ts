// A costly read that many concurrent requests need at once (a session's waiting line during a rush for
// its last seat): instead of one read per request, the callers that ask while a read of the same key is
// queued share it. Each caller still gets a result read after it asked, never an older one, and at most
// one read per key runs at a time in this process. The store stays the only truth; this only shares.

/** `read`, shared per key by concurrent callers (see the top of this file). */
export function sharedFreshRead<T>(read: (key: string) => Promise<T>): (key: string) => Promise<T> {
  /** The read each key's next callers will share: it starts when the running one ends. */
  const queued = new Map<string, Promise<T>>();
  const running = new Map<string, Promise<unknown>>();

  return (key) => {
    const waiting = queued.get(key);
    if (waiting) return waiting;
    const before = running.get(key) ?? Promise.resolve();
    const next = before.then(
      () => start(key),
      () => start(key),
    );
    queued.set(key, next);
    return next;
  };

  function start(key: string): Promise<T> {
    queued.delete(key); // callers from now on asked after this read began: they need the next one
    const current = read(key);
    running.set(key, current);
    const forget = () => {
      if (running.get(key) === current) running.delete(key);
    };
    current.then(forget, forget);
    return current;
  }
}
