// What the use cases need from the outside world; src/infra implements each on the platform's store and
// mail outbox.
import type { Account, HoldWatch, Locale, Notice, NewNotice, Roster } from "../domain/index.js";

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface NoticeRepository {
  /** Stores the notice unread by anyone; false when a notice with its id is already stored. */
  insert(notice: NewNotice): Promise<boolean>;
  get(id: string): Promise<Notice | undefined>;
  /** Newest first; `unreadBy` keeps those that subject has not read. A cursor it did not give: ValidationError. */
  page(q: { keys: string[]; unreadBy?: string; limit: number; cursor?: string }): Promise<Page<Notice>>;
  countUnread(keys: string[], subject: string): Promise<number>;
  /** Notices that ask for action, for any of `keys`, of facts at or after `since`; newest first, at most `limit`. */
  actionable(keys: string[], since: Date, limit: number): Promise<Notice[]>;
  /** Writes the notice if still at `expectedVersion`; false when it moved on meanwhile. */
  save(notice: Notice, expectedVersion: number): Promise<boolean>;
}

export interface AccountRepository {
  get(subject: string): Promise<Account | undefined>;
  /** Active accounts of an organisation with a role. */
  members(role: string, organisationId: string): Promise<Account[]>;
  /** Writes the account (version 0: a new one) applying `eventId` in the same write; false if applied before or moved on. */
  save(account: Account, eventId: string): Promise<boolean>;
}

export interface HoldRepository {
  get(holdId: string): Promise<HoldWatch | undefined>;
  save(hold: HoldWatch, eventId?: string): Promise<boolean>;
  /** Open holds whose notice is due at `now`, at most `limit`. */
  due(now: Date, limit: number): Promise<HoldWatch[]>;
}

export interface RosterRepository {
  get(sessionId: string): Promise<Roster | undefined>;
  /**
   * Writes the roster (version 0: a new one) applying `eventId` in the same write: true when written or
   * when `eventId` was applied before, false when the roster moved on meanwhile (read it again).
   */
  save(roster: Roster, eventId: string): Promise<boolean>;
}

export interface NoticeMail {
  /** Derived from the notice and the account: the same pair is mailed once. */
  id: string;
  to: string;
  locale: Locale;
  notice: NewNotice;
}

export interface NoticeMailer {
  /** Queues the mail; a mail with this id queued before is not queued again. */
  enqueue(mail: NoticeMail): Promise<boolean>;
  /** The mail id of a notice for one account (deterministic). */
  mailId(noticeId: string, subject: string): string;
}

export interface Clock {
  now(): Date;
}

export interface Ports {
  notices: NoticeRepository;
  accounts: AccountRepository;
  holds: HoldRepository;
  rosters: RosterRepository;
  mailer: NoticeMailer;
  clock: Clock;
  settings: {
    /** How many hours before a hold lapses its company is told. */
    holdNoticeHours: number;
    /** Notices of facts older than this are not mailed (read late: stale). */
    mailMaxAgeHours: number;
  };
}

/**
 * What the event handlers use: a rebuild folds the events with them over ports of its own, which need
 * no pages or read marks (those are the API's).
 */
export type EventPorts = Omit<Ports, "notices"> & {
  notices: Pick<NoticeRepository, "insert" | "actionable">;
};
