// The calendars' ports on the store: personal feeds (by person, found by the hash of their token), the
// sessions a person trains or is enrolled in, and the ICS text.
import { newFeedToken } from "@lto/calendar/feed-token";
import { renderCalendar } from "@lto/calendar/ics";
import type { CalendarPorts } from "../app/index.js";
import type { CatalogueCollections } from "./store.js";

/** Enrolments that put a session's meetings in the learner's calendar: a seat held or offered. */
const IN_CALENDAR = ["confirmed", "offered"];
/** More sessions than one person follows or trains in years. */
const MAX_SESSIONS = 1000;

export function calendarPorts(collections: CatalogueCollections): CalendarPorts {
  const { calendarFeeds, enrolments, sessions } = collections;
  return {
    feeds: {
      ofPerson: (personId) => calendarFeeds.get(personId),
      byTokenHash: (tokenHash) => calendarFeeds.findOne({ tokenHash }),
      insert: (feed) => calendarFeeds.insert(feed),
      update: async (feed) => (await calendarFeeds.updateIf(feed, feed.version)) !== undefined,
      remove: async (personId) => (await calendarFeeds.deleteMany({ _id: personId })) > 0,
    },
    tokens: { newToken: newFeedToken },
    learnerSessions: {
      ofPerson: async (personId) => {
        const seats = await enrolments.find({ personId, status: { $in: IN_CALENDAR } }, MAX_SESSIONS);
        return [...new Set(seats.map((s) => s.sessionId))];
      },
    },
    sessions: {
      trainedBy: (personId) => sessions.find({ trainerIds: personId }, MAX_SESSIONS),
      getMany: (ids) => sessions.getMany(ids),
    },
    text: { render: (feed, generatedAt) => renderCalendar(feed, { generatedAt, product: "Catalogue" }) },
  };
}
