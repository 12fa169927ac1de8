// The app's repositories on the service's aggregate collections: the state, its next version and its
// events (mapped to the contract by the contract room) go in one write; a stale version is a 412.
import { ConflictError } from "@lto/errors";
import type { AggregateCollection, Filter, WriteOptions } from "@lto/store";
import type {
  CourseQuery,
  CourseRepository,
  CredentialRecords,
  Ports,
  SessionFilters,
  SessionRepository,
} from "../app/index.js";
import { coursePendingEvents, sessionPendingEvents } from "../contract/index.js";
import type { Course, Session } from "../domain/index.js";
import type { CatalogueCollections } from "./store.js";

/** How many courses a session filter may narrow the catalogue to (the whole province's offer fits). */
const MAX_MATCHING_COURSES = 5000;

async function insertNew<A extends { id: string; version: number }>(
  collection: AggregateCollection<A>,
  entity: string,
  aggregate: A,
  options: WriteOptions = {},
): Promise<void> {
  if (!(await collection.insert(aggregate, options)))
    throw new ConflictError(
      `A ${entity} with id ${aggregate.id} exists already; create it again for a new id`,
    );
}

function courseFilter({ filters, scope }: CourseQuery): Filter {
  const conditions: Filter[] = [];
  if (filters.audience) conditions.push({ audiences: filters.audience });
  if (filters.area) conditions.push({ areas: filters.area });
  if (filters.site) conditions.push({ sites: filters.site });
  if (filters.mode) conditions.push({ mode: filters.mode });
  if (filters.competence && filters.level !== undefined)
    conditions.push({ competenceLevels: `${filters.competence}@${filters.level}` });
  else if (filters.competence) conditions.push({ competenceCodes: filters.competence });
  else if (filters.level !== undefined) conditions.push({ levels: filters.level });
  if (filters.ids) conditions.push({ _id: { $in: filters.ids } });
  if (scope !== "all") {
    if (scope.states) conditions.push({ state: { $in: [...scope.states] } });
    if (scope.providerId) conditions.push({ providerId: scope.providerId });
  }
  return conditions.length ? { $and: conditions } : {};
}

export function courseRepository(courses: AggregateCollection<Course>): CourseRepository {
  return {
    get: (id) => courses.get(id),
    list: (query) =>
      courses.page(courseFilter(query), {
        limit: query.limit,
        ...(query.cursor ? { cursor: query.cursor } : {}),
      }),
    insert: (course, events) =>
      insertNew(courses, "course", course, { events: coursePendingEvents(events, course.version) }),
    update: (course, events) =>
      courses.update(course, course.version, { events: coursePendingEvents(events, course.version + 1) }),
  };
}

const OPEN_STATES = ["scheduled", "running"];

function sessionFilter(filters: SessionFilters): Filter {
  const filter: Filter = { state: { $in: OPEN_STATES } };
  if (filters.site) filter.site = filters.site;
  if (filters.from || filters.to)
    filter.firstDay = {
      ...(filters.from ? { $gte: filters.from } : {}),
      ...(filters.to ? { $lte: filters.to } : {}),
    };
  if (filters.freeSeats) filter.freeSeats = { $gte: 1 };
  return filter;
}

export function sessionRepository(sessions: AggregateCollection<Session>): SessionRepository {
  return {
    get: (id) => sessions.get(id),
    listForCourse: (courseId, { site, openOnly, cursor, limit }) =>
      sessions.page(
        {
          courseId,
          ...(site ? { site } : {}),
          ...(openOnly ? { state: { $in: OPEN_STATES } } : {}),
        },
        { limit, ...(cursor ? { cursor } : {}) },
      ),
    // Overlap with the range: begins by its last day and ends on or after its first.
    listForSite: (site, { from, to, cursor, limit }) =>
      sessions.page(
        {
          site,
          ...(to ? { firstDay: { $lte: to } } : {}),
          ...(from ? { lastDay: { $gte: from } } : {}),
        },
        { limit, ...(cursor ? { cursor } : {}) },
      ),
    courseIdsWith: async (filters) => {
      const matching = await sessions.find(sessionFilter(filters), MAX_MATCHING_COURSES * 4);
      return [...new Set(matching.map((s) => s.courseId))].slice(0, MAX_MATCHING_COURSES);
    },
    insert: (session, events) =>
      insertNew(sessions, "session", session, { events: sessionPendingEvents(events, session.version) }),
    update: (session, events) =>
      sessions.update(session, session.version, {
        events: sessionPendingEvents(events, session.version + 1),
      }),
  };
}

export function credentialRecords(collection: CatalogueCollections["credentials"]): CredentialRecords {
  return {
    listFor: async (personId) =>
      (await collection.find({ personId })).map((c) => ({
        id: c.id,
        personId: c.personId,
        courseId: c.courseId,
        sessionId: c.sessionId,
        site: c.site,
        competences: c.competences,
        hours: c.hours,
        issuedAt: c.issuedAt,
        revoked: c.revoked,
      })),
  };
}

export function catalogueRepositories(
  collections: CatalogueCollections,
): Pick<Ports, "courses" | "sessions" | "credentials"> {
  return {
    courses: courseRepository(collections.courses),
    sessions: sessionRepository(collections.sessions),
    credentials: credentialRecords(collections.credentials),
  };
}
