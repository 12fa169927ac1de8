// The attendance register of one meeting: who was present, absent or late (with the minutes missed).
// Corrections are appended, never written over: a learner's mark is the last entry naming them.
import { InvalidStateError, Issues } from "@lto/errors";
import type { Actor } from "./actor.js";
import type { Meeting, Session } from "./session.js";

export const ATTENDANCE_STATUSES = ["present", "absent", "late"] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];

export interface AttendanceMark {
  personId: string;
  status: AttendanceStatus;
  /** Only when late: minutes missed, counted as time not attended. */
  lateMinutes?: number;
}

export interface AttendanceEntry extends AttendanceMark {
  at: Date;
  by: string;
  /** The learner had a mark already: this entry corrects it. */
  correction: boolean;
}

export interface AttendanceRegister {
  /** `<sessionId>:<meetingId>`: one register per meeting. */
  id: string;
  sessionId: string;
  meetingId: string;
  entries: AttendanceEntry[];
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export const MAX_MARKS = 500;

export function registerId(sessionId: string, meetingId: string): string {
  return `${sessionId}:${meetingId}`;
}

export function emptyRegister(sessionId: string, meetingId: string, now: Date): AttendanceRegister {
  return {
    id: registerId(sessionId, meetingId),
    sessionId,
    meetingId,
    entries: [],
    createdAt: now,
    updatedAt: now,
    version: 0,
  };
}

/** Each learner's current mark: the last entry naming them. */
export function currentMarks(register: Pick<AttendanceRegister, "entries">): Map<string, AttendanceEntry> {
  const marks = new Map<string, AttendanceEntry>();
  for (const entry of register.entries) marks.set(entry.personId, entry);
  return marks;
}

/** The meeting attendance may be taken for: one of the session's, not cancelled, already begun. */
export function meetingForAttendance(session: Session, meetingId: string, now: Date): Meeting {
  if (session.state === "cancelled" || session.state === "completed")
    throw new InvalidStateError("session", session.state, "take attendance for");
  const meeting = session.meetings.find((m) => m.id === meetingId);
  if (!meeting) {
    const issues = new Issues();
    issues.add("meetingId", `is not a meeting of session ${session.id}`);
    issues.throwIfAny("No such meeting");
  }
  if (meeting!.cancelled)
    throw new InvalidStateError("session", session.state, "take attendance for a cancelled meeting of", {
      reason: "meeting_cancelled",
      because: "the meeting is cancelled: nobody attended it",
    });
  if (now < meeting!.startsAt)
    throw new InvalidStateError("session", session.state, "take attendance for a future meeting of", {
      reason: "meeting_not_started",
      because: `the meeting starts at ${meeting!.startsAt.toISOString()}; take attendance once it has begun`,
    });
  return meeting!;
}

/**
 * Appends the marks to the register. Every person must be a learner confirmed on the session; a mark
 * equal to the current one adds nothing. Returns the register and the entries added.
 */
export function recordAttendance(
  register: AttendanceRegister,
  meeting: Meeting,
  marks: readonly AttendanceMark[],
  confirmed: ReadonlySet<string>,
  by: Actor,
  now: Date,
): { register: AttendanceRegister; added: AttendanceEntry[] } {
  const issues = new Issues();
  issues.check(marks.length > 0, "marks", "list at least one learner");
  issues.check(marks.length <= MAX_MARKS, "marks", `at most ${MAX_MARKS} learners at a time`);
  const seen = new Set<string>();
  marks.forEach((mark, i) => {
    const path = `marks.${i}`;
    issues.check(!seen.has(mark.personId), `${path}.personId`, "is listed twice");
    seen.add(mark.personId);
    issues.check(
      confirmed.has(mark.personId),
      `${path}.personId`,
      `${mark.personId} is not a learner confirmed on this session`,
    );
    issues.check(
      (ATTENDANCE_STATUSES as readonly string[]).includes(mark.status),
      `${path}.status`,
      "must be present, absent or late",
    );
    if (mark.status === "late")
      issues.check(
        Number.isInteger(mark.lateMinutes) && mark.lateMinutes! >= 1 && mark.lateMinutes! < meeting.minutes,
        `${path}.lateMinutes`,
        `a late learner missed a whole number of minutes, 1 to ${meeting.minutes - 1} (record absent otherwise)`,
      );
    else
      issues.check(
        mark.lateMinutes === undefined,
        `${path}.lateMinutes`,
        "only a late learner has late minutes",
      );
  });
  issues.throwIfAny("The attendance is not valid");
  const current = currentMarks(register);
  const added: AttendanceEntry[] = [];
  for (const mark of marks) {
    const before = current.get(mark.personId);
    if (before && before.status === mark.status && before.lateMinutes === mark.lateMinutes) continue;
    added.push({
      personId: mark.personId,
      status: mark.status,
      ...(mark.status === "late" ? { lateMinutes: mark.lateMinutes! } : {}),
      at: now,
      by: by.subject,
      correction: before !== undefined,
    });
  }
  return {
    register: { ...register, entries: [...register.entries, ...added], updatedAt: now },
    added,
  };
}

/** Minutes of the meeting the learner attended by this mark: late minutes count as missed. */
export function attendedMinutes(meeting: Pick<Meeting, "minutes">, mark: AttendanceMark | undefined): number {
  if (!mark || mark.status === "absent") return 0;
  if (mark.status === "late") return Math.max(0, meeting.minutes - (mark.lateMinutes ?? 0));
  return meeting.minutes;
}
