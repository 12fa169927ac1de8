// The event handlers' ports in memory, for a rebuild: each collection keeps what the store would (the
// version it writes, the ids of the events each document applied, the newest PROCESSED_KEEP of them),
// so the live handlers decide over them exactly as over the store, then the result is written in bulk.
// A rebuild mails no one: the mailer queues nothing, and the lookups made only to choose whom to mail
// (members of an organisation, notices waiting for an address) find nothing.
import { PROCESSED_KEEP } from "@lto/store";
import type {
  AccountRepository,
  EventPorts,
  HoldRepository,
  NoticeMailer,
  RosterRepository,
} from "../app/index.js";
import type { Account, HoldWatch, NewNotice, Notice, Roster } from "../domain/index.js";
import { storedNotice } from "./repositories.js";

/** One collection in memory, with the store's semantics of insert and updateIf. */
export class FoldedCollection<A extends { id: string; version: number }> {
  readonly docs = new Map<string, A>();
  readonly applied = new Map<string, string[]>();

  get(id: string): A | undefined {
    return this.docs.get(id);
  }
  hasProcessed(id: string, eventId: string): boolean {
    return this.applied.get(id)?.includes(eventId) ?? false;
  }
  /** False when the id is taken. */
  insert(doc: A, eventId?: string): boolean {
    if (this.docs.has(doc.id)) return false;
    this.docs.set(doc.id, doc);
    this.record(doc.id, eventId);
    return true;
  }
  /** False when the stored one moved on, or applied `eventId` before. */
  updateIf(next: A, expectedVersion: number, eventId?: string): boolean {
    const stored = this.docs.get(next.id);
    if (stored?.version !== expectedVersion || (eventId && this.hasProcessed(next.id, eventId))) return false;
    this.docs.set(next.id, { ...next, version: expectedVersion + 1 });
    this.record(next.id, eventId);
    return true;
  }
  /** Every document with the events it applied, as `insertMany` takes them. */
  items(): { aggregate: A; processedEventIds: string[] }[] {
    return [...this.docs.values()].map((aggregate) => ({
      aggregate,
      processedEventIds: this.applied.get(aggregate.id) ?? [],
    }));
  }
  private record(id: string, eventId: string | undefined) {
    if (!eventId) return;
    const ids = this.applied.get(id) ?? [];
    ids.push(eventId);
    this.applied.set(id, ids.slice(-PROCESSED_KEEP));
  }
}

export class FoldedNotifications {
  readonly notices = new FoldedCollection<Notice>();
  readonly accounts = new FoldedCollection<Account>();
  readonly rosters = new FoldedCollection<Roster>();
  readonly holds = new FoldedCollection<HoldWatch>();

  /** The ports the event handlers fold with (the live repositories' rules, in memory). */
  ports(settings: EventPorts["settings"]): EventPorts {
    const { notices, accounts, rosters, holds } = this;
    const accountRepository: AccountRepository = {
      get: async (subject) => accounts.get(subject),
      members: async () => [],
      save: async (account, eventId) =>
        account.version === 0
          ? accounts.insert({ ...account, version: 1 }, eventId)
          : accounts.updateIf(account, account.version, eventId),
    };
    const rosterRepository: RosterRepository = {
      get: async (sessionId) => rosters.get(sessionId),
      async save(roster, eventId) {
        if (roster.version === 0) return rosters.insert({ ...roster, version: 1 }, eventId);
        return rosters.updateIf(roster, roster.version, eventId) || rosters.hasProcessed(roster.id, eventId);
      },
    };
    const holdRepository: HoldRepository = {
      get: async (holdId) => holds.get(holdId),
      save: async (hold, eventId) =>
        hold.version === 0
          ? holds.insert({ ...hold, version: 1 }, eventId)
          : holds.updateIf(hold, hold.version, eventId),
      due: async (now, limit) =>
        [...holds.docs.values()]
          .filter((h) => h.state === "open" && h.noticeAt <= now)
          .sort((a, b) => a.noticeAt.getTime() - b.noticeAt.getTime() || (a.id < b.id ? -1 : 1))
          .slice(0, limit),
    };
    const mailer: NoticeMailer = { mailId: (noticeId) => noticeId, enqueue: async () => false };
    return {
      notices: {
        insert: async (notice: NewNotice) => notices.insert(storedNotice(notice)),
        actionable: async () => [],
      },
      accounts: accountRepository,
      rosters: rosterRepository,
      holds: holdRepository,
      mailer,
      clock: { now: () => new Date() },
      settings,
    };
  }
}
