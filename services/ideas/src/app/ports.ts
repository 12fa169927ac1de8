// What the use cases need from the outside world; infra implements these.
import type {
  Call,
  CallEvent,
  Idea,
  IdeaEvent,
  IdeaState,
  LocalDate,
  PhaseStarts,
  Team,
} from "../domain/index.js";

export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  /** Time-ordered ids (UUIDv7), so "newest first" is id order. */
  newId(): string;
}

/**
 * Repositories write an aggregate together with the events it produced in ONE document update
 * (the outbox), and check its version: `update` fails with PreconditionFailedError when the stored
 * version is no longer the one the aggregate was loaded with, and returns it with the next version.
 */
export interface CallQuery {
  schoolYear?: string;
  /** Calls whose `begun` phase start is on or before `day` and whose `notBegun` one is after it. */
  phase?: { begun?: keyof PhaseStarts; notBegun?: keyof PhaseStarts; day: LocalDate };
  cursor?: string;
  limit: number;
}

export interface CallRepository {
  get(id: string): Promise<Call | undefined>;
  getMany(ids: string[]): Promise<Call[]>;
  /** Newest first, one page. */
  list(query: CallQuery): Promise<Page<Call>>;
  insert(call: Call, events: CallEvent[]): Promise<void>;
  update(call: Call, events: CallEvent[]): Promise<Call>;
}

export interface TeamRepository {
  get(id: string): Promise<Team | undefined>;
  getMany(ids: string[]): Promise<Team[]>;
  list(filter: {
    schoolId?: string;
    schoolYear?: string;
    cursor?: string;
    limit: number;
  }): Promise<Page<Team>>;
  insert(team: Team): Promise<void>;
  update(team: Team): Promise<Team>;
}

export interface IdeaFilters {
  callId?: string;
  /** The site of the idea's call (its staff review it). */
  site?: string;
  state?: IdeaState;
  area?: string;
  district?: string;
  technology?: string;
  need?: string;
  schoolId?: string;
  teamId?: string;
  /** Lower-case search tokens that must all appear in the title or summary. */
  words?: string[];
  /** Only ideas this subject is assigned to evaluate. */
  evaluator?: string;
}

/** One way a viewer may see an idea; a viewer sees the union of its scopes (each an AND of its fields). */
export interface IdeaScope {
  schoolId?: string;
  states?: readonly IdeaState[];
  evaluator?: string;
  /** Ideas that were submitted at least once (a draft nobody outside the school has seen is excluded). */
  submittedOnce?: boolean;
}

export interface IdeaQuery {
  filters: IdeaFilters;
  scopes: IdeaScope[] | "all";
  cursor?: string;
  limit: number;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface IdeaRepository {
  get(id: string): Promise<Idea | undefined>;
  list(query: IdeaQuery): Promise<Page<Idea>>;
  insert(idea: Idea, events: IdeaEvent[]): Promise<void>;
  /**
   * `processedEventId` is recorded in the same update, so a redelivered event is recognised: one
   * already recorded makes the update fail like a stale version (PreconditionFailedError).
   */
  update(idea: Idea, events: IdeaEvent[], processedEventId?: string): Promise<Idea>;
  hasProcessed(ideaId: string, eventId: string): Promise<boolean>;
  /** Records an event whose fact the idea already holds: no change, so no new version (ETag). */
  markProcessed(ideaId: string, eventId: string): Promise<void>;
}

/** One adoption of an idea of a student's team, as far as it concerns that student. */
export interface StudentAdoption {
  adoptionId: string;
  ideaId: string;
  ideaTitle: string;
  companyId: string;
  state: string;
  adoptedAt?: Date;
  records: {
    id: string;
    kind: string;
    status: string;
    date?: string;
    startedOn?: string;
    endedOn?: string;
    hours?: number;
  }[];
  pctoHours: { mentoring: number; internship: number; total: number };
}

/**
 * What the adoption service holds about a student (gRPC with a deadline). Throws UnavailableError
 * when it cannot answer in time, ForbiddenError/NotFoundError as the adoption service decides.
 */
export interface AdoptionRecords {
  exportStudent(ideaIds: string[], pseudonym: string, token: string): Promise<StudentAdoption[]>;
}

export interface Ports {
  calls: CallRepository;
  teams: TeamRepository;
  ideas: IdeaRepository;
  clock: Clock;
  ids: IdGenerator;
  /** Absent when the service runs without the adoption service (then exports that need it answer 503). */
  adoption?: AdoptionRecords;
}
