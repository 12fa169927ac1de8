// Domain objects to the protobuf shapes of the contracts (events and gRPC) and back.
import type { catalogueV1, ideasV1 } from "@lto/contracts";
import {
  publishedAt,
  sessionHours,
  type Audience,
  type CompetenceMapping,
  type Course,
  type CourseState,
  type EconomicArea,
  type Meeting,
  type Mode,
  type Session,
  type SessionState,
} from "../domain/index.js";
import type { CredentialRecord } from "../app/index.js";

export function toProtoArea(area: EconomicArea): ideasV1.EconomicArea {
  return `ECONOMIC_AREA_${area.toUpperCase()}` as ideasV1.EconomicArea;
}

export function toProtoAudience(audience: Audience): catalogueV1.Audience {
  return `AUDIENCE_${audience.toUpperCase()}` as catalogueV1.Audience;
}

export function toProtoMode(mode: Mode): catalogueV1.CourseMode {
  return `COURSE_MODE_${mode.toUpperCase()}` as catalogueV1.CourseMode;
}

export function toProtoCourseState(state: CourseState): catalogueV1.CourseState {
  return `COURSE_STATE_${state.toUpperCase()}` as catalogueV1.CourseState;
}

export function toProtoSessionState(state: SessionState): catalogueV1.SessionState {
  return `SESSION_STATE_${state.toUpperCase()}` as catalogueV1.SessionState;
}

export function toProtoCompetence(m: CompetenceMapping): catalogueV1.CompetenceLevel {
  return { framework: m.framework, frameworkVersion: m.version, competence: m.competence, level: m.level };
}

export function toProtoCourse(course: Course, version = course.version): catalogueV1.Course {
  const published = publishedAt(course);
  return {
    id: course.id,
    titleIt: course.titleIt,
    descriptionIt: course.descriptionIt,
    titleEn: course.titleEn ?? "",
    descriptionEn: course.descriptionEn ?? "",
    audiences: course.audiences.map(toProtoAudience),
    economicAreas: course.areas.map(toProtoArea),
    competences: course.competences.map(toProtoCompetence),
    secondFramework: course.secondFramework.map(toProtoCompetence),
    hours: course.hours,
    mode: toProtoMode(course.mode),
    prerequisites: course.prerequisites.map(toProtoCompetence),
    sites: [...course.sites],
    state: toProtoCourseState(course.state),
    providerId: course.providerId,
    ...(published ? { publishedAt: published.toISOString() } : {}),
    version,
  };
}

export function toProtoMeeting(m: Meeting): catalogueV1.Meeting {
  return {
    id: m.id,
    date: m.date,
    startTime: m.start,
    endTime: m.end,
    timeZone: m.zone,
    startsAt: m.startsAt.toISOString(),
    endsAt: m.endsAt.toISOString(),
    minutes: m.minutes,
    room: m.room,
    trainer: m.trainer,
    sequence: m.sequence,
    cancelled: m.cancelled,
  };
}

export function toProtoSession(session: Session, version = session.version): catalogueV1.Session {
  return {
    id: session.id,
    courseId: session.courseId,
    site: session.site,
    meetings: session.meetings.map(toProtoMeeting),
    capacity: session.capacity,
    freeSeats: session.freeSeats,
    enrolmentOpensOn: session.enrolment.opensOn,
    enrolmentClosesOn: session.enrolment.closesOn,
    completionRule: {
      minimumAttendanceShare: session.completionRule.minimumAttendanceShare,
      mandatoryMeetingIds: [...session.completionRule.mandatoryMeetings],
      finalAssessment: session.completionRule.finalAssessment,
    },
    state: toProtoSessionState(session.state),
    hours: sessionHours(session),
    version,
  };
}

export function toProtoCredential(c: CredentialRecord): catalogueV1.Credential {
  return {
    id: c.id,
    personId: c.personId,
    courseId: c.courseId,
    sessionId: c.sessionId,
    site: c.site,
    competences: c.competences.map(toProtoCompetence),
    hours: c.hours,
    issuedAt: c.issuedAt.toISOString(),
    revoked: c.revoked,
  };
}
