// Enrolment use cases on the seat ledger. The ledger (one entry per claimed seat number, taken by a
// unique insert) is the truth about seats; an enrolment is written after its seat and names it. A crash
// between the two leaves an unsettled seat the sweeper gives back; a retry finds the enrolment by its id
// (derived from session and person) and completes what is missing.
import { createHash } from "node:crypto";
import type { Identity } from "@lto/auth";
import { romeDate } from "@lto/civil-time";
import {
  ForbiddenError,
  InvalidStateError,
  Issues,
  NotFoundError,
  PreconditionFailedError,
} from "@lto/errors";
import {
  acceptOffer,
  endOffer,
  enrol,
  freeSeatNumbers,
  holdsSeat,
  isActive,
  missingPrerequisites,
  moveIn,
  moveOut,
  offerSeat,
  sessionHours,
  withdraw,
  withdrawalDeadline,
  type Course,
  type Enrolment,
  type EnrolmentAudience,
  type Enroller,
  audiencesServing,
  type EnrolmentEvent,
  type EnrolmentRequest,
  type PrerequisiteOverride,
  type Session,
  type StudentConsent,
  waitingPosition,
} from "../domain/index.js";
import { isProvider, MANAGERS, readsAll, requireSitesStaff, signedIn, type Viewer } from "./access.js";
import type { PageRequest, Ports } from "./ports.js";

export interface EnrolBody {
  /** Staff: the person enrolled. */
  personId?: string;
  /** A school referent: the student, by the school's pseudonym, with the parents' consent for a minor. */
  student?: { pseudonym: string } & StudentConsent;
  /** Staff: why the missing prerequisites are waived (recorded in the history). */
  overrideReason?: string;
}

/** The sweeper's actor in histories and events. */
const SYSTEM = "system:seat-ledger";

