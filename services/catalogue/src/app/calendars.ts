// Calendars: a session's meetings as ICS for anyone who may read the session, and a personal feed per
// person (the meetings they train, the sessions they are enrolled in) behind a secret URL they can
// rotate or revoke. The token is the credential of a feed: calendar apps cannot sign in.
import { feedTokenHash, feedTokenMatches, isFeedTokenShape } from "@lto/calendar";
import { ConflictError, NotFoundError } from "@lto/errors";
import { personalCalendar, sessionCalendar, type Session, type SessionWithCourse } from "../domain/index.js";
import { signedIn, type Viewer } from "./access.js";
import type { Ports } from "./ports.js";
import { sessionUseCases } from "./sessions.js";

/** Where a feed's token is not one we issued (or was rotated or revoked): nothing to say about it. */
const unknownFeed = () =>
  new NotFoundError("calendar feed", "at this address", {
    details: { hint: "ask for a new link in your profile (POST /v1/calendars/mine)" },
  });

export function calendarUseCases(ports: Ports) {
  const { courses, clock, calendars } = ports;
  const sessions = sessionUseCases(ports);

  /** Each session with its course (a session whose course is gone is left out). */
  async function withCourses(list: readonly Session[]): Promise<SessionWithCourse[]> {
    const ids = [...new Set(list.map((s) => s.courseId))];
    const found = new Map(
      (await Promise.all(ids.map((id) => courses.get(id)))).flatMap((c) => (c ? [[c.id, c]] : [])),
    );
    return list.flatMap((session) => {
      const course = found.get(session.courseId);
      return course ? [{ session, course }] : [];
    });
  }

  async function issue(personId: string, attempt = 0): Promise<{ token: string; rotated: boolean }> {
    const { token, hash } = calendars.tokens.newToken();
    const now = clock.now();
    const current = await calendars.feeds.ofPerson(personId);
    const stored = current
      ? await calendars.feeds.update({ ...current, tokenHash: hash, updatedAt: now })
      : await calendars.feeds.insert({
          id: personId,
          tokenHash: hash,
          createdAt: now,
          updatedAt: now,
          version: 1,
        });
    if (stored) return { token, rotated: current !== undefined };
    // Another request of the same person created, rotated or revoked it meanwhile: try again on that.
    if (attempt >= 3)
      throw new ConflictError("Your calendar link is being changed by another request; try again");
    return issue(personId, attempt + 1);
  }

  return {
    /** The session's meetings as ICS: as visible as the session (published course: anyone). */
    async sessionIcs(viewer: Viewer, sessionId: string): Promise<string> {
      const session = await sessions.read(viewer, sessionId);
      const [source] = await withCourses([session]);
      if (!source) throw new NotFoundError("session", sessionId);
      return calendars.text.render(sessionCalendar(source), clock.now());
    },

    /** Creates the caller's feed or gives it a new secret (the old link stops working). */
    async issueFeed(viewer: Viewer): Promise<{ token: string; rotated: boolean }> {
      return issue(signedIn(viewer).subject);
    },

    async revokeFeed(viewer: Viewer): Promise<void> {
      const me = signedIn(viewer);
      if (!(await calendars.feeds.remove(me.subject)))
        throw new NotFoundError("calendar feed", `of ${me.subject}`, {
          details: { hint: "there is no link to revoke; POST /v1/calendars/mine makes one" },
        });
    },

    /** The feed behind a secret link: the meetings its owner trains and those of their sessions. */
    async personalIcs(token: string): Promise<string> {
      if (!isFeedTokenShape(token)) throw unknownFeed();
      const feed = await calendars.feeds.byTokenHash(feedTokenHash(token));
      if (!feed || !feedTokenMatches(token, feed.tokenHash)) throw unknownFeed();
      const personId = feed.id;
      const [enrolledIds, training] = await Promise.all([
        calendars.learnerSessions.ofPerson(personId),
        calendars.sessions.trainedBy(personId),
      ]);
      const enrolled = await calendars.sessions.getMany(enrolledIds);
      return calendars.text.render(
        personalCalendar(personId, await withCourses(enrolled), await withCourses(training)),
        clock.now(),
      );
    },
  };
}
