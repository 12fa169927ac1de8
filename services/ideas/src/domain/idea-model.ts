// The shape of an idea: its states and the data it holds. Behaviour lives in idea.ts; events.ts names
// these types without importing the behaviour (no import circle).
import type { District, EconomicArea, Need, Site, Technology } from "@lto/reference";
import type { Scores } from "./call.js";

export const IDEA_STATES = [
  "draft",
  "submitted",
  "under_review",
  "published",
  "rejected",
  "withdrawn",
  "adopted",
  "completed",
] as const;
export type IdeaState = (typeof IDEA_STATES)[number];

/** States in which an idea is public: companies and anonymous visitors may read it. */
export const PUBLIC_STATES: readonly IdeaState[] = ["published", "adopted", "completed"];
export interface Attachment {
  title: string;
  url: string;
}

export interface IdeaContent {
  title: string;
  summary: string;
  problem: string;
  solution: string;
  area?: EconomicArea;
  technologies: Technology[];
  district?: District;
  needs: Need[];
  attachments: Attachment[];
}

export interface HistoryEntry {
  at: Date;
  by: string;
  from: IdeaState | null;
  to: IdeaState;
  reason?: string;
}

export interface EvaluatorAssignment {
  subject: string;
  organisationId: string;
  assignedAt: Date;
  assignedBy: string;
  scores?: Scores;
  /** Private to the evaluator and staff. */
  notes?: string;
  weightedScore?: number;
  scoredAt?: Date;
}

export interface Adoption {
  adoptionId: string;
  companyId: string;
  adoptedAt: Date;
}

export interface Idea extends IdeaContent {
  id: string;
  callId: string;
  /** The site of its call, copied at creation (a call keeps its site): that site's staff review it. */
  site: Site;
  teamId: string;
  schoolId: string;
  state: IdeaState;
  history: HistoryEntry[];
  evaluators: EvaluatorAssignment[];
  /** The decision's answer; internal until the idea is published or rejected. */
  answer?: string;
  adoption?: Adoption;
  /** Ids of team members whose erasure this idea has announced (TeamMemberErased), so it is done once. */
  erasedMembers?: string[];
  createdAt: Date;
  updatedAt: Date;
  version: number;
}
