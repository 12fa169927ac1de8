// Reactions to the adoption service's facts. At-least-once delivery: each handler records the event
// id with its effect in the same write, and a fact the idea already holds only records the id (no new
// version, so the ETag clients hold stays valid).
import { InvalidStateError, PreconditionFailedError } from "@lto/errors";
import {
  ADOPTION_SERVICE,
  recordAdoption,
  recordAdoptionCompleted,
  recordAdoptionEnded,
  type Idea,
  type IdeaEvent,
} from "../domain/index.js";
import type { Ports } from "./ports.js";

export interface AdoptionFact {
  eventId: string;
  ideaId: string;
  adoptionId: string;
  at: Date;
}

export interface Log {
  warn(obj: object, msg: string): void;
}

const ATTEMPTS = 5;

export function adoptionEventHandlers({ ideas, teams, calls }: Ports, log: Log) {
  /** Applies `change` to the idea unless this event was seen; retries when a concurrent write won. */
  async function apply(
    fact: AdoptionFact,
    change: (idea: Idea) => Idea | undefined,
    announce?: (idea: Idea) => Promise<IdeaEvent[]>,
  ): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const idea = await ideas.get(fact.ideaId);
      if (!idea) {
        log.warn({ ...fact }, "adoption event for an unknown idea ignored");
        return;
      }
      if (await ideas.hasProcessed(idea.id, fact.eventId)) return;
      let next: Idea | undefined;
      try {
        next = change(idea);
      } catch (error) {
        // The adoption service checked adoptability just before; a conflict here (withdrawn
        // meanwhile) needs people, not retries: keep the idea as it is and say so.
        if (!(error instanceof InvalidStateError)) throw error;
        log.warn({ ...fact, error: error.message }, "adoption event not applicable to the idea; ignored");
      }
      // A fact the idea already holds (or cannot take) changes nothing: its id is recorded, no version bump.
      if (!next) {
        await ideas.markProcessed(idea.id, fact.eventId);
        return;
      }
      try {
        const events = announce ? await announce(next) : [];
        await ideas.update(next, events, fact.eventId);
        return;
      } catch (error) {
        // Another write won (or this event was applied meanwhile, by another instance): look again.
        if (!(error instanceof PreconditionFailedError) || attempt >= ATTEMPTS) throw error;
      }
    }
  }

  /** Back in the pool: the contract says so with a new IdeaPublished, so projections list it again. */
  async function republished(idea: Idea): Promise<IdeaEvent[]> {
    const [team, call] = await Promise.all([teams.get(idea.teamId), calls.get(idea.callId)]);
    if (!team || !call) return [];
    return [{ type: "IdeaPublished", idea, team, call, at: idea.updatedAt }];
  }

  return {
    ideaAdopted: (fact: AdoptionFact & { companyId: string }) =>
      apply(fact, (idea) =>
        recordAdoption(
          idea,
          { adoptionId: fact.adoptionId, companyId: fact.companyId, adoptedAt: fact.at },
          ADOPTION_SERVICE,
        ),
      ),
    adoptionEnded: (fact: AdoptionFact & { reason: string }) =>
      apply(
        fact,
        (idea) =>
          recordAdoptionEnded(
            idea,
            { adoptionId: fact.adoptionId, reason: fact.reason, at: fact.at },
            ADOPTION_SERVICE,
          ),
        republished,
      ),
    adoptionCompleted: (fact: AdoptionFact) =>
      apply(fact, (idea) =>
        recordAdoptionCompleted(idea, { adoptionId: fact.adoptionId, at: fact.at }, ADOPTION_SERVICE),
      ),
  };
}
