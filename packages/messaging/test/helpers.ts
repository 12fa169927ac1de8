// Shared by the messaging integration tests: real codecs on per-file topics, models, polling.
import { Schema, type Connection } from "mongoose";
import { IdeaSubmittedEvent, type RegisteredEventCodec, type ideasEventsV1 } from "@lto/contracts";
import { createLogger } from "@lto/telemetry";
import { uniqueTopic } from "@lto/testkit";
import { outboxPlugin, processedPlugin, type PendingEvent } from "../src/index.js";

export type IdeaSubmitted = ideasEventsV1.IdeaSubmitted;

export const testLogger = createLogger("messaging-test", { level: process.env.LOG_LEVEL ?? "warn" });

/** The generated IdeaSubmitted codec (real protobuf encode/decode, real type/source) on a topic of its own. */
export function ideaSubmittedOnOwnTopic(prefix: string): RegisteredEventCodec<IdeaSubmitted> {
  return { ...IdeaSubmittedEvent, topic: uniqueTopic(prefix) };
}

/** The testkit's polling (no sleeps in tests). */
export { waitFor } from "@lto/testkit";

export interface IdeaDoc {
  _id: string;
  schoolId: string;
  title: string;
  version: number;
  _outbox?: PendingEvent[];
}

/** The aggregate written through the outbox (a mini ideas collection). */
export function ideaModel(conn: Connection) {
  const schema = new Schema<IdeaDoc>(
    { _id: String, schoolId: String, title: String, version: Number },
    { versionKey: false },
  );
  schema.plugin(outboxPlugin);
  return conn.model<IdeaDoc>("Idea", schema, "ideas");
}

export interface CounterDoc {
  _id: string;
  submitted: number;
  lastTitle?: string;
  _processed?: string[];
}

/** The consumer's projection: submitted ideas per school, deduped by event id in the same update. */
export function counterModel(conn: Connection) {
  const schema = new Schema<CounterDoc>(
    { _id: String, submitted: Number, lastTitle: String },
    { versionKey: false },
  );
  schema.plugin(processedPlugin);
  return conn.model<CounterDoc>("SchoolCounter", schema, "school_counters");
}
