// Every event this service consumes, in one place: event type -> handler. Wire messages are checked
// against their contract's invariants here, before they become app facts: one that breaks them (an empty
// id, a missing snapshot, an enum value the contract does not know) is parked on the DLQ at once and
// never reaches the projection.
import {
  CallCreatedEvent,
  CallUpdatedEvent,
  IdeaPublishedEvent,
  IdeaWithdrawnEvent,
  TeamMemberErasedEvent,
  type ideasEventsV1,
  type ideasV1,
} from "@lto/contracts";
import { assertContract, on, type ReceivedEvent, type Subscriptions } from "@lto/messaging";
import type { projectionHandlers, UseCases } from "../app/index.js";
import { changedCall, erasure, publishedIdea, withdrawal } from "../contract/index.js";

type Handlers =
  | Pick<UseCases["ideaEvents"], "ideaPublished" | "ideaWithdrawn" | "callChanged" | "teamMemberErased">
  | ReturnType<typeof projectionHandlers>;

const validDate = (s: string | undefined) => s === undefined || !Number.isNaN(Date.parse(s));

function ideaPublished(e: ReceivedEvent<ideasEventsV1.IdeaPublished>) {
  const m = e.data;
  const problems: string[] = [];
  if (!m.ideaId) problems.push("idea_id is empty");
  if (!m.idea) problems.push("idea is missing");
  else {
    const idea: ideasV1.Idea = m.idea;
    if (idea.id && m.ideaId && idea.id !== m.ideaId) problems.push(`idea.id ${idea.id} is not idea_id`);
    if (!idea.callId) problems.push("idea.call_id is empty");
    if (!idea.schoolId) problems.push("idea.school_id is empty");
    if (!idea.title) problems.push("idea.title is empty");
    if (idea.economicArea === "UNRECOGNIZED") problems.push("idea.economic_area is not a known area");
    if (idea.needs.includes("UNRECOGNIZED")) problems.push("idea.needs has an unknown need");
    if (!validDate(idea.publishedAt)) problems.push("idea.published_at is not a date");
    if (!(m.version > 0 || idea.version > 0)) problems.push("version is missing");
  }
  assertContract(e, problems);
  return m;
}

function ideaWithdrawn(e: ReceivedEvent<ideasEventsV1.IdeaWithdrawn>) {
  const problems: string[] = [];
  if (!e.data.ideaId) problems.push("idea_id is empty");
  if (!(e.data.version > 0)) problems.push("version is missing");
  assertContract(e, problems);
  return e.data;
}

function callChanged(e: ReceivedEvent<ideasEventsV1.CallCreated | ideasEventsV1.CallUpdated>) {
  const m = e.data;
  const problems: string[] = [];
  if (!m.callId) problems.push("call_id is empty");
  if (!m.call) problems.push("call is missing");
  else {
    if (m.call.id && m.callId && m.call.id !== m.callId) problems.push(`call.id ${m.call.id} is not call_id`);
    const w = m.call.adoption;
    if (!validDate(w?.startsAt) || !validDate(w?.endsAt)) problems.push("call.adoption has a bad date");
    else if (w?.startsAt && w.endsAt && Date.parse(w.startsAt) >= Date.parse(w.endsAt))
      problems.push("call.adoption ends before it starts");
    if (!(m.version > 0 || m.call.version > 0)) problems.push("version is missing");
  }
  assertContract(e, problems);
  return m;
}

function teamMemberErased(e: ReceivedEvent<ideasEventsV1.TeamMemberErased>) {
  const m = e.data;
  const problems: string[] = [];
  if (!m.ideaId) problems.push("idea_id is empty");
  if (!m.previousPseudonym) problems.push("previous_pseudonym is empty");
  if (!m.pseudonym) problems.push("pseudonym is empty");
  if (m.pseudonym && m.pseudonym === m.previousPseudonym) problems.push("pseudonym is the previous one");
  assertContract(e, problems);
  return m;
}

export function subscriptions(h: Handlers): Subscriptions {
  return [
    on(IdeaPublishedEvent, (e) => h.ideaPublished(publishedIdea(ideaPublished(e)))),
    on(IdeaWithdrawnEvent, (e) => h.ideaWithdrawn(withdrawal(ideaWithdrawn(e)))),
    on(TeamMemberErasedEvent, (e) => h.teamMemberErased(erasure(teamMemberErased(e)))),
    on(CallCreatedEvent, (e) => h.callChanged(changedCall(callChanged(e)))),
    on(CallUpdatedEvent, (e) => h.callChanged(changedCall(callChanged(e)))),
  ];
}
