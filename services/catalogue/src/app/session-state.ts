// Every session the use cases read carries its state on the service clock: `running` is derived
// (domain `sessionAt`), never written by a job, so two instances cannot disagree or race on it.
import { sessionAt } from "../domain/index.js";
import type { Clock, SessionRepository } from "./ports.js";

export function sessionsOnTheClock(sessions: SessionRepository, clock: Clock): SessionRepository {
  const now = () => clock.now();
  return {
    ...sessions,
    get: async (id) => {
      const session = await sessions.get(id);
      return session && sessionAt(session, now());
    },
    listForCourse: async (courseId, filter) => {
      const page = await sessions.listForCourse(courseId, filter);
      return { ...page, items: page.items.map((s) => sessionAt(s, now())) };
    },
    listForSite: async (site, filter) => {
      const page = await sessions.listForSite(site, filter);
      return { ...page, items: page.items.map((s) => sessionAt(s, now())) };
    },
    update: async (session, events) => sessionAt(await sessions.update(session, events), now()),
  };
}
