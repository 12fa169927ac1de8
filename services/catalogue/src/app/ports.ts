// What the use cases need from the outside world; infra implements these.
import type { LocalDate } from "@lto/civil-time";
import type {
  Audience,
  CompetenceMapping,
  Course,
  CourseEvent,
  CourseState,
  Mode,
  Session,
  SessionEvent,
} from "../domain/index.js";
import type {
  AttendanceEvent,
  AttendanceRegister,
  CompletionEvent,
  CredentialEvent,
  LearnerOutcome,
} from "../domain/index.js";
import type {
  CredentialInput,
  IssuerInput,
  OpenBadgeCredential,
  VerificationResult,
} from "../domain/credential.js";

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

// --- Attendance, completion, credentials and the skills passport -------------------------------------
// (Declared as a second `Ports` so the block merges into the one above.)

/** Learners holding a seat on a session, from the enrolments the seat ledger keeps. */
export interface Roster {
  confirmedLearners(sessionId: string): Promise<{ personId: string; enrolmentId: string }[]>;
}

export interface AttendanceRepository {
  get(sessionId: string, meetingId: string): Promise<AttendanceRegister | undefined>;
  listForSession(sessionId: string): Promise<AttendanceRegister[]>;
  /** Inserts a new register (version 0 -> 1) or updates it; 409/412 when another writer got there first. */
  save(register: AttendanceRegister, events: AttendanceEvent[]): Promise<AttendanceRegister>;
  /** Every register naming the person (erasure). */
  listNaming(personId: string): Promise<AttendanceRegister[]>;
}

/** A completed session's outcomes, written once; the credentials follow from it. */
export interface CompletionRecord {
  id: string;
  sessionId: string;
  courseId: string;
  site: string;
  outcomes: LearnerOutcome[];
  completedAt: Date;
  by: string;
  version: number;
}

export interface CompletionRepository {
  get(sessionId: string): Promise<CompletionRecord | undefined>;
  /** False when the session already has a completion record. */
  insert(record: CompletionRecord, events: CompletionEvent[]): Promise<boolean>;
  update(record: CompletionRecord): Promise<CompletionRecord>;
  listNaming(personId: string): Promise<CompletionRecord[]>;
}

/** A credential as the service keeps it: the facts, the input that built it, the signed token. */
export interface StoredCredential extends CredentialRecord {
  input: CredentialInput;
  jwt: string;
  statusListId: string;
  statusIndex: number;
  revokedAt?: Date;
  revocationReason?: string;
  revokedBy?: string;
  /** The holder asked to be erased: personId is a tombstone now. */
  erasedAt?: Date;
  version: number;
}

export interface CredentialRepository {
  get(id: string): Promise<StoredCredential | undefined>;
  listAllFor(personId: string): Promise<StoredCredential[]>;
  /** False when a credential with this id exists already. */
  insert(credential: StoredCredential, events: CredentialEvent[]): Promise<boolean>;
  update(credential: StoredCredential, events: CredentialEvent[]): Promise<StoredCredential>;
}

/** The issuer: its keys, its status lists, signing, verifying and the printable attestato. */
export interface CredentialIssuer {
  issuer(): IssuerInput;
  jwks(): Promise<{ keys: unknown[] }>;
  /** A status index never given before (a new list opens when one is full). */
  allocateStatus(): Promise<{ listId: string; listUrl: string; index: number }>;
  /** Sets the credential's revocation bit and re-signs its list. */
  revokeStatus(listId: string, index: number): Promise<void>;
  /** The signed status list credential, or undefined for an unknown list. */
  statusListJwt(listId: string): Promise<string | undefined>;
  sign(credential: OpenBadgeCredential, at: Date): Promise<string>;
  verify(jwt: string, now: Date): Promise<VerificationResult>;
  attestatoPdf(input: CredentialInput, learnerName: string | undefined): Promise<Uint8Array>;
  /** The public URL of a path of this service (ids in credentials, the verify link). */
  publicUrl(path: string): string;
}

/** Who read whose passport and why (staff and programme reads are accountable). */
export interface PassportReadLog {
  record(entry: { personId: string; by: string; role: string; reason: string; at: Date }): Promise<void>;
  /** Replaces the person id in the log entries (erasure). */
  eraseNaming(personId: string, tombstone: string): Promise<void>;
}

export interface Ports {
  roster: Roster;
  attendance: AttendanceRepository;
  completions: CompletionRepository;
  issuedCredentials: CredentialRepository;
  issuer: CredentialIssuer;
  passportReads: PassportReadLog;
}
