import type { Course } from "./course.js";
import type { Meeting, Session } from "./session.js";

// Facts about courses and sessions, as the domain states them; the contract room maps them to protobuf.
export type CourseEvent =
  | { type: "CoursePublished"; course: Course; by: string; at: Date }
  | { type: "CourseArchived"; course: Course; by: string; at: Date };

export type SessionEvent =
  | { type: "SessionScheduled"; session: Session; course: Course; by: string; at: Date }
  | {
      type: "SessionRescheduled";
      session: Session;
      meeting: Meeting;
      previous: Meeting;
      by: string;
      at: Date;
    }
  | {
      type: "SessionCancelled";
      session: Session;
      reason: string;
      /** Learners holding a seat or waiting: the ledger fills these in once it exists. */
      enrolled: string[];
      waiting: string[];
      by: string;
      at: Date;
    };
