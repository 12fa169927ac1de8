import { CoursePublishedEvent, SessionRescheduledEvent, SessionScheduledEvent } from "@lto/contracts";
import { describe, expect, it } from "vitest";
import {
  coursePendingEvents,
  sessionPendingEvents,
  toProtoCourse,
  toProtoSession,
} from "../../src/contract/index.js";
import {
  createCourse,
  LTO_PROVIDER,
  publishCourse,
  rescheduleMeeting,
  scheduleSession,
} from "../../src/domain/index.js";
import { input } from "../fixtures.js";

const now = new Date("2026-09-15T09:00:00Z");
const staff = { subject: "staff-1", organisationId: "provincia-mantova" };
const course = publishCourse(
  createCourse(
    {
      ...input,
      titleEn: "Programming with Python",
      secondFramework: [{ framework: "syllabus-pa", version: "2024", competence: "1.1", level: 2 }],
    },
    "c1",
    LTO_PROVIDER,
    staff,
    now,
  ),
  staff,
  now,
);
let n = 0;
const session = scheduleSession(
  {
    courseId: "c1",
    site: "lto-mantova",
    meetings: [{ date: "2026-10-25", start: "01:30", end: "03:30", room: "Lab 1", trainer: "Marco Neri" }],
    capacity: 10,
    enrolment: { opensOn: "2026-09-15", closesOn: "2026-10-20" },
    completionRule: { minimumAttendanceShare: 0.75, mandatoryMeetings: [0], finalAssessment: true },
  },
  course,
  "s1",
  () => `m${++n}`,
  staff,
  now,
);

describe("domain to contract", () => {
  it("maps a course with enums, framework versions and its publication", () => {
    expect(toProtoCourse(course)).toMatchObject({
      id: "c1",
      titleEn: "Programming with Python",
      descriptionEn: "",
      audiences: ["AUDIENCE_YOUNG_PEOPLE"],
      economicAreas: ["ECONOMIC_AREA_CULTURA"],
      competences: [{ framework: "digcomp", frameworkVersion: "2.2", competence: "3.4", level: 4 }],
      secondFramework: [{ framework: "syllabus-pa", frameworkVersion: "2024", competence: "1.1", level: 2 }],
      mode: "COURSE_MODE_BLENDED",
      state: "COURSE_STATE_PUBLISHED",
      providerId: "lto",
      publishedAt: now.toISOString(),
    });
  });

  it("maps a session's meetings with civil time, zone, instants and real minutes", () => {
    expect(toProtoSession(session)).toMatchObject({
      state: "SESSION_STATE_SCHEDULED",
      freeSeats: 10,
      hours: 3,
      enrolmentClosesOn: "2026-10-20",
      completionRule: { minimumAttendanceShare: 0.75, mandatoryMeetingIds: ["m1"], finalAssessment: true },
      meetings: [
        {
          id: "m1",
          date: "2026-10-25",
          startTime: "01:30",
          timeZone: "Europe/Rome",
          startsAt: "2026-10-24T23:30:00.000Z",
          endsAt: "2026-10-25T02:30:00.000Z",
          minutes: 180,
        },
      ],
    });
  });

  it("makes outbox entries keyed by course and session, at the stored version, that decode back", () => {
    const [published] = coursePendingEvents([{ type: "CoursePublished", course, by: "staff-1", at: now }], 2);
    expect(published!).toMatchObject({
      key: "c1",
      type: CoursePublishedEvent.type,
      topic: "lto.catalogue.events.v1",
    });
    const decoded = CoursePublishedEvent.decode(published!.data);
    expect(decoded).toMatchObject({
      courseId: "c1",
      version: 2,
      actorSubject: "staff-1",
      course: { version: 2 },
    });

    const [scheduled] = sessionPendingEvents(
      [{ type: "SessionScheduled", session, course, by: "staff-1", at: now }],
      1,
    );
    expect(scheduled!).toMatchObject({ key: "s1", type: SessionScheduledEvent.type });
    expect(SessionScheduledEvent.decode(scheduled!.data)).toMatchObject({
      site: "lto-mantova",
      economicAreas: ["ECONOMIC_AREA_CULTURA"],
      competences: [{ competence: "3.4", level: 4 }],
      hours: 3,
    });

    const moved = rescheduleMeeting(
      session,
      "m1",
      { ...session.meetings[0]!, start: "09:00", end: "12:00" },
      staff,
      now,
    );
    const [rescheduled] = sessionPendingEvents(
      [
        {
          type: "SessionRescheduled",
          session: moved.session,
          meeting: moved.meeting,
          previous: moved.previous,
          by: "staff-1",
          at: now,
        },
      ],
      2,
    );
    expect(SessionRescheduledEvent.decode(rescheduled!.data)).toMatchObject({
      meeting: { id: "m1", sequence: 1, startTime: "09:00" },
      previousStartsAt: "2026-10-24T23:30:00.000Z",
    });
  });
});
