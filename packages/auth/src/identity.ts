// Who the caller is, as the services see it, and the authorisation checks every service repeats.
import { ForbiddenError, UnauthenticatedError } from "@lto/errors";
import { z } from "zod";

/**
 * `learner`: a young person or adult acting for themselves (teachers act with their `school` role);
 * `partner`: a partner training body (CFP, ITS, accredited body), its `org` the body.
 */
export const ROLES = ["school", "company", "staff", "programme", "admin", "learner", "partner"] as const;
export type Role = (typeof ROLES)[number];

export interface Identity {
  subject: string;
  role: Role;
  /** The school, company or agency the user acts for (claim `org`). */
  organisationId: string;
  /** Sites (offices, campuses) the user works at (claim `sites`); staff act only there. */
  sites: string[];
  name?: string;
  /** The raw bearer token, forwarded as-is on gRPC calls made on the user's behalf. */
  token: string;
}

/** The custom claims our tokens carry besides the registered ones (iss, aud, exp, ...). */
export interface TokenClaims {
  sub: string;
  role: Role;
  org: string;
  sites?: readonly string[];
  name?: string;
}

const claimsSchema = z.object({
  sub: z.string().min(1),
  role: z.enum(ROLES),
  org: z.string().min(1),
  sites: z.array(z.string().min(1)).default([]),
  name: z.string().optional(),
});

/** Turns a verified JWT payload into an Identity; a token without usable claims is refused. */
export function identityFromClaims(payload: Record<string, unknown>, token: string): Identity {
  const parsed = claimsSchema.safeParse(payload);
  if (!parsed.success) {
    const claims = [...new Set(parsed.error.issues.map((i) => String(i.path[0])))].join(", ");
    throw new UnauthenticatedError(`Token claims are missing or invalid (${claims}); sign in again`);
  }
  const { sub, role, org, sites, name } = parsed.data;
  return { subject: sub, role, organisationId: org, sites, ...(name === undefined ? {} : { name }), token };
}

/** The caller, who must have signed in (a 401 otherwise). */
export function signedIn(identity: Identity | undefined): Identity {
  if (!identity) throw new UnauthenticatedError("Sign in to do this: send Authorization: Bearer <token>");
  return identity;
}

/** The caller must hold one of `roles` (no role is implied by another, admin included). */
export function requireRole(identity: Identity | undefined, ...roles: Role[]): Identity {
  const me = signedIn(identity);
  if (!roles.includes(me.role)) {
    throw new ForbiddenError(`This needs the role ${roles.join(" or ")}; you are signed in as ${me.role}`);
  }
  return me;
}

/** The caller must act for `organisationId` (a school edits only its own ideas, ...). */
export function requireOrganisation(identity: Identity | undefined, organisationId: string): Identity {
  const me = signedIn(identity);
  if (me.organisationId !== organisationId) {
    throw new ForbiddenError("This belongs to another organisation; you can act only for your own");
  }
  return me;
}

/** The caller must work at `site` (staff act only at their sites). */
export function requireSite(identity: Identity | undefined, site: string): Identity {
  const me = signedIn(identity);
  if (!me.sites.includes(site)) {
    throw new ForbiddenError(`You are not assigned to site ${site}; ask an administrator to add it`);
  }
  return me;
}
