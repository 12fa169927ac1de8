// The browse projection folded in memory from a replay, with the very decisions the stored projection
// makes (projection.ts): the rebuild applies the whole ideas topic here, then writes the result in bulk
// inserts instead of one store write per event.
import type { CallView, IdeaProjection, IdeaView } from "../app/index.js";
import {
  callAfter,
  ideaAfter,
  markedAfter,
  renamedAfter,
  withdrawnAfter,
  type CallRecord,
  type IdeaRecord,
} from "./projection.js";

export class FoldedProjection implements Pick<
  IdeaProjection,
  "apply" | "markWithdrawn" | "renamePseudonym" | "applyCall"
> {
  readonly ideas = new Map<string, IdeaRecord>();
  readonly calls = new Map<string, CallRecord>();

  async apply(view: Omit<IdeaView, "adoption">): Promise<boolean> {
    return put(this.ideas, view.id, ideaAfter(this.ideas.get(view.id), view));
  }
  async markWithdrawn(id: string, version: number): Promise<boolean> {
    return put(this.ideas, id, withdrawnAfter(this.ideas.get(id), version));
  }
  async renamePseudonym(id: string, from: string, to: string): Promise<boolean> {
    return put(this.ideas, id, renamedAfter(this.ideas.get(id), from, to));
  }
  async applyCall(call: CallView): Promise<boolean> {
    return put(this.calls, call.id, callAfter(this.calls.get(call.id), call));
  }
  setMarker(id: string, to: IdeaView["adoption"]): boolean {
    return put(this.ideas, id, markedAfter(this.ideas.get(id), to));
  }
}

/** Writes `next` as the store would: fields set over the stored ones (none removed), undefined never kept. */
function put<R extends object>(map: Map<string, R>, id: string, next: R | undefined): boolean {
  if (!next) return false;
  const record: Record<string, unknown> = { ...map.get(id) };
  for (const [key, value] of Object.entries(next)) if (value !== undefined) record[key] = value;
  map.set(id, record as R);
  return true;
}
