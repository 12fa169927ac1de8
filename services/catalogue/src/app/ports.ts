// What the use cases need from the outside world; infra implements these.
import type { CalendarFeed } from "@lto/calendar";
import type { LocalDate } from "@lto/civil-time";
import type {
  Audience,
  CompetenceMapping,
  Course,
  OpenSession,
  CourseEvent,
  CourseState,
  Mode,
  Enrolment,
  EnrolmentEvent,
  EnrolmentStatus,
  FrameworkRef,
  Session,
  SessionEvent,
  WaitingPlace,
} from "../domain/index.js";
import type {
  AttendanceEvent,
  AttendanceRegister,
  ContactState,
  TalentEntry,
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

/** One page of a list: at most `limit` items after the position `cursor` (a previous nextCursor). */
export interface PageRequest {
  limit: number;
  cursor?: string;
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
  /** One site's sessions with a meeting day in [from, to] (any state: a site's calendar), newest first. */
  listForSite(
    site: string,
    filter: { from?: LocalDate; to?: LocalDate; cursor?: string; limit: number },
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

export interface Ports extends SuggestPorts {
  courses: CourseRepository;
  sessions: SessionRepository;
  credentials: CredentialRecords;
  clock: Clock;
  ids: IdGenerator;
  calendars: CalendarPorts;
}

// --- Calendars: personal feeds, the sessions they list, the ICS text -----------------------------

/** A person's secret feed: only the SHA-256 of its token is kept (one feed per person, by subject). */
export interface PersonalFeed {
  /** The person's subject. */
  id: string;
  tokenHash: string;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export interface PersonalFeeds {
  ofPerson(personId: string): Promise<PersonalFeed | undefined>;
  byTokenHash(tokenHash: string): Promise<PersonalFeed | undefined>;
  /** Stores a new feed; false when the person has one already (created meanwhile). */
  insert(feed: PersonalFeed): Promise<boolean>;
  /** Replaces the token; false when the feed changed or went meanwhile. */
  update(feed: PersonalFeed): Promise<boolean>;
  /** Revokes the person's feed; false when there was none. */
  remove(personId: string): Promise<boolean>;
}

export interface FeedTokens {
  /** A new secret and the hash to store. */
  newToken(): { token: string; hash: string };
}

/** The sessions a learner holds or is offered a seat in (read from the enrolments). */
export interface LearnerSessions {
  ofPerson(personId: string): Promise<string[]>;
}

export interface CalendarSessions {
  /** Sessions with a meeting whose trainerId is this person. */
  trainedBy(personId: string): Promise<Session[]>;
  /** The sessions with these ids that exist. */
  getMany(ids: readonly string[]): Promise<Session[]>;
}

/** A feed as iCalendar text (RFC 5545). */
export interface CalendarText {
  render(feed: CalendarFeed, generatedAt: Date): string;
}

export interface CalendarPorts {
  feeds: PersonalFeeds;
  tokens: FeedTokens;
  learnerSessions: LearnerSessions;
  sessions: CalendarSessions;
  text: CalendarText;
}

// --- Course suggestions for adopted teams and the DigComp self-check (suggestions.ts, self-checks.ts) ---

/** An adoption of an idea, as the adoption service announced it. */
export interface IdeaAdoption {
  adoptionId: string;
  companyId: string;
  companyName: string;
  at: Date;
}

/**
 * An idea as the catalogue follows it from the ideas and adoption topics: what suggestions need (area,
 * technologies, district, team, school) and whether it is adopted. The two topics are not ordered with
 * each other, so an adoption may arrive first: the idea is then `unknown` (version 0) until published.
 */
export interface TeamIdea {
  id: string;
  /** The idea's version in the ideas service; 0 while only its adoption is known. */
  ideaVersion: number;
  status: "published" | "withdrawn" | "unknown";
  teamId: string;
  teamName: string;
  schoolId: string;
  title: string;
  area: string;
  technologies: string[];
  district: string;
  adoption: IdeaAdoption | null;
  /** This projection's own version: it moves only when a consumed event changed something. */
  version: number;
}

/**
 * The projection, written by the consumers: each write records the consumed event's id in the same
 * update, so a redelivered event is recognised (`hasProcessed`) and changes nothing.
 */
export interface TeamIdeaProjection {
  get(ideaId: string): Promise<TeamIdea | undefined>;
  hasProcessed(ideaId: string, eventId: string): Promise<boolean>;
  /** False when the idea was stored meanwhile (then read it again). */
  insert(idea: TeamIdea, eventId: string): Promise<boolean>;
  /** False when the stored version moved on or the event was applied meanwhile (then read it again). */
  update(idea: TeamIdea, eventId: string): Promise<boolean>;
  /** The event changed nothing: only its id is recorded (no new version). */
  markProcessed(ideaId: string, eventId: string): Promise<void>;
  /** Any idea of the team (whether the team is known at all). */
  anyOfTeam(teamId: string): Promise<TeamIdea | undefined>;
  /** One page of the published, adopted ideas of a team or of a school, newest first. */
  adopted(by: { teamId: string } | { schoolId: string }, page: PageRequest): Promise<Page<TeamIdea>>;
}

/** Published courses and their open sessions, as suggestions read them. */
export interface SuggestionCatalogue {
  /** Published courses of an economic area for any of `audiences`. */
  publishedFor(area: string, audiences: readonly Audience[]): Promise<Course[]>;
  /** Published courses for any of `audiences` that target `competence` at `level`. */
  publishedTargeting(competence: string, level: number, audiences: readonly Audience[]): Promise<Course[]>;
  /** The open (scheduled, running) sessions of these courses. */
  openSessions(courseIds: readonly string[]): Promise<OpenSession[]>;
}

/** One submitted self-check: the answers and the level each competence reached. */
export interface SelfCheckRecord {
  id: string;
  personId: string;
  framework: string;
  frameworkVersion: string;
  at: Date;
  results: { competence: string; answers: number[]; level: number }[];
  version: number;
}

/**
 * A person's placement in one competence of one framework version, from their latest self-check: one
 * document per person, framework version and competence in the `placements` collection. Enrolment
 * prerequisites read it: these field names are a contract (personId, framework, frameworkVersion,
 * competence, level, at).
 */
export interface Placement {
  id: string;
  personId: string;
  framework: string;
  frameworkVersion: string;
  competence: string;
  level: number;
  at: Date;
  /** The self-check it came from. */
  selfCheckId: string;
  version: number;
}

export interface SelfCheckStore {
  /** Stores the self-check, then sets each placement to it. */
  record(check: SelfCheckRecord, placements: Omit<Placement, "id" | "version">[]): Promise<void>;
  /** A person's self-checks, newest first. */
  listFor(personId: string, page: PageRequest): Promise<Page<SelfCheckRecord>>;
  placementsOf(personId: string): Promise<Placement[]>;
}

export interface SuggestPorts {
  teamIdeas: TeamIdeaProjection;
  suggestionCatalogue: SuggestionCatalogue;
  selfChecks: SelfCheckStore;
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
  /** A person's credentials, newest first (without the revoked ones when `activeOnly`). */
  pageFor(personId: string, page: PageRequest, activeOnly?: boolean): Promise<Page<StoredCredential>>;
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
  /** Frees the seat, only if still held by the attempt `claim` or by the enrolment `enrolmentId`. */
  release(
    sessionId: string,
    number: number,
    holder: { claim: string } | { enrolmentId: string },
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
  /** One page of everyone in a session, in the order they came (first enrolment first). */
  pageForSession(sessionId: string, page: PageRequest): Promise<Page<Enrolment>>;
  /** One page of a person's enrolments, newest first. */
  forPerson(personId: string, page: PageRequest): Promise<Page<Enrolment>>;
  /** Who waits in the session now (read after the call), in no particular order. */
  waitingLine(sessionId: string): Promise<WaitingPlace[]>;
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

// ---- Talent profiles and company search (talent.ts) ---------------------------------------------------

/**
 * An adult learner's opt-in profile. Its id is the pseudonym companies see (a new one after each
 * withdrawal and opt-in; search cursors carry it, so never the person); withdrawal deletes it.
 */
export interface TalentProfile {
  id: string;
  /** The person's subject (never shown to companies); one profile per person. */
  personId: string;
  entries: TalentEntry[];
  district: string;
  areas: string[];
  headline: string;
  /** When the learner stated a birth date of an adult (the date itself is not kept). */
  adultConfirmedAt: Date;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export interface TalentSearch {
  framework: string;
  frameworkVersion?: string;
  competence?: string;
  minLevel: number;
  area?: string;
  district?: string;
  cursor?: string;
  limit: number;
}

/** A company opened a profile. */
export interface ProfileView {
  id: string;
  profileId: string;
  personId: string;
  companyId: string;
  by: string;
  at: Date;
}

export interface ContactRequest {
  id: string;
  profileId: string;
  personId: string;
  companyId: string;
  by: string;
  message: string;
  state: ContactState;
  createdAt: Date;
  decidedAt?: Date;
  /** What the person chose to share on accepting. */
  contact?: string;
  version: number;
}

export interface TalentRepository {
  ofPerson(personId: string): Promise<TalentProfile | undefined>;
  get(profileId: string): Promise<TalentProfile | undefined>;
  /** False when the person's profile was stored meanwhile. */
  insert(profile: TalentProfile): Promise<boolean>;
  /** False when the stored version moved on. */
  update(profile: TalentProfile): Promise<boolean>;
  /** Deletes the person's profile: false when there was none. */
  remove(personId: string): Promise<boolean>;
  search(query: TalentSearch): Promise<Page<TalentProfile>>;
  recordView(view: ProfileView): Promise<void>;
  /** One page of the views of the person's profiles, newest first. */
  viewsOf(personId: string, page: PageRequest): Promise<Page<ProfileView>>;
  /** False when the company has a pending request to the profile already. */
  insertRequest(request: ContactRequest): Promise<boolean>;
  getRequest(id: string): Promise<ContactRequest | undefined>;
  /** False when the stored version moved on. */
  updateRequest(request: ContactRequest): Promise<boolean>;
  /** One page of the requests a person received or a company sent, newest first. */
  pageRequestsOf(
    by: { personId: string } | { companyId: string },
    page: PageRequest,
  ): Promise<Page<ContactRequest>>;
  /** Deletes the views of the person's profiles (erasure). */
  removeViewsOf(personId: string): Promise<void>;
}

export interface Ports {
  talent: TalentRepository;
}
