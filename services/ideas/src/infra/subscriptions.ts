// Every event this service consumes, and what it does with it: the one place to look.
import { AdoptionCompletedEvent, AdoptionEndedEvent, IdeaAdoptedEvent } from "@lto/contracts";
import { NonRetryableError, on, type ReceivedEvent, type Subscriptions } from "@lto/messaging";
import type { IdeasApp } from "../app/index.js";

function fact(event: ReceivedEvent<{ ideaId: string; adoptionId: string; occurredAt?: string | undefined }>) {
  const { ideaId, adoptionId, occurredAt } = event.data;
  if (!ideaId || !adoptionId)
    throw new NonRetryableError(`${event.type} ${event.id} lacks idea_id or adoption_id`);
  return { eventId: event.id, ideaId, adoptionId, at: occurredAt ? new Date(occurredAt) : event.time };
}

export function subscriptions(app: IdeasApp): Subscriptions {
  return [
    on(IdeaAdoptedEvent, (e) => app.adoptionEvents.ideaAdopted({ ...fact(e), companyId: e.data.companyId })),
    on(AdoptionEndedEvent, (e) => app.adoptionEvents.adoptionEnded({ ...fact(e), reason: e.data.reason })),
    on(AdoptionCompletedEvent, (e) => app.adoptionEvents.adoptionCompleted(fact(e))),
  ];
}
