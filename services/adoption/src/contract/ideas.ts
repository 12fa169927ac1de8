// The ideas service's events (protobuf) as the facts this service's handlers take: the local views
// of published ideas and calls, withdrawals and erasures. Wire enums become domain slugs here.
import type { ideasEventsV1, ideasV1 } from "@lto/contracts";
import { ECONOMIC_AREAS, NEEDS, slugOf, type Need } from "@lto/reference";
import type { CallView, IdeaView, IdeaWithdrawal, MemberErasure } from "../app/index.js";

const date = (s: string | undefined) => (s ? new Date(s) : null);

export function ideaView(idea: ideasV1.Idea): Omit<IdeaView, "adoption"> {
  return {
    id: idea.id,
    callId: idea.callId,
    callTitle: idea.callTitle,
    schoolYear: idea.schoolYear,
    schoolId: idea.schoolId,
    schoolName: idea.schoolName,
    title: idea.title,
    summary: idea.summary,
    problem: idea.problem,
    solution: idea.solution,
    area: slugOf(idea.economicArea, "ECONOMIC_AREA_", ECONOMIC_AREAS) ?? "unspecified",
    technologies: idea.technologies,
    district: idea.district,
    needs: idea.needs.map((n) => slugOf(n, "NEED_", NEEDS)).filter((n): n is Need => n !== undefined),
    teamName: idea.teamName,
    memberPseudonyms: idea.memberPseudonyms,
    attachments: idea.attachments.map((a) => ({ title: a.title, url: a.url })),
    challengeCompanyId: idea.challengeCompanyId,
    status: "published",
    publishedAt: date(idea.publishedAt),
    ideaVersion: idea.version,
  };
}

export function callView(call: ideasV1.Call): CallView {
  return {
    id: call.id,
    title: call.title,
    panelOrganisationIds: call.panelOrganisationIds,
    adoptionStartsAt: date(call.adoption?.startsAt),
    adoptionEndsAt: date(call.adoption?.endsAt),
    callVersion: call.version,
  };
}

/** IdeaPublished (checked by the subscription: it carries its idea) as the idea's view. */
export const publishedIdea = (m: ideasEventsV1.IdeaPublished): Omit<IdeaView, "adoption"> => ({
  ...ideaView(m.idea!),
  id: m.ideaId,
  ideaVersion: m.version || m.idea!.version,
});

export const withdrawal = (m: ideasEventsV1.IdeaWithdrawn): IdeaWithdrawal => ({
  ideaId: m.ideaId,
  version: m.version,
  reason: m.reason,
  actor: m.actorSubject || "system",
});

export const erasure = (m: ideasEventsV1.TeamMemberErased): MemberErasure => ({
  ideaId: m.ideaId,
  from: m.previousPseudonym,
  to: m.pseudonym,
});

/** CallCreated / CallUpdated (checked by the subscription: it carries its call) as the call's view. */
export const changedCall = (m: ideasEventsV1.CallCreated | ideasEventsV1.CallUpdated): CallView => ({
  ...callView(m.call!),
  id: m.callId,
  callVersion: m.version || m.call!.version,
});
