// What the use cases need from the outside world; infra implements these.
import type { LocalDate } from "@lto/civil-time";
import type {
  Audience,
  CalendarFeed,
  CompetenceMapping,
  Course,
  CourseEvent,
  CourseState,
  Mode,
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
