import { describe, expect, it } from "vitest";
import {
  cancelMeeting,
  cancelSession,
  createCourse,
  LTO_PROVIDER,
  meetingUid,
  personalCalendar,
  publishCourse,
  rescheduleMeeting,
  scheduleSession,
  sessionCalendar,
  type SessionInput,
} from "../../src/domain/index.js";
import { input as courseInput } from "../fixtures.js";

const now = new Date("2026-09-15T09:00:00Z");
const later = new Date("2026-09-20T09:00:00Z");
const staff = { subject: "staff-1", organisationId: "provincia-mantova" };
const course = publishCourse(createCourse(courseInput, "c1", LTO_PROVIDER, staff, now), staff, now);

const meeting = (date: string, trainerId?: string) => ({
  date,
  start: "15:00",
  end: "18:00",
  room: "Lab 1",
  trainer: "Marco Neri",
  ...(trainerId ? { trainerId } : {}),
});
const input = (meetings: SessionInput["meetings"]): SessionInput => ({
  courseId: "c1",
  site: "lto-mantova",
  meetings,
  capacity: 10,
  enrolment: { opensOn: "2026-09-15", closesOn: "2026-10-01" },
  completionRule: { minimumAttendanceShare: 0.75, mandatoryMeetings: [], finalAssessment: false },
});
let n = 0;
const ids = () => `m${++n}`;
const schedule = (meetings: SessionInput["meetings"], id = "s1") =>
  scheduleSession(input(meetings), course, id, ids, staff, now);

describe("a session's calendar", () => {
  it("gives a meeting a UID at the catalogue's domain", () => {
    expect(meetingUid("0193b2c4-aaaa")).toBe("0193b2c4-aaaa@catalogue.lto-mantova.it");
  });

  it("has one event per meeting, UID from the meeting id, SEQUENCE from the meeting", () => {
    const session = schedule([meeting("2026-10-05"), meeting("2026-10-12")]);
    const feed = sessionCalendar({ session, course });
    expect(feed.events.map((e) => [e.uid, e.sequence, e.status])).toEqual([
      [`${session.meetings[0]!.id}@catalogue.lto-mantova.it`, 0, "CONFIRMED"],
      [`${session.meetings[1]!.id}@catalogue.lto-mantova.it`, 0, "CONFIRMED"],
    ]);
    expect(feed.events[0]).toMatchObject({
      start: new Date("2026-10-05T13:00:00Z"),
      startLocal: "2026-10-05T15:00:00",
      timeZone: "Europe/Rome",
      summary: "Programmare con Python",
    });
  });

  it("follows a moved meeting and a cancelled one with a higher SEQUENCE", () => {
    const session = schedule([meeting("2026-10-05"), meeting("2026-10-12")]);
    const [first, second] = session.meetings;
    const moved = rescheduleMeeting(session, first!.id, meeting("2026-10-06"), staff, later).session;
    const cancelled = cancelMeeting(moved, second!.id, "Sciopero", staff, later).session;
    const events = sessionCalendar({ session: cancelled, course }).events;
    expect(events.map((e) => [e.uid.split("@")[0], e.sequence, e.status])).toEqual([
      [first!.id, 1, "CONFIRMED"],
      [second!.id, 1, "CANCELLED"],
    ]);
    expect(events[0]!.startLocal).toBe("2026-10-06T15:00:00");
    expect(events[0]!.lastModified).toEqual(later);
  });

  it("shows every meeting cancelled, with a higher SEQUENCE, when the session is cancelled", () => {
    const session = schedule([meeting("2026-10-05"), meeting("2026-10-12"), meeting("2026-10-19")]);
    const one = cancelMeeting(session, session.meetings[1]!.id, "Sciopero", staff, now).session;
    const all = cancelSession(one, "Aula inagibile", staff, later);
    const events = sessionCalendar({ session: all, course }).events;
    expect(events.map((e) => [e.sequence, e.status])).toEqual([
      [1, "CANCELLED"],
      [1, "CANCELLED"], // cancelled before: already announced, not bumped again
      [1, "CANCELLED"],
    ]);
    expect(events[0]!.description).toContain("Aula inagibile");
  });
});

describe("a person's calendar", () => {
  it("lists the sessions they are enrolled in and only the meetings they train, each once", () => {
    const enrolled = schedule([meeting("2026-10-05"), meeting("2026-10-12")], "s1");
    const training = schedule(
      [meeting("2026-10-06", "trainer-anna"), meeting("2026-10-13", "someone-else")],
      "s2",
    );
    const both = schedule([meeting("2026-10-07", "trainer-anna")], "s3");
    const feed = personalCalendar(
      "trainer-anna",
      [
        { session: enrolled, course },
        { session: both, course },
      ],
      [
        { session: training, course },
        { session: both, course },
      ],
    );
    expect(feed.events.map((e) => e.startLocal.slice(0, 10))).toEqual([
      "2026-10-05",
      "2026-10-06",
      "2026-10-07",
      "2026-10-12",
    ]);
  });
});

describe("a meeting's trainer id", () => {
  it("is kept when given, refused when it is not an id, dropped when a move leaves it out", () => {
    const session = schedule([meeting("2026-10-05", "trainer-anna")]);
    expect(session.meetings[0]!.trainerId).toBe("trainer-anna");
    expect(() => schedule([{ ...meeting("2026-10-05"), trainerId: "Anna Ferri" }])).toThrow(/not valid/);
    const moved = rescheduleMeeting(session, session.meetings[0]!.id, meeting("2026-10-06"), staff, later);
    expect(moved.meeting.trainerId).toBeUndefined();
  });
});
