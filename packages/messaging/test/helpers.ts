// Shared by the messaging integration tests: real codecs on per-file topics, polling.
import { IdeaSubmittedEvent, type RegisteredEventCodec, type ideasEventsV1 } from "@lto/contracts";
import { createLogger } from "@lto/telemetry";
import { uniqueTopic } from "@lto/testkit";

export type IdeaSubmitted = ideasEventsV1.IdeaSubmitted;

export const testLogger = createLogger("messaging-test", { level: process.env.LOG_LEVEL ?? "warn" });

/** The generated IdeaSubmitted codec (real protobuf encode/decode, real type/source) on a topic of its own. */
export function ideaSubmittedOnOwnTopic(prefix: string): RegisteredEventCodec<IdeaSubmitted> {
  return { ...IdeaSubmittedEvent, topic: uniqueTopic(prefix) };
}

/** The testkit's polling (no sleeps in tests). */
export { waitFor } from "@lto/testkit";
