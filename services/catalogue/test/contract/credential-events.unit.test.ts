import {
  AttendanceRecordedEvent,
  CourseCompletedEvent,
  CredentialIssuedEvent,
  CredentialRevokedEvent,
} from "@lto/contracts";
import { describe, expect, it } from "vitest";
import {
  attendancePendingEvents,
  completionPendingEvents,
  credentialPendingEvents,
} from "../../src/contract/index.js";
import {
  createCourse,
  LTO_PROVIDER,
  publishCourse,
  scheduleSession,
  type LearnerOutcome,
} from "../../src/domain/index.js";
import { input } from "../fixtures.js";

const now = new Date("2026-09-15T09:00:00Z");
const staff = { subject: "staff-1", organisationId: "provincia-mantova" };
const course = publishCourse(createCourse(input, "c1", LTO_PROVIDER, staff, now), staff, now);
let n = 0;
const session = scheduleSession(
  {
    courseId: "c1",
    site: "lto-mantova",
    meetings: [{ date: "2026-10-25", start: "01:30", end: "03:30", room: "Lab 1", trainer: "trainer-neri" }],
    capacity: 10,
    enrolment: { opensOn: "2026-09-15", closesOn: "2026-10-20" },
    completionRule: { minimumAttendanceShare: 0.75, mandatoryMeetings: [], finalAssessment: false },
  },
  course,
  "s1",
  () => `m${++n}`,
  staff,
  now,
);

describe("attendance, completion and credential events", () => {
  it("carry the status, late minutes and correction of an attendance entry", () => {
    const [event] = attendancePendingEvents(
      [
        {
          type: "AttendanceRecorded",
          session,
          meetingId: "m1",
          entry: {
            personId: "p1",
            status: "late",
            lateMinutes: 15,
            at: now,
            by: "staff-1",
            correction: true,
          },
          by: "staff-1",
          at: now,
        },
      ],
      3,
    );
    expect(event!.key).toBe("s1");
    expect(AttendanceRecordedEvent.decode(event!.data)).toMatchObject({
      sessionId: "s1",
      meetingId: "m1",
      courseId: "c1",
      site: "lto-mantova",
      personId: "p1",
      status: "ATTENDANCE_STATUS_LATE",
      lateMinutes: 15,
      correction: true,
      version: 3,
    });
  });

  it("carry a learner's outcome with hours, areas and competences", () => {
    const outcome: LearnerOutcome = {
      personId: "p1",
      enrolmentId: "e1",
      outcome: "attended_only",
      attendedMinutes: 170,
      totalMinutes: 180,
      reasons: ["did not pass the final assessment"],
    };
    const [event] = completionPendingEvents(
      [{ type: "CourseCompleted", session, course, outcome, by: "staff-1", at: now }],
      1,
    );
    expect(CourseCompletedEvent.decode(event!.data)).toMatchObject({
      enrolmentId: "e1",
      outcome: "COMPLETION_OUTCOME_ATTENDED_ONLY",
      attendedHours: 2.83,
      hours: 3,
      competences: [expect.objectContaining({ framework: "digcomp", frameworkVersion: "2.2" })],
    });
  });

  it("key credential events by the credential", () => {
    const credential = {
      id: "cr1",
      personId: "p1",
      courseId: "c1",
      sessionId: "s1",
      site: "lto-mantova",
      competences: course.competences,
      hours: 3,
    };
    const [issued, revoked] = credentialPendingEvents(
      [
        { type: "CredentialIssued", credential, course, by: "staff-1", at: now },
        { type: "CredentialRevoked", credential, reason: "Errore", by: "staff-2", at: now },
      ],
      2,
    );
    expect(issued!.key).toBe("cr1");
    expect(CredentialIssuedEvent.decode(issued!.data)).toMatchObject({
      credentialId: "cr1",
      hours: 3,
      site: "lto-mantova",
    });
    expect(CredentialRevokedEvent.decode(revoked!.data)).toMatchObject({
      reason: "Errore",
      actorSubject: "staff-2",
    });
  });
});
