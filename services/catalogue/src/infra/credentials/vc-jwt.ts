// Credentials secured as VC-JWT (W3C VC-JOSE-COSE, Open Badges 3.0 section 8.2): the JWS payload is the
// credential itself plus the registered claims that mirror it (iss, jti, sub, nbf, exp) and iat; the
// header is {alg: "ES256", kid, typ: "vc+jwt", jwk}. jose does every cryptographic step.

import { errors, importJWK, jwtVerify, SignJWT, type JWTPayload, type ProtectedHeaderParameters } from "jose";
import {
  credentialPayloadProblem,
  vcJwtClaims,
  VC_CONTEXT_V2,
  type BitstringStatusListCredential,
  type BitstringStatusListEntry,
  type OpenBadgeCredential,
  type VerificationResult,
} from "../../domain/credential.js";
import type { IssuerKeys, PublicJwk } from "./issuer-keys.js";
import { decodeStatusList, type StatusBits } from "./status-list.js";

export const VC_JWT_TYP = "vc+jwt";
export const VC_JWT_MEDIA_TYPE = "application/vc+jwt";

type SignableDocument = OpenBadgeCredential | BitstringStatusListCredential;

/** Signs a credential document (an OpenBadgeCredential or a status list credential) as a compact VC-JWT. */
export async function signCredential(
  doc: SignableDocument,
  keys: Pick<IssuerKeys, "current">,
  signedAt: Date = new Date(),
): Promise<string> {
  const key = await keys.current();
  // The claims go after the document so a document field can never override them.
  const payload = { ...doc, ...vcJwtClaims(doc, signedAt) } as unknown as JWTPayload;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: "ES256", kid: key.kid, typ: VC_JWT_TYP })
    .sign(key.privateKey);
}

export interface VerifyDependencies {
  /** The issuer's public keys (the port itself will do). */
  issuerKeys: Pick<IssuerKeys, "publicJwks">;
  /**
   * Whether the status bit of this entry is set (true = revoked), or undefined when the list is not
   * one the service knows. Errors (store unreachable) propagate: they are not a verdict.
   */
  statusOf: (entry: BitstringStatusListEntry) => Promise<boolean | undefined>;
  /** Only credentials of this issuer id are accepted, when given. */
  issuerId?: string;
  now?: Date;
}

class UnknownKey extends Error {}

function keyResolver(jwks: PublicJwk[]) {
  return async (header: ProtectedHeaderParameters) => {
    const jwk = jwks.find((k) => k.kid === header.kid);
    if (jwk === undefined) throw new UnknownKey();
    return importJWK(jwk, "ES256");
  };
}

const invalid = (reason: string): VerificationResult => ({ verdict: "invalid", reason });

/**
 * Verifies a VC-JWT OpenBadgeCredential: "tampered" when the signature does not match the content
 * (someone changed a byte), "invalid" when it is not a credential of this issuer or not valid now,
 * "revoked" when its status bit is set, "valid" otherwise.
 */
export async function verifyCredential(jwt: string, deps: VerifyDependencies): Promise<VerificationResult> {
  const now = deps.now ?? new Date();
  const token = jwt.trim();
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token))
    return invalid("this is not a compact VC-JWT (three base64url parts separated by dots)");
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keyResolver(await deps.issuerKeys.publicJwks()), {
      algorithms: ["ES256"],
      typ: VC_JWT_TYP,
      currentDate: now,
    }));
  } catch (error) {
    if (error instanceof errors.JWSSignatureVerificationFailed)
      return {
        verdict: "tampered",
        reason: "the signature does not match the content: the credential was altered",
      };
    if (error instanceof UnknownKey)
      return invalid("the credential was not signed by a key of this issuer (unknown kid)");
    if (error instanceof errors.JWTExpired) return invalid("the credential has expired");
    if (error instanceof errors.JWTClaimValidationFailed)
      return invalid(
        error.claim === "typ"
          ? `the token is not of type ${VC_JWT_TYP}`
          : error.claim === "nbf"
            ? "the credential is not valid yet"
            : `the token's ${error.claim} claim is not valid`,
      );
    if (error instanceof errors.JOSEAlgNotAllowed) return invalid("the credential is not signed with ES256");
    if (error instanceof errors.JOSEError) return invalid(`the token is malformed (${error.code})`);
    throw error;
  }
  if (deps.issuerId !== undefined && payload.iss !== deps.issuerId)
    return invalid("the credential was issued by someone else");
  const problem = credentialPayloadProblem(payload, now);
  if (problem !== undefined) return invalid(problem);
  const credential = withoutClaims(payload) as unknown as OpenBadgeCredential;
  const revoked = await deps.statusOf(credential.credentialStatus);
  if (revoked === undefined)
    return { verdict: "invalid", reason: "the credential's status list is unknown", credential };
  if (revoked) return { verdict: "revoked", reason: "the issuer revoked this credential", credential };
  return { verdict: "valid", reason: "signed by the issuer, unaltered, not revoked", credential };
}

function withoutClaims(payload: JWTPayload): Record<string, unknown> {
  const { iss: _iss, jti: _jti, sub: _sub, nbf: _nbf, iat: _iat, exp: _exp, ...doc } = payload;
  return doc;
}

/**
 * Verifies a signed status list credential and returns its bits; throws when the signature, type or list
 * is not right (the caller fetched a list it needs, so a bad one is an error, not a verdict).
 */
export async function readStatusListCredential(
  jwt: string,
  deps: { issuerKeys: Pick<IssuerKeys, "publicJwks">; now?: Date },
): Promise<{ credential: BitstringStatusListCredential; bits: StatusBits }> {
  const { payload } = await jwtVerify(jwt, keyResolver(await deps.issuerKeys.publicJwks()), {
    algorithms: ["ES256"],
    typ: VC_JWT_TYP,
    currentDate: deps.now ?? new Date(),
  });
  const doc = withoutClaims(payload) as unknown as BitstringStatusListCredential;
  if (
    !Array.isArray(doc["@context"]) ||
    doc["@context"][0] !== VC_CONTEXT_V2 ||
    !Array.isArray(doc.type) ||
    !doc.type.includes("BitstringStatusListCredential") ||
    doc.credentialSubject?.type !== "BitstringStatusList" ||
    typeof doc.credentialSubject.encodedList !== "string"
  )
    throw new Error("The token is not a BitstringStatusListCredential");
  return { credential: doc, bits: decodeStatusList(doc.credentialSubject.encodedList) };
}
