import { ForbiddenError, UnauthenticatedError } from "@lto/errors";
import { generateKeyPair, SignJWT, UnsecuredJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import type { Identity, SigningKey } from "../src/index.js";
import {
  bearerToken,
  createJwtVerifier,
  exportSigningKey,
  generateSigningKey,
  identityFromClaims,
  importSigningKey,
  requireOrganisation,
  requireRole,
  requireSite,
  signToken,
} from "../src/index.js";

const issuer = "https://auth.test";
const audience = "lto";
const claims = { sub: "u1", role: "school", org: "school-1", sites: ["mantova"], name: "Ada" } as const;

let key: SigningKey;
let verify: ReturnType<typeof createJwtVerifier>;

beforeAll(async () => {
  key = await generateSigningKey();
  verify = createJwtVerifier({ issuer, audience, jwks: { keys: [key.publicJwk] } });
});

async function rejection(header: string): Promise<string> {
  const err = await verify(header).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UnauthenticatedError);
  return (err as Error).message;
}

describe("createJwtVerifier", () => {
  it("turns a valid ES256 token into an identity", async () => {
    const token = await signToken(key, claims, { issuer, audience });
    expect(await verify(`Bearer ${token}`)).toEqual({
      subject: "u1",
      role: "school",
      organisationId: "school-1",
      sites: ["mantova"],
      name: "Ada",
      token,
    });
  });

  it("is anonymous without an Authorization header", async () => {
    expect(await verify(undefined)).toBeUndefined();
    expect(await verify("")).toBeUndefined();
  });

  it("refuses expired tokens, other issuers and other audiences with a clear reason", async () => {
    const expired = await signToken(key, claims, { issuer, audience, expiresIn: -3600 });
    expect(await rejection(`Bearer ${expired}`)).toMatch(/expired/);
    const foreign = await signToken(key, claims, { issuer: "https://evil", audience });
    expect(await rejection(`Bearer ${foreign}`)).toMatch(/untrusted issuer/);
    const otherAudience = await signToken(key, claims, { issuer, audience: "other" });
    expect(await rejection(`Bearer ${otherAudience}`)).toMatch(/audience/);
  });

  it("accepts ES256 only: alg none, HS256 and RS256 are refused", async () => {
    const none = new UnsecuredJWT({ ...claims })
      .setIssuer(issuer)
      .setAudience(audience)
      .setExpirationTime("1h");
    expect(await rejection(`Bearer ${none.encode()}`)).toMatch(/ES256|malformed/);

    const hs = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: "HS256", kid: key.kid })
      .setIssuer(issuer)
      .setAudience(audience)
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode("a-shared-secret-of-sufficient-length!!"));
    expect(await rejection(`Bearer ${hs}`)).toMatch(/ES256/);

    const rsa = await generateKeyPair("RS256");
    const rs = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: "RS256", kid: key.kid })
      .setIssuer(issuer)
      .setAudience(audience)
      .setExpirationTime("1h")
      .sign(rsa.privateKey);
    expect(await rejection(`Bearer ${rs}`)).toMatch(/ES256/);
  });

  it("refuses tokens signed by another key, tampered or malformed", async () => {
    const stranger = await generateSigningKey();
    const strange = await signToken(stranger, claims, { issuer, audience });
    expect(await rejection(`Bearer ${strange}`)).toMatch(/unknown key/);

    const impostor = await signToken({ ...stranger, kid: key.kid }, claims, { issuer, audience });
    expect(await rejection(`Bearer ${impostor}`)).toMatch(/signature/);

    expect(await rejection("Bearer not.a.jwt")).toMatch(/malformed/);
    expect(await rejection("Basic dXNlcjpwYXNz")).toMatch(/Bearer/);
  });

  it("refuses tokens without our claims", async () => {
    const token = await signToken(key, { ...claims, role: "janitor" as never }, { issuer, audience });
    expect(await rejection(`Bearer ${token}`)).toMatch(/claims.*role/);
  });

  it("keeps working with a key exported to JWK and imported again", async () => {
    const restored = await importSigningKey(await exportSigningKey(key));
    expect(restored.kid).toBe(key.kid);
    expect(restored.publicJwk).toEqual(key.publicJwk);
    const token = await signToken(restored, claims, { issuer, audience });
    expect((await verify(`Bearer ${token}`))?.subject).toBe("u1");
  });
});

describe("claims and authorisation", () => {
  const staff: Identity = identityFromClaims(
    { sub: "s1", role: "staff", org: "agency", sites: ["mantova", "suzzara"] },
    "t",
  );

  it("defaults sites to an empty list and rejects missing claims naming them", () => {
    expect(identityFromClaims({ sub: "c1", role: "company", org: "acme" }, "t").sites).toEqual([]);
    expect(() => identityFromClaims({ sub: "c1" }, "t")).toThrow(/role, org/);
  });

  it("parses the bearer scheme case-insensitively", () => {
    expect(bearerToken("bearer abc")).toBe("abc");
    expect(bearerToken(undefined)).toBeUndefined();
    expect(() => bearerToken("Bearer")).toThrow(UnauthenticatedError);
  });

  it("requireRole passes listed roles and forbids others, naming what is needed", () => {
    expect(requireRole(staff, "staff", "admin")).toBe(staff);
    expect(() => requireRole(staff, "school")).toThrow(ForbiddenError);
    expect(() => requireRole(staff, "school")).toThrow(
      "This needs the role school; you are signed in as staff",
    );
    expect(() => requireRole(undefined, "staff")).toThrow(UnauthenticatedError);
  });

  it("admin is not implied: it must be listed", () => {
    const admin = { ...staff, role: "admin" as const };
    expect(() => requireRole(admin, "staff")).toThrow(ForbiddenError);
  });

  it("requireOrganisation and requireSite check membership", () => {
    expect(requireOrganisation(staff, "agency")).toBe(staff);
    expect(() => requireOrganisation(staff, "school-1")).toThrow(ForbiddenError);
    expect(requireSite(staff, "suzzara")).toBe(staff);
    expect(() => requireSite(staff, "ostiglia")).toThrow(/site ostiglia/);
    expect(() => requireSite(undefined, "ostiglia")).toThrow(UnauthenticatedError);
  });
});
