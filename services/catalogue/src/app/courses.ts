import { ForbiddenError, NotFoundError } from "@lto/errors";
import {
  archiveCourse,
  createCourse,
  editCourse,
  isPartnerCourse,
  LTO_PROVIDER,
  publishCourse,
  returnCourse,
  submitCourse,
  type Course,
  type CourseEvent,
  type CourseInput,
  type CourseState,
} from "../domain/index.js";
import {
  actor,
  courseScope,
  requireCourseEditor,
  requireReadCourse,
  requireRole,
  requireSitesStaff,
  type Viewer,
} from "./access.js";
import { checkVersion } from "./checks.js";
import type { CourseFilters, Ports, SessionFilters } from "./ports.js";
import { courseView } from "./views.js";

export interface CourseListQuery extends Omit<CourseFilters, "ids">, SessionFilters {
  state?: CourseState;
  cursor?: string;
  limit: number;
}

export function courseUseCases({ courses, sessions, clock, ids }: Ports) {
  async function load(id: string): Promise<Course> {
    const course = await courses.get(id);
    if (!course) throw new NotFoundError("course", id);
    return course;
  }

  async function save(current: Course, next: Course, events: CourseEvent[], ifMatch: number | undefined) {
    checkVersion("course", current.version, ifMatch);
    return courses.update(next, events);
  }

  return {
    /** Staff create LTO courses at their sites; a partner body creates its own (reviewed before publication). */
    async create(viewer: Viewer, input: CourseInput) {
      const me = requireRole(viewer, "staff", "admin", "partner");
      if (me.role !== "partner") requireSitesStaff(me, input.sites);
      const providerId = me.role === "partner" ? me.organisationId : LTO_PROVIDER;
      const course = createCourse(input, ids.newId(), providerId, actor(me), clock.now());
      await courses.insert(course, []);
      return courseView(course, viewer);
    },

    async get(viewer: Viewer, id: string) {
      const course = await load(id);
      requireReadCourse(viewer, course);
      return courseView(course, viewer);
    },

    /** The course as the viewer may read it (gRPC and other use cases). */
    async read(viewer: Viewer, id: string): Promise<Course> {
      const course = await load(id);
      requireReadCourse(viewer, course);
      return course;
    },

    async list(viewer: Viewer, query: CourseListQuery) {
      const allowed = courseScope(viewer, query.state);
      // A state other than published narrows what the viewer may see to that state.
      const scope =
        query.state && query.state !== "published"
          ? { ...(allowed === "all" ? {} : allowed), states: [query.state] }
          : allowed;
      const { from, to, freeSeats, state: _state, cursor, limit, ...filters } = query;
      const bySession = from !== undefined || to !== undefined || freeSeats === true;
      const courseIds = bySession
        ? await sessions.courseIdsWith({
            ...(filters.site ? { site: filters.site } : {}),
            ...(from ? { from } : {}),
            ...(to ? { to } : {}),
            ...(freeSeats ? { freeSeats } : {}),
          })
        : undefined;
      const page = await courses.list({
        filters: { ...filters, ...(courseIds ? { ids: courseIds } : {}) },
        scope,
        ...(cursor ? { cursor } : {}),
        limit,
      });
      return { items: page.items.map((c) => courseView(c, viewer)), nextCursor: page.nextCursor };
    },

    /** A partner body's own courses, in every state or the one asked for (its home), newest first. */
    async listOwn(viewer: Viewer, query: { state?: CourseState; cursor?: string; limit: number }) {
      const me = requireRole(viewer, "partner");
      const page = await courses.list({
        filters: {},
        scope: { providerId: me.organisationId, ...(query.state ? { states: [query.state] } : {}) },
        ...(query.cursor ? { cursor: query.cursor } : {}),
        limit: query.limit,
      });
      return { items: page.items.map((c) => courseView(c, viewer)), nextCursor: page.nextCursor };
    },

    /**
     * Content changes. A partner body edits its course until it is published (staff return it with a
     * reason rather than rewrite it); an LTO course, and any published one, is edited by staff of its
     * sites (a published course is published again).
     */
    async update(viewer: Viewer, id: string, input: CourseInput, ifMatch: number) {
      const current = await load(id);
      const me = requireCourseEditor(viewer, current);
      const partnerEdits = isPartnerCourse(current) && current.state !== "published";
      if (partnerEdits && me.role !== "partner")
        throw new ForbiddenError(
          "The partner body edits its course until it is published; return it with a reason to ask for changes",
        );
      if (!partnerEdits) requireSitesStaff(me, input.sites);
      const now = clock.now();
      const next = editCourse(current, input, now);
      const events: CourseEvent[] =
        next.state === "published"
          ? [{ type: "CoursePublished", course: next, by: me.subject, at: now }]
          : [];
      return courseView(await save(current, next, events, ifMatch), viewer);
    },

    async submit(viewer: Viewer, id: string, ifMatch?: number) {
      const current = await load(id);
      requireReadCourse(viewer, current);
      const me = requireRole(viewer, "partner");
      requireCourseEditor(me, current);
      const next = submitCourse(current, actor(me), clock.now());
      return courseView(await save(current, next, [], ifMatch), viewer);
    },

    async publish(viewer: Viewer, id: string, ifMatch?: number) {
      const current = await load(id);
      requireReadCourse(viewer, current);
      const me = requireSitesStaff(viewer, current.sites);
      const now = clock.now();
      const next = publishCourse(current, actor(me), now);
      const event: CourseEvent = { type: "CoursePublished", course: next, by: me.subject, at: now };
      return courseView(await save(current, next, [event], ifMatch), viewer);
    },

    async returnToProvider(viewer: Viewer, id: string, reason: string, ifMatch?: number) {
      const current = await load(id);
      requireReadCourse(viewer, current);
      const me = requireSitesStaff(viewer, current.sites);
      const next = returnCourse(current, reason, actor(me), clock.now());
      return courseView(await save(current, next, [], ifMatch), viewer);
    },

    async archive(viewer: Viewer, id: string, ifMatch?: number) {
      const current = await load(id);
      requireReadCourse(viewer, current);
      const me = requireSitesStaff(viewer, current.sites);
      const now = clock.now();
      const next = archiveCourse(current, actor(me), now);
      const event: CourseEvent = { type: "CourseArchived", course: next, by: me.subject, at: now };
      return courseView(await save(current, next, [event], ifMatch), viewer);
    },

    load,
  };
}
