// What the use cases need from the outside world; infra implements these.
import type { LocalDate } from "@lto/civil-time";
import type {
  Audience,
  CompetenceMapping,
  Course,
  CourseEvent,
  CourseState,
  Mode,
  Enrolment,
  EnrolmentEvent,
  EnrolmentStatus,
  FrameworkRef,
  Session,
  SessionEvent,
} from "../domain/index.js";

export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  /** Time-ordered ids (UUIDv7), so "newest first" is id order. */
  newId(): string;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface CourseFilters {
  audience?: Audience;
  area?: string;
  /** A DigComp competence code the course targets ("3.4"). */
  competence?: string;
  /** A target level (with `competence`: that competence at that level). */
  level?: number;
  site?: string;
  mode?: Mode;
  /** Only these courses (the ones with a matching session), when session filters are used. */
  ids?: string[];
}

/** Who may see which courses: states, and a provider's own courses in any state. */
export interface CourseScope {
  states?: readonly CourseState[];
  providerId?: string;
}

export interface CourseQuery {
  filters: CourseFilters;
  scope: CourseScope | "all";
  cursor?: string;
  limit: number;
}

/**
 * Repositories write an aggregate with the events it produced in ONE update (the outbox) and check its
 * version: `update` fails with PreconditionFailedError when the stored version moved on.
 */
export interface CourseRepository {
  get(id: string): Promise<Course | undefined>;
  list(query: CourseQuery): Promise<Page<Course>>;
  insert(course: Course, events: CourseEvent[]): Promise<void>;
  update(course: Course, events: CourseEvent[]): Promise<Course>;
}

/** Sessions a learner could still join: not cancelled or completed. */
export interface SessionFilters {
  site?: string;
  /** First meeting on or after this day. */
  from?: LocalDate;
  /** First meeting on or before this day. */
  to?: LocalDate;
  /** At least one free seat. */
  freeSeats?: boolean;
}

export interface SessionRepository {
  get(id: string): Promise<Session | undefined>;
  /** One course's sessions, newest first; `openOnly` leaves out cancelled and completed ones. */
  listForCourse(
    courseId: string,
    filter: { site?: string; openOnly?: boolean; cursor?: string; limit: number },
  ): Promise<Page<Session>>;
  /** Ids of courses with an open session matching the filters (the catalogue's session filters). */
  courseIdsWith(filters: SessionFilters): Promise<string[]>;
  insert(session: Session, events: SessionEvent[]): Promise<void>;
  update(session: Session, events: SessionEvent[]): Promise<Session>;
}

/** A credential as other services ask about it (issued by the credentials module). */
export interface CredentialRecord {
  id: string;
  personId: string;
  courseId: string;
  sessionId: string;
  site: string;
  competences: CompetenceMapping[];
  hours: number;
  issuedAt: Date;
  revoked: boolean;
}

export interface CredentialRecords {
  listFor(personId: string): Promise<CredentialRecord[]>;
}

export interface Ports {
  courses: CourseRepository;
  sessions: SessionRepository;
  credentials: CredentialRecords;
  clock: Clock;
  ids: IdGenerator;
}

// ---- Enrolment and the seat ledger -------------------------------------------------------------------
// The ledger is the truth about seats: one entry per claimed seat number of a session, created by a
// unique insert (exactly one claimant wins, on every store) and removed when the seat frees.

/** One claimed seat: which enrolment claimed it, with a token naming that one attempt. */
export interface SeatClaim {
  sessionId: string;
  number: number;
  enrolmentId: string;
  /** Distinguishes two attempts of the same enrolment (a person racing themself). */
  claim: string;
  claimedAt: Date;
  /** False until the enrolment naming this seat is written; the sweeper checks unsettled old ones. */
  settled: boolean;
}

export interface SeatLedger {
  /** The seat numbers of a session that are taken. */
  taken(sessionId: string): Promise<number[]>;
  /** Claims one seat number: true when this claim got it, false when it was taken. */
  claim(seat: SeatClaim): Promise<boolean>;
  get(sessionId: string, number: number): Promise<SeatClaim | undefined>;
  /** The enrolment is written: the seat is no longer a candidate orphan. */
  settle(sessionId: string, number: number, claim: string): Promise<void>;
  /** Frees the seat, only if still held by `claim` (when given) or by `enrolmentId`. */
  release(
    sessionId: string,
    number: number,
    holder: { claim?: string; enrolmentId?: string },
  ): Promise<boolean>;
  count(sessionId: string): Promise<number>;
  /** Unsettled claims made before `before` (crashes between the seat and the enrolment write). */
  unsettled(before: Date, limit: number): Promise<SeatClaim[]>;
}

export interface EnrolmentRepository {
  get(id: string): Promise<Enrolment | undefined>;
  /** false when an enrolment with this id exists already (a concurrent request of the same person). */
  insert(enrolment: Enrolment, events: EnrolmentEvent[]): Promise<boolean>;
  /** undefined when the stored version moved on. */
  update(enrolment: Enrolment, events: EnrolmentEvent[]): Promise<Enrolment | undefined>;
  forSession(sessionId: string, statuses?: readonly EnrolmentStatus[]): Promise<Enrolment[]>;
  forPerson(personId: string): Promise<Enrolment[]>;
  /** How many wait in the session. */
  waitingCount(sessionId: string): Promise<number>;
  /** How many wait ahead of `enrolment` in its session. */
  waitingAhead(enrolment: Enrolment): Promise<number>;
  /** The first waiting people of a session, in order. */
  firstWaiting(sessionId: string, limit: number): Promise<Enrolment[]>;
  expiredOffers(now: Date, limit: number): Promise<Enrolment[]>;
  sessionsWithWaiting(limit: number): Promise<string[]>;
}

/** Placement self-assessments (written by the self-check): the level a person placed at, if any. */
export interface Placements {
  levelOf(personId: string, framework: FrameworkRef, competence: string): Promise<number | undefined>;
}

export interface EnrolmentSettings {
  /** How long a seat offer to the first waiting person stays open. */
  offerHours: number;
  /** A confirmed learner withdraws (freeing the seat) until this many hours before the first meeting. */
  withdrawalHoursBefore: number;
  /** Whether full sessions keep a waiting list (otherwise a full session refuses with 409). */
  waitlist: boolean;
  /** How old an unsettled seat claim is before the sweeper treats it as an orphan. */
  seatGraceMs: number;
}

/** The session's `freeSeats` browse hint (the ledger is the truth), kept without changing its version. */
export interface FreeSeatsHint {
  set(sessionId: string, freeSeats: number): Promise<void>;
}

export interface Ports {
  enrolments: EnrolmentRepository;
  freeSeatsHint: FreeSeatsHint;
  seats: SeatLedger;
  placements: Placements;
  enrolmentSettings: EnrolmentSettings;
}
