import { InvalidStateError, ValidationError } from "@lto/errors";
import { describe, expect, it } from "vitest";
import {
  cancelMeeting,
  completeSession,
  completionOutcomes,
  createCourse,
  currentMarks,
  emptyRegister,
  learnerOutcome,
  LTO_PROVIDER,
  meetingForAttendance,
  publishCourse,
  recordAttendance,
  scheduleSession,
  takeStatusIndex,
  type AttendanceMark,
  type AttendanceRegister,
  type Session,
  type SessionInput,
} from "../../src/domain/index.js";
import { STATUS_LIST_BITS } from "../../src/domain/credential.js";
import { input as courseInput } from "../fixtures.js";

const before = new Date("2026-09-15T09:00:00Z");
const after = new Date("2026-12-01T09:00:00Z");
const staff = { subject: "staff-1", organisationId: "provincia-mantova" };
const course = publishCourse(createCourse(courseInput, "c1", LTO_PROVIDER, staff, before), staff, before);

function session(overrides: Partial<SessionInput["completionRule"]> = {}): Session {
  let n = 0;
  return scheduleSession(
    {
      courseId: "c1",
      site: "lto-mantova",
      meetings: [
        // The night the clocks go back: 01:30-03:30 lasts three real hours.
        { date: "2026-10-25", start: "01:30", end: "03:30", room: "Lab 1", trainer: "trainer-neri" },
        { date: "2026-11-02", start: "15:00", end: "18:00", room: "Lab 1", trainer: "trainer-neri" },
        { date: "2026-11-09", start: "15:00", end: "17:00", room: "Lab 1", trainer: "trainer-neri" },
      ],
      capacity: 10,
      enrolment: { opensOn: "2026-09-15", closesOn: "2026-10-20" },
      completionRule: {
        minimumAttendanceShare: 0.75,
        mandatoryMeetings: [1],
        finalAssessment: false,
        ...overrides,
      },
    },
    course,
    "s1",
    () => `m${++n}`,
    staff,
    before,
  );
}

const confirmed = new Set(["anna", "bruno", "carla"]);

function record(
  s: Session,
  register: AttendanceRegister,
  meetingIndex: number,
  marks: AttendanceMark[],
  at = after,
) {
  return recordAttendance(register, s.meetings[meetingIndex]!, marks, confirmed, staff, at);
}

function registers(s: Session, marks: AttendanceMark[][]): AttendanceRegister[] {
  return marks.map((m, i) => record(s, emptyRegister(s.id, s.meetings[i]!.id, after), i, m).register);
}

describe("the attendance register", () => {
  it("keeps a correction as a new entry: the current mark is the last one", () => {
    const s = session();
    const first = record(s, emptyRegister(s.id, "m1", after), 0, [
      { personId: "anna", status: "absent" },
      { personId: "bruno", status: "present" },
    ]);
    const corrected = record(s, first.register, 0, [
      { personId: "anna", status: "late", lateMinutes: 20 },
      { personId: "bruno", status: "present" },
    ]);
    expect(corrected.added).toHaveLength(1);
    expect(corrected.added[0]).toMatchObject({ personId: "anna", status: "late", correction: true });
    expect(corrected.register.entries.map((e) => [e.personId, e.status])).toEqual([
      ["anna", "absent"],
      ["bruno", "present"],
      ["anna", "late"],
    ]);
    expect(currentMarks(corrected.register).get("anna")).toMatchObject({ status: "late", lateMinutes: 20 });
  });

  it("names every learner who is not confirmed, and bad late minutes", () => {
    const s = session();
    try {
      record(s, emptyRegister(s.id, "m2", after), 1, [
        { personId: "zeno", status: "present" },
        { personId: "anna", status: "late" },
        { personId: "bruno", status: "present", lateMinutes: 5 },
        { personId: "carla", status: "late", lateMinutes: 180 },
      ]);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      const paths = (err as ValidationError).issues.map((i) => i.path);
      expect(paths).toEqual([
        "marks.0.personId",
        "marks.1.lateMinutes",
        "marks.2.lateMinutes",
        "marks.3.lateMinutes",
      ]);
      expect((err as ValidationError).issues[0]!.message).toContain("zeno");
    }
  });

  it("takes no attendance for a cancelled meeting, a meeting not begun, or a completed session", () => {
    const s = session();
    const cancelled = cancelMeeting(s, "m3", "Sciopero", staff, before).session;
    expect(() => meetingForAttendance(cancelled, "m3", after)).toThrow(InvalidStateError);
    expect(() => meetingForAttendance(s, "m2", before)).toThrow(/starts at/);
    expect(meetingForAttendance(s, "m2", after).id).toBe("m2");
    expect(() => meetingForAttendance(completeSession(s, staff, after), "m2", after)).toThrow(
      InvalidStateError,
    );
  });
});

