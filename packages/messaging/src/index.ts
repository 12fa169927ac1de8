// @lto/messaging: CloudEvents over Kafka with protobuf payloads, the portable outbox format and its relay,
// and the consumer runner with retries and a dead-letter topic. Services write their outboxes (and make
// their handlers idempotent) through @lto/store.
export { backoffDelay, sleep, type BackoffOptions } from "./backoff.js";
export {
  CE_SPECVERSION,
  PROTOBUF_CONTENT_TYPE,
  InvalidCloudEventError,
  ceHeader,
  cloudEventHeaders,
  headersToStrings,
  isRfc3339,
  parseCloudEventHeaders,
  type CloudEventAttributes,
  type ParsedCloudEvent,
} from "./cloudevents.js";
export {
  ConsumerNotReadyError,
  ContractViolationError,
  NonRetryableError,
  assertContract,
  createConsumer,
  on,
  watchConsumerLag,
  type ConsumerOptions,
  type ConsumerRunner,
  type ConsumerState,
  type PartitionLag,
  type ReceivedEvent,
  type RetryOptions,
  type Subscription,
  type Subscriptions,
} from "./consumer.js";
export {
  DlqReplayError,
  replayDeadLetters,
  type DlqReplayOptions,
  type DlqReplayReport,
  type ParkedMessage,
} from "./dlq-replay.js";
export type { MessagingLogger } from "./logger.js";
export {
  handOverReplay,
  refuseWhileGroupRuns,
  replayFromBeginning,
  type ReplayEnd,
  type ReplayOptions,
} from "./replay.js";
export { countRecordedEvents, messagingMetrics } from "./metrics.js";
export {
  OUTBOX_FIELD,
  OUTBOX_INDEX,
  OUTBOX_PENDING_FILTER,
  PENDING_FLAG,
  pendingEvent,
  withOutbox,
  withOutboxDoc,
  type PendingEvent,
  type PendingEventOptions,
  type UpdateDocument,
} from "./outbox.js";
export {
  OutboxRelay,
  decodeStoredEvent,
  toKafkaMessage,
  type OutboxCollection,
  type OutboxRelayOptions,
} from "./relay.js";
export { ensureTopics, type EnsureTopicsOptions } from "./topics.js";
export {
  brokerReadiness,
  createKafka,
  isExpectedKafkaLog,
  kafkajsLogCreator,
  type CreateKafkaOptions,
} from "./kafka.js";