/** An enrolment's id: the same for the same person in the same session (at most one each). */
export function enrolmentIdOf(sessionId: string, personId: string): string {
  const h = createHash("sha256").update(`${sessionId}\n${personId}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function enrolmentView(e: Enrolment, position?: number) {
  const { version, ...rest } = e;
  return { ...rest, version, ...(position !== undefined ? { position } : {}) };
}

export function enrolmentUseCases(ports: Ports) {
  const { courses, sessions, enrolments, seats, placements, credentials, clock, ids, freeSeatsHint } = ports;
  const settings = ports.enrolmentSettings;

  async function loadSession(viewer: Viewer, id: string): Promise<{ session: Session; course: Course }> {
    const session = await sessions.get(id);
    const course = session && (await courses.get(session.courseId));
    // Only published courses' sessions take enrolments; others do not exist for enrolling callers.
    if (!session || !course || (course.state !== "published" && !readsAll(viewer)))
      throw new NotFoundError("session", id);
    return { session, course };
  }

  async function loadEnrolment(id: string): Promise<Enrolment> {
    const e = await enrolments.get(id);
    if (!e) throw new NotFoundError("enrolment", id);
    return e;
  }

  function isStaffOf(me: Identity, site: string): boolean {
    return me.role === "admin" || (me.role === "staff" && me.sites.includes(site));
  }

  /** The person themself, their school's referent, staff of the site, an admin. */
  function mayAct(me: Identity, e: Enrolment): boolean {
    return (
      e.personId === me.subject ||
      (me.role === "school" && e.school?.id === me.organisationId) ||
      isStaffOf(me, e.site)
    );
  }

  /** Reading adds the programme office; anyone else gets the 404 of an unknown id. */
  function requireRead(viewer: Viewer, e: Enrolment): Identity {
    const me = signedIn(viewer);
    if (!(mayAct(me, e) || me.role === "programme")) throw new NotFoundError("enrolment", e.id);
    return me;
  }

  function requireAct(viewer: Viewer, e: Enrolment): Identity {
    const me = requireRead(viewer, e);
    if (!mayAct(me, e))
      throw new ForbiddenError(
        "Only the person, their school's referent or staff of the site change an enrolment",
      );
    return me;
  }

  /** Who is enrolled, as the caller's role allows. */
  function whoFor(
    me: Identity,
    session: Session,
    body: EnrolBody,
  ): Pick<EnrolmentRequest, "personId" | "audience" | "school"> {
    const issues = new Issues();
    if (body.overrideReason !== undefined && !isStaffOf(me, session.site))
      throw new ForbiddenError("Only staff of the session's site waive prerequisites");
    switch (me.role) {
      case "learner":
        if (body.personId !== undefined && body.personId !== me.subject)
          throw new ForbiddenError("A learner enrols themself; staff of the site enrol others");
        issues.check(body.student === undefined, "student", "only a school referent enrols a student");
        issues.throwIfAny("The enrolment is not valid");
        return { personId: me.subject, audience: "self" };
      case "school": {
        issues.check(
          body.personId === undefined,
          "personId",
          "a school names its students by student.pseudonym",
        );
        const student = body.student;
        if (student) {
          issues.check(
            !student.minor || !!student.parentalConsentOn,
            "student.parentalConsentOn",
            "a minor needs the parents' consent: send the day the school recorded it",
          );
          if (student.parentalConsentOn && student.parentalConsentOn > romeDate(clock.now()))
            issues.add("student.parentalConsentOn", "cannot be in the future");
        }
        issues.throwIfAny("The enrolment is not valid");
        if (!student) return { personId: me.subject, audience: "self" }; // a teacher, for themself
        const consent: StudentConsent = {
          minor: student.minor,
          ...(student.parentalConsentOn ? { parentalConsentOn: student.parentalConsentOn } : {}),
        };
        return {
          personId: `${me.organisationId}/${student.pseudonym}`,
          audience: "student",
          school: { id: me.organisationId, pseudonym: student.pseudonym, consent },
        };
      }
      case "staff":
      case "admin":
        requireSitesStaff(me, [session.site]);
        issues.check(body.student === undefined, "student", "only a school referent enrols a student");
        issues.check(body.personId !== undefined, "personId", "name the person staff enrol");
        issues.throwIfAny("The enrolment is not valid");
        return { personId: body.personId!, audience: "on_behalf" };
      default:
        throw new ForbiddenError(
          `A ${me.role} does not enrol: learners enrol themselves, schools their students, staff anyone`,
        );
    }
  }

  function requireAudience(course: Course, enroller: Enroller, audience: EnrolmentAudience): void {
    const serving = audiencesServing(enroller, audience);
    if (!serving || course.audiences.some((a) => serving.includes(a))) return;
    throw new InvalidStateError("course", course.state, "enrol in", {
      reason: "not_for_audience",
      because:
        `the course is for ${course.audiences.join(", ")}; ` +
        (enroller === "school"
          ? audience === "student"
            ? "a school enrols its students in courses for students"
            : "a teacher enrols in courses for teachers"
          : "courses only for school students are booked by the school") +
        "; staff of the site may enrol anyone",
      details: { audiences: course.audiences },
    });
  }

  function requireOpen(session: Session, now: Date, attempted: string): void {
    if (session.state !== "scheduled")
      throw new InvalidStateError("session", session.state, attempted, {
        because: `it is ${session.state}: only a scheduled session takes enrolments`,
      });
    const today = romeDate(now);
    const { opensOn, closesOn } = session.enrolment;
    if (today < opensOn || today > closesOn)
      throw new InvalidStateError("session", session.state, attempted, {
        reason: "enrolment_closed",
        because: `enrolment is open from ${opensOn} to ${closesOn} (Europe/Rome); today is ${today}`,
        details: { opensOn, closesOn },
      });
  }

  async function prerequisitesMissing(course: Course, personId: string) {
    if (!course.prerequisites.length) return [];
    const held = await credentials.listFor(personId);
    const placed = new Map<string, number | undefined>();
    for (const p of course.prerequisites)
      placed.set(
        `${p.framework}@${p.version}/${p.competence}`,
        await placements.levelOf(personId, { framework: p.framework, version: p.version }, p.competence),
      );
    return missingPrerequisites(course.prerequisites, held, (p) =>
      placed.get(`${p.framework}@${p.version}/${p.competence}`),
    );
  }

  /**
   * Claims a free seat of the session for `enrolmentId`: reads the taken numbers and inserts a free
   * one (starting at a random free number, so contenders spread); on a clash tries the next, re-reading
   * when all were taken meanwhile. undefined when the session is full.
   */
  async function claimSeat(
    session: Session,
    enrolmentId: string,
    claim: string,
  ): Promise<number | undefined> {
    for (let round = 0; round < 3; round++) {
      const free = freeSeatNumbers(session.capacity, await seats.taken(session.id));
      if (!free.length) return undefined;
      const start = Math.floor(Math.random() * free.length);
      for (let i = 0; i < free.length; i++) {
        const number = free[(start + i) % free.length]!;
        const claimed = await seats.claim({
          sessionId: session.id,
          number,
          enrolmentId,
          claim,
          claimedAt: clock.now(),
          settled: false,
        });
        if (claimed) return number;
      }
    }
    return undefined;
  }

  async function recount(session: Pick<Session, "id" | "capacity">): Promise<number> {
    const free = Math.max(0, session.capacity - (await seats.count(session.id)));
    await freeSeatsHint.set(session.id, free);
    return free;
  }

  /** Writes a new or renewed enrolment; false when a concurrent request of the same person won. */
  async function store(next: Enrolment, previous: Enrolment | undefined, events: EnrolmentEvent[]) {
    if (previous) return enrolments.update(next, events);
    return (await enrolments.insert(next, events)) ? next : undefined;
  }

  async function positionOf(e: Enrolment): Promise<number | undefined> {
    return e.status === "waitlisted"
      ? waitingPosition(e, await enrolments.waitingLine(e.sessionId))
      : undefined;
  }

  /** Offers the session's free seats to the first waiting people, each for `offerHours`. */
  async function offerFreeSeats(sessionId: string, by: string): Promise<void> {
    const session = await sessions.get(sessionId);
    if (!session || session.state !== "scheduled") return;
    for (let guard = 0; guard < session.capacity + 20; guard++) {
      const [first] = await enrolments.firstWaiting(sessionId, 1);
      if (!first) break;
      const claim = ids.newId();
      const seat = await claimSeat(session, first.id, claim);
      if (seat === undefined) break;
      const now = clock.now();
      const offered = offerSeat(
        first,
        seat,
        new Date(now.getTime() + settings.offerHours * 3_600_000),
        by,
        now,
      );
      if (!(await enrolments.update(offered, [{ type: "SeatOffered", enrolment: offered, by, at: now }]))) {
        // They left or were offered a seat meanwhile: the seat goes to whoever is first now.
        await seats.release(sessionId, seat, { claim });
        continue;
      }
      await seats.settle(sessionId, seat, claim);
    }
    await recount(session);
  }

  /** After a seat-holding enrolment let its seat go: free it in the ledger and offer it on. */
  async function seatFreed(e: Pick<Enrolment, "id" | "sessionId">, seat: number, by: string) {
    await seats.release(e.sessionId, seat, { enrolmentId: e.id });
    await offerFreeSeats(e.sessionId, by);
  }

  async function change(
    viewer: Viewer,
    id: string,
    apply: (e: Enrolment, me: Identity, now: Date) => Enrolment,
    events: (next: Enrolment, me: Identity, now: Date) => EnrolmentEvent[],
  ) {
    const current = await loadEnrolment(id);
    const me = requireAct(viewer, current);
    const now = clock.now();
    const next = apply(current, me, now);
    const stored = await enrolments.update(next, events(next, me, now));
    if (!stored)
      throw new PreconditionFailedError(
        "The enrolment changed meanwhile (an offer or a withdrawal); reload and retry",
      );
    return { before: current, after: stored, me };
  }

  return {
    /**
     * Enrols a person in a session: confirmed on a free seat, otherwise waiting (or 409 when the
     * session keeps no waiting list). Enrolling again while enrolled answers the enrolment as it is.
     */
    async enrol(viewer: Viewer, sessionId: string, body: EnrolBody) {
      const me = signedIn(viewer);
      if (!["learner", "school", ...MANAGERS].includes(me.role))
        throw new ForbiddenError(
          `A ${me.role} does not enrol: learners enrol themselves, schools their students, staff anyone`,
        );
      const { session, course } = await loadSession(viewer, sessionId);
      const who = whoFor(me, session, body);
      const now = clock.now();
      requireOpen(session, now, "enrol in");
      requireAudience(
        course,
        me.role === "learner" || me.role === "school" ? me.role : "staff",
        who.audience,
      );
      const id = enrolmentIdOf(session.id, who.personId);
      const previous = await enrolments.get(id);
      if (previous && isActive(previous))
        return { enrolment: enrolmentView(previous, await positionOf(previous)), created: false };

      const missing = await prerequisitesMissing(course, who.personId);
      let override: PrerequisiteOverride | undefined;
      if (missing.length) {
        const list = missing.map((p) => `${p.competence} at level ${p.level} (${p.framework} ${p.version})`);
        if (body.overrideReason === undefined)
          throw new InvalidStateError("enrolment", "none", "enrol in", {
            reason: "prerequisites_missing",
            because: `the course requires ${list.join(", ")}: a credential or a placement self-check at that level; staff may waive it with a reason`,
            details: { missing },
          });
        override = { by: me.subject, reason: body.overrideReason, at: now };
      }

      const claim = ids.newId(); // time-ordered: also the waiting order's tie-break
      const seat = await claimSeat(session, id, claim);
      if (seat === undefined && !settings.waitlist)
        throw new InvalidStateError("session", session.state, "enrol in", {
          reason: "session_full",
          because: "every seat is taken and this session keeps no waiting list",
        });
      const req: EnrolmentRequest = {
        id,
        session,
        ...who,
        enrolledBy: me.subject,
        ...(override ? { override } : {}),
        ticket: claim,
      };
      const next = enrol(req, seat, previous, now);
      // Where they join the line: the people waiting now, plus one (simultaneous joiners may be told the
      // same number; the order itself is exact, and reading the enrolment gives the exact position).
      const position =
        seat === undefined ? waitingPosition(next, await enrolments.waitingLine(session.id)) : undefined;
      const events: EnrolmentEvent[] =
        position !== undefined
          ? [{ type: "EnrolmentWaitlisted", enrolment: next, position, by: me.subject, at: now }]
          : [
              {
                type: "EnrolmentConfirmed",
                enrolment: next,
                course,
                hours: sessionHours(session),
                freeSeats: Math.max(0, session.capacity - (await seats.count(session.id))),
                by: me.subject,
                at: now,
              },
            ];
      const stored = await store(next, previous, events);
      if (!stored) {
        // The same person's concurrent request got there first: give our seat back, answer with theirs.
        if (seat !== undefined) await seats.release(session.id, seat, { claim });
        const current = await loadEnrolment(id);
        return { enrolment: enrolmentView(current, await positionOf(current)), created: false };
      }
      if (seat !== undefined) {
        await seats.settle(session.id, seat, claim);
        await recount(session);
      }
      return { enrolment: enrolmentView(stored, position), created: true };
    },

    async get(viewer: Viewer, id: string) {
      const e = await loadEnrolment(id);
      requireRead(viewer, e);
      return enrolmentView(e, await positionOf(e));
    },

    /** The caller's own enrolments (a learner, a teacher). */
    async mine(viewer: Viewer, page: PageRequest) {
      const me = signedIn(viewer);
      const mine = await enrolments.forPerson(me.subject, page);
      return {
        items: await Promise.all(mine.items.map(async (e) => enrolmentView(e, await positionOf(e)))),
        ...(mine.nextCursor ? { nextCursor: mine.nextCursor } : {}),
      };
    },

    /**
     * Everyone in a session in the order they came, a page at a time; a waiting person's position is
     * their place in the whole line (staff of its site, programme, admin).
     */
    async forSession(viewer: Viewer, sessionId: string, page: PageRequest) {
      const me = signedIn(viewer);
      const { session } = await loadSession(viewer, sessionId);
      if (me.role !== "programme") requireSitesStaff(me, [session.site]);
      const found = await enrolments.pageForSession(session.id, page);
      const line = found.items.some((e) => e.status === "waitlisted")
        ? await enrolments.waitingLine(session.id)
        : [];
      return {
        capacity: session.capacity,
        seatsTaken: await seats.count(session.id),
        items: found.items.map((e) =>
          enrolmentView(e, e.status === "waitlisted" ? waitingPosition(e, line) : undefined),
        ),
        ...(found.nextCursor ? { nextCursor: found.nextCursor } : {}),
      };
    },

    /**
     * How many hold a seat and how many wait, without who: also for the partner body whose course it
     * is (staff of the site, programme and admin read the list itself).
     */
    async counts(viewer: Viewer, sessionId: string) {
      const me = signedIn(viewer);
      const { session, course } = await loadSession(viewer, sessionId);
      if (me.role !== "programme" && !isProvider(me, course)) requireSitesStaff(me, [session.site]);
      return {
        sessionId: session.id,
        capacity: session.capacity,
        seatsTaken: await seats.count(session.id),
        waiting: (await enrolments.waitingLine(session.id)).length,
      };
    },

    /** Leaves the session or its waiting list; a held seat is freed and offered to the first in line. */
    async withdraw(viewer: Viewer, id: string, reason: string | undefined) {
      const current = await loadEnrolment(id);
      requireAct(viewer, current);
      const session = await sessions.get(current.sessionId);
      if (!session) throw new NotFoundError("session", current.sessionId);
      const deadline =
        current.status === "confirmed"
          ? withdrawalDeadline(session, settings.withdrawalHoursBefore)
          : withdrawalDeadline(session, 0);
      const { before, after } = await change(
        viewer,
        id,
        (e, me, now) => withdraw(e, deadline, me.subject, reason ?? "", now),
        (next, me, now) => [
          {
            type: "EnrolmentWithdrawn",
            enrolment: next,
            reason: reason ?? "",
            seatFreed: holdsSeat(current),
            by: me.subject,
            at: now,
          },
        ],
      );
      if (before.seat !== undefined && holdsSeat(before)) await seatFreed(before, before.seat, SYSTEM);
      return enrolmentView(after);
    },

    async acceptOffer(viewer: Viewer, id: string) {
      const session = await sessions.get((await loadEnrolment(id)).sessionId);
      const course = session && (await courses.get(session.courseId));
      const { after } = await change(
        viewer,
        id,
        (e, me, now) => acceptOffer(e, me.subject, now),
        (next, me, now) =>
          session && course
            ? [
                {
                  type: "EnrolmentConfirmed",
                  enrolment: next,
                  course,
                  hours: sessionHours(session),
                  freeSeats: session.freeSeats,
                  by: me.subject,
                  at: now,
                },
              ]
            : [],
      );
      return enrolmentView(after);
    },

    async declineOffer(viewer: Viewer, id: string) {
      const { before, after } = await change(
        viewer,
        id,
        (e, me, now) => endOffer(e, "declined", me.subject, now),
        (next, me, now) => [
          {
            type: "EnrolmentWithdrawn",
            enrolment: next,
            reason: "offer declined",
            seatFreed: true,
            by: me.subject,
            at: now,
          },
        ],
      );
      await seatFreed(before, before.seat!, SYSTEM);
      return enrolmentView(after);
    },

    /**
     * Moves a confirmed learner to another session of the same course: the seat in the target is
     * claimed and the target enrolment written first, then the source seat is released; a retry after
     * a crash finds the target done and completes the release.
     */
    async move(viewer: Viewer, id: string, targetSessionId: string) {
      let source = await loadEnrolment(id);
      const me = requireAct(viewer, source);
      const { session: target, course } = await loadSession(viewer, targetSessionId);
      if (target.id === source.sessionId || target.courseId !== source.courseId) {
        const issues = new Issues();
        issues.add("targetSessionId", "must be another session of the same course");
        issues.throwIfAny("The move is not valid");
      }
      if (me.role === "staff") requireSitesStaff(me, [target.site]);
      const targetId = enrolmentIdOf(target.id, source.personId);
      let landed = await enrolments.get(targetId);
      const done = (e: Enrolment | undefined) =>
        !!e && e.status === "confirmed" && e.movedFrom === source.sessionId;
      if (!done(landed)) {
        if (source.status !== "confirmed")
          throw new InvalidStateError("enrolment", source.status, "move", {
            because: `it is ${source.status}: only a confirmed learner is moved`,
          });
        if (landed && isActive(landed))
          throw new InvalidStateError("enrolment", landed.status, "move", {
            reason: "already_in_target",
            because: `the person is already ${landed.status} in session ${target.id}`,
          });
        if (target.state !== "scheduled")
          throw new InvalidStateError("session", target.state, "move a learner to");
        const now = clock.now();
        const claim = ids.newId();
        const seat = await claimSeat(target, targetId, claim);
        if (seat === undefined)
          throw new InvalidStateError("session", target.state, "move a learner to", {
            reason: "session_full",
            because: "every seat of the target session is taken",
          });
        const req: EnrolmentRequest = {
          id: targetId,
          session: target,
          personId: source.personId,
          ...(source.school ? { school: source.school } : {}),
          enrolledBy: me.subject,
          audience: source.audience as EnrolmentAudience,
          ticket: claim,
        };
        const next = moveIn(req, source, seat, landed, now);
        const events: EnrolmentEvent[] = [
          {
            type: "EnrolmentConfirmed",
            enrolment: next,
            course,
            hours: sessionHours(target),
            freeSeats: Math.max(0, target.capacity - (await seats.count(target.id))),
            by: me.subject,
            at: now,
          },
        ];
        if (!(await store(next, landed, events))) {
          await seats.release(target.id, seat, { claim });
          throw new PreconditionFailedError(
            "The person's enrolment in the target changed meanwhile; reload and retry",
          );
        }
        await seats.settle(target.id, seat, claim);
        await recount(target);
        landed = (await enrolments.get(targetId))!;
      }
      // The target holds a seat now: let the source one go (again, harmlessly, on a retry).
      if (source.status === "confirmed") {
        const now = clock.now();
        const out = moveOut(source, target.id, me.subject, now);
        const stored = await enrolments.update(out, [
          {
            type: "EnrolmentWithdrawn",
            enrolment: out,
            reason: `moved to session ${target.id}`,
            seatFreed: true,
            by: me.subject,
            at: now,
          },
        ]);
        if (!stored)
          throw new PreconditionFailedError("The enrolment changed meanwhile; retry the move to complete it");
        await seatFreed(source, source.seat!, SYSTEM);
        source = stored;
      } else {
        await offerFreeSeatsAfterRelease(source);
      }
      return enrolmentView(landed!);
    },

    /**
     * The sweeper (periodic): lapses expired offers and moves them on, gives back seats whose
     * enrolment was never written (after a grace period), offers free seats to waiting people, and
     * refreshes each touched session's free-seat hint.
     */
    async sweep() {
      const now = clock.now();
      let lapsed = 0;
      let orphans = 0;
      for (const offer of await enrolments.expiredOffers(now, 200)) {
        const next = endOffer(offer, "lapsed", SYSTEM, now);
        const stored = await enrolments.update(next, [
          {
            type: "EnrolmentWithdrawn",
            enrolment: next,
            reason: "offer lapsed",
            seatFreed: true,
            by: SYSTEM,
            at: now,
          },
        ]);
        if (!stored) continue;
        lapsed++;
        await seatFreed(offer, offer.seat!, SYSTEM);
      }
      const touched = new Set<string>();
      for (const seat of await seats.unsettled(new Date(now.getTime() - settings.seatGraceMs), 500)) {
        const e = await enrolments.get(seat.enrolmentId);
        if (e && holdsSeat(e) && e.seat === seat.number && e.sessionId === seat.sessionId)
          await seats.settle(seat.sessionId, seat.number, seat.claim);
        else if (await seats.release(seat.sessionId, seat.number, { claim: seat.claim })) {
          orphans++;
          touched.add(seat.sessionId);
        }
      }
      for (const sessionId of new Set([...touched, ...(await enrolments.sessionsWithWaiting(200))]))
        await offerFreeSeats(sessionId, SYSTEM);
      return { lapsed, orphans };
    },
  };

  /** A retried move whose source is already moved: make sure its seat went back. */
  async function offerFreeSeatsAfterRelease(source: Enrolment) {
    const held = source.history.findLast((h) => h.what === "moved_out")?.seat;
    if (held !== undefined) await seatFreed(source, held, SYSTEM);
  }
}
