// The use cases on in-memory ports: notices stored once and mailed once per account whatever is
// repeated, read per person (a concurrent mark by another reader is retried over, not lost), read-all,
// and the hold sweep.
import { NotFoundError, UnauthenticatedError } from "@lto/errors";
import { describe, expect, it } from "vitest";
import { createApp, type NoticeMail, type Ports } from "../../src/app/index.js";
import type { Account, Fact, HoldWatch, Notice, Roster } from "../../src/domain/index.js";

function memoryPorts(now = new Date("2026-11-20T09:00:00Z")) {
  const notices = new Map<string, Notice>();
  const accounts = new Map<string, Account>();
  const holds = new Map<string, HoldWatch>();
  const mails = new Map<string, NoticeMail>();
  const rosters = new Map<string, Roster>();
  let interfere: ((n: Notice) => void) | undefined;
  const clock = { current: now, now: () => clock.current };
  const ports: Ports = {
    notices: {
      insert: async (n) => {
        if (notices.has(n.id)) return false;
        notices.set(n.id, { ...n, readBy: [], version: 1 });
        return true;
      },
      get: async (id) => notices.get(id),
      page: async ({ keys, unreadBy, limit }) => {
        const items = [...notices.values()]
          .filter((n) => keys.includes(n.recipientKey) && (!unreadBy || !n.readBy.includes(unreadBy)))
          .sort((a, b) => b.at.getTime() - a.at.getTime());
        return { items: items.slice(0, limit), ...(items.length > limit ? { nextCursor: "more" } : {}) };
      },
      actionable: async (keys, since, limit) =>
        [...notices.values()]
          .filter((n) => keys.includes(n.recipientKey) && n.needsAction && n.at >= since)
          .sort((a, b) => b.at.getTime() - a.at.getTime())
          .slice(0, limit),
      countUnread: async (keys, subject) =>
        [...notices.values()].filter((n) => keys.includes(n.recipientKey) && !n.readBy.includes(subject))
          .length,
      save: async (n, expected) => {
        const stored = notices.get(n.id)!;
        if (interfere) {
          const hook = interfere;
          interfere = undefined;
          hook(stored);
          return false;
        }
        if (stored.version !== expected) return false;
        notices.set(n.id, { ...n, version: expected + 1 });
        return true;
      },
    },
    accounts: {
      get: async (s) => accounts.get(s),
      members: async (role, org) =>
        [...accounts.values()].filter((a) => a.role === role && a.organisationId === org && a.active),
      save: async (a) => {
        accounts.set(a.id, { ...a, version: a.version + 1 });
        return true;
      },
    },
    holds: {
      get: async (id) => holds.get(id),
      save: async (h) => {
        holds.set(h.id, { ...h, version: h.version + 1 });
        return true;
      },
      due: async (at, limit) =>
        [...holds.values()].filter((h) => h.state === "open" && h.noticeAt <= at).slice(0, limit),
    },
    rosters: {
      get: async (id) => rosters.get(id),
      save: async (r) => {
        rosters.set(r.id, { ...r, version: r.version + 1 });
        return true;
      },
    },
    mailer: {
      mailId: (noticeId, subject) => `${noticeId}|${subject}`,
      enqueue: async (m) => {
        if (mails.has(m.id)) return false;
        mails.set(m.id, m);
        return true;
      },
    },
    clock,
    settings: { holdNoticeHours: 24, mailMaxAgeHours: 72 },
  };
  const app = createApp(ports, { info: () => undefined, warn: () => undefined });
  return {
    app,
    notices,
    mails,
    holds,
    clock,
    interfereOnce: (f: (n: Notice) => void) => (interfere = f),
  };
}

const at = new Date("2026-11-20T08:00:00Z");
const offered: Fact = {
  type: "AdoptionOffered",
  offerId: "o-1",
  ideaId: "i-1",
  schoolId: "s-1",
  companyId: "c-1",
  companyName: "Officine",
  at,
};
const referent = (sub: string, locale = "it") => ({
  subject: sub,
  role: "school",
  organisationId: "s-1",
  email: `${sub}@scuola.it`,
  displayName: sub,
  locale,
  version: 1,
});
const caller = (sub: string) => ({ subject: sub, role: "school", organisationId: "s-1" });

describe("event handlers", () => {
  it("a fact seen three times is one notice and one mail per referent, in their language", async () => {
    const m = memoryPorts();
    await m.app.events.accountActivated(referent("anna"), "e1");
    await m.app.events.accountActivated(referent("bruno", "en"), "e2");
    for (let i = 0; i < 3; i++) await m.app.events.notify(offered, "ev-1");
    expect(m.notices.size).toBe(1);
    expect([...m.mails.values()].map((x) => [x.to, x.locale]).sort()).toEqual([
      ["anna@scuola.it", "it"],
      ["bruno@scuola.it", "en"],
    ]);
  });

  it("a notice that asks nothing is not mailed", async () => {
    const m = memoryPorts();
    await m.app.events.accountActivated(
      { ...referent("carla"), role: "company", organisationId: "c-1" },
      "e1",
    );
    await m.app.events.notify(
      {
        type: "IdeaAdopted",
        adoptionId: "a",
        offerId: "o",
        ideaId: "i",
        schoolId: "s-1",
        companyId: "c-1",
        at,
      },
      "ev-2",
    );
    expect(m.notices.size).toBe(1);
    expect(m.mails.size).toBe(0);
  });
});

