// The LTO issuer's signing key (ES256, P-256). The port is small: the key to sign with now, and every
// public key a verifier should still accept (the current one and retired ones, so credentials signed
// before a rotation stay verifiable).

import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type CryptoKey,
  type JWK,
} from "jose";

export interface PublicJwk extends JWK {
  kty: "EC";
  crv: "P-256";
  x: string;
  y: string;
  kid: string;
  alg: "ES256";
  use: "sig";
}

export interface IssuerKey {
  /** A URI that dereferences to the key: `<jwks url>#<RFC 7638 thumbprint>`. */
  kid: string;
  privateKey: CryptoKey;
  publicJwk: PublicJwk;
}

export interface IssuerKeys {
  current(): Promise<IssuerKey>;
  publicJwks(): Promise<PublicJwk[]>;
}

/** The document served at the JWKS URL (e.g. GET /v1/issuer/jwks.json). */
export async function jwksDocument(keys: Pick<IssuerKeys, "publicJwks">): Promise<{ keys: PublicJwk[] }> {
  return { keys: await keys.publicJwks() };
}

/** A fresh private key as a JWK, for the "generate once, keep it" store or for a config secret. */
export async function generateIssuerJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair("ES256", { extractable: true });
  return exportJWK(privateKey);
}

function checkEcP256(jwk: JWK, what: string, needsPrivate: boolean): void {
  if (jwk.kty !== "EC" || jwk.crv !== "P-256" || typeof jwk.x !== "string" || typeof jwk.y !== "string")
    throw new Error(`The ${what} must be an EC P-256 JWK (kty "EC", crv "P-256", x, y)`);
  if (needsPrivate && typeof jwk.d !== "string") throw new Error(`The ${what} has no private part ("d")`);
}

async function publicJwkOf(jwk: JWK, jwksUrl: string): Promise<PublicJwk> {
  const core = { kty: "EC", crv: "P-256", x: jwk.x as string, y: jwk.y as string } as const;
  const kid = `${jwksUrl}#${await calculateJwkThumbprint(core, "sha256")}`;
  return { ...core, kid, alg: "ES256", use: "sig" };
}

/**
 * Issuer keys from a private JWK (the production setting, or the JWK the service generated once and
 * stored). `retired` are public JWKs of earlier keys, still accepted when verifying.
 */
export async function issuerKeysFromJwk(
  privateJwk: JWK,
  options: { jwksUrl: string; retired?: JWK[] },
): Promise<IssuerKeys> {
  checkEcP256(privateJwk, "issuer signing key", true);
  const privateKey = (await importJWK({ ...privateJwk, alg: "ES256" }, "ES256")) as CryptoKey;
  const publicJwk = await publicJwkOf(privateJwk, options.jwksUrl);
  const retired: PublicJwk[] = [];
  for (const jwk of options.retired ?? []) {
    checkEcP256(jwk, "retired issuer key", false);
    retired.push(await publicJwkOf(jwk, options.jwksUrl));
  }
  const key: IssuerKey = { kid: publicJwk.kid, privateKey, publicJwk };
  const all = [publicJwk, ...retired.filter((k) => k.kid !== publicJwk.kid)];
  return {
    current: async () => key,
    publicJwks: async () => all.map((k) => ({ ...k })),
  };
}

/** Parses the issuer key setting (a JSON private JWK); the message says how to fix a bad value. */
export function parseIssuerJwk(setting: string): JWK {
  let value: unknown;
  try {
    value = JSON.parse(setting);
  } catch {
    throw new Error("The issuer key setting is not JSON; set it to an EC P-256 private JWK");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new Error("The issuer key setting must be a JSON object (an EC P-256 private JWK)");
  checkEcP256(value as JWK, "issuer key setting", true);
  return value as JWK;
}
