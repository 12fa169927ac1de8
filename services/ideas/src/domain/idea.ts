import { ConflictError, ForbiddenError, InvalidStateError } from "@lto/errors";
import type { Actor } from "./actor.js";
import {
  currentPhase,
  panelMember,
  validateScores,
  weightedScore,
  type Call,
  type CallPhase,
  type Scores,
} from "./call.js";
import type { IdeaEvent } from "./events.js";
import { DISTRICTS, ECONOMIC_AREAS, NEEDS, TECHNOLOGIES } from "@lto/reference";
import {
  PUBLIC_STATES,
  type Adoption,
  type EvaluatorAssignment,
  type HistoryEntry,
  type Idea,
  type IdeaContent,
  type IdeaState,
} from "./idea-model.js";
import { membersLackingConsent, type MemberErasure, type Team } from "./team.js";
import { isHttpUrl, Issues } from "./validation.js";

export * from "./idea-model.js";

/** States in which the school may still withdraw the idea ("any time before adoption"). */
const WITHDRAWABLE: readonly IdeaState[] = ["draft", "submitted", "under_review", "published"];
/** States in which the decision's answer is no longer internal. */
const DECIDED: readonly IdeaState[] = ["published", "rejected", "adopted", "completed"];

/** The outcome of a command: the idea as it is now and the facts to publish about it. */
export interface IdeaChange {
  idea: Idea;
  events: IdeaEvent[];
}

const LIMITS = { title: 120, summary: 600, problem: 4000, solution: 4000, attachments: 10, reason: 2000 };

export function validateContent(content: Partial<IdeaContent>): void {
  const issues = new Issues();
  if (content.title !== undefined) {
    const length = content.title.trim().length;
    issues.check(length >= 3 && length <= LIMITS.title, "title", `must have 3 to ${LIMITS.title} characters`);
  }
  for (const field of ["summary", "problem", "solution"] as const) {
    const value = content[field];
    if (value !== undefined)
      issues.check(value.length <= LIMITS[field], field, `must have at most ${LIMITS[field]} characters`);
  }
  if (content.area !== undefined)
    issues.check(
      ECONOMIC_AREAS.includes(content.area),
      "area",
      `must be one of ${ECONOMIC_AREAS.join(", ")}`,
    );
  if (content.district !== undefined)
    issues.check(DISTRICTS.includes(content.district), "district", `must be one of ${DISTRICTS.join(", ")}`);
  content.technologies?.forEach((technology, i) =>
    issues.check(
      TECHNOLOGIES.includes(technology),
      `technologies.${i}`,
      `must be one of ${TECHNOLOGIES.join(", ")}`,
    ),
  );
  content.needs?.forEach((need, i) =>
    issues.check(NEEDS.includes(need), `needs.${i}`, `must be one of ${NEEDS.join(", ")}`),
  );
  if (content.attachments) {
    issues.check(
      content.attachments.length <= LIMITS.attachments,
      "attachments",
      `at most ${LIMITS.attachments}`,
    );
    content.attachments.forEach((attachment, i) => {
      issues.check(attachment.title.trim().length >= 1, `attachments.${i}.title`, "is required");
      issues.check(isHttpUrl(attachment.url), `attachments.${i}.url`, "must be an http(s) link");
    });
  }
  issues.throwIfAny("The idea is not valid");
}

/** What a draft must have before the school can submit it. */
function checkComplete(idea: Idea): void {
  const issues = new Issues();
  for (const field of ["summary", "problem", "solution"] as const) {
    issues.check(idea[field].trim().length >= 20, field, "must have at least 20 characters to submit");
  }
  issues.check(!!idea.area, "area", "is required to submit");
  issues.check(!!idea.district, "district", "is required to submit");
  issues.check(idea.technologies.length > 0, "technologies", "name at least one technology to submit");
  issues.throwIfAny("The idea is not complete enough to submit");
}

function normalised(content: Partial<IdeaContent>): Partial<IdeaContent> {
  const result = { ...content };
  if (result.title !== undefined) result.title = result.title.trim();
  if (result.technologies) result.technologies = [...new Set(result.technologies)];
  if (result.needs) result.needs = [...new Set(result.needs)];
  return result;
}

function move(idea: Idea, to: IdeaState, by: Actor, now: Date, reason?: string): Idea {
  const entry: HistoryEntry = { at: now, by: by.subject, from: idea.state, to };
  if (reason !== undefined) entry.reason = reason;
  return { ...idea, state: to, history: [...idea.history, entry], updatedAt: now };
}

