// The calendar feeds on the store: entries (the read model, written with the booking's version), feed
// links (only token hashes), the key tokens are derived from, and the ICS text.
import { randomBytes } from "node:crypto";
import { derivedFeedToken } from "@lto/calendar/feed-token";
import { calendarMessageMethod, renderCalendar, renderCalendarMessage } from "@lto/calendar/ics";
import type { CalendarFeedPorts } from "../app/index.js";
import type { SelfEmploymentCollections } from "./store.js";

/** More bookings than one operator's or person's feed window holds. */
const MAX_ENTRIES = 5000;
/** How often subscribed apps should fetch a feed again: bookings change during the day. */
const REFRESH_SECONDS = 900;

/**
 * The feed key: the FEED key setting, or (outside production: config refuses its absence there) a key
 * the service generated once and stored. Two instances starting together both try to store theirs;
 * the unique id lets one win and the other reads it back, so there is only ever one key.
 */
async function storedFeedKey(
  keys: SelfEmploymentCollections["calendarFeedKeys"],
  now: () => Date,
): Promise<string> {
  const existing = await keys.get("current");
  if (existing) return existing.key;
  const mine = { id: "current", key: randomBytes(32).toString("base64url"), createdAt: now(), version: 1 };
  if (await keys.insert(mine)) return mine.key;
  return (await keys.get("current"))!.key;
}

export function calendarFeedPorts(
  collections: SelfEmploymentCollections,
  options: { key?: string; now: () => Date },
): CalendarFeedPorts {
  const { calendarEntries: entries, calendarFeedLinks: links, calendarFeedKeys: keys } = collections;
  let key: Promise<string> | undefined = options.key ? Promise.resolve(options.key) : undefined;
  const feedKey = (): Promise<string> => {
    key ??= storedFeedKey(keys, options.now).catch((err: unknown) => {
      key = undefined; // a store outage is not remembered: the next call tries again
      throw err;
    });
    return key;
  };
  const since = (field: string, id: string, from: Date) =>
    entries.find({ [field]: id, end: { $gte: from } }, MAX_ENTRIES, { start: 1, _id: 1 });
  return {
    calendarEntries: {
      get: (bookingId) => entries.get(bookingId),
      insert: (entry) => entries.insert(entry),
      replace: async (entry, previousVersion) =>
        (await entries.updateIf(entry, previousVersion, { nextVersion: entry.version })) !== undefined,
      ofOperator: (operatorId, from) => since("operatorId", operatorId, from),
      ofPerson: (personId, from) => since("personId", personId, from),
    },
    calendarFeedLinks: {
      get: (id) => links.get(id),
      insert: (link) => links.insert(link),
      update: async (link) => (await links.updateIf(link, link.version)) !== undefined,
    },
    calendarFeedTokens: {
      token: async (feedId, generation) => derivedFeedToken(await feedKey(), feedId, generation),
    },
    calendarText: {
      render: (feed, generatedAt) =>
        renderCalendar(feed, { generatedAt, product: "Self-employment", refreshSeconds: REFRESH_SECONDS }),
      message: (event, generatedAt) => ({
        method: calendarMessageMethod(event),
        text: renderCalendarMessage(event, { generatedAt, product: "Self-employment" }),
      }),
    },
  };
}
