// Attendance registers, completing a session, the issuer's public documents, credentials (verify, read,
// download, revoke), the skills passport and erasure. Handlers translate HTTP to use cases only.
import type { ApiRouter } from "@lto/http-kit";
import {
  pageOf,
  problemResponses as problems,
  versionedResult as ok,
  writeProblemResponses as writeProblems,
  z,
} from "@lto/http-kit";
import type { CatalogueApp } from "../../app/index.js";
import type { AttendanceMark } from "../../domain/index.js";
import {
  attendanceBody,
  attendanceResponse,
  attestatoQuery,
  completionBody,
  completionResponse,
  credentialIdParams,
  credentialResponse,
  erasureResponse,
  issuerResponse,
  jwksResponse,
  passportReadQuery,
  passportResponse,
  personParams,
  revocationBody,
  signedToken,
  statusListParams,
  verifyBody,
  verifyResponse,
} from "./credential-schemas.js";
import { meetingParams, pageQuery, sessionIdParams } from "./schemas.js";

const VC_JWT = "application/vc+jwt";
const PDF = "application/pdf";

export function credentialRoutes(app: CatalogueApp) {
  return (api: ApiRouter) => {
    // --- attendance and completion ---
    api.route({
      method: "get",
      path: "/v1/sessions/{sessionId}/meetings/{meetingId}/attendance",
      summary:
        "Read a meeting's attendance register: current marks and every entry (its trainer, staff of the site)",
      tags: ["attendance"],
      auth: "required",
      request: { params: meetingParams },
      responses: { 200: { description: "The register", schema: attendanceResponse }, ...problems },
      handler: async ({ identity, params }) =>
        ok(await app.completion.register(identity, params.sessionId, params.meetingId)),
    });
    api.route({
      method: "put",
      path: "/v1/sessions/{sessionId}/meetings/{meetingId}/attendance",
      summary:
        "Record present, absent or late (with minutes) for confirmed learners; a change is kept as a correction (its trainer, staff of the site)",
      tags: ["attendance"],
      auth: "required",
      request: { params: meetingParams, body: attendanceBody },
      responses: { 200: { description: "The register", schema: attendanceResponse }, ...writeProblems },
      handler: async ({ identity, params, body }) =>
        ok(
          await app.completion.record(
            identity,
            params.sessionId,
            params.meetingId,
            body.marks as AttendanceMark[],
          ),
        ),
    });
    api.route({
      method: "post",
      path: "/v1/sessions/{sessionId}/completion",
      summary:
        "Complete the session after its last meeting: each learner's outcome by the completion rule, credentials for those who completed (staff of the site)",
      tags: ["attendance", "credentials"],
      auth: "required",
      request: { params: sessionIdParams, body: completionBody },
      responses: { 200: { description: "The outcomes", schema: completionResponse }, ...writeProblems },
      handler: async ({ identity, params, body }) =>
        ok(await app.completion.complete(identity, params.sessionId, body.assessments)),
    });
    api.route({
      method: "get",
      path: "/v1/sessions/{sessionId}/completion",
      summary: "Read a completed session's outcomes (staff of the site)",
      tags: ["attendance"],
      auth: "required",
      request: { params: sessionIdParams },
      responses: { 200: { description: "The outcomes", schema: completionResponse }, ...problems },
      handler: async ({ identity, params }) =>
        ok(await app.completion.completion(identity, params.sessionId)),
    });

    // --- the issuer (public) ---
    api.route({
      method: "get",
      path: "/v1/issuer",
      summary: "The issuer profile credentials name (public)",
      tags: ["credentials"],
      auth: "optional",
      request: { query: z.strictObject({}) },
      responses: { 200: { description: "The Open Badges issuer profile", schema: issuerResponse } },
      handler: async () => ok(app.wallet.issuerProfile()),
    });
    api.route({
      method: "get",
      path: "/v1/issuer/jwks.json",
      summary: "The issuer's public keys, to verify credentials (public)",
      tags: ["credentials"],
      auth: "optional",
      request: { query: z.strictObject({}) },
      responses: { 200: { description: "JWKS", schema: jwksResponse } },
      handler: async () => ok(await app.wallet.jwks()),
    });
    api.route({
      method: "get",
      path: "/v1/status-lists/{listId}",
      summary: "A signed Bitstring Status List credential: the revocation bits (public)",
      tags: ["credentials"],
      auth: "optional",
      request: { params: statusListParams },
      responses: {
        200: { description: "The status list VC-JWT", schema: signedToken, contentType: VC_JWT },
        404: problems[404],
      },
      handler: async ({ params }) => ({
        status: 200,
        headers: { "content-type": VC_JWT, "cache-control": "max-age=60" },
        body: await app.wallet.statusList(params.listId),
      }),
    });
    api.route({
      method: "post",
      path: "/v1/credentials/verify",
      summary: "Verify a credential: valid, revoked, tampered or invalid, with the reason (public)",
      tags: ["credentials"],
      auth: "optional",
      request: { body: verifyBody },
      responses: { 200: { description: "The verdict", schema: verifyResponse } },
      handler: async ({ body }) => ok(await app.wallet.verify(body.credential)),
    });

    // --- a holder's credentials ---
    api.route({
      method: "get",
      path: "/v1/credentials/mine",
      summary: "Your credentials (the signed-in learner)",
      tags: ["credentials"],
      auth: "required",
      request: { query: pageQuery },
      responses: {
        200: { description: "Your credentials, newest first", schema: pageOf(credentialResponse) },
        ...problems,
      },
      handler: async ({ identity, query }) => ok(await app.wallet.mine(identity, query)),
    });
    api.route({
      method: "get",
      path: "/v1/credentials/{credentialId}",
      summary:
        "Read a credential as JSON, or the signed VC-JWT with Accept: application/vc+jwt (its holder, staff of the issuing site, programme)",
      tags: ["credentials"],
      auth: "required",
      request: { params: credentialIdParams },
      responses: { 200: { description: "The credential", schema: credentialResponse }, ...problems },
      handler: async ({ identity, params, headers }) => {
        if ((headers.accept ?? "").includes(VC_JWT))
          return {
            status: 200,
            headers: { "content-type": VC_JWT },
            body: await app.wallet.jwt(identity, params.credentialId),
          };
        return ok(await app.wallet.get(identity, params.credentialId));
      },
    });
    api.route({
      method: "get",
      path: "/v1/credentials/{credentialId}/attestato.pdf",
      summary:
        "The Italian PDF attestato with a QR code to the verify endpoint; your name on it only if you send learnerName (the holder)",
      tags: ["credentials"],
      auth: "required",
      request: { params: credentialIdParams, query: attestatoQuery },
      responses: {
        200: { description: "The PDF", schema: z.string().meta({ format: "binary" }), contentType: PDF },
        ...problems,
      },
      handler: async ({ identity, params, query }) => ({
        status: 200,
        headers: {
          "content-type": PDF,
          "content-disposition": `attachment; filename="attestato-${params.credentialId}.pdf"`,
        },
        body: await app.wallet.attestato(identity, params.credentialId, query.learnerName),
      }),
    });
    api.route({
      method: "post",
      path: "/v1/credentials/{credentialId}/revocation",
      summary: "Revoke a credential with the reason: its status bit is set (staff of the issuing site)",
      tags: ["credentials"],
      auth: "required",
      request: { params: credentialIdParams, body: revocationBody },
      responses: { 200: { description: "The credential", schema: credentialResponse }, ...writeProblems },
      handler: async ({ identity, params, body }) =>
        ok(await app.wallet.revoke(identity, params.credentialId, body.reason)),
    });

    // --- the skills passport and erasure ---
    api.route({
      method: "get",
      path: "/v1/passport/mine",
      summary: "Your skills passport: every credential across all sites (the signed-in learner)",
      tags: ["passport"],
      auth: "required",
      request: { query: pageQuery },
      responses: {
        200: { description: "The passport, newest first", schema: passportResponse },
        ...problems,
      },
      handler: async ({ identity, query }) => ok(await app.wallet.myPassport(identity, query)),
    });
    api.route({
      method: "get",
      path: "/v1/passport/{personId}",
      summary: "A person's skills passport, with the reason you read it (logged) (staff, programme)",
      tags: ["passport"],
      auth: "required",
      request: { params: personParams, query: passportReadQuery },
      responses: {
        200: { description: "The passport, newest first", schema: passportResponse },
        ...problems,
      },
      handler: async ({ identity, params, query: { reason, ...page } }) =>
        ok(await app.wallet.passportOf(identity, params.personId, reason, page)),
    });
    api.route({
      method: "post",
      path: "/v1/persons/{personId}/erasure",
      summary:
        "Erase a person's data: their id becomes an opaque tombstone; credentials, counts and revocation stay (the person, or an admin)",
      tags: ["passport"],
      auth: "required",
      request: { params: personParams },
      responses: { 200: { description: "Erased", schema: erasureResponse }, ...writeProblems },
      handler: async ({ identity, params }) => ok(await app.wallet.erase(identity, params.personId)),
    });
  };
}
