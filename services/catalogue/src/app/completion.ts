// Attendance registers, completing a session and issuing the credentials of those who completed it.
import { ConflictError, ForbiddenError, NotFoundError, PreconditionFailedError } from "@lto/errors";
import {
  buildOpenBadgeCredential,
  type CompetenceAlignmentInput,
  type CredentialInput,
} from "../domain/credential.js";
import {
  completeSession,
  completionOutcomes,
  currentMarks,
  emptyRegister,
  frameworks,
  meetingForAttendance,
  recordAttendance,
  type AssessmentResult,
  type AttendanceMark,
  type AttendanceRegister,
  type Course,
  type LearnerOutcome,
  type Session,
} from "../domain/index.js";
import { actor, requireSitesStaff, signedIn, type Viewer } from "./access.js";
import type { CompletionRecord, Ports, StoredCredential } from "./ports.js";

/** Keepers saving one register at once each win in turn; this bounds how long one waits for its turn. */
const MAX_SAVE_ATTEMPTS = 20;

/** "lto-mantova" -> "LTO Mantova". */
export function siteName(site: string): string {
  const district = site.replace(/^lto-/, "");
  return `LTO ${district.charAt(0).toUpperCase()}${district.slice(1)}`;
}

function criteriaOf(session: Session): string {
  const rule = session.completionRule;
  const parts = [`frequenza di almeno il ${Math.round(rule.minimumAttendanceShare * 100)}% delle ore`];
  if (rule.mandatoryMeetings.length) parts.push("presenza agli incontri obbligatori");
  if (rule.finalAssessment) parts.push("prova finale superata");
  const text = parts.join(", ");
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

function alignmentsOf(course: Course, publicUrl: (path: string) => string): CompetenceAlignmentInput[] {
  return course.competences.map((m) => {
    const framework = frameworks.find(m.framework, m.version);
    const competence = framework?.competences.find((c) => c.code === m.competence);
    const level = framework?.levels.find((l) => l.rank === m.level);
    return {
      frameworkId: m.framework,
      frameworkName: framework?.name.it ?? m.framework,
      frameworkVersion: m.version,
      competenceCode: m.competence,
      competenceName: competence?.name.it ?? m.competence,
      level: String(m.level),
      ...(level ? { levelName: level.name.it } : {}),
      targetUrl: publicUrl(`/v1/frameworks/${m.framework}/${m.version}#${m.competence}`),
    };
  });
}

export function completionUseCases(ports: Ports) {
  const { sessions, courses, roster, attendance, completions, issuedCredentials, issuer, clock, ids } = ports;

  async function loadSession(id: string): Promise<Session> {
    const session = await sessions.get(id);
    if (!session) throw new NotFoundError("session", id);
    return session;
  }

  /** The meeting's trainer (token subject = the meeting's trainer), staff of the session's site, an admin. */
  function requireRegisterKeeper(viewer: Viewer, session: Session, meetingId: string) {
    const me = signedIn(viewer);
    const meeting = session.meetings.find((m) => m.id === meetingId);
    if (meeting && meeting.trainer === me.subject) return me;
    if (me.role !== "staff" && me.role !== "admin")
      throw new ForbiddenError(
        "The meeting's trainer or staff of the session's site keep its attendance register",
      );
    return requireSitesStaff(me, [session.site]);
  }

  function registerView(session: Session, meetingId: string, register: AttendanceRegister | undefined) {
    const entries = register?.entries ?? [];
    const current = [...currentMarks({ entries }).values()].map(({ personId, status, lateMinutes }) => ({
      personId,
      status,
      ...(lateMinutes === undefined ? {} : { lateMinutes }),
    }));
    return { sessionId: session.id, meetingId, current, history: entries, version: register?.version ?? 0 };
  }

  async function issueCredential(
    session: Session,
    course: Course,
    outcome: LearnerOutcome,
    by: string,
    now: Date,
  ): Promise<void> {
    const id = outcome.credentialId!;
    if (await issuedCredentials.get(id)) return;
    const status = await issuer.allocateStatus();
    const active = session.meetings.filter((m) => !m.cancelled);
    const hours = Math.round((outcome.totalMinutes / 60) * 100) / 100;
    const input: CredentialInput = {
      credentialId: `urn:uuid:${id}`,
      learnerId: `urn:uuid:${ids.newId()}`,
      course: {
        id: issuer.publicUrl(`/v1/courses/${course.id}`),
        title: course.titleIt,
        description: course.descriptionIt,
        criteria: criteriaOf(session),
        hours,
      },
      alignments: alignmentsOf(course, issuer.publicUrl),
      issuedAt: now,
      session: { startsAt: active[0]!.startsAt, endsAt: active.at(-1)!.endsAt },
      site: { id: `urn:lto:site:${session.site}`, name: siteName(session.site) },
      status: { listUrl: status.listUrl, index: status.index },
      issuer: issuer.issuer(),
    };
    const jwt = await issuer.sign(buildOpenBadgeCredential(input), now);
    const credential: StoredCredential = {
      id,
      personId: outcome.personId,
      courseId: course.id,
      sessionId: session.id,
      site: session.site,
      competences: course.competences.map((c) => ({ ...c })),
      hours,
      issuedAt: now,
      revoked: false,
      input,
      jwt,
      statusListId: status.listId,
      statusIndex: status.index,
      version: 1,
    };
    await issuedCredentials.insert(credential, [
      { type: "CredentialIssued", credential, course, by, at: now },
    ]);
  }

  /** Finishes a completion: the session marked completed, every credential issued (safe to repeat). */
  async function finish(record: CompletionRecord, session: Session, course: Course, me: string) {
    let current = session;
    // Another instance finishing the same completion may mark the session first: then it is done.
    for (let attempt = 1; current.state !== "completed"; attempt++) {
      try {
        current = await sessions.update(
          completeSession(current, { subject: me, organisationId: "" }, clock.now()),
          [],
        );
      } catch (err) {
        if (!(err instanceof PreconditionFailedError) || attempt >= MAX_SAVE_ATTEMPTS) throw err;
        current = await loadSession(session.id);
      }
    }
    for (const outcome of record.outcomes)
      if (outcome.outcome === "completed")
        await issueCredential(current, course, outcome, record.by, record.completedAt);
    return current;
  }

  return {
    async register(viewer: Viewer, sessionId: string, meetingId: string) {
      const session = await loadSession(sessionId);
      requireRegisterKeeper(viewer, session, meetingId);
      if (!session.meetings.some((m) => m.id === meetingId)) throw new NotFoundError("meeting", meetingId);
      return registerView(session, meetingId, await attendance.get(sessionId, meetingId));
    },

    /** Records (or corrects) marks of one meeting; each new entry is an AttendanceRecorded event. */
    async record(viewer: Viewer, sessionId: string, meetingId: string, marks: AttendanceMark[]) {
      const session = await loadSession(sessionId);
      const me = requireRegisterKeeper(viewer, session, meetingId);
      const now = clock.now();
      const meeting = meetingForAttendance(session, meetingId, now);
      const confirmed = new Set((await roster.confirmedLearners(sessionId)).map((l) => l.personId));
      // Two keepers saving the same register at once: the later one applies its marks to the fresh copy.
      for (let attempt = 1; ; attempt++) {
        const before =
          (await attendance.get(sessionId, meetingId)) ?? emptyRegister(sessionId, meetingId, now);
        const { register, added } = recordAttendance(before, meeting, marks, confirmed, actor(me), now);
        if (!added.length) return registerView(session, meetingId, before.version ? before : undefined);
        try {
          const saved = await attendance.save(
            register,
            added.map((entry) => ({
              type: "AttendanceRecorded" as const,
              session,
              meetingId,
              entry,
              by: me.subject,
              at: now,
            })),
          );
          return registerView(session, meetingId, saved);
        } catch (err) {
          const raced = err instanceof ConflictError || err instanceof PreconditionFailedError;
          if (!raced || attempt >= MAX_SAVE_ATTEMPTS) throw err;
        }
      }
    },

    /**
     * Staff complete a session after its last meeting: outcomes by the completion rule (CourseCompleted
     * for each learner who completed), then a credential for each. Repeating it finishes a completion
     * interrupted half-way and answers the same outcomes.
     */
    async complete(
      viewer: Viewer,
      sessionId: string,
      assessments: { personId: string; result: AssessmentResult }[],
    ) {
      const session = await loadSession(sessionId);
      const me = requireSitesStaff(viewer, [session.site]);
      const course = await courses.get(session.courseId);
      if (!course) throw new NotFoundError("course", session.courseId);
      let record = await completions.get(sessionId);
      if (!record) {
        const now = clock.now();
        completeSession(session, actor(me), now); // refuses a session not ended, cancelled or completed
        const learners = await roster.confirmedLearners(sessionId);
        const outcomes = completionOutcomes(
          session,
          await attendance.listForSession(sessionId),
          learners,
          assessments,
        ).map((o) => (o.outcome === "completed" ? { ...o, credentialId: ids.newId() } : o));
        const fresh: CompletionRecord = {
          id: sessionId,
          sessionId,
          courseId: session.courseId,
          site: session.site,
          outcomes,
          completedAt: now,
          by: me.subject,
          version: 1,
        };
        const events = outcomes
          .filter((o) => o.outcome === "completed")
          .map((outcome) => ({
            type: "CourseCompleted" as const,
            session,
            course,
            outcome,
            by: me.subject,
            at: now,
          }));
        record = (await completions.insert(fresh, events)) ? fresh : (await completions.get(sessionId))!;
      }
      await finish(record, session, course, me.subject);
      return {
        sessionId,
        state: "completed" as const,
        completedAt: record.completedAt,
        outcomes: record.outcomes,
      };
    },

    async completion(viewer: Viewer, sessionId: string) {
      const session = await loadSession(sessionId);
      requireSitesStaff(viewer, [session.site]);
      const record = await completions.get(sessionId);
      if (!record) throw new NotFoundError("completion", sessionId);
      return {
        sessionId,
        state: "completed" as const,
        completedAt: record.completedAt,
        outcomes: record.outcomes,
      };
    },
  };
}
