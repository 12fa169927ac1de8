import type { Effect, Kind, Model } from "../domain/index.js";

/**
 * The read model, in generations: readers read the current one; a rebuild fills a new one from the
 * topics' beginning while live events go to both, then makes it current in one write.
 */
export interface ModelStore {
  /** The generations a live event is applied to: the current one and any being rebuilt. */
  liveGenerations(): Promise<string[]>;
  currentGeneration(): Promise<string>;
  /** Applies `effect` in generation `gen` unless event `eventId` was applied there; true if it changed. */
  apply(gen: string, effect: Effect, eventId: string): Promise<boolean>;
  /**
   * The records of generation `gen` of these kinds (the others empty); with `schoolYear`, at least
   * every record that counts in that year (ideas and what hangs on them through their call's year).
   */
  load(gen: string, opts: { kinds: readonly Kind[]; schoolYear?: string | undefined }): Promise<Model>;
}
