// Event handlers: the other services' facts become notices (stored once per fact and recipient, then
// mailed once per account when they ask for action), the gateway's accounts fill the address book, and
// holds are watched for the sweep. At-least-once delivery: every step is safe to repeat.
import type { Logger } from "@lto/telemetry";
import {
  activated,
  disabled,
  endedWatch,
  heldWatch,
  holdNoticeDue,
  keysOf,
  noticesFor,
  sweepDecision,
  toTell,
  withPerson,
  type AccountActivation,
  type Account,
  type Fact,
  type NewNotice,
} from "../domain/index.js";
import type { EventPorts } from "./ports.js";

/** At most this many waiting notices are mailed to a new address (the newest). */
const CATCH_UP_LIMIT = 50;

export function eventHandlers(ports: EventPorts, log: Pick<Logger, "info" | "warn">) {
  async function mailWho(notice: NewNotice): Promise<Account[]> {
    const r = notice.recipient;
    if (r.kind === "organisation") return ports.accounts.members(r.role, r.organisationId);
    const account = await ports.accounts.get(r.subject);
    return account?.active && account.email ? [account] : [];
  }

  /**
   * A notice read late (a consumer starting from a topic's beginning, a long outage) whose deadline has
   * passed, or whose fact is older than the mail window, is shown in the portal but not mailed.
   */
  function stale(notice: NewNotice): boolean {
    const now = ports.clock.now().getTime();
    if (notice.deadline && notice.deadline.getTime() <= now) return true;
    return notice.at.getTime() < now - ports.settings.mailMaxAgeHours * 3_600_000;
  }

  async function mail(notice: NewNotice, account: Account): Promise<void> {
    await ports.mailer.enqueue({
      id: ports.mailer.mailId(notice.id, account.id),
      to: account.email,
      locale: account.locale,
      notice,
    });
  }

  /**
   * A notice that found no address when it was made (the account events travel on another topic, so an
   * offer can be read before its referent's account) is mailed when the first address for it arrives:
   * the person's own notices, and the organisation's when no other member could have been mailed. Only
   * those still inside the mail window, as for any notice.
   */
  async function catchUp(account: Account): Promise<void> {
    const [own, organisation] = keysOf({
      subject: account.id,
      role: account.role,
      organisationId: account.organisationId,
    });
    const others = organisation
      ? (await ports.accounts.members(account.role, account.organisationId)).filter(
          (a) => a.id !== account.id && a.email,
        )
      : [];
    const keys = others.length === 0 && organisation ? [own!, organisation] : [own!];
    const since = new Date(ports.clock.now().getTime() - ports.settings.mailMaxAgeHours * 3_600_000);
    for (const notice of await ports.notices.actionable(keys, since, CATCH_UP_LIMIT))
      if (!stale(notice)) await mail(notice, account);
  }

  /** Stores the notices of `fact` and mails those that need action (again after a crash: same ids). */
  async function notify(fact: Fact, sourceId: string): Promise<void> {
    for (const notice of noticesFor(fact, sourceId)) {
      await ports.notices.insert(notice);
      if (!notice.needsAction || stale(notice)) continue;
      const accounts = await mailWho(notice);
      if (accounts.length === 0)
        log.info(
          { notice: notice.id, recipient: notice.recipientKey },
          "no address for the notice: not mailed",
        );
      for (const account of accounts) await mail(notice, account);
    }
  }

  return {
    notify,

    async accountActivated(a: AccountActivation, eventId: string): Promise<void> {
      const next = activated(await ports.accounts.get(a.subject), a);
      if (!next) return;
      // Before the save: a crash in between catches up again on redelivery (the same mail ids).
      if (next.email) await catchUp(next);
      await ports.accounts.save(next, eventId);
    },

    async accountDisabled(subject: string, version: number, eventId: string): Promise<void> {
      const next = disabled(await ports.accounts.get(subject), subject, version);
      if (next) await ports.accounts.save(next, eventId);
    },

    /** A catalogue enrolment event: the person is in the session's roster, or out of it. */
    async enrolment(e: { sessionId: string; personId: string; active: boolean }, eventId: string) {
      // One session's events arrive in order on one partition; a write lost to another instance
      // (a rebalance) is read again and applied on top.
      for (let attempt = 0; attempt < 5; attempt++) {
        const next = withPerson(await ports.rosters.get(e.sessionId), e.sessionId, e.personId, e.active);
        if (!next || (await ports.rosters.save(next, eventId))) return;
      }
      throw new Error(`session ${e.sessionId}: its roster kept changing`);
    },

    /** A cancelled session: its event's people and everyone else the roster holds are told. */
    async sessionCancelled(fact: Extract<Fact, { type: "SessionCancelled" }>, eventId: string) {
      const personIds = toTell(fact.personIds, await ports.rosters.get(fact.sessionId));
      await notify({ ...fact, personIds }, eventId);
    },

    async ideaHeld(
      h: { holdId: string; ideaId: string; companyId: string; expiresAt: Date },
      eventId: string,
    ) {
      const next = heldWatch(
        await ports.holds.get(h.holdId),
        h,
        holdNoticeDue(h.expiresAt, ports.settings.holdNoticeHours),
      );
      if (next) await ports.holds.save(next, eventId);
    },

    async holdLapsed(h: { holdId: string; ideaId: string; companyId: string; at: Date }, eventId: string) {
      const next = endedWatch(await ports.holds.get(h.holdId), h);
      if (next) await ports.holds.save(next, eventId);
    },

    /** The sweep: tells each company whose hold lapses within the notice window (once per hold). */
    async sweepHolds(limit = 100): Promise<number> {
      const now = ports.clock.now();
      let told = 0;
      for (const hold of await ports.holds.due(now, limit)) {
        const decision = sweepDecision(hold, now);
        if (decision === "not_due") continue;
        if (decision === "notify") {
          await notify(
            {
              type: "HoldExpiring",
              holdId: hold.id,
              ideaId: hold.ideaId,
              companyId: hold.companyId,
              expiresAt: hold.expiresAt,
              at: now,
            },
            `hold-${hold.id}`,
          );
          told++;
        }
        // Marked after the notice: a crash in between tells again with the same ids (nothing twice).
        await ports.holds.save({ ...hold, state: decision === "notify" ? "noticed" : "ended" });
      }
      return told;
    },
  };
}

export type EventHandlers = ReturnType<typeof eventHandlers>;
