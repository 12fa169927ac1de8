// The provider's signing key and cookie keys: given in production (OIDC_SIGNING_JWK, OIDC_COOKIE_KEYS),
// made once and kept in the gateway's store otherwise, so every instance and restart signs alike.
import { randomBytes } from "node:crypto";
import { exportSigningKey, generateSigningKey, importSigningKey } from "@lto/auth";
import type { JWK } from "jose";
import type { GatewayCollections } from "./store.js";

async function storedSecret(
  { keys }: GatewayCollections,
  id: string,
  make: () => Promise<string>,
): Promise<string> {
  const existing = await keys.get(id);
  if (existing) return existing.value;
  const value = await make();
  if (await keys.insert({ id, version: 1, value })) return value;
  return (await keys.get(id))!.value; // another instance made it first
}

export interface ProviderKeys {
  /** The private signing JWK (kid, alg ES256, use sig). */
  signing: JWK;
  cookies: string[];
}

export async function providerKeys(
  collections: GatewayCollections,
  given: { OIDC_SIGNING_JWK?: string | undefined; OIDC_COOKIE_KEYS?: string | undefined },
): Promise<ProviderKeys> {
  const signingText =
    given.OIDC_SIGNING_JWK ??
    (await storedSecret(collections, "oidc-signing-jwk", async () =>
      JSON.stringify(await exportSigningKey(await generateSigningKey())),
    ));
  const imported = await importSigningKey(JSON.parse(signingText) as JWK);
  const signing: JWK = { ...(JSON.parse(signingText) as JWK), kid: imported.kid, alg: "ES256", use: "sig" };
  const cookieText =
    given.OIDC_COOKIE_KEYS ??
    (await storedSecret(collections, "oidc-cookie-keys", async () => randomBytes(32).toString("base64url")));
  return {
    signing,
    cookies: cookieText
      .split(",")
      .map((k) => k.trim())
      .filter(Boolean),
  };
}
