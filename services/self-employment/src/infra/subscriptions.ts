// Every event the self-employment service consumes, and what it does with it: the one place to look.
// The contract room turns each wire message into an app fact (or parks one that breaks its contract on
// the DLQ).
import { IdeaAdoptedEvent } from "@lto/contracts";
import { on, type Subscriptions } from "@lto/messaging";
import type { SelfEmploymentApp } from "../app/index.js";
import { ideaAdoptedFact } from "../contract/index.js";

export function subscriptions(app: SelfEmploymentApp): Subscriptions {
  return [on(IdeaAdoptedEvent, (e) => app.paths.ideaEvents.ideaAdopted(ideaAdoptedFact(e)))];
}
