// Rebuilds the copy of ideas and their adoptions behind the course suggestions (teamIdeas) from the
// ideas and adoption topics' beginning, with the service stopped: a replay group of its own folds the
// events in memory with the very decisions the live consumer makes (teamIdeaEvents), the copy is then
// replaced in bulk inserts, each idea with the ids of the events that made it, and then the service's
// consumer group is moved to where the replay stopped, so the service goes on from there. A rebuild that
// fails part-way leaves the group where it was: run it again before starting the service.
import { topics } from "@lto/contracts";
import {
  handOverReplay,
  refuseWhileGroupRuns,
  replayFromBeginning,
  type MessagingLogger,
} from "@lto/messaging";
import { platformIds } from "@lto/service-host";
import type { AggregateStore } from "@lto/store";
import type { Kafka } from "kafkajs";
import { teamIdeaEvents, type TeamIdea, type TeamIdeaWrites } from "../app/index.js";
import { catalogueCollections } from "./store.js";
import { ideaSubscriptions } from "./subscriptions.js";

/** The copy folded in memory: a replay reads each event once, and every decision compares content. */
export class FoldedTeamIdeas implements TeamIdeaWrites {
  readonly ideas = new Map<string, TeamIdea>();
  readonly applied = new Map<string, string[]>();

  async get(id: string) {
    return this.ideas.get(id);
  }
  async hasProcessed(id: string, eventId: string) {
    return this.applied.get(id)?.includes(eventId) ?? false;
  }
  async insert(idea: TeamIdea, eventId: string) {
    if (this.ideas.has(idea.id)) return false;
    this.ideas.set(idea.id, { ...idea, version: 1 });
    this.record(idea.id, eventId);
    return true;
  }
  async update(idea: TeamIdea, eventId: string) {
    this.ideas.set(idea.id, { ...idea, version: idea.version + 1 });
    this.record(idea.id, eventId);
    return true;
  }
  async markProcessed(id: string, eventId: string) {
    this.record(id, eventId);
  }
  private record(id: string, eventId: string) {
    const ids = this.applied.get(id);
    if (ids) ids.push(eventId);
    else this.applied.set(id, [eventId]);
  }
}

export async function rebuildTeamIdeas(opts: {
  kafka: Kafka;
  store: AggregateStore;
  logger: MessagingLogger;
  /** The service's consumer group: it must have no running member, and goes on from the replay's end. */
  group: string;
  timeoutMs?: number;
}): Promise<{ ideas: number }> {
  await refuseWhileGroupRuns(opts.kafka, opts.group);
  const folded = new FoldedTeamIdeas();
  const end = await replayFromBeginning({
    kafka: opts.kafka,
    groupId: `${opts.group}-rebuild-${platformIds.newId()}`,
    logger: opts.logger,
    subscriptions: ideaSubscriptions(teamIdeaEvents(folded)),
    topics: [topics.ideas, topics.adoption],
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
  });
  const { teamIdeas } = catalogueCollections(opts.store);
  await teamIdeas.deleteMany({});
  const refused = await teamIdeas.insertMany(
    [...folded.ideas.values()].map((aggregate) => ({
      aggregate,
      processedEventIds: folded.applied.get(aggregate.id) ?? [],
    })),
  );
  if (refused.length)
    throw new Error(
      `${refused.length} ideas were written while the copy was rebuilt (is an instance of the catalogue running?): run the rebuild again with the service stopped`,
    );
  await handOverReplay(opts.kafka, opts.group, end, opts.logger);
  return { ideas: folded.ideas.size };
}