describe("completion outcomes", () => {
  it("counts the real length of a meeting the night the clocks change", () => {
    const s = session();
    expect(s.meetings[0]!.minutes).toBe(180);
    const [r1, r2, r3] = registers(s, [
      [{ personId: "anna", status: "present" }],
      [{ personId: "anna", status: "present" }],
      [{ personId: "anna", status: "absent" }],
    ]);
    const outcome = learnerOutcome(s, [r1!, r2!, r3!], { personId: "anna", enrolmentId: "e1" }, undefined);
    // 6 of 8 hours: exactly the 75% required.
    expect(outcome).toMatchObject({ outcome: "completed", attendedMinutes: 360, totalMinutes: 480 });
  });

  it("counts late minutes as missed time", () => {
    const s = session();
    const regs = registers(s, [
      [{ personId: "anna", status: "late", lateMinutes: 1 }],
      [{ personId: "anna", status: "present" }],
      [{ personId: "anna", status: "absent" }],
    ]);
    const outcome = learnerOutcome(s, regs, { personId: "anna", enrolmentId: "e1" }, undefined);
    expect(outcome.attendedMinutes).toBe(359);
    expect(outcome.outcome).toBe("not_completed");
    expect(outcome.reasons[0]).toMatch(/below the 75%/);
  });

  it("requires the mandatory meetings and the final assessment", () => {
    const s = session({ finalAssessment: true });
    const regs = registers(s, [
      [
        { personId: "anna", status: "present" },
        { personId: "bruno", status: "present" },
        { personId: "carla", status: "present" },
      ],
      [
        { personId: "anna", status: "present" },
        { personId: "bruno", status: "present" },
        { personId: "carla", status: "absent" },
      ],
      [
        { personId: "anna", status: "present" },
        { personId: "bruno", status: "present" },
        { personId: "carla", status: "present" },
      ],
    ]);
    const learners = ["anna", "bruno", "carla"].map((personId) => ({
      personId,
      enrolmentId: `e-${personId}`,
    }));
    const outcomes = completionOutcomes(s, regs, learners, [
      { personId: "anna", result: "passed" },
      { personId: "bruno", result: "failed" },
      { personId: "carla", result: "passed" },
    ]);
    expect(outcomes.map((o) => o.outcome)).toEqual(["completed", "attended_only", "not_completed"]);
    expect(outcomes[2]!.reasons.join()).toMatch(/mandatory meeting of 2026-11-02/);
    try {
      completionOutcomes(s, regs, learners, [{ personId: "anna", result: "passed" }]);
      expect.unreachable();
    } catch (err) {
      expect((err as ValidationError).issues[0]!.message).toMatch(/bruno, carla/);
    }
    expect(() =>
      completionOutcomes(session(), regs, learners, [{ personId: "anna", result: "passed" }]),
    ).toThrow(ValidationError);
  });

  it("completes a session only after its last meeting", () => {
    const s = session();
    expect(() => completeSession(s, staff, new Date("2026-11-09T15:59:00Z"))).toThrow(/ends at/);
    const done = completeSession(s, staff, new Date("2026-11-09T16:00:00Z"));
    expect(done.state).toBe("completed");
    expect(() => completeSession(done, staff, after)).toThrow(InvalidStateError);
  });
});

describe("status list indexes", () => {
  it("gives each index once, in order, and nothing from a full list", () => {
    expect(takeStatusIndex(0)).toEqual({ index: 0, nextIndex: 1 });
    expect(takeStatusIndex(41)).toEqual({ index: 41, nextIndex: 42 });
    expect(takeStatusIndex(STATUS_LIST_BITS - 1)).toEqual({
      index: STATUS_LIST_BITS - 1,
      nextIndex: STATUS_LIST_BITS,
    });
    expect(takeStatusIndex(STATUS_LIST_BITS)).toBeUndefined();
    expect(() => takeStatusIndex(-1)).toThrow(RangeError);
  });
});
