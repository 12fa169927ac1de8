// Domain objects to the protobuf shapes of the contracts (events and gRPC) and back. Students leave
// this service only by pseudonym; scores, notes and the referent teacher never leave it.
import type { ideasV1 } from "@lto/contracts";
import {
  ECONOMIC_AREAS,
  NEEDS,
  phaseStartInstant,
  panelOrganisations,
  type Call,
  type EconomicArea,
  type Idea,
  type IdeaState,
  type Need,
  type Team,
} from "../domain/index.js";
import { publishedAt } from "../app/views.js";

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
    site: call.site,
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
    teamId: idea.teamId,
    memberPseudonyms: team?.members.map((m) => m.pseudonym) ?? [],
    attachments: idea.attachments.map((a) => ({ title: a.title, url: a.url })),
    state: toProtoState(idea.state),
    challengeCompanyId: call?.sponsor?.companyId ?? "",
    ...(published ? { publishedAt: published.toISOString() } : {}),
    version,
  };
}
