// Every event this service consumes, in one place: event type -> handler.
import {
  CallCreatedEvent,
  CallUpdatedEvent,
  IdeaPublishedEvent,
  IdeaWithdrawnEvent,
  TeamMemberErasedEvent,
} from "@lto/contracts";
import { on, type Subscriptions } from "@lto/messaging";
import type { UseCases } from "../app/index.js";
import type { projectionHandlers } from "../app/index.js";

type Handlers =
  | Pick<UseCases["ideaEvents"], "ideaPublished" | "ideaWithdrawn" | "callChanged" | "teamMemberErased">
  | ReturnType<typeof projectionHandlers>;

export function subscriptions(h: Handlers): Subscriptions {
  return [
    on(IdeaPublishedEvent, (e) => h.ideaPublished(e.data)),
    on(IdeaWithdrawnEvent, (e) => h.ideaWithdrawn(e.data)),
    on(TeamMemberErasedEvent, (e) => h.teamMemberErased(e.data)),
    on(CallCreatedEvent, (e) => h.callChanged(e.data)),
    on(CallUpdatedEvent, (e) => h.callChanged(e.data)),
  ];
}
