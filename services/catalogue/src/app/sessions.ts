import { NotFoundError } from "@lto/errors";
import {
  holdsSeat,
  isSite,
  cancelMeeting,
  cancelSession,
  rescheduleMeeting,
  scheduleSession,
  type MeetingInput,
  type Session,
  type SessionEvent,
  type SessionInput,
  type Site,
} from "../domain/index.js";
import type { LocalDate } from "@lto/civil-time";
import {
  actor,
  canReadCourse,
  isProvider,
  MANAGERS,
  readsAll,
  requireReadCourse,
  requireRole,
  requireSitesStaff,
  type Viewer,
} from "./access.js";
import { checkVersion } from "./checks.js";
import type { Ports } from "./ports.js";
import { sessionView } from "./views.js";

type SessionPageQuery = { site?: string; cursor?: string; limit: number };

export function sessionUseCases({ courses, sessions, enrolments, clock, ids }: Ports) {
  async function loadCourse(id: string) {
    const course = await courses.get(id);
    if (!course) throw new NotFoundError("course", id);
    return course;
  }

  /** A session is as visible as its course; cancelled ones stay visible (learners see the cancellation). */
  async function loadVisible(viewer: Viewer, id: string): Promise<Session> {
    const session = await sessions.get(id);
    if (!session) throw new NotFoundError("session", id);
    const course = await courses.get(session.courseId);
    if (!course || !canReadCourse(viewer, course)) throw new NotFoundError("session", id);
    return session;
  }

  async function listPage(viewer: Viewer, courseId: string, query: SessionPageQuery) {
    const course = await loadCourse(courseId);
    requireReadCourse(viewer, course);
    return sessions.listForCourse(courseId, {
      ...query,
      openOnly: !(readsAll(viewer) || isProvider(viewer, course)),
    });
  }

  async function change(
    viewer: Viewer,
    id: string,
    ifMatch: number | undefined,
    apply: (
      session: Session,
      by: ReturnType<typeof actor>,
      now: Date,
    ) => { next: Session; events: SessionEvent[] },
  ) {
    const current = await loadVisible(viewer, id);
    const me = requireSitesStaff(viewer, [current.site]);
    checkVersion("session", current.version, ifMatch);
    const { next, events } = apply(current, actor(me), clock.now());
    return sessionView(await sessions.update(next, events), viewer);
  }

  return {
    /** Staff of the site schedule a session of a published course offered there. */
    async schedule(viewer: Viewer, input: SessionInput) {
      const me = requireRole(viewer, ...MANAGERS);
      const course = await loadCourse(input.courseId);
      // A site that is not one is the domain's 400; a real site not the caller's is a 403.
      if (isSite(input.site)) requireSitesStaff(me, [input.site]);
      const now = clock.now();
      const session = scheduleSession(input, course, ids.newId(), () => ids.newId(), actor(me), now);
      await sessions.insert(session, [
        { type: "SessionScheduled", session, course, by: me.subject, at: now },
      ]);
      return sessionView(session, viewer);
    },

    async get(viewer: Viewer, id: string) {
      return sessionView(await loadVisible(viewer, id), viewer);
    },

    async read(viewer: Viewer, id: string) {
      return loadVisible(viewer, id);
    },

    /** One course's sessions: all of them for staff, programme and its provider; open ones for others. */
    listPage,

    async listForCourse(viewer: Viewer, courseId: string, query: SessionPageQuery) {
      const page = await listPage(viewer, courseId, query);
      return { items: page.items.map((s) => sessionView(s, viewer)), nextCursor: page.nextCursor };
    },

    /** A site's calendar: its sessions in any state meeting in the range, for staff of that site. */
    async listForSite(
      viewer: Viewer,
      query: { site: Site; from?: LocalDate; to?: LocalDate; cursor?: string; limit: number },
    ) {
      requireSitesStaff(viewer, [query.site]);
      const { site, ...filter } = query;
      const page = await sessions.listForSite(site, filter);
      return { items: page.items.map((s) => sessionView(s, viewer)), nextCursor: page.nextCursor };
    },

    async rescheduleMeeting(
      viewer: Viewer,
      id: string,
      meetingId: string,
      input: MeetingInput,
      ifMatch?: number,
    ) {
      return change(viewer, id, ifMatch, (session, by, now) => {
        const moved = rescheduleMeeting(session, meetingId, input, by, now);
        return {
          next: moved.session,
          events: [
            {
              type: "SessionRescheduled",
              session: moved.session,
              meeting: moved.meeting,
              previous: moved.previous,
              by: by.subject,
              at: now,
            },
          ],
        };
      });
    },

    async cancelMeeting(viewer: Viewer, id: string, meetingId: string, reason: string, ifMatch?: number) {
      return change(viewer, id, ifMatch, (session, by, now) => {
        const cancelled = cancelMeeting(session, meetingId, reason, by, now);
        return {
          next: cancelled.session,
          events: [
            {
              type: "SessionRescheduled",
              session: cancelled.session,
              meeting: cancelled.meeting,
              previous: cancelled.previous,
              by: by.subject,
              at: now,
            },
          ],
        };
      });
    },

    async cancel(viewer: Viewer, id: string, reason: string, ifMatch?: number) {
      // Who held a seat (or an offer) and who waited are told through the event.
      const people = (await sessions.get(id)) ? await enrolments.forSession(id) : [];
      const enrolled = people.filter(holdsSeat).map((e) => e.personId);
      const waiting = people.filter((e) => e.status === "waitlisted").map((e) => e.personId);
      return change(viewer, id, ifMatch, (session, by, now) => {
        const next = cancelSession(session, reason, by, now);
        return {
          next,
          events: [
            {
              type: "SessionCancelled",
              session: next,
              reason,
              enrolled,
              waiting,
              by: by.subject,
              at: now,
            },
          ],
        };
      });
    },
  };
}
