// Suggestions and self-check on the service's collections: the ideas projection (each write carries the
// consumed event's id, so the store recognises a redelivery), the catalogue reads suggestions need, and
// self-checks with the placements they set.
import type { Filter } from "@lto/store";
import type {
  Placement,
  SelfCheckStore,
  SuggestionCatalogue,
  SuggestPorts,
  TeamIdea,
  TeamIdeaProjection,
} from "../app/index.js";
import { firstDay } from "../domain/index.js";
import type { CatalogueCollections } from "./store.js";

/** More than a province's offer for one area; suggestions rank within these. */
const MAX_COURSES = 500;
const OPEN_STATES = ["scheduled", "running"];
const ATTEMPTS = 10;

export function teamIdeaProjection(ideas: CatalogueCollections["teamIdeas"]): TeamIdeaProjection {
  return {
    get: (id) => ideas.get(id),
    hasProcessed: (id, eventId) => ideas.hasProcessed(id, eventId),
    insert: (idea, eventId) => ideas.insert(idea, { processedEventId: eventId }),
    update: async (idea: TeamIdea, eventId) =>
      (await ideas.updateIf(idea, idea.version, { processedEventId: eventId })) !== undefined,
    markProcessed: async (id, eventId) => {
      await ideas.markProcessed(id, eventId);
    },
    anyOfTeam: (teamId) => ideas.findOne({ teamId }),
    adopted: (by, page) =>
      ideas.page({ ...by, status: "published", adoption: { $ne: null } } as Filter, page),
  };
}

export function suggestionCatalogue(collections: CatalogueCollections): SuggestionCatalogue {
  return {
    publishedFor: (area, audiences) =>
      collections.courses.find(
        { state: "published", areas: area, audiences: { $in: [...audiences] } },
        MAX_COURSES,
      ),
    publishedTargeting: (competence, level, audiences) =>
      collections.courses.find(
        {
          state: "published",
          competenceLevels: `${competence}@${level}`,
          audiences: { $in: [...audiences] },
        },
        MAX_COURSES,
      ),
    openSessions: async (courseIds) => {
      if (courseIds.length === 0) return [];
      const sessions = await collections.sessions.find(
        { courseId: { $in: [...courseIds] }, state: { $in: OPEN_STATES } },
        MAX_COURSES * 4,
      );
      return sessions.map((s) => ({
        id: s.id,
        courseId: s.courseId,
        site: s.site,
        firstDay: firstDay(s),
        freeSeats: s.freeSeats,
      }));
    },
  };
}

/** One placement per person, framework version and competence: its id says which. */
export function placementId(
  p: Pick<Placement, "personId" | "framework" | "frameworkVersion" | "competence">,
) {
  return `${p.personId}|${p.framework}@${p.frameworkVersion}|${p.competence}`;
}

export function selfCheckStore(collections: CatalogueCollections): SelfCheckStore {
  const { selfChecks, placements } = collections;

  /** Sets the placement unless a later self-check set it already. */
  async function place(p: Omit<Placement, "id" | "version">): Promise<void> {
    const id = placementId(p);
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const current = await placements.get(id);
      if (!current) {
        if (await placements.insert({ ...p, id, version: 1 })) return;
        continue;
      }
      if (current.at > p.at) return;
      if (await placements.updateIf({ ...p, id, version: current.version }, current.version)) return;
    }
    throw new Error(`placement ${id} kept changing; submit the self-check again`);
  }

  return {
    async record(check, list) {
      await selfChecks.insert(check);
      for (const p of list) await place(p);
    },
    listFor: (personId, page) => selfChecks.page({ personId }, page),
    placementsOf: (personId) => placements.find({ personId }, 500, { competence: 1 }),
  };
}

export function suggestRepositories(collections: CatalogueCollections): SuggestPorts {
  return {
    teamIdeas: teamIdeaProjection(collections.teamIdeas),
    suggestionCatalogue: suggestionCatalogue(collections),
    selfChecks: selfCheckStore(collections),
  };
}
