// Verifies ES256 bearer tokens against a JWKS. Only ES256 is accepted: pinning the algorithm closes
// alg-confusion and alg:none attacks whatever the token header claims.
import { UnauthenticatedError, UnavailableError } from "@lto/errors";
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify } from "jose";
import type { JSONWebKeySet, JWTVerifyGetKey } from "jose";
import type { Identity } from "./identity.js";
import { identityFromClaims } from "./identity.js";

export interface JwtVerifierOptions {
  issuer: string;
  audience: string;
  /** URL of the JWKS document (production and dev); keys are cached and refetched on an unknown kid. */
  jwksUrl?: string;
  /** An in-memory key set instead of a URL (unit tests). */
  jwks?: JSONWebKeySet;
  clockToleranceSeconds?: number;
  /** How long to wait for the JWKS endpoint before answering 503. */
  jwksTimeoutMs?: number;
}

export type JwtVerifier = (authorizationHeader?: string) => Promise<Identity | undefined>;

/** Extracts the token of an `Authorization: Bearer <token>` header; undefined when absent. */
export function bearerToken(authorizationHeader?: string): string | undefined {
  if (authorizationHeader === undefined || authorizationHeader.trim() === "") return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorizationHeader);
  if (!match?.[1]) throw new UnauthenticatedError("The Authorization header must be 'Bearer <token>'");
  return match[1];
}

function reasonFor(err: unknown): Error {
  if (err instanceof UnauthenticatedError) return err;
  if (err instanceof errors.JWTExpired)
    return new UnauthenticatedError("The token has expired; sign in again");
  if (err instanceof errors.JWTClaimValidationFailed) {
    const which: Record<string, string> = {
      iss: "The token was issued by an untrusted issuer",
      aud: "The token was not issued for this audience",
      nbf: "The token is not valid yet",
      sub: "The token has no subject",
      exp: "The token has no expiry",
    };
    return new UnauthenticatedError(
      `${which[err.claim] ?? `The token's ${err.claim} claim is invalid`}; sign in again`,
    );
  }
  if (err instanceof errors.JOSEAlgNotAllowed || err instanceof errors.JOSENotSupported) {
    return new UnauthenticatedError("The token must be signed with ES256");
  }
  if (err instanceof errors.JWKSNoMatchingKey) {
    return new UnauthenticatedError("The token was signed by an unknown key; sign in again");
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) {
    return new UnauthenticatedError("The token signature is invalid");
  }
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid) {
    return new UnauthenticatedError("The token is malformed");
  }
  // JWKS endpoint unreachable, timing out or serving garbage: not the caller's fault, retry later.
  return new UnavailableError("The sign-in key service is unreachable; retry shortly", 5, { cause: err });
}

export function createJwtVerifier(opts: JwtVerifierOptions): JwtVerifier {
  let keys: JWTVerifyGetKey;
  if (opts.jwks) keys = createLocalJWKSet(opts.jwks);
  else if (opts.jwksUrl) {
    keys = createRemoteJWKSet(new URL(opts.jwksUrl), { timeoutDuration: opts.jwksTimeoutMs ?? 2000 });
  } else throw new Error("createJwtVerifier needs jwksUrl or jwks");

  return async (authorizationHeader) => {
    const token = bearerToken(authorizationHeader);
    if (token === undefined) return undefined;
    try {
      const { payload } = await jwtVerify(token, keys, {
        algorithms: ["ES256"],
        issuer: opts.issuer,
        audience: opts.audience,
        requiredClaims: ["sub", "exp"],
        clockTolerance: opts.clockToleranceSeconds ?? 30,
      });
      return identityFromClaims(payload, token);
    } catch (err) {
      throw reasonFor(err);
    }
  };
}
