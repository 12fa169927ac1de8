// The service's domain events as the protobuf events of its contract, ready for the outbox: each keyed
// by its aggregate's id (one aggregate's events stay in order) and carrying the version it is stored at.
import {
  CallCreatedEvent,
  CallUpdatedEvent,
  IdeaChangesRequestedEvent,
  IdeaPublishedEvent,
  IdeaRejectedEvent,
  IdeaSubmittedEvent,
  IdeaWithdrawnEvent,
  TeamMemberErasedEvent,
} from "@lto/contracts";
import { pendingEvent, type PendingEvent } from "@lto/messaging";
import type { CallEvent, Idea, IdeaEvent } from "../domain/index.js";
import { toProtoArea, toProtoCall, toProtoIdea, toProtoState } from "./mapping.js";

function actorOf(idea: Idea): string {
  return idea.history.at(-1)?.by ?? "system";
}

/** The outbox entries for an idea's events; `version` is the idea's version once they are stored. */
export function ideaPendingEvents(events: IdeaEvent[], version: number): PendingEvent[] {
  return events.map((event) => {
    const { idea, at } = event;
    const common = { ideaId: idea.id, occurredAt: at.toISOString(), actorSubject: actorOf(idea), version };
    const options = { time: at };
    switch (event.type) {
      case "IdeaSubmitted":
        return pendingEvent(
          IdeaSubmittedEvent,
          idea.id,
          IdeaSubmittedEvent.create({
            ...common,
            callId: idea.callId,
            schoolId: idea.schoolId,
            title: idea.title,
            economicArea: toProtoArea(idea.area),
            district: idea.district ?? "",
          }),
          options,
        );
      case "IdeaPublished":
        return pendingEvent(
          IdeaPublishedEvent,
          idea.id,
          IdeaPublishedEvent.create({ ...common, idea: toProtoIdea(idea, event.team, event.call, version) }),
          options,
        );
      case "IdeaRejected":
        return pendingEvent(
          IdeaRejectedEvent,
          idea.id,
          IdeaRejectedEvent.create({
            ...common,
            callId: idea.callId,
            schoolId: idea.schoolId,
            reason: idea.answer ?? "",
          }),
          options,
        );
      case "IdeaChangesRequested":
        return pendingEvent(
          IdeaChangesRequestedEvent,
          idea.id,
          IdeaChangesRequestedEvent.create({
            ...common,
            callId: idea.callId,
            schoolId: idea.schoolId,
            message: event.reason,
          }),
          options,
        );
      case "IdeaWithdrawn":
        return pendingEvent(
          IdeaWithdrawnEvent,
          idea.id,
          IdeaWithdrawnEvent.create({
            ...common,
            callId: idea.callId,
            schoolId: idea.schoolId,
            reason: event.reason,
            previousState: toProtoState(event.from),
          }),
          options,
        );
      case "TeamMemberErased":
        return pendingEvent(
          TeamMemberErasedEvent,
          idea.id,
          TeamMemberErasedEvent.create({
            ...common,
            actorSubject: event.erasure.by,
            teamId: event.team.id,
            schoolId: idea.schoolId,
            memberId: event.erasure.memberId,
            previousPseudonym: event.erasure.previousPseudonym,
            pseudonym: event.erasure.pseudonym,
            memberPseudonyms: event.team.members.map((m) => m.pseudonym),
          }),
          options,
        );
    }
  });
}

export function callPendingEvents(events: CallEvent[], version: number): PendingEvent[] {
  return events.map((event) => {
    const codec = event.type === "CallCreated" ? CallCreatedEvent : CallUpdatedEvent;
    const message = {
      callId: event.call.id,
      call: toProtoCall(event.call, version),
      occurredAt: event.at.toISOString(),
      actorSubject: event.by,
      version,
    };
    return pendingEvent(codec, event.call.id, codec.create(message), { time: event.at });
  });
}