function requireState(idea: Idea, allowed: readonly IdeaState[], attempted: string): void {
  if (!allowed.includes(idea.state)) throw new InvalidStateError("idea", idea.state, attempted);
}

function requireReason(reason: string, field = "reason"): string {
  const trimmed = reason.trim();
  const issues = new Issues();
  issues.check(
    trimmed.length >= 3 && trimmed.length <= LIMITS.reason,
    field,
    `must have 3 to ${LIMITS.reason} characters`,
  );
  issues.throwIfAny(`A ${field} is required`);
  return trimmed;
}

function requirePhase(call: Call, allowed: readonly CallPhase[], attempted: string, now: Date): void {
  const phase = currentPhase(call, now);
  if (!allowed.includes(phase))
    throw new InvalidStateError("call", phase, attempted, { because: `it is in its ${phase} phase` });
}

function requireConsent(team: Team, attempted: string): void {
  const lacking = membersLackingConsent(team);
  if (lacking.length > 0) {
    throw new ConflictError(
      `Cannot ${attempted}: parental consent is missing for minor member(s) ${lacking.map((m) => m.pseudonym).join(", ")}; ` +
        "the school records it first (POST /v1/teams/{teamId}/members/{memberId}/consent)",
      { details: { membersLackingConsent: lacking.map((m) => m.id) } },
    );
  }
}

/**
 * Consent must hold wherever a minor's work is public: while any of the team's ideas is published,
 * adopted or completed, a team change that leaves a minor without parental consent is refused.
 */
export function requireConsentWhilePublic(team: Team, teamIdeas: Pick<Idea, "id" | "state">[]): void {
  const lacking = membersLackingConsent(team);
  const publicIdeas = teamIdeas.filter(isPublic);
  if (lacking.length === 0 || publicIdeas.length === 0) return;
  const names = lacking.map((m) => m.pseudonym).join(", ");
  throw new ConflictError(
    `Cannot change the team: its idea is ${publicIdeas[0]!.state} and minor member(s) ${names} would have no parental consent; ` +
      "record the consent first (send parentalConsentOn for them, or POST .../members/{memberId}/consent)",
    {
      details: {
        membersLackingConsent: lacking.map((m) => m.id).filter(Boolean),
        pseudonymsLackingConsent: lacking.map((m) => m.pseudonym),
        publicIdeas: publicIdeas.map((i) => i.id),
      },
    },
  );
}

/** The fresh check before an adoption: consent of every minor must hold (also if data were inconsistent). */
export function requireConsentToAdopt(team: Team): void {
  requireConsent(team, "adopt the idea");
}

export interface NewIdea extends Partial<IdeaContent> {
  title: string;
}

