import { describe, expect, it } from "vitest";
import { sharedFreshRead } from "../src/index.js";

/** A read whose calls the test finishes by hand, recording what each one saw. */
function manualRead() {
  let value = 0;
  const calls: Array<{ key: string; sawValue: number; finish: () => void; fail: (e: Error) => void }> = [];
  const read = (key: string) =>
    new Promise<number>((resolve, reject) => {
      const sawValue = value;
      calls.push({ key, sawValue, finish: () => resolve(sawValue), fail: reject });
    });
  return { read, calls, write: () => value++ };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe("sharedFreshRead", () => {
  it("lets the callers that ask while a read runs share the next one, started after them", async () => {
    const { read, calls, write } = manualRead();
    const shared = sharedFreshRead(read);
    const first = shared("s");
    await tick();
    expect(calls).toHaveLength(1);
    write(); // a change the first read did not see
    const later = [shared("s"), shared("s"), shared("s")];
    await tick();
    expect(calls).toHaveLength(1); // they wait for the running read, not beside it
    calls[0]!.finish();
    expect(await first).toBe(0);
    await tick();
    expect(calls).toHaveLength(2); // one more read for the three of them
    calls[1]!.finish();
    expect(await Promise.all(later)).toEqual([1, 1, 1]); // they see the change made before they asked
  });

  it("keeps keys apart and reads again after a failure", async () => {
    const { read, calls } = manualRead();
    const shared = sharedFreshRead(read);
    const a = shared("a");
    const b = shared("b");
    await tick();
    expect(calls.map((c) => c.key)).toEqual(["a", "b"]);
    calls[0]!.fail(new Error("store down"));
    await expect(a).rejects.toThrow("store down");
    const again = shared("a");
    await tick();
    expect(calls).toHaveLength(3);
    calls[2]!.finish();
    calls[1]!.finish();
    expect(await again).toBe(0);
    expect(await b).toBe(0);
  });

  it("starts at once when nothing runs for the key", async () => {
    const { read, calls } = manualRead();
    const shared = sharedFreshRead(read);
    const one = shared("k");
    await tick();
    calls[0]!.finish();
    await one;
    await tick();
    const two = shared("k");
    await tick();
    expect(calls).toHaveLength(2);
    calls[1]!.finish();
    expect(await two).toBe(0);
  });
});
