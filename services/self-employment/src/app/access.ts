// Who may do what. Staff act only at their sites (the `sites` claim), the programme office reads
// everything, admins act anywhere; every use case asks here before acting.
import { requireRole, signedIn, type Identity } from "@lto/auth";
import { ForbiddenError } from "@lto/errors";

export type Viewer = Identity | undefined;

// Signed in, and in a role: the platform's checks (401 / 403 with the same words everywhere).
export { requireRole, signedIn };

function notYours(sites: readonly string[], me: Identity): ForbiddenError {
  const yours = me.sites.length ? `you work at ${me.sites.join(", ")}` : "your token names no site";
  return new ForbiddenError(
    `This concerns ${sites.join(", ")} and staff act only at their own sites (${yours}); ask staff there, or an administrator to add the site to your account`,
  );
}

/** Staff of every one of `sites`, or an admin: 401 anonymous, 403 another role or another site. */
export function requireSitesStaff(viewer: Viewer, sites: readonly string[]): Identity {
  const me = requireRole(viewer, "staff", "admin");
  if (me.role === "admin") return me;
  const missing = sites.filter((s) => !me.sites.includes(s));
  if (missing.length) throw notYours(missing, me);
  return me;
}

/** Reading what belongs to `sites`: staff of one of them, the programme office, an admin. */
export function requireSiteReader(viewer: Viewer, sites: readonly string[]): Identity {
  const me = requireRole(viewer, "staff", "programme", "admin");
  if (me.role === "staff" && !sites.some((s) => me.sites.includes(s))) throw notYours(sites, me);
  return me;
}

/**
 * A young person acting for themself: a learner token whose subject is the person's learner account
 * (`learnerSubject`, linked by staff). The one test of "the person themself" for every use case.
 */
export function isLearnerOf(viewer: Viewer, person: { learnerSubject?: string } | undefined): boolean {
  return (
    viewer?.role === "learner" &&
    person?.learnerSubject !== undefined &&
    person.learnerSubject === viewer.subject
  );
}
