// Who may do what with calls, teams and ideas. Every use case asks here before acting.
import type { Identity, Role } from "@lto/auth";
import { ForbiddenError, NotFoundError, UnauthenticatedError } from "@lto/errors";
import { isPublic, PUBLIC_STATES, type Actor, type Idea, type Team } from "../domain/index.js";
import type { IdeaScope } from "./ports.js";

export type Viewer = Identity | undefined;

export function signedIn(viewer: Viewer): Identity {
  if (!viewer) throw new UnauthenticatedError("Sign in to do this: send Authorization: Bearer <token>");
  return viewer;
}

export function requireRole(viewer: Viewer, ...roles: Role[]): Identity {
  const me = signedIn(viewer);
  if (!roles.includes(me.role)) {
    throw new ForbiddenError(`This needs the role ${roles.join(" or ")}; you are signed in as ${me.role}`);
  }
  return me;
}

export function actor(identity: Identity): Actor {
  return { subject: identity.subject, organisationId: identity.organisationId };
}

/** Staff run the calls and the review; admins may stand in for them. */
export const REVIEWERS: Role[] = ["staff", "admin"];
/** Roles that read every submitted idea and every team (pseudonymised). */
export const OVERSEERS: Role[] = ["staff", "programme", "admin"];

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
