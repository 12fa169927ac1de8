// The topic and event registry: which protobuf message travels on which Kafka topic under which
// CloudEvents type and source. Producers and consumers name events only through these codecs, so a
// type string or topic name is written exactly once. Hand-written; src/gen/ is generated.
import type { BinaryReader, BinaryWriter } from "@bufbuild/protobuf/wire";
import {
  CallCreated,
  CallUpdated,
  IdeaChangesRequested,
  IdeaPublished,
  IdeaRejected,
  IdeaSubmitted,
  IdeaWithdrawn,
  TeamMemberErased,
} from "./gen/lto/ideas/v1/events.js";
import {
  AdoptionCompleted,
  AdoptionEnded,
  AdoptionOffered,
  CommitmentDelivered,
  DeliveryLogged,
  HoldLapsed,
  IdeaAdopted,
  IdeaHeld,
  OfferDeclined,
} from "./gen/lto/adoption/v1/events.js";
import {
  AttendanceRecorded,
  CourseArchived,
  CourseCompleted,
  CoursePublished,
  CredentialIssued,
  CredentialRevoked,
  EnrolmentConfirmed,
  EnrolmentWaitlisted,
  EnrolmentWithdrawn,
  SeatOffered,
  SessionCancelled,
  SessionRescheduled,
  SessionScheduled,
} from "./gen/lto/catalogue/v1/events.js";
import {
  BookingCancelled,
  BookingConfirmed,
  BookingRescheduled,
  NoShowRecorded,
  PathOpened,
  PersonRegistered,
  ServiceDelivered,
  WaitlistOffered,
} from "./gen/lto/selfemployment/v1/events.js";
import { AccountActivated, AccountDisabled } from "./gen/lto/gateway/v1/events.js";

/** One topic per producing service: `lto.<service>.events.v1`. */
export const topics = {
  ideas: "lto.ideas.events.v1",
  adoption: "lto.adoption.events.v1",
  catalogue: "lto.catalogue.events.v1",
  selfemployment: "lto.selfemployment.events.v1",
  gateway: "lto.gateway.events.v1",
} as const;

export type ServiceName = keyof typeof topics;
export type Topic = (typeof topics)[ServiceName];

/** The dead-letter topic of a consumer group: poison messages are parked here after their retries. */
export function dlqTopic(group: string): string {
  return `lto.dlq.${group}`;
}

/**
 * Partitions of a dead-letter topic, wherever it is made (the consumer, compose's kafka-init, the
 * cluster's KafkaTopics): one, so its offsets say the order messages were parked in, and a replay by
 * offsets (docs/operations.md) names one range.
 */
export const DLQ_PARTITIONS = 1;

/** How one event message is named on the wire and turned into bytes and back. */
export interface EventCodec<T> {
  /** CloudEvents `ce_type`: `lto.<service>.v1.<Message>` (also the protobuf full name). */
  readonly type: string;
  /** Kafka topic the event is published on. */
  readonly topic: string;
  /** CloudEvents `ce_source`: `/lto/<service>`. */
  readonly source: string;
  encode(m: T): Uint8Array;
  decode(b: Uint8Array): T;
}

/**
 * A codec from this registry: also knows the message's partition key (the aggregate id whose
 * events must stay in order; used as Kafka key and `ce_subject`) and builds messages from partials.
 */
export interface RegisteredEventCodec<T> extends EventCodec<T> {
  /** The service that publishes it. */
  readonly service: ServiceName;
  /** Kafka message key / CloudEvents subject for this event. */
  key(m: T): string;
  /** A complete message from a partial one (missing fields get their protobuf defaults). */
  create(partial?: Partial<T>): T;
}

/** The parts of a ts-proto generated message object the registry needs. */
interface GeneratedMessage<T> {
  encode(message: T, writer?: BinaryWriter): BinaryWriter;
  decode(input: BinaryReader | Uint8Array, length?: number): T;
  fromPartial(object: never): T;
}

function codec<T>(
  service: ServiceName,
  name: string,
  fns: GeneratedMessage<T>,
  key: (m: T) => string,
): RegisteredEventCodec<T> {
  return Object.freeze({
    service,
    type: `lto.${service}.v1.${name}`,
    topic: topics[service],
    source: `/lto/${service}`,
    encode: (m: T) => fns.encode(m).finish(),
    decode: (b: Uint8Array) => fns.decode(b),
    key,
    create: (partial?: Partial<T>) => fns.fromPartial((partial ?? {}) as never),
  });
}

