// Applies what the other services tell to the read model: each fact to its record, in every
// generation that is live (or only the one a rebuild fills), once per event id.
import { effectOf, type Fact } from "../domain/index.js";
import type { ModelStore } from "./ports.js";

export interface Projection {
  record(fact: Fact | undefined, eventId: string): Promise<void>;
}

/** The live projection, or with `generation` the projection a rebuild fills. */
export function projection(store: ModelStore, generation?: string): Projection {
  return {
    async record(fact, eventId) {
      if (!fact) return;
      const effect = effectOf(fact);
      for (const gen of generation ? [generation] : await store.liveGenerations())
        await store.apply(gen, effect, eventId);
    },
  };
}
