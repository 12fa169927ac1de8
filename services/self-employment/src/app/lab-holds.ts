// Labs held by the catalogue's course meetings: SessionScheduled / SessionRescheduled /
// SessionCancelled make the meetings of a course session hold their room's units in the claim ledger
// (so bookings and availability cannot take the lab), move them, free them. A unit a booking holds is
// left to the booking and recorded as a lab conflict, which staff of the site list and resolve.
// Idempotent by the catalogue session's version: an event no newer than the applied one changes nothing.
import { ConflictError, NotFoundError, PreconditionFailedError } from "@lto/errors";
import {
  courseMeetingHolder,
  holdChange,
  resolveConflict,
  wantedKeys,
  type CourseSessionHolds,
  type LabConflict,
  type LabConflictResolution,
  type MeetingFact,
  type MeetingHold,
} from "../domain/index.js";
import { requireSiteReader, requireSitesStaff, type Viewer } from "./access.js";
import type { Ports } from "./ports.js";
import { knownSite } from "./reference.js";

interface SessionFact {
  sessionId: string;
  courseId: string;
  site: string;
  /** The catalogue session's version after the change. */
  version: number;
  at: Date;
}

export interface SessionScheduledFact extends SessionFact {
  meetings: MeetingFact[];
}
export interface SessionRescheduledFact extends SessionFact {
  meeting: MeetingFact;
}
export type SessionCancelledFact = SessionFact;

const ATTEMPTS = 8;
/** Who resolves a conflict the catalogue's own change made moot. */
const SYSTEM = "system";

export function labConflictView(c: LabConflict) {
  return JSON.parse(JSON.stringify(c)) as Record<string, unknown> & { id: string; version: number };
}

/** The meeting's holder, and the claim token of its current sequence (a re-run is its own claim). */
function claimOf(sessionId: string, m: { meetingId: string; sequence: number }) {
  const holderId = courseMeetingHolder(sessionId, m.meetingId);
  return { holderId, claim: `${holderId}#${m.sequence}` };
}

