// The events the catalogue consumes (the ideas and adoption services'), checked against their
// contract's invariants and turned into the app's facts. One that breaks them (an empty id, a missing
// snapshot, an area the contract does not know) is parked on the DLQ at once and never applied.
import type { adoptionEventsV1, ideasEventsV1 } from "@lto/contracts";
import { assertContract, type ReceivedEvent } from "@lto/messaging";
import { ECONOMIC_AREAS, slugOf } from "@lto/reference";
import type {
  AdoptionEndedFact,
  IdeaAdoptedFact,
  IdeaWithdrawnFact,
  PublishedIdeaFact,
} from "../app/index.js";

const validDate = (s: string | undefined) => s === undefined || !Number.isNaN(Date.parse(s));

export function publishedIdeaFact(e: ReceivedEvent<ideasEventsV1.IdeaPublished>): PublishedIdeaFact {
  const { ideaId, idea, version } = e.data;
  const problems: string[] = [];
  if (!ideaId) problems.push("idea_id is empty");
  if (!idea) problems.push("idea is missing");
  const area = idea ? slugOf(idea.economicArea, "ECONOMIC_AREA_", ECONOMIC_AREAS) : undefined;
  if (idea) {
    if (idea.id && ideaId && idea.id !== ideaId) problems.push(`idea.id ${idea.id} is not idea_id`);
    if (!idea.schoolId) problems.push("idea.school_id is empty");
    if (!area) problems.push(`idea.economic_area is not a known area: ${idea.economicArea}`);
    if (!(version > 0 || idea.version > 0)) problems.push("version is missing");
  }
  assertContract(e, problems);
  return {
    eventId: e.id,
    idea: {
      id: ideaId,
      ideaVersion: version || idea!.version,
      // Events published before the ideas contract carried team_id name no team: such an idea is
      // found through its school only (GET /v1/suggestions/mine).
      teamId: idea!.teamId,
      teamName: idea!.teamName,
      schoolId: idea!.schoolId,
      title: idea!.title,
      area: area!,
      technologies: idea!.technologies,
      district: idea!.district,
    },
  };
}

export function ideaWithdrawnFact(e: ReceivedEvent<ideasEventsV1.IdeaWithdrawn>): IdeaWithdrawnFact {
  const problems: string[] = [];
  if (!e.data.ideaId) problems.push("idea_id is empty");
  if (!(e.data.version > 0)) problems.push("version is missing");
  assertContract(e, problems);
  return { eventId: e.id, ideaId: e.data.ideaId, ideaVersion: e.data.version };
}

export function ideaAdoptedFact(e: ReceivedEvent<adoptionEventsV1.IdeaAdopted>): IdeaAdoptedFact {
  const m = e.data;
  const problems: string[] = [];
  if (!m.ideaId) problems.push("idea_id is empty");
  if (!m.adoptionId) problems.push("adoption_id is empty");
  if (!m.companyId) problems.push("company_id is empty");
  if (!validDate(m.occurredAt)) problems.push("occurred_at is not a date");
  assertContract(e, problems);
  return {
    eventId: e.id,
    ideaId: m.ideaId,
    // May be empty (the idea's publication names the school in any case).
    schoolId: m.schoolId,
    adoption: {
      adoptionId: m.adoptionId,
      companyId: m.companyId,
      companyName: m.companyName,
      at: m.occurredAt ? new Date(m.occurredAt) : e.time,
    },
  };
}

export function adoptionEndedFact(e: ReceivedEvent<adoptionEventsV1.AdoptionEnded>): AdoptionEndedFact {
  const problems: string[] = [];
  if (!e.data.ideaId) problems.push("idea_id is empty");
  if (!e.data.adoptionId) problems.push("adoption_id is empty");
  assertContract(e, problems);
  return { eventId: e.id, ideaId: e.data.ideaId, adoptionId: e.data.adoptionId };
}
