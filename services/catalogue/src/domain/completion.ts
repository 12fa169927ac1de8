// Completing a session: each learner's outcome follows the session's completion rule. Completed means
// enough of the hours (late minutes are missed time), every mandatory meeting attended and, when the
// rule has one, the final assessment passed; attended only means the attendance was enough but the
// assessment was not passed; not completed means the attendance was not enough.
import { InvalidStateError, Issues } from "@lto/errors";
import type { Actor } from "./actor.js";
import { attendedMinutes, currentMarks, type AttendanceRegister } from "./attendance.js";
import type { Session } from "./session.js";

export const OUTCOMES = ["completed", "attended_only", "not_completed"] as const;
export type Outcome = (typeof OUTCOMES)[number];
export type AssessmentResult = "passed" | "failed";

export interface LearnerOutcome {
  personId: string;
  enrolmentId: string;
  outcome: Outcome;
  attendedMinutes: number;
  totalMinutes: number;
  assessment?: AssessmentResult;
  /** Why not completed, in words (empty when completed). */
  reasons: string[];
  /** The credential minted for a completed learner (issued right after). */
  credentialId?: string;
}

/** Shares are compared with a little slack so 0.75 of 12 hours is exactly 9 hours, not a rounding miss. */
const EPSILON = 1e-9;

export function learnerOutcome(
  session: Pick<Session, "meetings" | "completionRule">,
  registers: readonly Pick<AttendanceRegister, "meetingId" | "entries">[],
  learner: { personId: string; enrolmentId: string },
  assessment: AssessmentResult | undefined,
): LearnerOutcome {
  const active = session.meetings.filter((m) => !m.cancelled);
  const byMeeting = new Map(registers.map((r) => [r.meetingId, currentMarks(r)]));
  let attended = 0;
  let total = 0;
  const reasons: string[] = [];
  for (const meeting of active) {
    const minutes = attendedMinutes(meeting, byMeeting.get(meeting.id)?.get(learner.personId));
    attended += minutes;
    total += meeting.minutes;
    if (session.completionRule.mandatoryMeetings.includes(meeting.id) && minutes === 0)
      reasons.push(`missed the mandatory meeting of ${meeting.date}`);
  }
  const share = total === 0 ? 0 : attended / total;
  if (share + EPSILON < session.completionRule.minimumAttendanceShare)
    reasons.push(
      `attended ${Math.round(share * 100)}% of the hours, below the ${Math.round(session.completionRule.minimumAttendanceShare * 100)}% required`,
    );
  const attendanceOk = reasons.length === 0;
  if (attendanceOk && session.completionRule.finalAssessment && assessment !== "passed")
    reasons.push("did not pass the final assessment");
  return {
    ...learner,
    outcome: reasons.length === 0 ? "completed" : attendanceOk ? "attended_only" : "not_completed",
    attendedMinutes: attended,
    totalMinutes: total,
    ...(assessment === undefined ? {} : { assessment }),
    reasons,
  };
}

/**
 * The outcomes of every confirmed learner. With a final assessment, each learner needs a result;
 * without one, results are refused (the rule has nothing to weigh them with).
 */
export function completionOutcomes(
  session: Session,
  registers: readonly AttendanceRegister[],
  learners: readonly { personId: string; enrolmentId: string }[],
  assessments: readonly { personId: string; result: AssessmentResult }[],
): LearnerOutcome[] {
  const issues = new Issues();
  const confirmed = new Set(learners.map((l) => l.personId));
  const results = new Map<string, AssessmentResult>();
  assessments.forEach((a, i) => {
    issues.check(
      confirmed.has(a.personId),
      `assessments.${i}.personId`,
      `${a.personId} is not a learner confirmed on this session`,
    );
    issues.check(!results.has(a.personId), `assessments.${i}.personId`, "is listed twice");
    results.set(a.personId, a.result);
  });
  if (session.completionRule.finalAssessment) {
    const missing = learners.filter((l) => !results.has(l.personId)).map((l) => l.personId);
    issues.check(
      missing.length === 0,
      "assessments",
      `the session has a final assessment: give the result of ${missing.join(", ")}`,
    );
  } else issues.check(assessments.length === 0, "assessments", "the session has no final assessment");
  issues.throwIfAny("The completion is not valid");
  return learners.map((l) => learnerOutcome(session, registers, l, results.get(l.personId)));
}

/** Marks the session completed, once its last meeting has ended. */
export function completeSession(session: Session, by: Actor, now: Date): Session {
  if (session.state !== "scheduled" && session.state !== "running")
    throw new InvalidStateError("session", session.state, "complete");
  const last = session.meetings.filter((m) => !m.cancelled).at(-1)!;
  if (now < last.endsAt)
    throw new InvalidStateError("session", session.state, "complete", {
      reason: "not_ended",
      because: `its last meeting ends at ${last.endsAt.toISOString()}; complete it after that`,
    });
  return {
    ...session,
    state: "completed",
    updatedAt: now,
    history: [...session.history, { at: now, by: by.subject, what: "completed" }],
  };
}

/** Hours with two decimals, from minutes. */
export function hoursOf(minutes: number): number {
  return Math.round((minutes / 60) * 100) / 100;
}