// --- ideas service: lto.ideas.events.v1 (key: idea id, or call id for call events) ---
export const IdeaSubmittedEvent = codec("ideas", "IdeaSubmitted", IdeaSubmitted, (m) => m.ideaId);
export const IdeaPublishedEvent = codec("ideas", "IdeaPublished", IdeaPublished, (m) => m.ideaId);
export const IdeaRejectedEvent = codec("ideas", "IdeaRejected", IdeaRejected, (m) => m.ideaId);
export const IdeaWithdrawnEvent = codec("ideas", "IdeaWithdrawn", IdeaWithdrawn, (m) => m.ideaId);
export const IdeaChangesRequestedEvent = codec(
  "ideas",
  "IdeaChangesRequested",
  IdeaChangesRequested,
  (m) => m.ideaId,
);
export const TeamMemberErasedEvent = codec("ideas", "TeamMemberErased", TeamMemberErased, (m) => m.ideaId);
export const CallCreatedEvent = codec("ideas", "CallCreated", CallCreated, (m) => m.callId);
export const CallUpdatedEvent = codec("ideas", "CallUpdated", CallUpdated, (m) => m.callId);

// --- adoption service: lto.adoption.events.v1 (key: idea id, so one idea's holds, offers and
// adoptions stay in order) ---
export const IdeaHeldEvent = codec("adoption", "IdeaHeld", IdeaHeld, (m) => m.ideaId);
export const HoldLapsedEvent = codec("adoption", "HoldLapsed", HoldLapsed, (m) => m.ideaId);
export const AdoptionOfferedEvent = codec("adoption", "AdoptionOffered", AdoptionOffered, (m) => m.ideaId);
export const OfferDeclinedEvent = codec("adoption", "OfferDeclined", OfferDeclined, (m) => m.ideaId);
export const IdeaAdoptedEvent = codec("adoption", "IdeaAdopted", IdeaAdopted, (m) => m.ideaId);
export const CommitmentDeliveredEvent = codec(
  "adoption",
  "CommitmentDelivered",
  CommitmentDelivered,
  (m) => m.ideaId,
);
export const AdoptionEndedEvent = codec("adoption", "AdoptionEnded", AdoptionEnded, (m) => m.ideaId);
export const AdoptionCompletedEvent = codec(
  "adoption",
  "AdoptionCompleted",
  AdoptionCompleted,
  (m) => m.ideaId,
);

// --- catalogue service: lto.catalogue.events.v1 (key: the course id for course events, the session id
// for session, enrolment and attendance events so one session's seats stay in order, the credential id
// for credential events) ---
export const CoursePublishedEvent = codec("catalogue", "CoursePublished", CoursePublished, (m) => m.courseId);
export const CourseArchivedEvent = codec("catalogue", "CourseArchived", CourseArchived, (m) => m.courseId);
export const SessionScheduledEvent = codec(
  "catalogue",
  "SessionScheduled",
  SessionScheduled,
  (m) => m.sessionId,
);
export const SessionRescheduledEvent = codec(
  "catalogue",
  "SessionRescheduled",
  SessionRescheduled,
  (m) => m.sessionId,
);
export const SessionCancelledEvent = codec(
  "catalogue",
  "SessionCancelled",
  SessionCancelled,
  (m) => m.sessionId,
);
export const EnrolmentConfirmedEvent = codec(
  "catalogue",
  "EnrolmentConfirmed",
  EnrolmentConfirmed,
  (m) => m.sessionId,
);
export const EnrolmentWaitlistedEvent = codec(
  "catalogue",
  "EnrolmentWaitlisted",
  EnrolmentWaitlisted,
  (m) => m.sessionId,
);
export const SeatOfferedEvent = codec("catalogue", "SeatOffered", SeatOffered, (m) => m.sessionId);
export const EnrolmentWithdrawnEvent = codec(
  "catalogue",
  "EnrolmentWithdrawn",
  EnrolmentWithdrawn,
  (m) => m.sessionId,
);
export const AttendanceRecordedEvent = codec(
  "catalogue",
  "AttendanceRecorded",
  AttendanceRecorded,
  (m) => m.sessionId,
);
export const CourseCompletedEvent = codec(
  "catalogue",
  "CourseCompleted",
  CourseCompleted,
  (m) => m.sessionId,
);
export const CredentialIssuedEvent = codec(
  "catalogue",
  "CredentialIssued",
  CredentialIssued,
  (m) => m.credentialId,
);
export const CredentialRevokedEvent = codec(
  "catalogue",
  "CredentialRevoked",
  CredentialRevoked,
  (m) => m.credentialId,
);

