// Facts about attendance, completion and credentials; the contract room maps them to protobuf.
import type { AttendanceEntry } from "./attendance.js";
import type { LearnerOutcome } from "./completion.js";
import type { Course } from "./course.js";
import type { CompetenceMapping } from "./frameworks/index.js";
import type { Session } from "./session.js";

export type AttendanceEvent = {
  type: "AttendanceRecorded";
  session: Pick<Session, "id" | "courseId" | "site">;
  meetingId: string;
  entry: AttendanceEntry;
  by: string;
  at: Date;
};

export type CompletionEvent = {
  type: "CourseCompleted";
  session: Session;
  course: Course;
  outcome: LearnerOutcome;
  by: string;
  at: Date;
};

export interface CredentialFacts {
  id: string;
  personId: string;
  courseId: string;
  sessionId: string;
  site: string;
  competences: CompetenceMapping[];
  hours: number;
}

export type CredentialEvent =
  | { type: "CredentialIssued"; credential: CredentialFacts; course: Course; by: string; at: Date }
  | { type: "CredentialRevoked"; credential: CredentialFacts; reason: string; by: string; at: Date };
