#!/usr/bin/env bash
# Run by compose's kafka-init job (apache/kafka image) at every `docker compose up`: creates the
# platform's topics with their partitions and retention, and sets the retention again on topics that
# exist (partitions are only ever raised by hand: raising them moves keys to other partitions).
#   event topics  lto.<service>.events.v1   retention.ms=-1 (kept forever: projections and the
#                                            insights read model are rebuilt from the first event)
#   dead letters  lto.dlq.<consumer group>  30 days to look at and replay a parked message
set -euo pipefail
bootstrap="${BOOTSTRAP:?BOOTSTRAP (host:port of the broker) is required}"
partitions="${KAFKA_TOPIC_PARTITIONS:?KAFKA_TOPIC_PARTITIONS (partitions of each event topic) is required}"
bin="${KAFKA_BIN:-/opt/kafka/bin}" # the image's; another Kafka 3.9 distribution's bin/ elsewhere
event_topics=(lto.ideas.events.v1 lto.adoption.events.v1 lto.catalogue.events.v1 lto.selfemployment.events.v1 lto.gateway.events.v1)
consumer_groups=(lto-ideas lto-adoption lto-catalogue lto-self-employment lto-insights lto-notifications)
dlq_retention_ms=$((30 * 24 * 3600 * 1000))

ensure() {
  local topic="$1" count="$2" configs="$3"
  local args=()
  IFS=',' read -ra pairs <<<"$configs"
  for pair in "${pairs[@]}"; do args+=(--config "$pair"); done
  "$bin/kafka-topics.sh" --bootstrap-server "$bootstrap" --create --if-not-exists \
    --topic "$topic" --partitions "$count" --replication-factor 1 "${args[@]}"
  "$bin/kafka-configs.sh" --bootstrap-server "$bootstrap" --alter --entity-type topics \
    --entity-name "$topic" --add-config "$configs"
}

for topic in "${event_topics[@]}"; do
  ensure "$topic" "$partitions" "retention.ms=-1,retention.bytes=-1,cleanup.policy=delete"
done
for group in "${consumer_groups[@]}"; do
  ensure "lto.dlq.$group" 1 "retention.ms=$dlq_retention_ms,cleanup.policy=delete"
done
"$bin/kafka-topics.sh" --bootstrap-server "$bootstrap" --describe --exclude-internal | grep -E '^Topic:' || true
