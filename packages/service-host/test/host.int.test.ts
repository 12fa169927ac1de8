// A small service declared for the host and run on the real store and broker: what every service gets
// from the declaration alone (health, readiness with the consumer, the store with events through the
// relay to its own consumer, periodic work, demo data on an empty store, OpenAPI, graceful stop).
import { commonEnv, loadConfig, port } from "@lto/config";
import { IdeaSubmittedEvent, type RegisteredEventCodec, type ideasEventsV1 } from "@lto/contracts";
import { pendingEvent, on } from "@lto/messaging";
import { createTestKafka, uniqueTopic } from "@lto/testkit";
import { readTopic, startTestService, waitFor, type TestService } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { HostedConfig, ServiceDefinition } from "../src/index.js";

interface Note {
  id: string;
  version: number;
  text: string;
  seen?: number;
}

const noteEnv = commonEnv.extend({
  SERVICE_NAME: z.string().default("notes"),
  HOST: z.string().default("127.0.0.1"),
  HTTP_PORT: port().default(0),
  GRPC_PORT: port().default(0),
  MONGO_DB: z.string().min(1),
  KAFKA_CONSUMER_GROUP: z.string().min(1),
  SEED_DEMO_WHEN_EMPTY: z
    .literal("true")
    .transform(() => true)
    .optional(),
  OUTBOX_SWEEP_MS: z.coerce.number().default(1000),
});

type NoteEvent = ideasEventsV1.IdeaSubmitted;
const topic = uniqueTopic("host-notes");
const codec: RegisteredEventCodec<NoteEvent> = { ...IdeaSubmittedEvent, topic };
let ticks = 0;

const notesService: ServiceDefinition<HostedConfig> = {
  name: "notes",
  config: (env) => loadConfig(noteEnv, env) as HostedConfig,
  topics: [topic],
  compose({ store }) {
    const notes = store.aggregates<Note>({ name: "notes", optional: ["seen"] });
    return {
      routes(api) {
        api.route({
          method: "post",
          path: "/v1/notes",
          auth: "none",
          summary: "Write a note",
          request: { body: z.object({ id: z.string().min(1), text: z.string().min(1) }) },
          responses: { 201: { description: "Written", schema: z.object({ id: z.string() }) } },
          handler: async ({ body }) => {
            const note = { ...body, version: 1 };
            const ev = pendingEvent(codec, note.id, codec.create({ ideaId: note.id, title: note.text }));
            await notes.insert(note, { events: [ev] });
            return { status: 201, body: { id: note.id } };
          },
        });
        api.route({
          method: "get",
          path: "/v1/notes/{noteId}",
          auth: "none",
          summary: "Read a note",
          request: { params: z.object({ noteId: z.string() }) },
          responses: {
            200: { description: "The note", schema: z.object({ id: z.string(), seen: z.number() }) },
          },
          handler: async ({ params }) => {
            const note = await notes.get(params.noteId);
            return { status: 200, body: { id: params.noteId, seen: note?.seen ?? 0 } };
          },
        });
      },
      // Its own events come back: applied once each, through the store's processed ids.
      subscriptions: [
        on(codec, async (e) => {
          const note = await notes.get(e.data.ideaId);
          if (note)
            await notes.updateIf({ ...note, seen: (note.seen ?? 0) + 1 }, note.version, {
              processedEventId: e.id,
            });
        }),
      ],
      seed: async () => {
        if ((await notes.count({})) === 0)
          await notes.insert({ id: "welcome", version: 1, text: "Benvenuti" });
      },
      periodic: [{ name: "tick", everyMs: 50, run: async () => void ticks++ }],
    };
  },
};

let notes: TestService;

beforeAll(async () => {
  notes = await startTestService(notesService, { env: { SEED_DEMO_WHEN_EMPTY: "true" } });
});

afterAll(async () => {
  await notes?.close();
});

const anonymous = () => notes.as();

describe("service host", () => {
  it("serves health at once and is ready once its consumer has joined", async () => {
    expect((await anonymous().get("/healthz")).status).toBe(200);
    const ready = await waitFor("readiness", async () => {
      const res = await anonymous().get("/readyz");
      return res.status === 200 ? (res.body as { checks: Record<string, string> }) : undefined;
    });
    expect(ready.checks).toEqual({ store: "ok", broker: "ok", consumer: "ok" });
  });

  it("loads the demo data into the empty store before serving", async () => {
    expect((await anonymous().get("/v1/notes/welcome")).status).toBe(200);
  });

  it("a write's event goes through the outbox and Kafka to the service's consumer, applied once", async () => {
    expect((await anonymous().post("/v1/notes", { id: "n-1", text: "ciao" })).status).toBe(201);
    const [record] = await readTopic(topic, (rs) => rs.some((r) => r.key === "n-1"));
    expect(record?.headers.ce_type).toBe(IdeaSubmittedEvent.type);
    const seen = await waitFor("the note's event applied", async () => {
      const { body } = await anonymous().get("/v1/notes/n-1");
      return (body as { seen: number }).seen > 0 ? (body as { seen: number }).seen : undefined;
    });
    expect(seen).toBe(1);
  });

  it("runs periodic work, publishes its OpenAPI document, and stops everything", async () => {
    await waitFor("a tick", () => ticks > 1);
    const doc = (await anonymous().get("/openapi.json")).body as { info: { title: string } };
    expect(doc.info.title).toBe("LTO notes service");
    // A second instance on the same data starts (its indexes exist) and stops cleanly.
    const second = await startTestService(notesService, { dbName: notes.dbName, keepData: true });
    expect((await second.as().get("/v1/notes/welcome")).status).toBe(200);
    await second.close();
    await second.running.stop(); // twice is harmless
    await expect(fetch(`${second.url}/healthz`)).rejects.toThrow();
  });

  it("creates the topics it misses with KAFKA_TOPIC_PARTITIONS partitions", async () => {
    const ownTopic = uniqueTopic("host-partitions");
    const service: ServiceDefinition<HostedConfig> = {
      ...notesService,
      topics: [ownTopic],
      compose: ({ store }) => {
        store.aggregates<Note>({ name: "marks" });
        return { routes: () => undefined };
      },
    };
    const started = await startTestService(service, { env: { KAFKA_TOPIC_PARTITIONS: "5" } });
    const admin = (await createTestKafka()).admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [ownTopic] });
      expect(topics[0]?.partitions).toHaveLength(5);
    } finally {
      await admin.disconnect();
      await started.close();
    }
  });
});