// --- self-employment service: lto.selfemployment.events.v1 (key: the person's pseudonymous id, so one
// person's registration, path, bookings and deliveries stay in order) ---
export const PersonRegisteredEvent = codec(
  "selfemployment",
  "PersonRegistered",
  PersonRegistered,
  (m) => m.personId,
);
export const PathOpenedEvent = codec("selfemployment", "PathOpened", PathOpened, (m) => m.personId);
export const BookingConfirmedEvent = codec(
  "selfemployment",
  "BookingConfirmed",
  BookingConfirmed,
  (m) => m.personId,
);
export const BookingRescheduledEvent = codec(
  "selfemployment",
  "BookingRescheduled",
  BookingRescheduled,
  (m) => m.personId,
);
export const BookingCancelledEvent = codec(
  "selfemployment",
  "BookingCancelled",
  BookingCancelled,
  (m) => m.personId,
);
export const NoShowRecordedEvent = codec(
  "selfemployment",
  "NoShowRecorded",
  NoShowRecorded,
  (m) => m.personId,
);
export const ServiceDeliveredEvent = codec(
  "selfemployment",
  "ServiceDelivered",
  ServiceDelivered,
  (m) => m.personId,
);
export const WaitlistOfferedEvent = codec(
  "selfemployment",
  "WaitlistOffered",
  WaitlistOffered,
  (m) => m.personId,
);

// --- gateway: lto.gateway.events.v1 (key: the account's subject) ---
export const AccountActivatedEvent = codec("gateway", "AccountActivated", AccountActivated, (m) => m.subject);
export const AccountDisabledEvent = codec("gateway", "AccountDisabled", AccountDisabled, (m) => m.subject);

// --- adoption service, added for the notifications: a delivery for the school to confirm ---
export const DeliveryLoggedEvent = codec("adoption", "DeliveryLogged", DeliveryLogged, (m) => m.ideaId);

/** Every registered event codec, in declaration order. */
export const allEvents: readonly RegisteredEventCodec<unknown>[] = [
  IdeaSubmittedEvent,
  IdeaPublishedEvent,
  IdeaRejectedEvent,
  IdeaWithdrawnEvent,
  IdeaChangesRequestedEvent,
  TeamMemberErasedEvent,
  CallCreatedEvent,
  CallUpdatedEvent,
  IdeaHeldEvent,
  HoldLapsedEvent,
  AdoptionOfferedEvent,
  OfferDeclinedEvent,
  IdeaAdoptedEvent,
  CommitmentDeliveredEvent,
  AdoptionEndedEvent,
  AdoptionCompletedEvent,
  CoursePublishedEvent,
  CourseArchivedEvent,
  SessionScheduledEvent,
  SessionRescheduledEvent,
  SessionCancelledEvent,
  EnrolmentConfirmedEvent,
  EnrolmentWaitlistedEvent,
  SeatOfferedEvent,
  EnrolmentWithdrawnEvent,
  AttendanceRecordedEvent,
  CourseCompletedEvent,
  CredentialIssuedEvent,
  CredentialRevokedEvent,
  PersonRegisteredEvent,
  PathOpenedEvent,
  BookingConfirmedEvent,
  BookingRescheduledEvent,
  BookingCancelledEvent,
  NoShowRecordedEvent,
  ServiceDeliveredEvent,
  WaitlistOfferedEvent,
  AccountActivatedEvent,
  AccountDisabledEvent,
  DeliveryLoggedEvent,
] as unknown as readonly RegisteredEventCodec<unknown>[];

/** Look up a codec by its CloudEvents type (`ce_type` header) on the consuming side. */
export const eventsByType: ReadonlyMap<string, RegisteredEventCodec<unknown>> = new Map(
  allEvents.map((c) => [c.type, c]),
);

/** The codecs published on one topic. */
export function eventsOnTopic(topic: string): RegisteredEventCodec<unknown>[] {
  return allEvents.filter((c) => c.topic === topic);
}
