// Who may do what with calls, teams and ideas. Every use case asks here before acting.
import { requireRole, signedIn, type Identity, type Role } from "@lto/auth";
import { ForbiddenError, NotFoundError, ValidationError } from "@lto/errors";
import {
  isPublic,
  isSite,
  PUBLIC_STATES,
  type Actor,
  type Idea,
  type Site,
  type Team,
} from "../domain/index.js";
import type { IdeaScope } from "./ports.js";

export type Viewer = Identity | undefined;

// Signed in, and in a role: the platform's checks (401 / 403 with the same words everywhere).
export { requireRole, signedIn };

export function actor(identity: Identity): Actor {
  return { subject: identity.subject, organisationId: identity.organisationId };
}

/** Staff run the calls and the review; admins may stand in for them. */
export const REVIEWERS: Role[] = ["staff", "admin"];
/** Roles that read every submitted idea and every team (pseudonymised). */
export const OVERSEERS: Role[] = ["staff", "programme", "admin"];

/**
 * Staff act only at their sites (the calls a site runs and those calls' ideas); admins act anywhere.
 * Reading is not restricted by site: staff of every site read every submitted idea, so a refusal here
 * is a 403, never the 404 of what the caller may not see.
 */
export function canActAtSite(viewer: Viewer, site: Site): boolean {
  if (viewer?.role === "admin") return true;
  return viewer?.role === "staff" && viewer.sites.includes(site);
}

/** The caller must be staff of `site` (or an admin): 401 anonymous, 403 another role or another site. */
export function requireSiteStaff(viewer: Viewer, site: Site): Identity {
  const me = requireRole(viewer, ...REVIEWERS);
  if (!canActAtSite(me, site)) {
    const yours = me.sites.length ? `you work at ${me.sites.join(", ")}` : "your token names no site";
    throw new ForbiddenError(
      `This belongs to site ${site} and staff act only at their own sites (${yours}); ask staff of ${site}, or an administrator to add the site to your account`,
    );
  }
  return me;
}

/**
 * The site a new call belongs to: the one named, else the caller's only site. Admins and staff of
 * several sites name it (400 naming `site`).
 */
export function siteForNewCall(me: Identity, named: string | undefined): Site {
  if (named !== undefined && isSite(named)) return named;
  const own = me.sites.filter(isSite);
  if (named === undefined && me.role === "staff" && own.length === 1) return own[0]!;
  throw new ValidationError("The call needs the site that runs it", [
    {
      path: "site",
      message:
        named !== undefined
          ? `is not a site of the LTO: ${named}`
          : "name the site that runs the call (you work at none or at several)",
    },
  ]);
}

export function requireOwnSchool(viewer: Viewer, schoolId: string): Identity {
  const me = requireRole(viewer, "school");
  if (me.organisationId !== schoolId) {
    throw new ForbiddenError("This belongs to another school; a school acts only on its own teams and ideas");
  }
  return me;
}

export function isOwnSchool(viewer: Viewer, schoolId: string): boolean {
  return viewer?.role === "school" && viewer.organisationId === schoolId;
}

export function isAssignedEvaluator(viewer: Viewer, idea: Idea): boolean {
  return !!viewer && idea.evaluators.some((a) => a.subject === viewer.subject);
}

function wasSubmitted(idea: Idea): boolean {
  return idea.history.some((entry) => entry.to === "submitted");
}

export function canReadIdea(viewer: Viewer, idea: Idea): boolean {
  if (isPublic(idea) || isOwnSchool(viewer, idea.schoolId) || isAssignedEvaluator(viewer, idea)) return true;
  if (viewer?.role === "admin") return true;
  return !!viewer && OVERSEERS.includes(viewer.role) && wasSubmitted(idea);
}

/**
 * What the viewer may not read does not exist for them: the same 404 as an unknown id, checked before
 * anything else (role, version, state), so no answer tells that the resource exists or what state it is in.
 */
export function requireReadIdea(viewer: Viewer, idea: Idea): void {
  if (!canReadIdea(viewer, idea)) throw new NotFoundError("idea", idea.id);
}

/** The same rule as canReadIdea, as a query the repository runs. */
export function ideaScopes(viewer: Viewer): IdeaScope[] | "all" {
  if (viewer?.role === "admin") return "all";
  const scopes: IdeaScope[] = [{ states: PUBLIC_STATES }];
  if (!viewer) return scopes;
  scopes.push({ evaluator: viewer.subject });
  if (viewer.role === "school") scopes.push({ schoolId: viewer.organisationId });
  if (OVERSEERS.includes(viewer.role)) scopes.push({ submittedOnce: true });
  return scopes;
}

/** Teams are read by their school and the overseers; to anyone else a team is as unknown as a wrong id. */
export function requireReadTeam(viewer: Viewer, team: Team): Identity {
  const me = signedIn(viewer);
  if (isOwnSchool(me, team.schoolId) || OVERSEERS.includes(me.role)) return me;
  throw new NotFoundError("team", team.id);
}

/** Acting on a team: 404 if the viewer cannot see it, then 403 unless it is their school's. */
export function requireOwnTeam(viewer: Viewer, team: Team): Identity {
  requireReadTeam(viewer, team);
  return requireOwnSchool(viewer, team.schoolId);
}
