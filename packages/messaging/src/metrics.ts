// Prometheus metrics of the messaging package, on prom-client's default registry (what /metrics of the
// http kit serves). Created once per process however many relays and consumers run. Every service gets
// them from the platform (store, relay, consumer): none defines its own.
import { Counter, Gauge, register } from "prom-client";

function counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
  return (
    (register.getSingleMetric(name) as Counter<L> | undefined) ?? new Counter({ name, help, labelNames })
  );
}

function gauge<L extends string>(
  name: string,
  help: string,
  labelNames: readonly L[],
  collect?: (this: Gauge<L>) => void,
): Gauge<L> {
  return (
    (register.getSingleMetric(name) as Gauge<L> | undefined) ??
    new Gauge({ name, help, labelNames, ...(collect ? { collect } : {}) })
  );
}

/**
 * When the oldest event still pending in each outbox collection was written (undefined: none pending),
 * as the relay last counted. The age is computed at scrape time from it, so it keeps growing between
 * counts while the broker is away.
 */
const oldestPending = new Map<string, number | undefined>();

export const messagingMetrics = {
  get outboxPending() {
    return gauge("lto_outbox_pending_events", "Events written to an outbox and not yet published", [
      "collection",
    ]);
  },
  get outboxOldestAge() {
    return gauge(
      "lto_outbox_oldest_pending_age_seconds",
      "Age of the oldest event written to an outbox and not yet published (0 when none is pending)",
      ["collection"],
      function () {
        const now = Date.now();
        for (const [collection, oldest] of oldestPending)
          this.set({ collection }, oldest === undefined ? 0 : Math.max(0, (now - oldest) / 1000));
      },
    );
  },
  /** Records what the relay counted in one collection: how many pending, since when. */
  setOutboxBacklog(collection: string, pending: number, oldest: Date | undefined): void {
    messagingMetrics.outboxPending.set({ collection }, pending);
    oldestPending.set(collection, pending > 0 && oldest ? oldest.getTime() : undefined);
    void messagingMetrics.outboxOldestAge; // registered with the first count
  },
  get outboxPublished() {
    return counter("lto_outbox_published_total", "Events the outbox relay published to Kafka", ["topic"]);
  },
  get outboxPublishErrors() {
    return counter(
      "lto_outbox_publish_errors_total",
      "Outbox relay passes that failed (events kept, retried)",
      [],
    );
  },
  /**
   * The business counters: events recorded with a committed state change (ideas submitted, adoptions,
   * enrolments, bookings...), counted once where the store writes them, by CloudEvents source and type.
   */
  get eventsRecorded() {
    return counter(
      "lto_events_recorded_total",
      "Domain events recorded with a state change (the business counters), by source service and type",
      ["source", "type"],
    );
  },
  get consumerHandled() {
    return counter("lto_consumer_messages_total", "Messages a consumer group finished with, by outcome", [
      "group",
      "topic",
      "type",
      "outcome",
    ]);
  },
  get consumerDlq() {
    return counter("lto_consumer_dlq_total", "Messages parked on the dead-letter topic", ["group", "topic"]);
  },
  get dlqMessages() {
    return gauge(
      "lto_dlq_messages",
      "Messages on a consumer group's dead-letter topic (parked, waiting for a replay), all instances",
      ["group", "dlq_topic"],
    );
  },
  get consumerLag() {
    return gauge("lto_consumer_lag", "Messages behind the partition's high watermark", [
      "group",
      "topic",
      "partition",
    ]);
  },
};

/** Counts events a write recorded (call once the write is committed). */
export function countRecordedEvents(events: ReadonlyArray<{ source: string; type: string }>): void {
  for (const ev of events) messagingMetrics.eventsRecorded.inc({ source: ev.source, type: ev.type });
}
