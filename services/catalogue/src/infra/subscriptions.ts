// Every event the catalogue consumes, and what it does with it: the one place to look. The contract
// room turns each wire message into an app fact (or parks one that breaks its contract on the DLQ).
import { AdoptionEndedEvent, IdeaAdoptedEvent, IdeaPublishedEvent, IdeaWithdrawnEvent } from "@lto/contracts";
import { on, type Subscriptions } from "@lto/messaging";
import type { CatalogueApp, TeamIdeaEventHandlers } from "../app/index.js";
import {
  adoptionEndedFact,
  ideaAdoptedFact,
  ideaWithdrawnFact,
  publishedIdeaFact,
} from "../contract/index.js";

export function subscriptions(app: CatalogueApp): Subscriptions {
  return ideaSubscriptions(app.suggestions.ideaEvents);
}

/** The ideas and their adoptions, copied for the course suggestions (also what a rebuild replays). */
export function ideaSubscriptions(h: TeamIdeaEventHandlers): Subscriptions {
  return [
    on(IdeaPublishedEvent, (e) => h.ideaPublished(publishedIdeaFact(e))),
    on(IdeaWithdrawnEvent, (e) => h.ideaWithdrawn(ideaWithdrawnFact(e))),
    on(IdeaAdoptedEvent, (e) => h.ideaAdopted(ideaAdoptedFact(e))),
    on(AdoptionEndedEvent, (e) => h.adoptionEnded(adoptionEndedFact(e))),
  ];
}
