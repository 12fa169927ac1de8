import { gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { STATUS_LIST_BITS } from "../../src/domain/credential.js";
import {
  decodeStatusList,
  encodeStatusList,
  getStatus,
  newStatusList,
  setStatus,
} from "../../src/infra/credentials/status-list.js";

describe("bitstring status list", () => {
  it("has 131,072 bits, all clear, by default", () => {
    const list = newStatusList();
    expect(list.length * 8).toBe(131_072);
    expect(list.every((b) => b === 0)).toBe(true);
    expect(() => newStatusList(1024)).toThrow(RangeError);
  });

  it("sets and clears bits at 0, 7, 8 and 131071, most significant bit first", () => {
    const list = newStatusList();
    for (const index of [0, 7, 8, 131_071]) setStatus(list, index);
    expect(list[0]).toBe(0b1000_0001);
    expect(list[1]).toBe(0b1000_0000);
    expect(list[16_383]).toBe(0b0000_0001);
    for (const index of [0, 7, 8, 131_071]) expect(getStatus(list, index)).toBe(true);
    for (const index of [1, 6, 9, 131_070]) expect(getStatus(list, index)).toBe(false);
    setStatus(list, 7, false);
    expect(getStatus(list, 7)).toBe(false);
    expect(list[0]).toBe(0b1000_0000);
  });

  it("refuses an index outside the list", () => {
    const list = newStatusList();
    for (const index of [-1, 131_072, 0.5]) {
      expect(() => getStatus(list, index)).toThrow(RangeError);
      expect(() => setStatus(list, index)).toThrow(RangeError);
    }
  });

  it("encodes as multibase base64url of GZIP and decodes back bit for bit", () => {
    const list = newStatusList();
    for (const index of [0, 7, 8, 131_071]) setStatus(list, index);
    const encoded = encodeStatusList(list);
    expect(encoded).toMatch(/^u[A-Za-z0-9_-]+$/);
    // GZIP's magic number 1f 8b right after the "u"
    const gz = Buffer.from(encoded.slice(1), "base64url");
    expect([gz[0], gz[1]]).toEqual([0x1f, 0x8b]);
    expect(new Uint8Array(gunzipSync(gz))).toEqual(list);
    const decoded = decodeStatusList(encoded);
    expect(decoded).toEqual(list);
    expect([0, 7, 8, 131_071].map((i) => getStatus(decoded, i))).toEqual([true, true, true, true]);
  });

  it("stays small: an almost empty list of 16 KiB encodes in well under 1 KB", () => {
    const list = newStatusList();
    setStatus(list, 131_071);
    const encoded = encodeStatusList(list);
    expect(encoded.length).toBeLessThan(200);
    expect(decodeStatusList(encoded).length).toBe(STATUS_LIST_BITS / 8);
  });

  it("refuses lists that are not multibase, not GZIP, or too short", () => {
    expect(() => decodeStatusList("H4sIAAAA")).toThrow(/multibase/);
    expect(() => decodeStatusList(`u${Buffer.from("plain").toString("base64url")}`)).toThrow(/GZIP/);
    const short = `u${gzipSync(new Uint8Array(100)).toString("base64url")}`;
    expect(() => decodeStatusList(short)).toThrow(/fewer than/);
  });
});
