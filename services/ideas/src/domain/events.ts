import type { Call } from "./call.js";
import type { Idea, IdeaState } from "./idea-model.js";
import type { MemberErasure, Team } from "./team.js";

// Facts about ideas, as the domain states them; infra maps them to the protobuf contracts.
export type IdeaEvent =
  | { type: "IdeaSubmitted"; idea: Idea; team: Team; call: Call; at: Date }
  | { type: "IdeaPublished"; idea: Idea; team: Team; call: Call; at: Date }
  | { type: "IdeaRejected"; idea: Idea; at: Date }
  | { type: "IdeaChangesRequested"; idea: Idea; reason: string; at: Date }
  | { type: "IdeaWithdrawn"; idea: Idea; from: IdeaState; reason: string; at: Date }
  | { type: "TeamMemberErased"; idea: Idea; team: Team; erasure: MemberErasure; at: Date };

export type CallEvent = { type: "CallCreated" | "CallUpdated"; call: Call; by: string; at: Date };
