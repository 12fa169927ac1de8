// Domain objects to the protobuf contracts (events and gRPC) and back. Students leave this service
// only by pseudonym; scores, notes and the referent teacher never leave it.
import {
  CallCreatedEvent,
  CallUpdatedEvent,
  IdeaChangesRequestedEvent,
  IdeaPublishedEvent,
  IdeaRejectedEvent,
  IdeaSubmittedEvent,
  IdeaWithdrawnEvent,
  TeamMemberErasedEvent,
  type ideasV1,
} from "@lto/contracts";
import { pendingEvent, type PendingEvent } from "@lto/messaging";
import {
  ECONOMIC_AREAS,
  NEEDS,
  phaseStartInstant,
  panelOrganisations,
  type Call,
  type CallEvent,
  type EconomicArea,
  type Idea,
  type IdeaEvent,
  type IdeaState,
  type Need,
  type Team,
} from "../domain/index.js";
import { publishedAt } from "../app/index.js";

type ProtoIdea = ideasV1.Idea;
type ProtoCall = ideasV1.Call;

export function toProtoArea(area: EconomicArea | undefined): ideasV1.EconomicArea {
  return area ? (`ECONOMIC_AREA_${area.toUpperCase()}` as ideasV1.EconomicArea) : "ECONOMIC_AREA_UNSPECIFIED";
}

export function fromProtoArea(area: ideasV1.EconomicArea): EconomicArea | undefined {
  const slug = area.replace("ECONOMIC_AREA_", "").toLowerCase();
  return (ECONOMIC_AREAS as readonly string[]).includes(slug) ? (slug as EconomicArea) : undefined;
}

export function toProtoNeed(need: Need): ideasV1.Need {
  return `NEED_${need.toUpperCase()}` as ideasV1.Need;
}

export function fromProtoNeed(need: ideasV1.Need): Need | undefined {
  const slug = need.replace("NEED_", "").toLowerCase();
  return (NEEDS as readonly string[]).includes(slug) ? (slug as Need) : undefined;
}

export function toProtoState(state: IdeaState): ideasV1.IdeaState {
  return `IDEA_STATE_${state.toUpperCase()}` as ideasV1.IdeaState;
}

const toProtoModel = (model: Call["model"]): ideasV1.CallModel =>
  model === "open" ? "CALL_MODEL_OPEN" : "CALL_MODEL_CHALLENGE";

function window(
  call: Call,
  from: "submission" | "evaluation" | "adoption",
  to: "evaluation" | "adoption" | "closed",
) {
  return {
    startsAt: phaseStartInstant(call, from).toISOString(),
    endsAt: phaseStartInstant(call, to).toISOString(),
  };
}

export function adoptionWindow(call: Call): ideasV1.TimeWindow {
  return window(call, "adoption", "closed");
}

export function toProtoCall(call: Call, version = call.version): ProtoCall {
  return {
    id: call.id,
    title: call.title,
    schoolYear: call.schoolYear,
    model: toProtoModel(call.model),
    challengeCompanyId: call.sponsor?.companyId ?? "",
    challengeCompanyName: call.sponsor?.name ?? "",
    submission: window(call, "submission", "evaluation"),
    evaluation: window(call, "evaluation", "adoption"),
    adoption: adoptionWindow(call),
    panelOrganisationIds: panelOrganisations(call),
    version,
  };
}

/** The shareable view of an idea: public fields, team by pseudonyms, no evaluation. */
export function toProtoIdea(
  idea: Idea,
  team: Team | undefined,
  call: Call | undefined,
  version = idea.version,
): ProtoIdea {
  const published = publishedAt(idea);
  return {
    id: idea.id,
    callId: idea.callId,
    callModel: call ? toProtoModel(call.model) : "CALL_MODEL_UNSPECIFIED",
    callTitle: call?.title ?? "",
    schoolYear: call?.schoolYear ?? "",
    schoolId: idea.schoolId,
    schoolName: team?.schoolName ?? "",
    title: idea.title,
    summary: idea.summary,
    problem: idea.problem,
    solution: idea.solution,
    economicArea: toProtoArea(idea.area),
    technologies: idea.technologies,
    district: idea.district ?? "",
    needs: idea.needs.map(toProtoNeed),
    teamName: team?.name ?? "",
    memberPseudonyms: team?.members.map((m) => m.pseudonym) ?? [],
    attachments: idea.attachments.map((a) => ({ title: a.title, url: a.url })),
    state: toProtoState(idea.state),
    challengeCompanyId: call?.sponsor?.companyId ?? "",
    ...(published ? { publishedAt: published.toISOString() } : {}),
    version,
  };
}

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
