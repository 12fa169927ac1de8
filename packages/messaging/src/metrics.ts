// Prometheus metrics of the messaging package, on prom-client's default registry (what /metrics of the
// http kit serves). Created once per process however many relays and consumers run.
import { Counter, Gauge, register } from "prom-client";

function counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
  return (
    (register.getSingleMetric(name) as Counter<L> | undefined) ?? new Counter({ name, help, labelNames })
  );
}

function gauge<L extends string>(name: string, help: string, labelNames: readonly L[]): Gauge<L> {
  return (register.getSingleMetric(name) as Gauge<L> | undefined) ?? new Gauge({ name, help, labelNames });
}

export const messagingMetrics = {
  get outboxPending() {
    return gauge("lto_outbox_pending_events", "Events written to an outbox and not yet published", [
      "collection",
    ]);
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
  get consumerLag() {
    return gauge("lto_consumer_lag", "Messages behind the partition's high watermark", [
      "group",
      "topic",
      "partition",
    ]);
  },
};
