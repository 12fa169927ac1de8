// The verifier against a JWKS served over real HTTP, as services run it in dev and production.
import { UnauthenticatedError, UnavailableError } from "@lto/errors";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JwksServer, SigningKey } from "../src/index.js";
import { createJwtVerifier, generateSigningKey, JWKS_PATH, serveJwks, signToken } from "../src/index.js";

const issuer = "https://auth.test";
const audience = "lto";
let key: SigningKey;
let server: JwksServer;

beforeAll(async () => {
  key = await generateSigningKey();
  server = await serveJwks([key.publicJwk]);
});
afterAll(() => server.close());

describe("JWKS over HTTP", () => {
  it("serves the public keys only", async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}${JWKS_PATH}`);
    const res = await fetch(server.url);
    expect(res.headers.get("content-type")).toBe("application/json");
    const body = (await res.json()) as { keys: Record<string, unknown>[] };
    expect(body.keys).toHaveLength(1);
    expect(body.keys[0]).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256", kid: key.kid });
    expect(body.keys[0]).not.toHaveProperty("d");
    expect((await fetch(server.url.replace(JWKS_PATH, "/other"))).status).toBe(404);
  });

  it("verifies tokens against the remote key set", async () => {
    const verify = createJwtVerifier({ jwksUrl: server.url, issuer, audience });
    const token = await signToken(key, { sub: "p1", role: "programme", org: "lto" }, { issuer, audience });
    expect(await verify(`Bearer ${token}`)).toMatchObject({ subject: "p1", role: "programme", sites: [] });

    const stranger = await generateSigningKey();
    const strange = await signToken(stranger, { sub: "p1", role: "admin", org: "lto" }, { issuer, audience });
    await expect(verify(`Bearer ${strange}`)).rejects.toThrow(UnauthenticatedError);
  });

  it("answers unavailable, not unauthenticated, when the key server is down", async () => {
    const down = await serveJwks([key.publicJwk]);
    const url = down.url;
    await down.close();
    const verify = createJwtVerifier({ jwksUrl: url, issuer, audience, jwksTimeoutMs: 500 });
    const token = await signToken(key, { sub: "p1", role: "staff", org: "lto" }, { issuer, audience });
    await expect(verify(`Bearer ${token}`)).rejects.toThrow(UnavailableError);
  });
});
