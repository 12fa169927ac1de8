// The service's database on the platform's aggregate store: calls, teams and ideas, each with its
// indexes (only plain, compound and unique ones: FerretDB), and the fields kept beside an idea for its
// queries (never read back into it).
import { openServiceStore } from "@lto/service-host";
import type { AggregateCollection, AggregateStore } from "@lto/store";
import { searchTokens } from "../app/index.js";
import type { Call, Idea, Team } from "../domain/index.js";

export interface IdeasCollections {
  calls: AggregateCollection<Call>;
  teams: AggregateCollection<Team>;
  ideas: AggregateCollection<Idea>;
}

const IDEA_FILTERS = [
  "state",
  "callId",
  "site",
  "schoolId",
  "teamId",
  "area",
  "district",
  "technologies",
  "needs",
];

/** Registers the service's aggregate collections on `store` (before its relay is created). */
export function ideasCollections(store: AggregateStore): IdeasCollections {
  return {
    calls: store.aggregates<Call>({
      name: "calls",
      entity: "call",
      indexes: [{ key: { schoolYear: 1, _id: -1 } }],
      optional: ["sponsor"],
    }),
    teams: store.aggregates<Team>({
      name: "teams",
      entity: "team",
      indexes: [{ key: { schoolId: 1, _id: -1 } }, { key: { schoolYear: 1, _id: -1 } }],
      optional: ["pendingErasures"],
    }),
    ideas: store.aggregates<Idea>({
      name: "ideas",
      entity: "idea",
      indexes: [
        ...IDEA_FILTERS.map((field) => ({ key: { [field]: 1 as const, _id: -1 as const } })),
        { key: { searchTokens: 1 } },
        { key: { evaluatorSubjects: 1 } },
      ],
      derived: {
        fields: ["searchTokens", "evaluatorSubjects", "submittedOnce"],
        of: (idea) => ({
          // Lower-case words of title and summary: search without a text index (FerretDB has none).
          searchTokens: searchTokens(`${idea.title} ${idea.summary}`),
          evaluatorSubjects: idea.evaluators.map((a) => a.subject),
          submittedOnce: idea.history.some((entry) => entry.to === "submitted"),
        }),
      },
      optional: ["answer", "area", "district", "adoption", "erasedMembers"],
    }),
  };
}

/** Connects to the service's database, registers its collections and creates their missing indexes. */
export function openIdeasStore(
  url: string,
  dbName: string,
): Promise<{ store: AggregateStore; collections: IdeasCollections }> {
  return openServiceStore({ name: "ideas", url, dbName }, ideasCollections);
}
