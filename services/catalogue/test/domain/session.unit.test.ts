import { InvalidStateError, ValidationError } from "@lto/errors";
import { describe, expect, it } from "vitest";
import {
  cancelMeeting,
  completeSession,
  cancelSession,
  createCourse,
  LTO_PROVIDER,
  publishCourse,
  rescheduleMeeting,
  scheduleSession,
  sessionAt,
  sessionHours,
  sessionStateAt,
  type SessionInput,
} from "../../src/domain/index.js";
import { input as courseInput } from "../fixtures.js";

const now = new Date("2026-09-15T09:00:00Z");
const staff = { subject: "staff-1", organisationId: "provincia-mantova" };
const course = publishCourse(createCourse(courseInput, "c1", LTO_PROVIDER, staff, now), staff, now);

const base: SessionInput = {
  courseId: "c1",
  site: "lto-mantova",
  meetings: [
    // The last Sunday of October 2026: the clocks go back at 03:00, so 01:30-03:30 lasts three hours.
    { date: "2026-10-25", start: "01:30", end: "03:30", room: "Lab 1", trainer: "Marco Neri" },
    { date: "2026-11-02", start: "15:00", end: "18:00", room: "Lab 1", trainer: "Marco Neri" },
  ],
  capacity: 10,
  enrolment: { opensOn: "2026-09-15", closesOn: "2026-10-20" },
  completionRule: { minimumAttendanceShare: 0.75, mandatoryMeetings: [1], finalAssessment: false },
};

let n = 0;
const ids = () => `m${++n}`;

function issuesOf(run: () => unknown) {
  try {
    run();
  } catch (err) {
    if (err instanceof ValidationError) return err.issues;
    throw err;
  }
  return [];
}

describe("scheduling a session", () => {
  it("stores each meeting as civil time, zone and UTC instants with its real length", () => {
    const session = scheduleSession(base, course, "s1", ids, staff, now);
    expect(session.meetings[0]).toMatchObject({
      date: "2026-10-25",
      start: "01:30",
      zone: "Europe/Rome",
      startsAt: new Date("2026-10-24T23:30:00Z"),
      endsAt: new Date("2026-10-25T02:30:00Z"),
      minutes: 180,
      sequence: 0,
    });
    expect(session.meetings[1]!.startsAt).toEqual(new Date("2026-11-02T14:00:00Z"));
    expect(sessionHours(session)).toBe(6);
    expect(session.freeSeats).toBe(10);
    expect(session.completionRule.mandatoryMeetings).toEqual([session.meetings[1]!.id]);
  });

  it("refuses a meeting in the hour the clocks skip or pass twice, naming the field", () => {
    const skipped = issuesOf(() =>
      scheduleSession(
        {
          ...base,
          meetings: [{ ...base.meetings[1]!, date: "2027-03-28", start: "02:30", end: "04:00" }],
          enrolment: { opensOn: "2027-03-01", closesOn: "2027-03-20" },
          completionRule: { ...base.completionRule, mandatoryMeetings: [] },
        },
        course,
        "s1",
        ids,
        staff,
        now,
      ),
    );
    expect(skipped).toEqual([{ path: "meetings.0.start", message: expect.stringMatching(/does not exist/) }]);
    const doubled = issuesOf(() =>
      scheduleSession(
        {
          ...base,
          meetings: [{ ...base.meetings[1]!, date: "2026-10-25", start: "01:00", end: "02:30" }],
          enrolment: { opensOn: "2026-10-01", closesOn: "2026-10-20" },
          completionRule: { ...base.completionRule, mandatoryMeetings: [] },
        },
        course,
        "s1",
        ids,
        staff,
        now,
      ),
    );
    expect(doubled).toEqual([{ path: "meetings.0.end", message: expect.stringMatching(/happens twice/) }]);
  });

  it("names every other bad field", () => {
    const paths = issuesOf(() =>
      scheduleSession(
        {
          ...base,
          site: "lto-asola",
          meetings: [
            { date: "2026-11-31", start: "15:00", end: "18:00", room: " ", trainer: "M" },
            { date: "2026-11-02", start: "18:00", end: "15:00", room: "Lab", trainer: "Marco" },
          ],
          capacity: 0,
          enrolment: { opensOn: "2026-10-21", closesOn: "2026-10-20" },
          completionRule: { minimumAttendanceShare: 1.5, mandatoryMeetings: [5, 5], finalAssessment: false },
        },
        course,
        "s1",
        ids,
        staff,
        now,
      ),
    ).map((i) => i.path);
    expect(paths).toEqual([
      "site",
      "meetings.0.date",
      "meetings.0.room",
      "meetings.0.trainer",
      "meetings.1.end",
      "capacity",
      "enrolment.closesOn",
      "completionRule.minimumAttendanceShare",
      "completionRule.mandatoryMeetings.0",
      "completionRule.mandatoryMeetings.1",
      "completionRule.mandatoryMeetings",
    ]);
  });

  it("needs meetings in order and the enrolment closed by the first one", () => {
    const paths = issuesOf(() =>
      scheduleSession(
        {
          ...base,
          meetings: [base.meetings[1]!, base.meetings[0]!],
          enrolment: { opensOn: "2026-09-15", closesOn: "2026-11-01" },
        },
        course,
        "s1",
        ids,
        staff,
        now,
      ),
    ).map((i) => i.path);
    expect(paths).toEqual(["meetings.1", "enrolment.closesOn"]);
  });

  it("only for a published course", () => {
    const draft = createCourse(courseInput, "c2", LTO_PROVIDER, staff, now);
    expect(() => scheduleSession(base, draft, "s1", ids, staff, now)).toThrow(InvalidStateError);
  });
});

