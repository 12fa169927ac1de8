// Every event this service consumes, and what it does with it: the one place to look. Wire messages
// are checked against their contract's invariants here, before they become app facts: one that breaks
// them (an empty id, a date that is not one) is parked on the DLQ at once and never applied.
import { AdoptionCompletedEvent, AdoptionEndedEvent, IdeaAdoptedEvent } from "@lto/contracts";
import { assertContract, on, type ReceivedEvent, type Subscriptions } from "@lto/messaging";
import type { IdeasApp } from "../app/index.js";

type AdoptionMessage = { ideaId: string; adoptionId: string; occurredAt?: string | undefined };

function fact(event: ReceivedEvent<AdoptionMessage>, more: string[] = []) {
  const { ideaId, adoptionId, occurredAt } = event.data;
  const problems = [...more];
  if (!ideaId) problems.push("idea_id is empty");
  if (!adoptionId) problems.push("adoption_id is empty");
  if (occurredAt !== undefined && Number.isNaN(Date.parse(occurredAt)))
    problems.push("occurred_at is not a date");
  assertContract(event, problems);
  return { eventId: event.id, ideaId, adoptionId, at: occurredAt ? new Date(occurredAt) : event.time };
}

export function subscriptions(app: IdeasApp): Subscriptions {
  return [
    on(IdeaAdoptedEvent, (e) =>
      app.adoptionEvents.ideaAdopted({
        ...fact(e, e.data.companyId ? [] : ["company_id is empty"]),
        companyId: e.data.companyId,
      }),
    ),
    on(AdoptionEndedEvent, (e) => app.adoptionEvents.adoptionEnded({ ...fact(e), reason: e.data.reason })),
    on(AdoptionCompletedEvent, (e) => app.adoptionEvents.adoptionCompleted(fact(e))),
  ];
}
