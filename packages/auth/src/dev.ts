// Key generation, token signing and a tiny JWKS server: for the dev token server, `npm run token` and
// tests. Services never sign tokens; in production the gateway or an OIDC provider does.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, SignJWT } from "jose";
import type { CryptoKey, JSONWebKeySet, JWK } from "jose";
import type { TokenClaims } from "./identity.js";

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  /** Public half with kid, alg and use set, ready to publish in a JWKS. */
  publicJwk: JWK;
}

export async function generateSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { kid, privateKey, publicJwk: { ...jwk, kid, alg: "ES256", use: "sig" } };
}

/** Private JWK (with kid) so a dev key can be kept on disk and shared by the token server and script. */
export async function exportSigningKey(key: SigningKey): Promise<JWK> {
  return { ...(await exportJWK(key.privateKey)), kid: key.kid, alg: "ES256" };
}

export async function importSigningKey(privateJwk: JWK): Promise<SigningKey> {
  const privateKey = (await importJWK(privateJwk, "ES256")) as CryptoKey;
  const { d: _private, ...publicPart } = privateJwk;
  const kid = privateJwk.kid ?? (await calculateJwkThumbprint(publicPart));
  return { kid, privateKey, publicJwk: { ...publicPart, kid, alg: "ES256", use: "sig" } };
}

export interface SignOptions {
  issuer: string;
  audience: string;
  /** Seconds, or a jose time span like "1h"; default 1 hour. */
  expiresIn?: number | string;
}

export async function signToken(key: SigningKey, claims: TokenClaims, opts: SignOptions): Promise<string> {
  const { sub, role, org, sites = [], name } = claims;
  const expiresIn = opts.expiresIn ?? "1h";
  return new SignJWT({ role, org, sites, ...(name === undefined ? {} : { name }) })
    .setProtectedHeader({ alg: "ES256", kid: key.kid, typ: "JWT" })
    .setSubject(sub)
    .setIssuer(opts.issuer)
    .setAudience(opts.audience)
    .setIssuedAt()
    .setExpirationTime(typeof expiresIn === "number" ? Math.floor(Date.now() / 1000) + expiresIn : expiresIn)
    .sign(key.privateKey);
}

export const JWKS_PATH = "/.well-known/jwks.json";

export interface JwksServer {
  /** Full URL of the JWKS document, for JWKS_URL. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Serves `keys` at /.well-known/jwks.json on 127.0.0.1 (port 0 = any free port). */
export async function serveJwks(
  keys: JWK[] | JSONWebKeySet,
  opts: { port?: number; host?: string } = {},
): Promise<JwksServer> {
  const body = JSON.stringify(Array.isArray(keys) ? { keys } : keys);
  const host = opts.host ?? "127.0.0.1";
  const server = createServer((req, res) => {
    if (req.method === "GET" && req.url?.split("?")[0] === JWKS_PATH) {
      res.writeHead(200, { "content-type": "application/json", "cache-control": "max-age=60" });
      res.end(body);
    } else {
      res.writeHead(404, { "content-type": "text/plain" }).end(`Only ${JWKS_PATH} is served here`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}${JWKS_PATH}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
