import { adoptionEventHandlers, type Log } from "./adoption-events.js";
import { callUseCases } from "./calls.js";
import { ideaUseCases } from "./ideas.js";
import type { Ports } from "./ports.js";
import { teamUseCases } from "./teams.js";

export function createApp(ports: Ports, log: Log) {
  return {
    calls: callUseCases(ports),
    teams: teamUseCases(ports),
    ideas: ideaUseCases(ports),
    adoptionEvents: adoptionEventHandlers(ports, log),
  };
}

export type IdeasApp = ReturnType<typeof createApp>;
export type { AdoptionFact } from "./adoption-events.js";
export type { IdeaListFilters, NotAdoptableReason } from "./ideas.js";
export type * from "./ports.js";
export { searchTokens } from "./search.js";
export { publishedAt } from "./views.js";
export type { Viewer } from "./access.js";