export function labHoldUseCases({ courseHolds, roomLedger, labConflicts, clock, ids }: Ports) {
  /**
   * Brings one meeting's units in the ledger to what it wants now; answers the meeting as held and
   * the conflict when units it wants are someone else's.
   */
  async function holdMeeting(fact: SessionFact, m: MeetingFact, before: MeetingHold | undefined) {
    const { roomId, keys } = wantedKeys(fact.site, m);
    const { holderId, claim } = claimOf(fact.sessionId, m);
    const change = holdChange(before?.held ?? [], keys);
    if (change.release.length) await roomLedger.release(change.release, holderId);
    let held = (before?.held ?? []).filter((k) => keys.includes(k));
    let conflict: LabConflict | undefined;
    if (change.claim.length) {
      const taken = await roomLedger.hold(change.claim, { holderId, claim, at: clock.now() });
      const lost = new Set(taken.map((t) => t.key));
      held = [...held, ...change.claim.filter((k) => !lost.has(k))].sort();
      if (taken.length && roomId)
        conflict = {
          id: ids.newId(),
          site: fact.site,
          roomId,
          sessionId: fact.sessionId,
          courseId: fact.courseId,
          meetingId: m.meetingId,
          sequence: m.sequence,
          start: m.start,
          end: m.end,
          units: [...lost].sort(),
          heldBy: [...new Set(taken.map((t) => t.holderId))].sort(),
          status: "open",
          detectedAt: clock.now(),
          version: 1,
        };
    }
    const hold: MeetingHold = { ...m, ...(roomId ? { roomId } : {}), held };
    return { hold, conflict };
  }

  /** Why an open conflict no longer stands, given the session as held now (undefined: it stands). */
  function moot(c: LabConflict, record: CourseSessionHolds): LabConflictResolution | undefined {
    const m = record.meetings.find((x) => x.meetingId === c.meetingId);
    if (!m || m.cancelled || record.cancelled) return "meeting_cancelled";
    if (m.sequence !== c.sequence || m.roomId !== c.roomId) return "meeting_moved";
    if (c.units.every((k) => m.held.includes(k))) return "lab_freed";
    return undefined;
  }

  /** Resolves `c` as `how`, retrying a write that raced another. */
  async function settleConflict(
    c: LabConflict,
    how: LabConflictResolution,
    by: string,
    note?: string,
  ): Promise<LabConflict> {
    let current = c;
    for (let attempt = 1; ; attempt++) {
      try {
        return await labConflicts.update(resolveConflict(current, how, by, clock.now(), note));
      } catch (e) {
        if (!(e instanceof PreconditionFailedError) || attempt >= ATTEMPTS) throw e;
        const again = await labConflicts.get(c.id);
        if (!again || again.status === "resolved") return again ?? current;
        current = again;
      }
    }
  }

  /**
   * Applies the session as `target` says it is now (its meetings, whether cancelled), unless the
   * record applied this version or a newer one. Answers the lab conflicts it found new.
   */
  async function apply(
    fact: SessionFact,
    target: (current: CourseSessionHolds | undefined) => { cancelled: boolean; meetings: MeetingFact[] },
  ): Promise<LabConflict[]> {
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const current = await courseHolds.get(fact.sessionId);
      if (current && current.sessionVersion >= fact.version) return [];
      const { cancelled, meetings } = target(current);
      const held: MeetingHold[] = [];
      const found: LabConflict[] = [];
      for (const m of meetings) {
        const before = current?.meetings.find((x) => x.meetingId === m.meetingId);
        const { hold, conflict } = await holdMeeting(fact, cancelled ? { ...m, cancelled: true } : m, before);
        held.push(hold);
        if (conflict && (await labConflicts.insert(conflict))) found.push(conflict);
      }
      // A meeting the session no longer lists holds nothing.
      for (const gone of current?.meetings ?? [])
        if (!meetings.some((m) => m.meetingId === gone.meetingId) && gone.held.length)
          await roomLedger.release(gone.held, claimOf(fact.sessionId, gone).holderId);
      const record: CourseSessionHolds = {
        id: fact.sessionId,
        courseId: fact.courseId,
        site: fact.site,
        sessionVersion: fact.version,
        cancelled,
        meetings: held,
        updatedAt: clock.now(),
        version: current ? current.version : 1,
      };
      const stored = current
        ? await courseHolds.updateIf(record, current.version)
        : (await courseHolds.insert(record))
          ? record
          : undefined;
      if (!stored) continue; // another consumer applied something first: again on its result
      for (const c of await labConflicts.openOfSession(fact.sessionId)) {
        const how = moot(c, stored);
        if (how) await settleConflict(c, how, SYSTEM);
      }
      return found;
    }
    throw new ConflictError(`The labs of session ${fact.sessionId} kept changing; the event will be retried`);
  }

  const asFacts = (meetings: readonly MeetingHold[]): MeetingFact[] =>
    meetings.map(({ meetingId, room, start, end, sequence, cancelled }) => ({
      meetingId,
      room,
      start,
      end,
      sequence,
      cancelled,
    }));

  return {
    sessionEvents: {
      sessionScheduled: (fact: SessionScheduledFact) =>
        apply(fact, () => ({ cancelled: false, meetings: fact.meetings })),
      /** One meeting moved or was cancelled; a session not seen before is recorded from it alone. */
      sessionRescheduled: (fact: SessionRescheduledFact) =>
        apply(fact, (current) => {
          const others = asFacts(current?.meetings ?? []).filter(
            (m) => m.meetingId !== fact.meeting.meetingId,
          );
          return { cancelled: current?.cancelled ?? false, meetings: [...others, fact.meeting] };
        }),
      /** The session will not run: every meeting's units are freed. */
      sessionCancelled: (fact: SessionCancelledFact) =>
        apply(fact, (current) => ({ cancelled: true, meetings: asFacts(current?.meetings ?? []) })),
    },

    /** The lab conflicts of a site, newest first (staff of the site, programme, admin). */
    async listConflicts(
      viewer: Viewer,
      site: string,
      query: { status?: "open" | "resolved"; cursor?: string; limit: number },
    ) {
      requireSiteReader(viewer, [site]);
      knownSite(site);
      const page = await labConflicts.listBySite(site, query);
      return { items: page.items.map(labConflictView), nextCursor: page.nextCursor };
    },

    async getConflict(viewer: Viewer, id: string) {
      const c = await labConflicts.get(id);
      if (!c) throw new NotFoundError("lab conflict", id);
      requireSiteReader(viewer, [c.site]);
      return labConflictView(c);
    },

    /**
     * Staff of the site say the room is free again (the booking moved or was cancelled): the meeting
     * takes the units it lacked. 409 naming who still holds some; nothing changes then.
     */
    async resolveConflict(viewer: Viewer, id: string, note: string | undefined) {
      const c = await labConflicts.get(id);
      if (!c) throw new NotFoundError("lab conflict", id);
      const me = requireSitesStaff(viewer, [c.site]);
      if (c.status === "resolved")
        throw new ConflictError(`Lab conflict ${id} was resolved already (${c.resolution?.how})`, {
          details: { resolution: c.resolution },
        });
      for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
        const record = await courseHolds.get(c.sessionId);
        const how = record ? moot(c, record) : "meeting_cancelled";
        if (how || !record) return labConflictView(await settleConflict(c, how!, me.subject, note));
        const m = record.meetings.find((x) => x.meetingId === c.meetingId)!;
        const missing = c.units.filter((k) => !m.held.includes(k));
        const { holderId, claim } = claimOf(c.sessionId, m);
        const taken = await roomLedger.hold(missing, { holderId, claim, at: clock.now() });
        if (taken.length) {
          const lost = new Set(taken.map((t) => t.key));
          await roomLedger.release(
            missing.filter((k) => !lost.has(k)),
            holderId,
          );
          const heldBy = [...new Set(taken.map((t) => t.holderId))].sort();
          throw new ConflictError(
            `The room ${c.roomId} is still booked over ${taken.length} of the meeting's 5-minute units (by ${heldBy.join(", ")}); move or cancel those bookings first`,
            { details: { heldBy, units: [...lost].sort() } },
          );
        }
        const meetings = record.meetings.map((x) =>
          x.meetingId === m.meetingId ? { ...x, held: [...new Set([...x.held, ...missing])].sort() } : x,
        );
        if (!(await courseHolds.updateIf({ ...record, meetings, updatedAt: clock.now() }, record.version)))
          continue; // the catalogue changed the session meanwhile: judge again on the new state
        return labConflictView(await settleConflict(c, "lab_freed", me.subject, note));
      }
      throw new ConflictError(`The session of lab conflict ${id} kept changing; retry`);
    },
  };
}
