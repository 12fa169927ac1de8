// A session is a dated run of a published course at one site: its meetings (civil date and times in
// Europe/Rome, kept with their UTC instants and real length), its capacity and enrolment window, and
// the rule that decides completion. The seat ledger maintains `freeSeats` (capacity until it exists).
import {
  CivilTimeError,
  elapsedMinutes,
  isLocalDate,
  isLocalTime,
  ROME,
  zonedToInstant,
  type LocalDate,
  type LocalTime,
} from "@lto/civil-time";
import { InvalidStateError, Issues } from "@lto/errors";
import { isSite, type Site } from "@lto/reference";
import type { Actor } from "./actor.js";
import type { Course } from "./course.js";

export const SESSION_STATES = ["scheduled", "running", "completed", "cancelled"] as const;
export type SessionState = (typeof SESSION_STATES)[number];

export const MAX_CAPACITY = 500;
export const MAX_MEETINGS = 100;

export interface MeetingInput {
  date: LocalDate;
  start: LocalTime;
  end: LocalTime;
  /** The room or lab, or where an online meeting happens. */
  room: string;
  /** The trainer's name, as learners read it. */
  trainer: string;
  /** The trainer's subject (sign-in id) when they have an account: their personal calendar lists the meeting. */
  trainerId?: string;
}

export interface Meeting extends MeetingInput {
  id: string;
  zone: typeof ROME;
  startsAt: Date;
  endsAt: Date;
  /** Real elapsed minutes (right on the days the clocks change). */
  minutes: number;
  /** Increases each time the meeting moves or is cancelled (its calendar SEQUENCE). */
  sequence: number;
  cancelled: boolean;
}

export interface CompletionRule {
  /** Minimum share of the session's hours attended, 0..1. */
  minimumAttendanceShare: number;
  /** Meetings a learner must attend, by id. */
  mandatoryMeetings: string[];
  finalAssessment: boolean;
}

export interface EnrolmentWindow {
  /** First and last day (Europe/Rome, both included) enrolments are taken. */
  opensOn: LocalDate;
  closesOn: LocalDate;
}

export interface SessionInput {
  courseId: string;
  site: Site;
  meetings: MeetingInput[];
  capacity: number;
  enrolment: EnrolmentWindow;
  /** Mandatory meetings are named by their place in `meetings` (0 = first) until they have ids. */
  completionRule: Omit<CompletionRule, "mandatoryMeetings"> & { mandatoryMeetings: number[] };
}

export interface SessionHistoryEntry {
  at: Date;
  by: string;
  what: "scheduled" | "meeting_moved" | "meeting_cancelled" | "cancelled" | "completed";
  meetingId?: string;
  reason?: string;
}

