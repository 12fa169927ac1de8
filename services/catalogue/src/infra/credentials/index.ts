// Verifiable credentials: signing and verifying (VC-JWT, ES256), the issuer's keys, the revocation
// bitstring and the PDF attestato. The documents themselves are built in domain/credential.ts.
export * from "./attestato-pdf.js";
export * from "./issuer-keys.js";
export * from "./status-list.js";
export * from "./vc-jwt.js";
