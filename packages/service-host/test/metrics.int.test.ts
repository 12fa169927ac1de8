// What an operator reads on every service's /metrics, moving on the real store and broker: requests per
// route template, the business counters (events recorded), relay publishes, consumer lag while a
// consumer is stuck, the DLQ when a poison message is parked, and the outbox backlog and its age while
// the broker is unreachable (a broker of this file's own, started with @lto/local-runtime and stopped;
// the shared broker of the run is never touched).
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { loadConfig } from "@lto/config";
import { IdeaSubmittedEvent, type RegisteredEventCodec, type ideasEventsV1 } from "@lto/contracts";
import { freePorts, startKafka, type ManagedProcess } from "@lto/local-runtime";
import { NonRetryableError, on, pendingEvent } from "@lto/messaging";
import { uniqueId, uniqueTopic } from "@lto/testkit";
import { startTestService, waitFor, type TestService } from "@lto/testkit/service";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { hostedEnv, type HostedConfig, type ServiceDefinition } from "../src/index.js";

interface Note {
  id: string;
  version: number;
  text: string;
}

/** Series of one metric in a /metrics text: label set -> value. */
function series(text: string, metric: string): Array<{ labels: Record<string, string>; value: number }> {
  const out: Array<{ labels: Record<string, string>; value: number }> = [];
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${metric}{`) && !line.startsWith(`${metric} `)) continue;
    const m = /^[^{ ]+(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[1] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    out.push({ labels, value: Number(m[2]) });
  }
  return out;
}

/** The sum of a metric's series whose labels include `match`. */
function total(text: string, metric: string, match: Record<string, string> = {}): number {
  return series(text, metric)
    .filter((s) => Object.entries(match).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

let gate: Promise<void> = Promise.resolve();
/** Called when the consumer takes up the "slow" note (and stops there until `gate` opens). */
let onSlow: () => void = () => undefined;

/** A small service whose notes' events come back to its own consumer ("poison" is refused). */
function notesService(
  name: string,
  collection: string,
  topic: string,
  consume = true,
): ServiceDefinition<HostedConfig> {
  const codec: RegisteredEventCodec<ideasEventsV1.IdeaSubmitted> = { ...IdeaSubmittedEvent, topic };
  return {
    name,
    config: (env) => loadConfig(hostedEnv({ name, httpPort: 0, grpcPort: 0 }), env) as HostedConfig,
    topics: [topic],
    compose({ store }) {
      const notes = store.aggregates<Note>({ name: collection });
      return {
        routes(api) {
          api.route({
            method: "post",
            path: "/v1/notes/{noteId}",
            auth: "none",
            summary: "Write a note",
            request: { params: z.object({ noteId: z.string() }), body: z.object({ text: z.string() }) },
            responses: { 201: { description: "Written", schema: z.object({ id: z.string() }) } },
            handler: async ({ params, body }) => {
              const note = { id: params.noteId, text: body.text, version: 1 };
              const ev = pendingEvent(codec, note.id, codec.create({ ideaId: note.id, title: note.text }));
              await notes.insert(note, { events: [ev] });
              return { status: 201, body: { id: note.id } };
            },
          });
        },
        subscriptions: !consume
          ? []
          : [
              on(codec, async (e) => {
                if (e.data.title === "poison") throw new NonRetryableError("a poison note");
                if (e.data.title === "slow") {
                  onSlow();
                  await gate;
                }
              }),
            ],
      };
    },
  };
}

async function metrics(svc: TestService): Promise<string> {
  const res = await fetch(`${svc.url}/metrics`);
  expect(res.status).toBe(200);
  return res.text();
}

const REFRESH = { METRICS_REFRESH_MS: "300" };
const started: TestService[] = [];
afterAll(async () => {
  for (const s of started) await s.close().catch(() => undefined);
});

describe("/metrics of a hosted service on the shared broker", () => {
  const topic = uniqueTopic("metrics-notes");
  const collection = uniqueId("mnotes").replace(/-/g, "_");
  let svc: TestService;

  it("counts requests per route template, the events recorded and published", async () => {
    svc = await startTestService(notesService("mnotes", collection, topic), { env: REFRESH });
    started.push(svc);
    const before = await metrics(svc);
    const recorded = { type: IdeaSubmittedEvent.type, source: IdeaSubmittedEvent.source };
    const recordedBefore = total(before, "lto_events_recorded_total", recorded);

    for (const id of ["a", "b"])
      expect((await svc.as().post(`/v1/notes/${id}`, { text: "hi" })).status).toBe(201);
    expect((await svc.as().post("/v1/notes/c", { text: 42 })).status).toBe(400);

    const text = await waitFor("both events published", async () => {
      const t = await metrics(svc);
      return total(t, "lto_outbox_published_total", { topic }) >= 2 ? t : undefined;
    });
    const route = { method: "POST", route: "/v1/notes/{noteId}", service: "mnotes" };
    expect(total(text, "http_request_duration_seconds_count", { ...route, status: "201" })).toBe(2);
    expect(total(text, "http_request_duration_seconds_count", { ...route, status: "400" })).toBe(1);
    expect(total(text, "http_request_duration_seconds_bucket", { ...route, status: "201", le: "+Inf" })).toBe(
      2,
    );
    // One write, one count: the 400 recorded nothing.
    expect(total(text, "lto_events_recorded_total", recorded) - recordedBefore).toBe(2);
    await waitFor("the consumer handled both", async () =>
      total(await metrics(svc), "lto_consumer_messages_total", { topic, outcome: "ok" }) >= 2
        ? true
        : undefined,
    );
  });

  it("shows the lag of a stuck consumer, and none once it catches up", async () => {
    let release!: () => void;
    gate = new Promise<void>((r) => (release = r));
    try {
      const stuck = new Promise<void>((r) => (onSlow = r));
      await svc.as().post("/v1/notes/slow", { text: "slow" });
      // Written once the consumer is held (one message at a time): none of them can be taken before it.
      await stuck;
      for (let i = 0; i < 6; i++) await svc.as().post(`/v1/notes/behind-${i}`, { text: "hi" });
      const lag = await waitFor("lag behind the stuck handler", async () => {
        const n = total(await metrics(svc), "lto_consumer_lag", { topic });
        return n >= 6 ? n : undefined;
      });
      expect(lag).toBeLessThanOrEqual(7);
    } finally {
      release();
    }
    await waitFor("no lag once it caught up", async () =>
      total(await metrics(svc), "lto_consumer_lag", { topic }) === 0 ? true : undefined,
    );
  });

  it("counts a poison message parked on the DLQ, and what waits there", async () => {
    const dlq = `lto.dlq.${svc.groupId}`;
    const before = await metrics(svc);
    expect(total(before, "lto_dlq_messages", { dlq_topic: dlq })).toBe(0);
    await svc.as().post("/v1/notes/p", { text: "poison" });
    const text = await waitFor("the DLQ gauge", async () => {
      const t = await metrics(svc);
      return total(t, "lto_dlq_messages", { dlq_topic: dlq }) === 1 ? t : undefined;
    });
    expect(
      total(text, "lto_consumer_dlq_total", { topic }) - total(before, "lto_consumer_dlq_total", { topic }),
    ).toBe(1);
  });
});

const ROOT = resolve(import.meta.dirname, "../../..");

/**
 * The alert rules and the dashboard as Prometheus reads them: tools/opscheck/cmd/promrules validates
 * them with Prometheus's rulefmt and PromQL parser (built from the Go module proxy, cached by Go) and
 * lists the metrics they read.
 */
async function referencedMetrics(): Promise<string[]> {
  const { stdout } = await promisify(execFile)(
    "go",
    [
      "run",
      "./cmd/promrules",
      "-rules",
      join(ROOT, "infra/prometheus/alerts.yml"),
      "-dashboards",
      join(ROOT, "infra/grafana/dashboards"),
    ],
    { cwd: join(ROOT, "tools/opscheck"), env: { ...process.env, GOFLAGS: "-mod=readonly -buildvcs=false" } },
  );
  const report = JSON.parse(stdout) as { alerts: string[]; metrics: string[] };
  // The alerts the operations issue asks for, by name.
  for (const alert of [
    "OutboxBacklogAge",
    "ConsumerLagHigh",
    "DeadLetterGrowth",
    "HighServerErrorRate",
    "ServiceDown",
  ])
    expect(report.alerts).toContain(alert);
  return report.metrics;
}

/** Series Prometheus makes itself for each scrape target, not exported by any service. */
const SCRAPE_SERIES = new Set(["up"]);

describe("the alert rules and the dashboard", () => {
  it("are valid for Prometheus and read only metrics a running service exports", async () => {
    const referenced = await referencedMetrics();
    expect(referenced.length).toBeGreaterThan(10);
    // The service of the tests above has served requests, published, consumed and parked a message.
    const text = await metrics(started[0]!);
    const exported = new Set(
      text
        .split("\n")
        .filter((l) => l && !l.startsWith("#"))
        .map((l) => /^[^{ ]+/.exec(l)![0]),
    );
    const missing = referenced.filter((m) => !SCRAPE_SERIES.has(m) && !exported.has(m));
    expect(missing).toEqual([]);
  }, 300_000);
});

describe("/metrics while the broker is unreachable", () => {
  let dir: string | undefined;
  let broker: ManagedProcess | undefined;
  afterAll(async () => {
    await broker?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it("shows the outbox backlog and the age of its oldest event growing, then draining", async () => {
    dir = mkdtempSync(join(tmpdir(), "lto-metrics-outage-"));
    const [port, controllerPort] = await freePorts(2);
    const start = () =>
      startKafka({
        port: port!,
        controllerPort: controllerPort!,
        dataDir: dir!,
        heap: "512m",
        readyTimeoutMs: 180_000,
      });
    broker = await start();
    const collection = uniqueId("onotes").replace(/-/g, "_");
    const topic = uniqueTopic("metrics-outage");
    const svc = await startTestService(notesService("onotes", collection, topic, false), {
      env: { ...REFRESH, KAFKA_BROKERS: broker.address, LOG_LEVEL: "silent" },
    });
    started.push(svc);
    expect((await svc.as().post("/v1/notes/first", { text: "hi" })).status).toBe(201);
    // Published on this service's own topic (the counter is per process, and the service of the tests
    // above publishes too), so the outage below starts with nothing of this collection pending.
    await waitFor("the first event published", async () =>
      total(await metrics(svc), "lto_outbox_published_total", { topic }) === 1 ? true : undefined,
    );

    await broker.stop();
    broker = undefined;
    for (const id of ["x", "y", "z"])
      expect((await svc.as().post(`/v1/notes/${id}`, { text: "hi" })).status).toBe(201);
    // Generous: a relay pass against a vanished broker fails only after the client's own timeouts,
    // which stretch on a loaded machine.
    const first = await waitFor(
      "the backlog",
      async () => {
        const t = await metrics(svc);
        return total(t, "lto_outbox_pending_events", { collection }) === 3 ? t : undefined;
      },
      180_000,
    );
    await waitFor(
      "a failed relay pass counted",
      async () => (total(await metrics(svc), "lto_outbox_publish_errors_total") > 0 ? true : undefined),
      180_000,
    );
    const age1 = total(first, "lto_outbox_oldest_pending_age_seconds", { collection });
    expect(age1).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 1500));
    const age2 = total(await metrics(svc), "lto_outbox_oldest_pending_age_seconds", { collection });
    expect(age2).toBeGreaterThan(age1 + 1);

    broker = await start();
    await waitFor(
      "the backlog drained",
      async () => {
        const t = await metrics(svc);
        return total(t, "lto_outbox_pending_events", { collection }) === 0 &&
          total(t, "lto_outbox_oldest_pending_age_seconds", { collection }) === 0
          ? true
          : undefined;
      },
      120_000,
    );
  }, 600_000);
});
