// Status list indexes: each credential takes the next index of the open list, once; an index is never
// given again (not after revocation, not after erasure: a reused bit would revoke or revive someone
// else's credential). A full list gives nothing and the next list is opened.
import { STATUS_LIST_BITS } from "./credential.js";

/** The index to give from a list whose next free index is `nextIndex`, or undefined when it is full. */
export function takeStatusIndex(
  nextIndex: number,
  bits: number = STATUS_LIST_BITS,
): { index: number; nextIndex: number } | undefined {
  if (!Number.isInteger(nextIndex) || nextIndex < 0) throw new RangeError(`Bad next index ${nextIndex}`);
  if (nextIndex >= bits) return undefined;
  return { index: nextIndex, nextIndex: nextIndex + 1 };
}
