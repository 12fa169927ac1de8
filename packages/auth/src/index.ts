export {
  ROLES,
  identityFromClaims,
  requireOrganisation,
  requireRole,
  requireSite,
  signedIn,
} from "./identity.js";
export type { Identity, Role, TokenClaims } from "./identity.js";
export { bearerToken, createJwtVerifier } from "./verify.js";
export type { JwtVerifier, JwtVerifierOptions } from "./verify.js";
export {
  exportSigningKey,
  generateSigningKey,
  importSigningKey,
  JWKS_PATH,
  serveJwks,
  signToken,
} from "./dev.js";
export type { JwksServer, SignOptions, SigningKey } from "./dev.js";
