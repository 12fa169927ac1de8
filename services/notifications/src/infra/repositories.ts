// The app's repositories on the service's collections.
import type { AccountRepository, HoldRepository, NoticeRepository, RosterRepository } from "../app/index.js";
import type { NewNotice, Notice } from "../domain/index.js";
import type { NotificationsCollections } from "./store.js";

/** A notice as first stored: read by no one yet (a rebuild stores the ones it folds the same way). */
export function storedNotice(notice: NewNotice): Notice {
  return { ...notice, readBy: [], version: 1 };
}

const NEWEST_FIRST = { field: "at", direction: -1 } as const;

export function noticeRepository(notices: NotificationsCollections["notices"]): NoticeRepository {
  const mine = (keys: string[], unreadBy?: string) => ({
    recipientKey: { $in: keys },
    ...(unreadBy ? { readBy: { $nin: [unreadBy] } } : {}),
  });
  return {
    insert: (notice) => notices.insert(storedNotice(notice)),
    get: (id) => notices.get(id),
    page: (q) =>
      notices.page(
        mine(q.keys, q.unreadBy),
        { limit: q.limit, ...(q.cursor ? { cursor: q.cursor } : {}) },
        NEWEST_FIRST,
      ),
    // One count per key (a notice has one recipient key, so they add up): FerretDB counts an equality
    // from the index, an $in by reading every notice.
    countUnread: async (keys, subject) =>
      (await Promise.all(keys.map((key) => notices.count(mine([key], subject))))).reduce((a, b) => a + b, 0),
    actionable: (keys, since, limit) =>
      notices.find({ recipientKey: { $in: keys }, at: { $gte: since }, needsAction: true }, limit, {
        at: -1,
        _id: -1,
      }),
    save: async (notice, expectedVersion) => (await notices.updateIf(notice, expectedVersion)) !== undefined,
  };
}

export function accountRepository(accounts: NotificationsCollections["accounts"]): AccountRepository {
  return {
    get: (subject) => accounts.get(subject),
    members: (role, organisationId) => accounts.find({ role, organisationId, active: true }),
    async save(account, eventId) {
      if (account.version === 0)
        return accounts.insert({ ...account, version: 1 }, { processedEventId: eventId });
      return (await accounts.updateIf(account, account.version, { processedEventId: eventId })) !== undefined;
    },
  };
}

export function rosterRepository(rosters: NotificationsCollections["rosters"]): RosterRepository {
  return {
    get: (sessionId) => rosters.get(sessionId),
    async save(roster, eventId) {
      if (roster.version === 0)
        return rosters.insert({ ...roster, version: 1 }, { processedEventId: eventId });
      if (await rosters.updateIf(roster, roster.version, { processedEventId: eventId })) return true;
      // Already applied (a redelivery replays the session's events in order): nothing to do.
      return rosters.hasProcessed(roster.id, eventId);
    },
  };
}

export function holdRepository(holds: NotificationsCollections["holds"]): HoldRepository {
  return {
    get: (holdId) => holds.get(holdId),
    async save(hold, eventId) {
      const opts = eventId ? { processedEventId: eventId } : {};
      if (hold.version === 0) return holds.insert({ ...hold, version: 1 }, opts);
      return (await holds.updateIf(hold, hold.version, opts)) !== undefined;
    },
    due: (now, limit) =>
      holds.find({ state: "open", noticeAt: { $lte: now } }, limit, { noticeAt: 1, _id: 1 }),
  };
}
