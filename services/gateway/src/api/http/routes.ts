// The gateway's JSON API: invitations and what staff and administrators do to accounts. Sign-in itself
// is the provider's (/oidc) with the gateway's pages.
import { ROLES } from "@lto/auth";
import type { ApiRouter } from "@lto/http-kit";
import {
  pageOf,
  pageQuery,
  problemResponses as problems,
  problemSchema,
  singleLineText,
  transportProblem,
  versionedResult as ok,
  writeProblemResponses as writeProblems,
  z,
} from "@lto/http-kit";
import { MinorRefusedError, type GatewayApp } from "../../app/index.js";
import { ACCOUNT_STATUSES, type Account } from "../../domain/index.js";

const text = (max: number) => z.string().trim().min(1).max(max);
const subjectParams = z.object({ subject: text(128) });

const invitationBody = z
  .strictObject({
    email: z.email().max(254),
    role: z.enum(ROLES),
    organisationId: text(128),
    displayName: text(200),
    locale: z.enum(["it", "en"]).optional(),
    sites: z.array(text(128)).max(50).optional(),
    birthDate: z.iso.date().optional(),
  })
  .refine((b) => b.role !== "learner" || b.birthDate !== undefined, {
    path: ["birthDate"],
    message: "A learner's birth date is required: only adults get an account",
  });

const acceptBody = z.strictObject({ token: text(200), password: z.string().max(1024) });
const disableBody = z.strictObject({ reason: text(500) });

const accountListQuery = z.strictObject({
  ...pageQuery.shape,
  role: z.enum(ROLES).optional(),
  status: z.enum(ACCOUNT_STATUSES).optional(),
  organisation: singleLineText({ min: 1, max: 128, trim: true }).optional(),
  q: singleLineText({ min: 1, max: 100, trim: true })
    .optional()
    .openapi({ description: "The start of the name (or of one of its words) or of the e-mail, any case" }),
});

const accountCounts = z.object({ invited: z.number(), active: z.number(), disabled: z.number() });

const accountResponse = z.object({
  subject: z.string(),
  role: z.enum(ROLES),
  organisationId: z.string(),
  sites: z.array(z.string()),
  email: z.string(),
  displayName: z.string(),
  locale: z.enum(["it", "en"]),
  status: z.enum(ACCOUNT_STATUSES),
  createdAt: z.string(),
  activatedAt: z.string().optional(),
  disabledAt: z.string().optional(),
  disabledReason: z.string().optional(),
  version: z.number(),
});

const invitationResponse = z.object({
  invitationId: z.string(),
  link: z.string(),
  expiresAt: z.string(),
  account: accountResponse,
});

export function accountView(a: Account): z.infer<typeof accountResponse> {
  return {
    subject: a.id,
    role: a.role,
    organisationId: a.organisationId,
    sites: a.sites,
    email: a.email,
    displayName: a.displayName,
    locale: a.locale,
    status: a.status,
    createdAt: a.createdAt.toISOString(),
    ...(a.activatedAt ? { activatedAt: a.activatedAt.toISOString() } : {}),
    ...(a.disabledAt ? { disabledAt: a.disabledAt.toISOString() } : {}),
    ...(a.disabledReason !== undefined ? { disabledReason: a.disabledReason } : {}),
    version: a.version,
  };
}

export function routes(app: GatewayApp) {
  return (api: ApiRouter) => {
    api.route({
      method: "post",
      path: "/v1/invitations",
      summary:
        "Invite a person by a one-time link (staff: schools, companies, adult learners, partners; admin: anyone)",
      tags: ["invitations"],
      auth: "required",
      request: { body: invitationBody },
      responses: {
        201: { description: "Invited: the link (also mailed)", schema: invitationResponse },
        422: { description: "A minor never gets an account", schema: problemSchema },
        ...writeProblems,
      },
      handler: async ({ identity, body, requestId }) => {
        try {
          const { invitation, account, link } = await app.invite(identity, body);
          return {
            status: 201,
            body: {
              invitationId: invitation.id,
              link,
              expiresAt: invitation.expiresAt.toISOString(),
              account: accountView(account),
            },
          };
        } catch (err) {
          if (!(err instanceof MinorRefusedError)) throw err;
          return {
            status: 422,
            contentType: "application/problem+json",
            body: JSON.stringify({
              ...transportProblem(422, "minor-refused", "A minor never gets an account", err.message),
              requestId,
            }),
          };
        }
      },
    });
    api.route({
      method: "post",
      path: "/v1/invitations/acceptance",
      summary: "Accept an invitation: set the password and activate the account (the link's token)",
      tags: ["invitations"],
      auth: "none",
      request: { body: acceptBody },
      responses: { 200: { description: "Activated", schema: accountResponse }, ...writeProblems },
      handler: async ({ body }) => ok(accountView(await app.acceptInvitation(body.token, body.password))),
    });
    api.route({
      method: "get",
      path: "/v1/accounts",
      summary:
        "List accounts, newest first, by role, status, organisation and the start of a name or e-mail (admin)",
      tags: ["accounts"],
      auth: "required",
      request: { query: accountListQuery },
      responses: { 200: { description: "Accounts", schema: pageOf(accountResponse) }, ...problems },
      handler: async ({ identity, query }) => {
        const page = await app.list(identity, query);
        return ok({
          items: page.items.map(accountView),
          ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
        });
      },
    });
    api.route({
      method: "get",
      path: "/v1/accounts:count",
      summary: "How many accounts are invited, active and disabled (admin)",
      tags: ["accounts"],
      auth: "required",
      request: { query: z.strictObject({}) },
      responses: { 200: { description: "Counts by status", schema: accountCounts }, ...problems },
      handler: async ({ identity }) => ok(await app.counts(identity)),
    });
    api.route({
      method: "get",
      path: "/v1/accounts/{subject}",
      summary: "Read an account (staff and admin; anyone their own)",
      tags: ["accounts"],
      auth: "required",
      request: { params: subjectParams },
      responses: { 200: { description: "The account", schema: accountResponse }, ...problems },
      handler: async ({ identity, params }) => ok(accountView(await app.account(identity, params.subject))),
    });
    api.route({
      method: "post",
      path: "/v1/accounts/{subject}:disable",
      summary:
        "Disable an account: it can no longer sign in and loses its sessions (admin; staff for the people they invite)",
      tags: ["accounts"],
      auth: "required",
      request: { params: subjectParams, body: disableBody },
      responses: { 200: { description: "Disabled", schema: accountResponse }, ...writeProblems },
      handler: async ({ identity, params, body }) =>
        ok(accountView(await app.disable(identity, params.subject, body.reason))),
    });
    api.route({
      method: "post",
      path: "/v1/accounts/{subject}:enable",
      summary:
        "Enable a disabled account again: active if it had set its password, else invited (admin; idempotent)",
      tags: ["accounts"],
      auth: "required",
      request: { params: subjectParams },
      responses: { 200: { description: "Enabled", schema: accountResponse }, ...writeProblems },
      handler: async ({ identity, params }) => ok(accountView(await app.enable(identity, params.subject))),
    });
    api.route({
      method: "post",
      path: "/v1/accounts/{subject}/sessions:revoke",
      summary: "End every session of an account and revoke its refresh tokens (staff and admin)",
      tags: ["accounts"],
      auth: "required",
      request: { params: subjectParams },
      responses: {
        200: { description: "Revoked", schema: z.object({ revoked: z.number() }) },
        ...problems,
      },
      handler: async ({ identity, params }) => ok(await app.revokeSessions(identity, params.subject)),
    });
  };
}