export function createIdea(
  input: NewIdea,
  context: { id: string; call: Call; team: Team; by: Actor; now: Date },
): IdeaChange {
  const { call, team, now } = context;
  validateContent(input);
  if (team.schoolYear !== call.schoolYear) {
    throw new ConflictError(
      `The team is registered for ${team.schoolYear}, the call is for ${call.schoolYear}`,
    );
  }
  requirePhase(call, ["upcoming", "submission"], "draft ideas for", now);
  const content = normalised(input);
  const idea: Idea = {
    id: context.id,
    callId: call.id,
    site: call.site,
    teamId: team.id,
    schoolId: team.schoolId,
    title: input.title.trim(),
    summary: content.summary ?? "",
    problem: content.problem ?? "",
    solution: content.solution ?? "",
    technologies: content.technologies ?? [],
    needs: content.needs ?? [],
    attachments: content.attachments ?? [],
    state: "draft",
    history: [{ at: now, by: context.by.subject, from: null, to: "draft" }],
    evaluators: [],
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  if (content.area) idea.area = content.area;
  if (content.district) idea.district = content.district;
  return { idea, events: [] };
}

/** Only a draft can be edited: what was submitted is what the evaluators judge. */
export function editIdea(idea: Idea, changes: Partial<IdeaContent>, now: Date): IdeaChange {
  requireState(idea, ["draft"], "edit");
  validateContent(changes);
  return { idea: { ...idea, ...normalised(changes), updatedAt: now }, events: [] };
}

export function submitIdea(
  idea: Idea,
  context: { call: Call; team: Team; by: Actor; now: Date },
): IdeaChange {
  const { call, team, by, now } = context;
  requireState(idea, ["draft"], "submit");
  requirePhase(call, ["submission"], "submit ideas to", now);
  checkComplete(idea);
  requireConsent(team, "submit the idea");
  const next = move(idea, "submitted", by, now);
  return { idea: next, events: [{ type: "IdeaSubmitted", idea: next, team, call, at: now }] };
}

export function startReview(idea: Idea, by: Actor, now: Date): IdeaChange {
  requireState(idea, ["submitted"], "start reviewing");
  return { idea: move(idea, "under_review", by, now), events: [] };
}

/** Sets who evaluates the idea; evaluators kept from before keep their scores. */
export function assignEvaluators(
  idea: Idea,
  call: Call,
  subjects: string[],
  by: Actor,
  now: Date,
): IdeaChange {
  requireState(idea, ["submitted", "under_review"], "assign evaluators to");
  const issues = new Issues();
  issues.check(subjects.length > 0, "evaluators", "assign at least one evaluator");
  const assignments: EvaluatorAssignment[] = [];
  [...new Set(subjects)].forEach((subject, i) => {
    const member = panelMember(call, subject);
    if (!member) return issues.add(`evaluators.${i}`, "is not on the call's evaluation panel");
    if (member.organisationId === idea.schoolId)
      return issues.add(`evaluators.${i}`, "belongs to the idea's own organisation");
    const kept = idea.evaluators.find((a) => a.subject === subject);
    assignments.push(
      kept ?? { subject, organisationId: member.organisationId, assignedAt: now, assignedBy: by.subject },
    );
  });
  issues.throwIfAny("The evaluators cannot be assigned");
  let next: Idea = { ...idea, evaluators: assignments, updatedAt: now };
  if (next.state === "submitted") next = move(next, "under_review", by, now, "evaluators assigned");
  return { idea: next, events: [] };
}

export function scoreIdea(
  idea: Idea,
  context: { call: Call; evaluator: Actor; scores: Scores; notes?: string; now: Date },
): IdeaChange {
  const { call, evaluator, scores, now } = context;
  // Who may score comes before the state: a refusal must not tell others what state the idea is in.
  if (evaluator.organisationId === idea.schoolId) {
    throw new ForbiddenError("An evaluator cannot score an idea from their own organisation");
  }
  const assignment = idea.evaluators.find((a) => a.subject === evaluator.subject);
  if (!assignment) throw new ForbiddenError("Only the evaluators assigned to this idea can score it");
  requireState(idea, ["under_review"], "score");
  validateScores(call.rubric, scores);
  const scored: EvaluatorAssignment = {
    ...assignment,
    scores,
    weightedScore: weightedScore(call.rubric, scores),
    scoredAt: now,
  };
  if (context.notes !== undefined) scored.notes = context.notes;
  const evaluators = idea.evaluators.map((a) => (a.subject === evaluator.subject ? scored : a));
  return { idea: { ...idea, evaluators, updatedAt: now }, events: [] };
}

/** The mean of the evaluators' weighted scores, or undefined while nobody has scored. */
export function overallScore(idea: Idea): number | undefined {
  const scored = idea.evaluators.filter((a) => a.weightedScore !== undefined);
  if (scored.length === 0) return undefined;
  const total = scored.reduce((sum, a) => sum + a.weightedScore!, 0);
  return Math.round((total / scored.length) * 100) / 100;
}

/** Staff prepare the answer during the review; the school sees it only with the decision. */
export function draftAnswer(idea: Idea, answer: string, now: Date): IdeaChange {
  requireState(idea, ["submitted", "under_review"], "answer");
  return { idea: { ...idea, answer: requireReason(answer, "answer"), updatedAt: now }, events: [] };
}

export function isAnswerPublic(idea: Idea): boolean {
  return DECIDED.includes(idea.state);
}

export function isPublic(idea: Pick<Idea, "state">): boolean {
  return PUBLIC_STATES.includes(idea.state);
}

function decide(idea: Idea, answer: string | undefined): Idea {
  if (answer !== undefined) return { ...idea, answer: requireReason(answer, "answer") };
  if (!idea.answer) requireReason("", "answer");
  return idea;
}

export function publishIdea(
  idea: Idea,
  context: { call: Call; team: Team; answer?: string; by: Actor; now: Date },
): IdeaChange {
  const { call, team, by, now } = context;
  requireState(idea, ["under_review"], "publish");
  if (overallScore(idea) === undefined) {
    throw new InvalidStateError("idea", idea.state, "publish", {
      reason: "not_scored",
      because: "no evaluator has scored it yet; ask an assigned evaluator to score it first",
    });
  }
  requireConsent(team, "publish the idea");
  const next = move(decide(idea, context.answer), "published", by, now);
  return { idea: next, events: [{ type: "IdeaPublished", idea: next, team, call, at: now }] };
}

export function rejectIdea(idea: Idea, context: { answer?: string; by: Actor; now: Date }): IdeaChange {
  requireState(idea, ["under_review"], "reject");
  const next = move(decide(idea, context.answer), "rejected", context.by, context.now);
  return { idea: next, events: [{ type: "IdeaRejected", idea: next, at: context.now }] };
}

export function requestChanges(idea: Idea, context: { reason: string; by: Actor; now: Date }): IdeaChange {
  requireState(idea, ["submitted", "under_review"], "request changes to");
  const reason = requireReason(context.reason);
  const next = move(idea, "draft", context.by, context.now, reason);
  return { idea: next, events: [{ type: "IdeaChangesRequested", idea: next, reason, at: context.now }] };
}

export function withdrawIdea(idea: Idea, context: { reason: string; by: Actor; now: Date }): IdeaChange {
  requireState(idea, WITHDRAWABLE, "withdraw");
  const reason = requireReason(context.reason);
  const from = idea.state;
  const next = move(idea, "withdrawn", context.by, context.now, reason);
  return { idea: next, events: [{ type: "IdeaWithdrawn", idea: next, from, reason, at: context.now }] };
}

/**
 * Carries a member's erasure to one idea of the team: every service holding the old pseudonym about
 * this idea hears it (TeamMemberErased), and a public idea's view is re-published. Undefined when this
 * idea already announced it (a retried erasure) or was never published.
 */
export function eraseMemberFromIdea(
  idea: Idea,
  context: { team: Team; call: Call; erasure: MemberErasure; now: Date },
): IdeaChange | undefined {
  const { team, call, erasure, now } = context;
  if (idea.erasedMembers?.includes(erasure.memberId)) return undefined;
  // Pseudonyms leave this service only with a published idea: one never published has nobody to tell.
  if (!idea.history.some((entry) => entry.to === "published")) return undefined;
  const next: Idea = {
    ...idea,
    erasedMembers: [...(idea.erasedMembers ?? []), erasure.memberId],
    updatedAt: now,
  };
  const events: IdeaEvent[] = [{ type: "TeamMemberErased", idea: next, team, erasure, at: now }];
  if (next.state === "published") events.push({ type: "IdeaPublished", idea: next, team, call, at: now });
  return { idea: next, events };
}

// The adoption service's facts. Each returns undefined when it was already applied (a redelivered event).

export function recordAdoption(idea: Idea, adoption: Adoption, by: Actor): Idea | undefined {
  if (idea.adoption?.adoptionId === adoption.adoptionId) return undefined;
  requireState(idea, ["published"], "adopt");
  return { ...move(idea, "adopted", by, adoption.adoptedAt, `adopted by ${adoption.companyId}`), adoption };
}

/** An adoption ended early: the idea returns to the pool of published ideas. */
export function recordAdoptionEnded(
  idea: Idea,
  ended: { adoptionId: string; reason: string; at: Date },
  by: Actor,
): Idea | undefined {
  if (idea.adoption?.adoptionId !== ended.adoptionId || idea.state !== "adopted") return undefined;
  const { adoption: _ended, ...rest } = idea;
  return move(rest, "published", by, ended.at, ended.reason || "adoption ended");
}

export function recordAdoptionCompleted(
  idea: Idea,
  completed: { adoptionId: string; at: Date },
  by: Actor,
): Idea | undefined {
  if (idea.state === "completed" && idea.adoption?.adoptionId === completed.adoptionId) return undefined;
  if (idea.adoption?.adoptionId !== completed.adoptionId) {
    throw new InvalidStateError("idea", idea.state, `complete adoption ${completed.adoptionId} of`);
  }
  requireState(idea, ["adopted"], "complete");
  return move(idea, "completed", by, completed.at, "adoption completed");
}

/** Is the idea open for adoption right now (published, in its call's adoption phase)? */
export function adoptability(idea: Idea, call: Call, now: Date): { adoptable: boolean; reason: string } {
  if (idea.state !== "published") return { adoptable: false, reason: `the idea is ${idea.state}` };
  const phase = currentPhase(call, now);
  if (phase !== "adoption") return { adoptable: false, reason: `the call is in its ${phase} phase` };
  return { adoptable: true, reason: "" };
}