describe("changing a session", () => {
  const session = scheduleSession(base, course, "s1", ids, staff, now);
  const second = session.meetings[1]!;

  it("moving a meeting bumps its sequence and recomputes its instants", () => {
    const moved = rescheduleMeeting(
      session,
      second.id,
      { ...second, date: "2026-11-03", start: "09:00", end: "13:00" },
      staff,
      now,
    );
    expect(moved.meeting).toMatchObject({
      sequence: 1,
      startsAt: new Date("2026-11-03T08:00:00Z"),
      minutes: 240,
    });
    expect(moved.previous.sequence).toBe(0);
    expect(sessionHours(moved.session)).toBe(7);
    expect(() =>
      rescheduleMeeting(
        session,
        second.id,
        { ...second, date: "2026-10-25", start: "02:00", end: "04:00" },
        staff,
        now,
      ),
    ).toThrow(ValidationError);
    expect(issuesOf(() => rescheduleMeeting(session, "nope", second, staff, now))).toEqual([
      { path: "meetingId", message: expect.any(String) },
    ]);
  });

  it("cancelling a meeting keeps it, marked, with a new sequence; the last one cannot go", () => {
    const { session: after, meeting } = cancelMeeting(session, second.id, "Sciopero", staff, now);
    expect(meeting).toMatchObject({ cancelled: true, sequence: 1 });
    expect(after.completionRule.mandatoryMeetings).toEqual([]);
    expect(sessionHours(after)).toBe(3);
    expect(() => cancelMeeting(after, after.meetings[0]!.id, "x", staff, now)).toThrow(
      /cancel the session instead/,
    );
  });

  it("cancelling the session cancels every meeting once", () => {
    const cancelled = cancelSession(session, "Aula inagibile", staff, now);
    expect(cancelled).toMatchObject({ state: "cancelled", cancellationReason: "Aula inagibile" });
    expect(cancelled.meetings.map((m) => [m.cancelled, m.sequence])).toEqual([
      [true, 1],
      [true, 1],
    ]);
    expect(() => cancelSession(cancelled, "again", staff, now)).toThrow(InvalidStateError);
  });
});

describe("a session running", () => {
  // The first meeting starts at 01:30 Rome on 2026-10-25, still summer time: 23:30 UTC the day before.
  const firstStart = new Date("2026-10-24T23:30:00Z");
  const justBefore = new Date(firstStart.getTime() - 1);

  it("is scheduled until its first meeting starts, then running (on the clock, not on a write)", () => {
    const session = scheduleSession(base, course, "s-run", ids, staff, now);
    expect(session.state).toBe("scheduled");
    expect(sessionStateAt(session, justBefore)).toBe("scheduled");
    expect(sessionStateAt(session, firstStart)).toBe("running");
    expect(sessionStateAt(session, new Date("2026-12-01T00:00:00Z"))).toBe("running");
    expect(sessionAt(session, justBefore)).toBe(session);
    expect(sessionAt(session, firstStart)).toEqual({ ...session, state: "running" });
  });

  it("starts at the first meeting still on when the first one is cancelled", () => {
    const session = scheduleSession(base, course, "s-run2", ids, staff, now);
    const { session: without } = cancelMeeting(session, session.meetings[0]!.id, "Sciopero", staff, now);
    expect(sessionStateAt(without, firstStart)).toBe("scheduled");
    expect(sessionStateAt(without, without.meetings[1]!.startsAt)).toBe("running");
  });

  it("keeps a cancelled or completed session as it is, and completes from running", () => {
    const session = scheduleSession(base, course, "s-run3", ids, staff, now);
    expect(sessionStateAt(cancelSession(session, "Aula inagibile", staff, now), firstStart)).toBe(
      "cancelled",
    );
    const after = new Date("2026-11-02T17:00:00Z");
    const running = sessionAt(session, after);
    expect(running.state).toBe("running");
    const done = completeSession(running, staff, after);
    expect(done.state).toBe("completed");
    expect(sessionStateAt(done, after)).toBe("completed");
  });
});
