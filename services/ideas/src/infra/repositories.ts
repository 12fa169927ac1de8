// The app's repositories on the service's aggregate collections: the state, its next version and its
// events (mapped to the contract by the contract room) go in one write; a stale version is a 412.
import { ConflictError } from "@lto/errors";
import type { AggregateCollection, Filter, WriteOptions } from "@lto/store";
import type {
  CallRepository,
  IdeaQuery,
  IdeaRepository,
  IdeaScope,
  Ports,
  TeamRepository,
} from "../app/index.js";
import { callPendingEvents, ideaPendingEvents } from "../contract/index.js";
import type { Call, Idea, Team } from "../domain/index.js";
import type { IdeasCollections } from "./store.js";

/** Inserts a new aggregate; an id already taken is a conflict (ids are fresh UUIDv7s, or the seed's). */
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

export function callRepository(calls: AggregateCollection<Call>): CallRepository {
  return {
    get: (id) => calls.get(id),
    getMany: (ids) => calls.getMany(ids),
    list: ({ schoolYear, phase, cursor, limit }) => {
      const filter: Filter = schoolYear ? { schoolYear } : {};
      if (phase?.begun) filter[`phaseStarts.${phase.begun}`] = { $lte: phase.day };
      if (phase?.notBegun) filter[`phaseStarts.${phase.notBegun}`] = { $gt: phase.day };
      return calls.page(filter, { limit, ...(cursor ? { cursor } : {}) });
    },
    insert: (call, events) =>
      insertNew(calls, "call", call, { events: callPendingEvents(events, call.version) }),
    update: (call, events) =>
      calls.update(call, call.version, { events: callPendingEvents(events, call.version + 1) }),
  };
}

export function teamRepository(teams: AggregateCollection<Team>): TeamRepository {
  return {
    get: (id) => teams.get(id),
    getMany: (ids) => teams.getMany(ids),
    list: ({ schoolId, schoolYear, cursor, limit }) =>
      teams.page(
        { ...(schoolId ? { schoolId } : {}), ...(schoolYear ? { schoolYear } : {}) },
        { limit, ...(cursor ? { cursor } : {}) },
      ),
    insert: (team) => insertNew(teams, "team", team),
    update: (team) => teams.update(team, team.version),
  };
}

function scopeFilter(scope: IdeaScope): Filter {
  const filter: Filter = {};
  if (scope.schoolId) filter.schoolId = scope.schoolId;
  if (scope.states) filter.state = { $in: [...scope.states] };
  if (scope.evaluator) filter.evaluatorSubjects = scope.evaluator;
  if (scope.submittedOnce) filter.submittedOnce = true;
  return filter;
}

function ideaFilter({ filters, scopes }: IdeaQuery): Filter {
  const { words, evaluator, technology, need, ...equal } = filters;
  const conditions: Filter[] = [];
  const plain = Object.fromEntries(Object.entries(equal).filter(([, v]) => v !== undefined));
  if (Object.keys(plain).length) conditions.push(plain);
  if (technology) conditions.push({ technologies: technology });
  if (need) conditions.push({ needs: need });
  if (words?.length) conditions.push({ searchTokens: { $all: words } });
  if (evaluator) conditions.push({ evaluatorSubjects: evaluator });
  if (scopes !== "all") conditions.push({ $or: scopes.map(scopeFilter) });
  return conditions.length ? { $and: conditions } : {};
}

export function ideaRepository(ideas: AggregateCollection<Idea>): IdeaRepository {
  return {
    get: (id) => ideas.get(id),
    list: (query) =>
      ideas.page(ideaFilter(query), {
        limit: query.limit,
        ...(query.cursor ? { cursor: query.cursor } : {}),
      }),
    insert: (idea, events) =>
      insertNew(ideas, "idea", idea, { events: ideaPendingEvents(events, idea.version) }),
    update: (idea, events, processedEventId) =>
      ideas.update(idea, idea.version, {
        events: ideaPendingEvents(events, idea.version + 1),
        ...(processedEventId ? { processedEventId } : {}),
      }),
    hasProcessed: (ideaId, eventId) => ideas.hasProcessed(ideaId, eventId),
    markProcessed: async (ideaId, eventId) => {
      await ideas.markProcessed(ideaId, eventId);
    },
  };
}

/** The three repositories the app's ports name. */
export function ideasRepositories(collections: IdeasCollections): Pick<Ports, "calls" | "teams" | "ideas"> {
  return {
    calls: callRepository(collections.calls),
    teams: teamRepository(collections.teams),
    ideas: ideaRepository(collections.ideas),
  };
}
