// Every event this service consumes, and what it does with it: the one place to look. The contract
// room turns each wire message into an app fact (or parks one that breaks its contract on the DLQ).
import { AdoptionCompletedEvent, AdoptionEndedEvent, IdeaAdoptedEvent } from "@lto/contracts";
import { on, type Subscriptions } from "@lto/messaging";
import type { IdeasApp } from "../app/index.js";
import { adoptionCompletedFact, adoptionEndedFact, ideaAdoptedFact } from "../contract/index.js";

export function subscriptions(app: IdeasApp): Subscriptions {
  return [
    on(IdeaAdoptedEvent, (e) => app.adoptionEvents.ideaAdopted(ideaAdoptedFact(e))),
    on(AdoptionEndedEvent, (e) => app.adoptionEvents.adoptionEnded(adoptionEndedFact(e))),
    on(AdoptionCompletedEvent, (e) => app.adoptionEvents.adoptionCompleted(adoptionCompletedFact(e))),
  ];
}
