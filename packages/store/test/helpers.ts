// Shared by the store's integration tests with Kafka: a mini ideas service (the aggregate written with
// its events) and a consumer's projection (submitted ideas per school, each event applied once).
import { IdeaSubmittedEvent, type RegisteredEventCodec, type ideasEventsV1 } from "@lto/contracts";
import { createLogger } from "@lto/telemetry";
import { getInfra, uniqueTopic } from "@lto/testkit";
import { AggregateStore, type AggregateCollection } from "../src/index.js";

export type IdeaSubmitted = ideasEventsV1.IdeaSubmitted;

export const testLogger = createLogger("store-test", { level: process.env.LOG_LEVEL ?? "warn" });

/** The generated IdeaSubmitted codec (real protobuf encode/decode, real type/source) on a topic of its own. */
export function ideaSubmittedOnOwnTopic(prefix: string): RegisteredEventCodec<IdeaSubmitted> {
  return { ...IdeaSubmittedEvent, topic: uniqueTopic(prefix) };
}

/** The testkit's polling (no sleeps in tests). */
export { waitFor } from "@lto/testkit";

export interface Idea {
  id: string;
  version: number;
  schoolId: string;
  title: string;
}

export interface SchoolCounter {
  id: string;
  version: number;
  submitted: number;
  lastTitle: string;
}

export const IDEAS = { name: "ideas" } as const;
export const COUNTERS = { name: "school_counters" } as const;

/** One process's store on a test database (the same dbName for several "processes" of one service). */
export async function openStore(dbName: string): Promise<AggregateStore> {
  const { mongoUrl } = await getInfra();
  return AggregateStore.open({ url: mongoUrl, dbName });
}

/**
 * The consumer's effect, applied once per event id: the counter is created by the first event or
 * updated with the event id recorded in the same update. True when applied, false for a redelivery.
 */
export async function countOnce(
  counters: AggregateCollection<SchoolCounter>,
  event: { id: string; data: IdeaSubmitted },
): Promise<boolean> {
  const { schoolId, title } = event.data;
  for (;;) {
    const current = await counters.get(schoolId);
    if (!current) {
      const created = { id: schoolId, version: 1, submitted: 1, lastTitle: title };
      if (await counters.insert(created, { processedEventId: event.id })) return true;
      continue; // created meanwhile by another delivery: apply to it
    }
    if (await counters.hasProcessed(schoolId, event.id)) return false;
    const next = { ...current, submitted: current.submitted + 1, lastTitle: title };
    if (await counters.updateIf(next, current.version, { processedEventId: event.id })) return true;
  }
}
