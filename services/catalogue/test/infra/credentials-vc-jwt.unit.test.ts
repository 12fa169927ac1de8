import { decodeJwt, decodeProtectedHeader, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import {
  buildOpenBadgeCredential,
  buildStatusListCredential,
  type BitstringStatusListEntry,
} from "../../src/domain/credential.js";
import {
  generateIssuerJwk,
  issuerKeysFromJwk,
  jwksDocument,
  parseIssuerJwk,
  type IssuerKeys,
} from "../../src/infra/credentials/issuer-keys.js";
import {
  encodeStatusList,
  getStatus,
  newStatusList,
  setStatus,
  statusLookup,
} from "../../src/infra/credentials/status-list.js";
import {
  readStatusListCredential,
  signCredential,
  verifyCredential,
} from "../../src/infra/credentials/vc-jwt.js";
import { aCredentialInput, ISSUER, JWKS_URL, LIST_URL } from "./credentials-fixtures.js";

const NOW = new Date("2026-06-01T10:00:00Z");
const SIGNED_AT = new Date("2026-03-29T08:30:05Z");

let keys: IssuerKeys;
let otherKeys: IssuerKeys;
let jwt: string;
const revoked = newStatusList();
const statusOf = async (entry: BitstringStatusListEntry) =>
  entry.statusListCredential === LIST_URL ? getStatus(revoked, Number(entry.statusListIndex)) : undefined;

beforeAll(async () => {
  keys = await issuerKeysFromJwk(await generateIssuerJwk(), { jwksUrl: JWKS_URL });
  otherKeys = await issuerKeysFromJwk(await generateIssuerJwk(), { jwksUrl: JWKS_URL });
  jwt = await signCredential(buildOpenBadgeCredential(aCredentialInput()), keys, SIGNED_AT);
});

const verify = (token: string, now = NOW) => verifyCredential(token, { issuerKeys: keys, statusOf, now });

/** The token with one byte of its decoded part `part` (0 header, 1 payload, 2 signature) changed. */
function flipByte(token: string, part: 1 | 2, at: (bytes: Buffer) => number): string {
  const parts = token.split(".");
  const bytes = Buffer.from(parts[part]!, "base64url");
  const i = at(bytes);
  bytes[i] = bytes[i]! ^ 0x01;
  parts[part] = bytes.toString("base64url");
  return parts.join(".");
}

describe("issuer keys", () => {
  it("publish the public key only, with a kid that points into the JWKS", async () => {
    const current = await keys.current();
    const jwks = await jwksDocument(keys);
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toEqual(current.publicJwk);
    expect(jwks.keys[0]).toMatchObject({
      kty: "EC",
      crv: "P-256",
      alg: "ES256",
      use: "sig",
      kid: current.kid,
    });
    expect(jwks.keys[0]).not.toHaveProperty("d");
    expect(current.kid).toMatch(/^https:\/\/lto\.example\.it\/v1\/issuer\/jwks\.json#[A-Za-z0-9_-]{43}$/);
  });

  it("keep the same kid for the same key (a stored key survives restarts)", async () => {
    const jwk = await generateIssuerJwk();
    const a = await issuerKeysFromJwk(jwk, { jwksUrl: JWKS_URL });
    const b = await issuerKeysFromJwk(parseIssuerJwk(JSON.stringify(jwk)), { jwksUrl: JWKS_URL });
    expect((await a.current()).kid).toBe((await b.current()).kid);
  });

  it("refuse a setting that is not an EC P-256 private JWK, saying what to set", async () => {
    expect(() => parseIssuerJwk("not json")).toThrow(/EC P-256 private JWK/);
    const { d: _d, ...publicOnly } = await generateIssuerJwk();
    expect(() => parseIssuerJwk(JSON.stringify(publicOnly))).toThrow(/no private part/);
    expect(() => parseIssuerJwk(JSON.stringify({ kty: "oct", k: "abc" }))).toThrow(/EC P-256/);
  });

  it("still verify credentials signed by a retired key after a rotation", async () => {
    const oldJwk = await generateIssuerJwk();
    const oldKeys = await issuerKeysFromJwk(oldJwk, { jwksUrl: JWKS_URL });
    const oldJwt = await signCredential(buildOpenBadgeCredential(aCredentialInput()), oldKeys, SIGNED_AT);
    const { d: _d, ...oldPublic } = oldJwk;
    const rotated = await issuerKeysFromJwk(await generateIssuerJwk(), {
      jwksUrl: JWKS_URL,
      retired: [oldPublic],
    });
    expect(await rotated.publicJwks()).toHaveLength(2);
    expect((await verifyCredential(oldJwt, { issuerKeys: rotated, statusOf, now: NOW })).verdict).toBe(
      "valid",
    );
  });
});

describe("signCredential", () => {
  it("signs with ES256, typ vc+jwt and the issuer's kid", async () => {
    expect(decodeProtectedHeader(jwt)).toEqual({
      alg: "ES256",
      kid: (await keys.current()).kid,
      typ: "vc+jwt",
    });
  });

  it("puts the credential itself in the payload with iss, jti, sub, nbf and iat mirroring it", () => {
    const payload = decodeJwt(jwt);
    const vc = buildOpenBadgeCredential(aCredentialInput());
    expect(payload).toEqual({
      ...vc,
      iss: ISSUER.id,
      jti: vc.id,
      sub: vc.credentialSubject.id,
      nbf: Date.parse("2026-03-29T08:30:00Z") / 1000,
      iat: Date.parse("2026-03-29T08:30:05Z") / 1000,
    });
    expect(payload).not.toHaveProperty("vc");
  });
});

describe("verifyCredential", () => {
  it("says valid for the credential as issued, and returns it without the JWT claims", async () => {
    const result = await verify(jwt);
    expect(result).toMatchObject({ verdict: "valid" });
    expect(result.credential).toEqual(buildOpenBadgeCredential(aCredentialInput()));
  });

  it("says tampered when one byte of the payload changes", async () => {
    // One byte inside the course title: the JSON stays well formed, only the signature can tell.
    const tampered = flipByte(jwt, 1, (bytes) => bytes.indexOf("Cittadinanza") + 3);
    expect(decodeJwt(tampered).name).not.toBe(decodeJwt(jwt).name);
    expect(await verify(tampered)).toEqual({
      verdict: "tampered",
      reason: "the signature does not match the content: the credential was altered",
    });
  });

  it("says tampered when one byte of the signature changes", async () => {
    const tampered = flipByte(jwt, 2, (bytes) => bytes.length - 5);
    expect((await verify(tampered)).verdict).toBe("tampered");
  });

  it("says revoked when its status bit is set, and valid again when cleared", async () => {
    setStatus(revoked, 42);
    try {
      expect(await verify(jwt)).toMatchObject({
        verdict: "revoked",
        reason: "the issuer revoked this credential",
      });
    } finally {
      setStatus(revoked, 42, false);
    }
    expect((await verify(jwt)).verdict).toBe("valid");
  });

  it.each([
    ["garbage", "not a jwt", "compact VC-JWT"],
    ["an empty string", "", "compact VC-JWT"],
    ["base64 that is not JSON", "abc.def.ghi", "malformed"],
  ])("says invalid for %s", async (_what, token, reason) => {
    const result = await verify(token);
    expect(result.verdict).toBe("invalid");
    expect(result.reason).toContain(reason);
  });

  it("says invalid for a token signed by a key it does not know", async () => {
    const foreign = await signCredential(buildOpenBadgeCredential(aCredentialInput()), otherKeys, SIGNED_AT);
    const result = await verify(foreign);
    expect(result).toEqual({
      verdict: "invalid",
      reason: "the credential was not signed by a key of this issuer (unknown kid)",
    });
  });

  it("says invalid for a token with another algorithm (no HS256 or none with the public key as secret)", async () => {
    const { kid, publicJwk } = await keys.current();
    const hs = await new SignJWT(decodeJwt(jwt))
      .setProtectedHeader({ alg: "HS256", kid, typ: "vc+jwt" })
      .sign(new TextEncoder().encode(JSON.stringify(publicJwk)));
    expect(await verify(hs)).toEqual({
      verdict: "invalid",
      reason: "the credential is not signed with ES256",
    });
  });

  it("never trusts the key in the header: a forger's key under the issuer's kid fails the signature", async () => {
    const forger = await otherKeys.current();
    const { kty, crv, x, y } = forger.publicJwk;
    const forged = await new SignJWT(decodeJwt(jwt))
      .setProtectedHeader({
        alg: "ES256",
        kid: (await keys.current()).kid,
        typ: "vc+jwt",
        jwk: { kty, crv, x, y },
      })
      .sign(forger.privateKey);
    expect((await verify(forged)).verdict).toBe("tampered");
  });

  it("says invalid for a signed token that is not an OpenBadgeCredential", async () => {
    const key = await keys.current();
    const sign = (payload: Record<string, unknown>, typ = "vc+jwt") =>
      new SignJWT(payload).setProtectedHeader({ alg: "ES256", kid: key.kid, typ }).sign(key.privateKey);
    const vc = decodeJwt(jwt);
    expect(await verify(await sign({ ...vc, type: ["VerifiableCredential"] }))).toMatchObject({
      verdict: "invalid",
      reason: "this is not an OpenBadgeCredential",
    });
    expect(await verify(await sign(vc, "JWT"))).toMatchObject({
      verdict: "invalid",
      reason: "the token is not of type vc+jwt",
    });
    expect(
      await verify(await sign({ ...vc, jti: "urn:uuid:00000000-0000-4000-8000-000000000000" })),
    ).toMatchObject({
      verdict: "invalid",
      reason: "the token's claims (iss, jti, sub) do not match the credential",
    });
  });

  it("says invalid before validFrom and after expiry", async () => {
    expect((await verify(jwt, new Date("2026-03-01T00:00:00Z"))).reason).toBe(
      "the credential is not valid yet",
    );
    const expiring = await signCredential(
      buildOpenBadgeCredential(aCredentialInput({ validUntil: new Date("2026-05-01T00:00:00Z") })),
      keys,
      SIGNED_AT,
    );
    expect(decodeJwt(expiring).exp).toBe(Date.parse("2026-05-01T00:00:00Z") / 1000);
    expect(await verify(expiring)).toEqual({ verdict: "invalid", reason: "the credential has expired" });
    expect((await verify(expiring, new Date("2026-04-01T00:00:00Z"))).verdict).toBe("valid");
  });

  it("says invalid when the status list is unknown or the issuer is another", async () => {
    const elsewhere = await signCredential(
      buildOpenBadgeCredential(
        aCredentialInput({ status: { listUrl: "https://other.example/lists/9", index: 1 } }),
      ),
      keys,
      SIGNED_AT,
    );
    expect(await verify(elsewhere)).toMatchObject({
      verdict: "invalid",
      reason: "the credential's status list is unknown",
    });
    const result = await verifyCredential(jwt, {
      issuerKeys: keys,
      statusOf,
      now: NOW,
      issuerId: "https://x.example/issuer",
    });
    expect(result).toEqual({ verdict: "invalid", reason: "the credential was issued by someone else" });
  });
});

describe("statusLookup", () => {
  it("answers from the loaded list, and undefined for an unknown list or an index beyond it", async () => {
    const bits = newStatusList();
    setStatus(bits, 7);
    const statusOfStore = statusLookup(async (url) => (url === LIST_URL ? bits : undefined));
    const entry = buildOpenBadgeCredential(
      aCredentialInput({ status: { listUrl: LIST_URL, index: 7 } }),
    ).credentialStatus;
    expect(await statusOfStore(entry)).toBe(true);
    expect(await statusOfStore({ ...entry, statusListIndex: "8" })).toBe(false);
    expect(await statusOfStore({ ...entry, statusListIndex: "131072" })).toBeUndefined();
    expect(
      await statusOfStore({ ...entry, statusListCredential: "https://other.example/1" }),
    ).toBeUndefined();
    const revokedJwt = await signCredential(
      buildOpenBadgeCredential(aCredentialInput({ status: { listUrl: LIST_URL, index: 7 } })),
      keys,
      SIGNED_AT,
    );
    expect(
      (await verifyCredential(revokedJwt, { issuerKeys: keys, statusOf: statusOfStore, now: NOW })).verdict,
    ).toBe("revoked");
  });
});

describe("status list credential", () => {
  it("is signed by the issuer and read back to the same bits", async () => {
    const bits = newStatusList();
    setStatus(bits, 42);
    const doc = buildStatusListCredential({
      listUrl: LIST_URL,
      issuer: ISSUER,
      validFrom: new Date("2026-06-01T09:00:00Z"),
      encodedList: encodeStatusList(bits),
    });
    const signed = await signCredential(doc, keys, new Date("2026-06-01T09:00:00Z"));
    expect(decodeJwt(signed)).toMatchObject({ iss: ISSUER.id, jti: LIST_URL, sub: `${LIST_URL}#list` });
    const read = await readStatusListCredential(signed, { issuerKeys: keys, now: NOW });
    expect(read.credential).toEqual(doc);
    expect(read.bits).toEqual(bits);
    await expect(
      readStatusListCredential(
        flipByte(signed, 2, () => 3),
        { issuerKeys: keys, now: NOW },
      ),
    ).rejects.toThrow(/signature verification failed/);
    await expect(readStatusListCredential(jwt, { issuerKeys: keys, now: NOW })).rejects.toThrow(
      /not a BitstringStatusListCredential/,
    );
  });
});
