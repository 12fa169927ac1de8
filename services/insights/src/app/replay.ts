// A replay folded in memory: every fact applied to its record with the same pure reducers as the live
// projection, remembering which events each record applied (and how), so the records can be written
// at once, and a record someone else wrote meanwhile can be brought up to date event by event.
import { effectOf, type Effect, type Fact, type Kind } from "../domain/index.js";
import type { Projection } from "./projection.js";

export interface FoldedRecord {
  kind: Kind;
  key: string;
  record: unknown;
  applied: Array<{ effect: Effect; eventId: string }>;
}

export class FoldedModel implements Projection {
  private readonly records = new Map<string, FoldedRecord>();
  private readonly seen = new Set<string>();

  async record(fact: Fact | undefined, eventId: string): Promise<void> {
    if (!fact) return;
    const effect = effectOf(fact);
    const id = `${effect.kind}:${effect.key}`;
    if (this.seen.has(`${id}|${eventId}`)) return; // a redelivery
    this.seen.add(`${id}|${eventId}`);
    let entry = this.records.get(id);
    if (!entry)
      this.records.set(id, (entry = { kind: effect.kind, key: effect.key, record: undefined, applied: [] }));
    const next = effect.apply(entry.record as never);
    if (next !== undefined) entry.record = next;
    entry.applied.push({ effect, eventId });
  }

  /** The records that hold something, with the events each applied. */
  entries(): FoldedRecord[] {
    return [...this.records.values()].filter((e) => e.record !== undefined);
  }
}
