// What each viewer gets to see of courses and sessions: the only place responses are shaped.
import { firstDay, lastDay, publishedAt, sessionHours, type Course, type Session } from "../domain/index.js";
import { isProvider, readsAll, type Viewer } from "./access.js";

export function courseView(course: Course, viewer: Viewer) {
  const { history, createdAt, updatedAt, ...rest } = course;
  const published = publishedAt(course);
  const insider = readsAll(viewer) || isProvider(viewer, course);
  const returned = course.state === "returned" ? history.findLast((e) => e.to === "returned") : undefined;
  return {
    ...rest,
    ...(published ? { publishedAt: published } : {}),
    ...(returned?.reason ? { returnReason: returned.reason } : {}),
    ...(insider ? { history, createdAt, updatedAt } : {}),
  };
}

export function sessionView(session: Session, viewer: Viewer) {
  const { history, createdAt, updatedAt, meetings, ...rest } = session;
  return {
    ...rest,
    // A trainer's sign-in id is for staff and the trainer: others read the trainer's name.
    meetings: meetings.map(({ trainerId, ...m }) =>
      trainerId && (readsAll(viewer) || viewer?.subject === trainerId) ? { ...m, trainerId } : m,
    ),
    hours: sessionHours(session),
    firstDay: firstDay(session),
    lastDay: lastDay(session),
    ...(readsAll(viewer) ? { history, createdAt, updatedAt } : {}),
  };
}
