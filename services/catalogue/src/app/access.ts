// Who may do what with courses and sessions. Every use case asks here before acting.
import { requireRole, signedIn, type Identity, type Role } from "@lto/auth";
import { ForbiddenError, NotFoundError } from "@lto/errors";
import { isPartnerCourse, LTO_PROVIDER, type Actor, type Course, type Site } from "../domain/index.js";
import type { CourseScope } from "./ports.js";

export type Viewer = Identity | undefined;

// Signed in, and in a role: the platform's checks (401 / 403 with the same words everywhere).
export { requireRole, signedIn };

export function actor(identity: Identity): Actor {
  return { subject: identity.subject, organisationId: identity.organisationId };
}

/** Staff manage courses and sessions at their sites; admins anywhere. */
export const MANAGERS: Role[] = ["staff", "admin"];
/** Roles that read every course and session, in any state. */
export const READERS: Role[] = ["staff", "programme", "admin"];

export function readsAll(viewer: Viewer): boolean {
  return !!viewer && READERS.includes(viewer.role);
}

export function isProvider(viewer: Viewer, course: Pick<Course, "providerId">): boolean {
  return viewer?.role === "partner" && viewer.organisationId === course.providerId;
}

/**
 * The caller must be staff of every one of `sites` (or an admin): 401 anonymous, 403 another role or
 * another site. A course offered at several sites is managed by staff of all of them (or an admin).
 */
export function requireSitesStaff(viewer: Viewer, sites: readonly Site[]): Identity {
  const me = requireRole(viewer, ...MANAGERS);
  if (me.role === "admin") return me;
  const missing = sites.filter((site) => !me.sites.includes(site));
  if (missing.length) {
    const yours = me.sites.length ? `you work at ${me.sites.join(", ")}` : "your token names no site";
    throw new ForbiddenError(
      `This concerns ${missing.join(", ")} and staff act only at their own sites (${yours}); ask staff there, or an administrator to add the site to your account`,
    );
  }
  return me;
}

export function canReadCourse(viewer: Viewer, course: Course): boolean {
  return course.state === "published" || readsAll(viewer) || isProvider(viewer, course);
}

/** What the viewer may not read does not exist for them: the same 404 as an unknown id. */
export function requireReadCourse(viewer: Viewer, course: Course): void {
  if (!canReadCourse(viewer, course)) throw new NotFoundError("course", course.id);
}

/**
 * Acting on a course's content: 404 if the viewer cannot read it; its partner body for a partner course
 * (another partner body 403), otherwise staff of every site it lists (or an admin).
 */
export function requireCourseEditor(viewer: Viewer, course: Course): Identity {
  requireReadCourse(viewer, course);
  if (isPartnerCourse(course) && isProvider(viewer, course)) {
    if (course.state === "published")
      throw new ForbiddenError("The course is published: staff of its sites edit it now; ask them");
    return viewer!;
  }
  if (viewer?.role === "partner") throw new ForbiddenError("This course belongs to another provider");
  return requireSitesStaff(viewer, course.sites);
}

/** The courses a list may show the viewer: published ones, or (asked for) those in other states. */
export function courseScope(viewer: Viewer, state: string | undefined): CourseScope | "all" {
  if (state === undefined || state === "published") return { states: ["published"] };
  if (readsAll(viewer)) return "all";
  if (viewer?.role === "partner") return { providerId: viewer.organisationId };
  signedIn(viewer);
  throw new ForbiddenError(
    "Only staff, the programme office and partner bodies (for their own courses) list courses that are not published",
  );
}

export { LTO_PROVIDER };
