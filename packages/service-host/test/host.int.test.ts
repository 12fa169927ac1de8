// A small service declared for the host and run on the real store and broker: what every service gets
// from the declaration alone (health, readiness with the consumer, the store with events through the
// relay to its own consumer, periodic work, demo data on an empty store, OpenAPI, graceful stop).
import { commonEnv, loadConfig, port } from "@lto/config";
import { IdeaSubmittedEvent, type RegisteredEventCodec, type ideasEventsV1 } from "@lto/contracts";
import { pendingEvent, on } from "@lto/messaging";
import { createLogger } from "@lto/telemetry";
import { getInfra, testAuth, testDbName, uniqueGroupId, uniqueTopic, type TestAuth } from "@lto/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  startService,
  type HostedConfig,
  type RunningService,
  type ServiceDefinition,
} from "../src/index.js";

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

let auth: TestAuth;
let running: RunningService;
const dbName = testDbName("host");

beforeAll(async () => {
  const infra = await getInfra();
  auth = await testAuth();
  running = await startService(notesService, {
    logger: createLogger("notes", { level: "warn" }),
    env: {
      ...auth.env,
      MONGO_URL: infra.mongoUrl,
      MONGO_DB: dbName,
      KAFKA_BROKERS: infra.kafkaBrokers.join(","),
      KAFKA_CONSUMER_GROUP: uniqueGroupId("host"),
      SEED_DEMO_WHEN_EMPTY: "true",
      NODE_ENV: "test",
    },
  });
});

afterAll(async () => {
  await running?.stop();
  await auth?.close();
});

const get = (path: string) => fetch(`${running.http.url}${path}`);

async function eventually<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("service host", () => {
  it("serves health at once and is ready once its consumer has joined", async () => {
    expect((await get("/healthz")).status).toBe(200);
    const ready = await eventually("readiness", async () => {
      const res = await get("/readyz");
      return res.status === 200 ? ((await res.json()) as { checks: Record<string, string> }) : undefined;
    });
    expect(ready.checks).toEqual({ store: "ok", broker: "ok", consumer: "ok" });
  });

  it("loads the demo data into the empty store before serving", async () => {
    expect((await get("/v1/notes/welcome")).status).toBe(200);
  });

  it("a write's event goes through the outbox and Kafka to the service's consumer, applied once", async () => {
    const res = await fetch(`${running.http.url}/v1/notes`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ id: "n-1", text: "ciao" }),
    });
    expect(res.status).toBe(201);
    const seen = await eventually("the note's event applied", async () => {
      const body = (await (await get("/v1/notes/n-1")).json()) as { seen: number };
      return body.seen > 0 ? body.seen : undefined;
    });
    expect(seen).toBe(1);
  });

  it("runs periodic work, publishes its OpenAPI document, and stops everything", async () => {
    await eventually("a tick", async () => (ticks > 1 ? ticks : undefined));
    const doc = (await (await get("/openapi.json")).json()) as { info: { title: string } };
    expect(doc.info.title).toBe("LTO notes service");
    const second = await startService(notesService, {
      logger: createLogger("notes", { level: "warn" }),
      env: {
        ...auth.env,
        MONGO_URL: (await getInfra()).mongoUrl,
        MONGO_DB: dbName,
        KAFKA_BROKERS: (await getInfra()).kafkaBrokers.join(","),
        KAFKA_CONSUMER_GROUP: uniqueGroupId("host2"),
        NODE_ENV: "test",
      },
    });
    const url = second.http.url;
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    await second.stop();
    await second.stop(); // twice is harmless
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});
