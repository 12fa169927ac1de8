// The API's use cases: a caller's own notices (theirs, and their organisation's for their role), the
// unread count, and marking read, per person.
import { NotFoundError, UnauthenticatedError } from "@lto/errors";
import { isReadBy, keysOf, markRead, type Locale, type Notice } from "../domain/index.js";
import type { Page, Ports } from "./ports.js";

export interface Caller {
  subject: string;
  role: string;
  organisationId: string;
}

/** A notice as its reader sees it: texts in their language (both kept), read for them or not. */
export interface NoticeView {
  id: string;
  kind: string;
  title: string;
  body: string;
  locale: Locale;
  texts: Notice["texts"];
  refs: Record<string, string>;
  deadline?: string;
  needsAction: boolean;
  occurredAt: string;
  read: boolean;
}

function view(n: Notice, subject: string, locale: Locale): NoticeView {
  return {
    id: n.id,
    kind: n.kind,
    title: n.texts[locale].title,
    body: n.texts[locale].body,
    locale,
    texts: n.texts,
    refs: n.refs,
    ...(n.deadline ? { deadline: n.deadline.toISOString() } : {}),
    needsAction: n.needsAction,
    occurredAt: n.at.toISOString(),
    read: isReadBy(n, subject),
  };
}

const READ_ALL_BATCH = 100;

export function notificationUseCases(ports: Ports) {
  function assertCaller(caller: Caller | undefined): asserts caller is Caller {
    if (!caller?.subject) throw new UnauthenticatedError("Sign in to see your notifications");
  }
  const localeFor = async (subject: string): Promise<Locale> =>
    (await ports.accounts.get(subject))?.locale ?? "it";

  /** A caller's own notice, or 404 (someone else's is not theirs to know of). */
  async function own(caller: Caller, id: string): Promise<Notice> {
    const notice = await ports.notices.get(id);
    if (!notice || !keysOf(caller).includes(notice.recipientKey)) throw new NotFoundError("notification", id);
    return notice;
  }

  /** Marks read for the caller, retrying over another reader's concurrent mark. */
  async function read(caller: Caller, notice: Notice): Promise<Notice> {
    let current = notice;
    for (let attempt = 0; attempt < 10; attempt++) {
      const next = markRead(current, caller.subject);
      if (next === current) return current;
      if (await ports.notices.save(next, current.version)) return { ...next, version: current.version + 1 };
      current = await own(caller, notice.id);
    }
    throw new Error(`notification ${notice.id}: kept changing while being marked read`);
  }

  return {
    async list(
      caller: Caller | undefined,
      q: { unread?: boolean; limit: number; cursor?: string },
    ): Promise<Page<NoticeView>> {
      assertCaller(caller);
      const page = await ports.notices.page({
        keys: keysOf(caller),
        ...(q.unread ? { unreadBy: caller.subject } : {}),
        limit: q.limit,
        ...(q.cursor ? { cursor: q.cursor } : {}),
      });
      const locale = await localeFor(caller.subject);
      return {
        items: page.items.map((n) => view(n, caller.subject, locale)),
        ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
      };
    },

    async unreadCount(caller: Caller | undefined): Promise<{ unread: number }> {
      assertCaller(caller);
      return { unread: await ports.notices.countUnread(keysOf(caller), caller.subject) };
    },

    async markRead(caller: Caller | undefined, id: string): Promise<NoticeView> {
      assertCaller(caller);
      const notice = await read(caller, await own(caller, id));
      return view(notice, caller.subject, await localeFor(caller.subject));
    },

    async markAllRead(caller: Caller | undefined): Promise<{ marked: number }> {
      assertCaller(caller);
      let marked = 0;
      // Each round reads the first unread page again: what was marked has left it.
      for (;;) {
        const page = await ports.notices.page({
          keys: keysOf(caller),
          unreadBy: caller.subject,
          limit: READ_ALL_BATCH,
        });
        for (const notice of page.items) {
          await read(caller, notice);
          marked++;
        }
        if (!page.nextCursor) return { marked };
      }
    },
  };
}

export type NotificationUseCases = ReturnType<typeof notificationUseCases>;
