import type { Request } from "express";
import { describe, expect, it } from "vitest";
import { clientAddress } from "../../src/api/http/client-address.js";

const request = (peer: string, forwardedFor?: string) =>
  ({
    socket: { remoteAddress: peer },
    get: (name: string) => (name.toLowerCase() === "x-forwarded-for" ? forwardedFor : undefined),
  }) as unknown as Request;

describe("clientAddress", () => {
  it("is the peer unless proxies are trusted", () => {
    expect(clientAddress(request("10.0.0.1", "1.2.3.4"), 0)).toBe("10.0.0.1");
  });

  it("behind trusted proxies, is what the outermost one appended, never the client's own claims", () => {
    expect(clientAddress(request("10.0.0.1", "6.6.6.6, 1.2.3.4"), 1)).toBe("1.2.3.4");
    expect(clientAddress(request("10.0.0.1", "6.6.6.6, 1.2.3.4, 10.0.0.9"), 2)).toBe("1.2.3.4");
    expect(clientAddress(request("10.0.0.1", "1.2.3.4"), 2)).toBe("1.2.3.4");
    expect(clientAddress(request("10.0.0.1"), 1)).toBe("10.0.0.1");
  });
});