export interface Session {
  id: string;
  courseId: string;
  site: Site;
  meetings: Meeting[];
  capacity: number;
  /** Seats not taken: the seat ledger keeps it; equal to capacity until enrolments exist. */
  freeSeats: number;
  enrolment: EnrolmentWindow;
  completionRule: CompletionRule;
  state: SessionState;
  cancellationReason?: string;
  history: SessionHistoryEntry[];
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

/** The meeting's instants and real length, or its problems under `path` (a skipped or doubled hour). */
function placeMeeting(
  input: MeetingInput,
  path: string,
  issues: Issues,
): { startsAt: Date; endsAt: Date; minutes: number } | undefined {
  const before = issues.list.length;
  issues.check(isLocalDate(input.date), `${path}.date`, "must be a date YYYY-MM-DD");
  issues.check(isLocalTime(input.start), `${path}.start`, "must be a time HH:MM");
  issues.check(isLocalTime(input.end), `${path}.end`, "must be a time HH:MM");
  issues.check(input.room.trim().length > 0, `${path}.room`, "name the room, lab or online place");
  issues.check(input.trainer.trim().length >= 2, `${path}.trainer`, "name the trainer");
  if (input.trainerId !== undefined)
    issues.check(
      /^[^\s]{1,200}$/.test(input.trainerId),
      `${path}.trainerId`,
      "must be the trainer's sign-in id (1-200 characters, no spaces), or left out",
    );
  if (issues.list.length > before) return undefined;
  const at = (field: "start" | "end") => {
    try {
      // A time the clocks pass twice is refused rather than guessed: nobody means 02:30 that night.
      return zonedToInstant({ date: input.date, time: input[field], zone: ROME }, "reject");
    } catch (err) {
      if (!(err instanceof CivilTimeError)) throw err;
      issues.add(`${path}.${field}`, err.message);
      return undefined;
    }
  };
  const startsAt = at("start");
  const endsAt = at("end");
  if (!startsAt || !endsAt) return undefined;
  if (endsAt <= startsAt) {
    issues.add(`${path}.end`, "must be after the start, on the same day");
    return undefined;
  }
  return { startsAt, endsAt, minutes: elapsedMinutes(input.date, input.start, input.end, ROME, "reject") };
}

function checkOrder(meetings: { startsAt: Date; endsAt: Date }[], issues: Issues): void {
  for (let i = 1; i < meetings.length; i++) {
    if (meetings[i]!.startsAt < meetings[i - 1]!.endsAt)
      issues.add(`meetings.${i}`, "must start after the previous meeting ends (list them in order)");
  }
}

/** The session's hours: the real length of its meetings not cancelled. */
export function sessionHours(session: Pick<Session, "meetings">): number {
  const minutes = session.meetings.filter((m) => !m.cancelled).reduce((sum, m) => sum + m.minutes, 0);
  return Math.round((minutes / 60) * 100) / 100;
}

export function firstDay(session: Pick<Session, "meetings">): LocalDate {
  return session.meetings[0]!.date;
}

export function lastDay(session: Pick<Session, "meetings">): LocalDate {
  return session.meetings.at(-1)!.date;
}

/** Schedules a session of a published course at one of its sites; `meetingIds` gives each meeting its id. */
export function scheduleSession(
  input: SessionInput,
  course: Course,
  id: string,
  meetingIds: () => string,
  by: Actor,
  now: Date,
): Session {
  const issues = new Issues();
  if (course.state !== "published")
    throw new InvalidStateError("course", course.state, "schedule a session of", {
      because: `it is ${course.state}: only a published course gets sessions`,
    });
  issues.check(isSite(input.site), "site", "is not a site of the LTO");
  if (isSite(input.site))
    issues.check(
      course.sites.includes(input.site),
      "site",
      `the course is offered at ${course.sites.join(", ")}, not at ${input.site}`,
    );
  issues.check(input.meetings.length > 0, "meetings", "list at least one meeting");
  issues.check(input.meetings.length <= MAX_MEETINGS, "meetings", `at most ${MAX_MEETINGS} meetings`);
  const placed = input.meetings.map((m, i) => placeMeeting(m, `meetings.${i}`, issues));
  if (placed.every((p) => p)) checkOrder(placed as { startsAt: Date; endsAt: Date }[], issues);
  issues.check(
    Number.isInteger(input.capacity) && input.capacity >= 1 && input.capacity <= MAX_CAPACITY,
    "capacity",
    `must be a whole number from 1 to ${MAX_CAPACITY}`,
  );
  const { opensOn, closesOn } = input.enrolment;
  issues.check(isLocalDate(opensOn), "enrolment.opensOn", "must be a date YYYY-MM-DD");
  issues.check(isLocalDate(closesOn), "enrolment.closesOn", "must be a date YYYY-MM-DD");
  if (isLocalDate(opensOn) && isLocalDate(closesOn)) {
    issues.check(opensOn <= closesOn, "enrolment.closesOn", "must not come before enrolment.opensOn");
    // The earliest meeting, whatever order they were listed in.
    const first = input.meetings
      .map((m) => m.date)
      .filter(isLocalDate)
      .sort()[0];
    if (first)
      issues.check(
        closesOn <= first,
        "enrolment.closesOn",
        `must be on or before the first meeting (${first})`,
      );
  }
  const rule = input.completionRule;
  issues.check(
    Number.isFinite(rule.minimumAttendanceShare) &&
      rule.minimumAttendanceShare >= 0 &&
      rule.minimumAttendanceShare <= 1,
    "completionRule.minimumAttendanceShare",
    "must be a share from 0 to 1 (0.75 = three quarters of the hours)",
  );
  rule.mandatoryMeetings.forEach((index, i) =>
    issues.check(
      Number.isInteger(index) && index >= 0 && index < input.meetings.length,
      `completionRule.mandatoryMeetings.${i}`,
      `must be the place of a meeting in meetings, 0 to ${input.meetings.length - 1}`,
    ),
  );
  issues.check(
    new Set(rule.mandatoryMeetings).size === rule.mandatoryMeetings.length,
    "completionRule.mandatoryMeetings",
    "lists a meeting twice",
  );
  issues.throwIfAny("The session is not valid");
  const meetings: Meeting[] = input.meetings.map((m, i) => ({
    ...m,
    id: meetingIds(),
    zone: ROME,
    ...placed[i]!,
    sequence: 0,
    cancelled: false,
  }));
  return {
    id,
    courseId: course.id,
    site: input.site,
    meetings,
    capacity: input.capacity,
    freeSeats: input.capacity,
    enrolment: { opensOn, closesOn },
    completionRule: {
      minimumAttendanceShare: rule.minimumAttendanceShare,
      mandatoryMeetings: rule.mandatoryMeetings.map((index) => meetings[index]!.id),
      finalAssessment: rule.finalAssessment,
    },
    state: "scheduled",
    history: [{ at: now, by: by.subject, what: "scheduled" }],
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}

function requireChangeable(session: Session, attempted: string): void {
  if (session.state === "completed" || session.state === "cancelled")
    throw new InvalidStateError("session", session.state, attempted);
}

function meetingIndex(session: Session, meetingId: string): number {
  const index = session.meetings.findIndex((m) => m.id === meetingId);
  if (index < 0) {
    const issues = new Issues();
    issues.add("meetingId", `is not a meeting of session ${session.id}`);
    issues.throwIfAny("No such meeting");
  }
  return index;
}

/** Moves one meeting (date, times, room, trainer); its sequence increases. */
export function rescheduleMeeting(
  session: Session,
  meetingId: string,
  input: MeetingInput,
  by: Actor,
  now: Date,
): { session: Session; previous: Meeting; meeting: Meeting } {
  requireChangeable(session, "reschedule a meeting of");
  const index = meetingIndex(session, meetingId);
  const previous = session.meetings[index]!;
  if (previous.cancelled)
    throw new InvalidStateError("session", session.state, "reschedule a meeting of", {
      reason: "meeting_cancelled",
      because: "the meeting is cancelled; schedule a new session instead",
    });
  const issues = new Issues();
  const placed = placeMeeting(input, "", issues);
  // Field paths of a single meeting are its own (date, start, ...), not meetings.N.
  if (issues.list.length) {
    const fixed = new Issues();
    for (const issue of issues.list) fixed.add(issue.path.replace(/^\./, ""), issue.message);
    fixed.throwIfAny("The meeting is not valid");
  }
  // The body replaces the meeting: a trainerId left out is no longer the meeting's trainer.
  const { trainerId: _previousTrainer, ...kept } = previous;
  const meeting: Meeting = { ...kept, ...input, ...placed!, sequence: previous.sequence + 1 };
  const meetings = session.meetings.map((m, i) => (i === index ? meeting : m));
  const active = meetings.filter((m) => !m.cancelled);
  const order = new Issues();
  const sorted = [...active].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  for (let i = 1; i < sorted.length; i++)
    if (sorted[i]!.startsAt < sorted[i - 1]!.endsAt)
      order.add("start", "overlaps another meeting of the session");
  order.throwIfAny("The meeting is not valid");
  return {
    session: {
      ...session,
      meetings: [...meetings].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime()),
      updatedAt: now,
      history: [...session.history, { at: now, by: by.subject, what: "meeting_moved", meetingId }],
    },
    previous,
    meeting,
  };
}

/** Cancels one meeting (kept, marked cancelled, sequence increased). */
export function cancelMeeting(
  session: Session,
  meetingId: string,
  reason: string,
  by: Actor,
  now: Date,
): { session: Session; previous: Meeting; meeting: Meeting } {
  requireChangeable(session, "cancel a meeting of");
  const index = meetingIndex(session, meetingId);
  const previous = session.meetings[index]!;
  if (previous.cancelled)
    throw new InvalidStateError("session", session.state, "cancel a meeting of", {
      reason: "meeting_cancelled",
      because: "the meeting is already cancelled",
    });
  if (session.meetings.filter((m) => !m.cancelled).length === 1)
    throw new InvalidStateError("session", session.state, "cancel the last meeting of", {
      reason: "last_meeting",
      because: "it is the only meeting left; cancel the session instead",
    });
  const meeting: Meeting = { ...previous, cancelled: true, sequence: previous.sequence + 1 };
  return {
    session: {
      ...session,
      meetings: session.meetings.map((m, i) => (i === index ? meeting : m)),
      completionRule: {
        ...session.completionRule,
        mandatoryMeetings: session.completionRule.mandatoryMeetings.filter((id) => id !== meetingId),
      },
      updatedAt: now,
      history: [
        ...session.history,
        { at: now, by: by.subject, what: "meeting_cancelled", meetingId, reason },
      ],
    },
    previous,
    meeting,
  };
}

/**
 * A session runs from the start of its first meeting still on: the state is derived from the clock
 * (stored `scheduled` reads as `running` once that instant has passed), so no instance has to write
 * the change and every instance agrees on it at once.
 */
export function sessionStateAt(session: Pick<Session, "state" | "meetings">, now: Date): SessionState {
  if (session.state !== "scheduled") return session.state;
  const starts = session.meetings.filter((m) => !m.cancelled).map((m) => m.startsAt.getTime());
  return starts.length > 0 && now.getTime() >= Math.min(...starts) ? "running" : "scheduled";
}

/** The session with its state at `now` (see `sessionStateAt`). */
export function sessionAt(session: Session, now: Date): Session {
  const state = sessionStateAt(session, now);
  return state === session.state ? session : { ...session, state };
}

/** Cancels the whole session; every meeting's sequence increases (calendars show them cancelled). */
export function cancelSession(session: Session, reason: string, by: Actor, now: Date): Session {
  requireChangeable(session, "cancel");
  return {
    ...session,
    state: "cancelled",
    cancellationReason: reason,
    meetings: session.meetings.map((m) =>
      m.cancelled ? m : { ...m, cancelled: true, sequence: m.sequence + 1 },
    ),
    updatedAt: now,
    history: [...session.history, { at: now, by: by.subject, what: "cancelled", reason }],
  };
}