describe("a notice made before its address was known", () => {
  it("is mailed to the first referent whose account arrives, once, not to a later one", async () => {
    const m = memoryPorts();
    await m.app.events.notify(offered, "ev-1");
    expect(m.mails.size).toBe(0);
    await m.app.events.accountActivated(referent("anna"), "e1");
    await m.app.events.accountActivated(referent("anna"), "e1"); // redelivered
    expect([...m.mails.values()].map((x) => x.to)).toEqual(["anna@scuola.it"]);
    // anna could be told: a referent arriving later is not mailed the old offer
    await m.app.events.accountActivated(referent("bruno"), "e2");
    expect(m.mails.size).toBe(1);
  });

  it("a person's own notice is mailed when their account arrives, unless outside the mail window", async () => {
    const m = memoryPorts();
    const seat = (offerId: string, when: Date): Fact => ({
      type: "SeatOffered",
      enrolmentId: offerId,
      sessionId: "sess-1",
      courseId: "c-1",
      personId: "luca",
      expiresAt: new Date(m.clock.now().getTime() + 24 * 3_600_000),
      at: when,
    });
    await m.app.events.notify(seat("en-1", new Date(m.clock.now().getTime() - 3_600_000)), "ev-1");
    await m.app.events.notify(seat("en-2", new Date(m.clock.now().getTime() - 100 * 3_600_000)), "ev-2");
    await m.app.events.accountActivated(
      { ...referent("luca"), role: "learner", organisationId: "", email: "luca@example.org" },
      "e1",
    );
    expect([...m.mails.values()].map((x) => [x.to, x.notice.refs.enrolmentId])).toEqual([
      ["luca@example.org", "en-1"],
    ]);
  });
});

describe("reading", () => {
  it("needs a caller; someone else's notice is 404", async () => {
    const m = memoryPorts();
    await m.app.events.notify(offered, "ev-1");
    const [id] = [...m.notices.keys()];
    await expect(m.app.notifications.list(undefined, { limit: 10 })).rejects.toBeInstanceOf(
      UnauthenticatedError,
    );
    await expect(
      m.app.notifications.markRead({ subject: "x", role: "school", organisationId: "s-2" }, id!),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it("a mark racing another reader's is retried over it: both stay read", async () => {
    const m = memoryPorts();
    await m.app.events.notify(offered, "ev-1");
    const [id] = [...m.notices.keys()];
    // bruno's mark lands between anna's read and her write
    m.interfereOnce((stored) => m.notices.set(stored.id, { ...stored, readBy: ["bruno"], version: 2 }));
    const view = await m.app.notifications.markRead(caller("anna"), id!);
    expect(view.read).toBe(true);
    expect(m.notices.get(id!)!.readBy.sort()).toEqual(["anna", "bruno"]);
    expect(await m.app.notifications.unreadCount(caller("carla"))).toEqual({ unread: 1 });
  });

  it("read-all marks every unread notice of the caller across pages, for them only", async () => {
    const m = memoryPorts();
    for (let i = 0; i < 230; i++)
      await m.app.events.notify({ ...offered, offerId: `o-${i}`, at: new Date(at.getTime() + i) }, `ev-${i}`);
    expect(await m.app.notifications.markAllRead(caller("anna"))).toEqual({ marked: 230 });
    expect(await m.app.notifications.unreadCount(caller("anna"))).toEqual({ unread: 0 });
    expect(await m.app.notifications.unreadCount(caller("bruno"))).toEqual({ unread: 230 });
  });
});

describe("the hold sweep", () => {
  it("tells once when due, never for a lapsed or ended hold", async () => {
    const m = memoryPorts();
    await m.app.events.accountActivated(
      { ...referent("carla"), role: "company", organisationId: "c-1" },
      "e1",
    );
    const expiresAt = new Date(m.clock.now().getTime() + 30 * 3_600_000);
    await m.app.events.ideaHeld({ holdId: "h-1", ideaId: "i-1", companyId: "c-1", expiresAt }, "e2");
    await m.app.events.ideaHeld({ holdId: "h-2", ideaId: "i-2", companyId: "c-1", expiresAt }, "e3");
    await m.app.events.holdLapsed({ holdId: "h-2", ideaId: "i-2", companyId: "c-1", at }, "e4");
    expect(await m.app.events.sweepHolds()).toBe(0); // not due yet (30 h > 24 h)
    m.clock.current = new Date(m.clock.now().getTime() + 7 * 3_600_000);
    expect(await m.app.events.sweepHolds()).toBe(1);
    expect(await m.app.events.sweepHolds()).toBe(0);
    expect([...m.notices.values()].map((n) => [n.kind, n.refs.holdId])).toEqual([["hold_expiring", "h-1"]]);
    expect(m.mails.size).toBe(1);
    expect(m.holds.get("h-1")!.state).toBe("noticed");
  });
});
