// The W3C Bitstring Status List: one bit per issued credential (1 = revoked), GZIP-compressed and
// base64url-encoded with the multibase "u" prefix into the status list credential's `encodedList`.
// Bit order is the spec's: index 0 is the left-most (most significant) bit of the first byte.

import { gunzipSync, gzipSync } from "node:zlib";
import { STATUS_LIST_BITS, type BitstringStatusListEntry } from "../../domain/credential.js";

/** A decoded list; copy-on-write is the caller's choice (setStatus mutates). */
export type StatusBits = Uint8Array;

/** Largest list a decoder accepts: bounds the memory a hostile (gzip-bomb) list could take. */
const MAX_DECODED_BYTES = 16 * 1024 * 1024;

export function newStatusList(bits: number = STATUS_LIST_BITS): StatusBits {
  if (!Number.isInteger(bits) || bits < STATUS_LIST_BITS || bits % 8 !== 0)
    throw new RangeError(`A status list has a multiple of 8 bits, at least ${STATUS_LIST_BITS}`);
  return new Uint8Array(bits / 8);
}

function position(list: StatusBits, index: number): { byte: number; mask: number } {
  if (!Number.isInteger(index) || index < 0 || index >= list.length * 8)
    throw new RangeError(`Status index ${index} is outside the list (0..${list.length * 8 - 1})`);
  return { byte: index >> 3, mask: 0x80 >> (index & 7) };
}

export function getStatus(list: StatusBits, index: number): boolean {
  const { byte, mask } = position(list, index);
  return ((list[byte] as number) & mask) !== 0;
}

export function setStatus(list: StatusBits, index: number, revoked = true): void {
  const { byte, mask } = position(list, index);
  list[byte] = revoked ? (list[byte] as number) | mask : (list[byte] as number) & ~mask;
}

export function encodeStatusList(list: StatusBits): string {
  return `u${gzipSync(list).toString("base64url")}`;
}

/** Throws RangeError when the value is not a multibase base64url GZIP bitstring of an allowed size. */
export function decodeStatusList(encodedList: string): StatusBits {
  if (!encodedList.startsWith("u") || !/^u[A-Za-z0-9_-]+$/.test(encodedList))
    throw new RangeError("encodedList is not multibase base64url (it must start with 'u')");
  let bytes: Buffer;
  try {
    bytes = gunzipSync(Buffer.from(encodedList.slice(1), "base64url"), {
      maxOutputLength: MAX_DECODED_BYTES,
    });
  } catch (cause) {
    throw new RangeError("encodedList is not a GZIP-compressed bitstring", { cause });
  }
  if (bytes.length * 8 < STATUS_LIST_BITS)
    throw new RangeError(
      `encodedList holds ${bytes.length * 8} bits, fewer than the ${STATUS_LIST_BITS} required`,
    );
  return new Uint8Array(bytes);
}

/**
 * The `statusOf` that verifyCredential needs, from a way to load a list's bits by its URL (the service's
 * own store): undefined for a list it does not know or an index beyond it.
 */
export function statusLookup(
  load: (listUrl: string) => Promise<StatusBits | undefined>,
): (entry: BitstringStatusListEntry) => Promise<boolean | undefined> {
  return async (entry) => {
    const bits = await load(entry.statusListCredential);
    const index = Number(entry.statusListIndex);
    if (bits === undefined || !Number.isInteger(index) || index < 0 || index >= bits.length * 8)
      return undefined;
    return getStatus(bits, index);
  };
}
