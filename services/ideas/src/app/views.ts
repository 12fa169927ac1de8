// What each viewer gets to see of calls, teams and ideas: the only place responses are shaped.
import {
  currentPhase,
  isAnswerPublic,
  overallScore,
  panelOrganisations,
  pseudonymisedTeam,
  schoolTeam,
  type Call,
  type CallPhase,
  type Idea,
  type Team,
} from "../domain/index.js";
import { isAssignedEvaluator, isOwnSchool, OVERSEERS, REVIEWERS, type Viewer } from "./access.js";

export function callView(call: Call, viewer: Viewer, now: Date) {
  const { panel, createdBy: _createdBy, ...rest } = call;
  const phase: CallPhase = currentPhase(call, now);
  const canSeePanel = !!viewer && OVERSEERS.includes(viewer.role);
  return {
    ...rest,
    phase,
    panelOrganisations: panelOrganisations(call),
    ...(canSeePanel ? { panel } : {}),
  };
}

export function teamView(team: Team, viewer: Viewer) {
  if (isOwnSchool(viewer, team.schoolId)) return schoolTeam(team);
  return pseudonymisedTeam(team);
}

export function publishedAt(idea: Idea): Date | undefined {
  return idea.history.findLast((entry) => entry.to === "published")?.at;
}

/** An idea as the viewer may see it; `team` is shown pseudonymised outside the idea's own school. */
export function ideaView(idea: Idea, viewer: Viewer, team: Team | undefined) {
  const ownSchool = isOwnSchool(viewer, idea.schoolId);
  const overseer = !!viewer && OVERSEERS.includes(viewer.role);
  const reviewer = !!viewer && REVIEWERS.includes(viewer.role);
  const view: Record<string, unknown> = {
    id: idea.id,
    callId: idea.callId,
    site: idea.site,
    schoolId: idea.schoolId,
    teamId: idea.teamId,
    team: team ? (ownSchool ? schoolTeam(team) : pseudonymisedTeam(team)) : undefined,
    title: idea.title,
    summary: idea.summary,
    problem: idea.problem,
    solution: idea.solution,
    area: idea.area,
    technologies: idea.technologies,
    district: idea.district,
    needs: idea.needs,
    attachments: idea.attachments,
    state: idea.state,
    publishedAt: publishedAt(idea),
    version: idea.version,
  };
  if (isAnswerPublic(idea) || reviewer) view.answer = idea.answer;
  if (idea.adoption) view.adoption = idea.adoption;
  if (ownSchool || overseer) {
    view.history = idea.history;
    view.createdAt = idea.createdAt;
    view.updatedAt = idea.updatedAt;
  }
  if (reviewer) {
    view.evaluators = idea.evaluators;
    view.overallScore = overallScore(idea);
  } else if (isAssignedEvaluator(viewer, idea)) {
    view.evaluators = idea.evaluators.filter((a) => a.subject === viewer!.subject);
  } else if (overseer) {
    view.overallScore = overallScore(idea);
  }
  return view;
}
