// The read model on the platform's aggregate store: one collection per record kind, every document
// tagged with its generation (id `<generation>:<key>`), and one document naming the current
// generation and those being rebuilt. An applied event's id is recorded in the same update as its
// effect, so a redelivered event changes nothing.
import type { AggregateCollection, AggregateStore } from "@lto/store";
import type { FoldedRecord, ModelStore } from "../app/index.js";
import { KINDS, schoolYearsOf, type Effect, type Kind, type Model } from "../domain/index.js";

interface StoredRecord {
  id: string;
  version: number;
  gen: string;
  key: string;
  [field: string]: unknown;
}

interface Generations {
  id: string;
  version: number;
  current: string;
  /** Being rebuilt: live events go here too. */
  building: string[];
  /** Replaced; their records are dropped at the next rebuild (a reader may still be reading one). */
  retired: string[];
}

const GENERATIONS_ID = "model";
/** The fields a reader selects records of a kind by (besides the generation). */
const LOOKUPS: Partial<Record<Kind, string[]>> = {
  calls: ["schoolYear"],
  ideas: ["callId"],
  adoptions: ["ideaId"],
  deliveries: ["ideaId"],
  enrolments: ["schoolYears"],
  credentials: ["schoolYears"],
  bookings: ["schoolYears"],
  courses: ["key"],
};
const FIRST_GENERATION = "g0";
const ALL = 10_000_000;
const ATTEMPTS = 20;

export interface InsightsCollections {
  records: Record<Kind, AggregateCollection<StoredRecord>>;
  generations: AggregateCollection<Generations>;
}

export function insightsCollections(store: AggregateStore): InsightsCollections {
  const records = Object.fromEntries(
    KINDS.map((kind) => [
      kind,
      store.aggregates<StoredRecord>({
        name: kind,
        indexes: [
          { key: { gen: 1, _id: 1 } },
          ...(LOOKUPS[kind] ?? []).map((f) => ({ key: { gen: 1 as const, [f]: 1 as const } })),
        ],
        derived: { fields: ["schoolYears"], of: (r) => ({ schoolYears: schoolYearsOf(kind, r as never) }) },
      }),
    ]),
  ) as Record<Kind, AggregateCollection<StoredRecord>>;
  return { records, generations: store.aggregates<Generations>({ name: "generations" }) };
}

export interface GenerationControl {
  read(): Promise<Generations>;
  /** False until a first generation was built (a new deployment, a dropped database). */
  built(): Promise<boolean>;
  /**
   * Writes records folded from a replay into generation `gen`, each with the events it applied, in bulk
   * inserts; where the live projection wrote a record meanwhile, applies its events to it one by one.
   */
  writeFolded(gen: string, folded: readonly FoldedRecord[]): Promise<void>;
  /** Registers a generation being built: from now on live events go to it too. */
  begin(gen: string): Promise<void>;
  /** Makes `gen` the one readers read, in one write; the old one is retired. */
  switchTo(gen: string): Promise<string>;
  /** A failed rebuild: live events stop going to `gen`, which is retired. */
  abandon(gen: string): Promise<void>;
  /** Drops the records of retired generations. */
  dropRetired(): Promise<string[]>;
}

export function insightsModel(c: InsightsCollections): ModelStore & GenerationControl {
  async function read(): Promise<Generations> {
    for (;;) {
      const found = await c.generations.get(GENERATIONS_ID);
      if (found) return { ...found, building: found.building ?? [], retired: found.retired ?? [] };
      const first = { id: GENERATIONS_ID, version: 1, current: FIRST_GENERATION, building: [], retired: [] };
      if (await c.generations.insert(first)) return first;
    }
  }
  async function change(next: (g: Generations) => Generations): Promise<Generations> {
    for (let i = 0; i < ATTEMPTS; i++) {
      const g = await read();
      const stored = await c.generations.updateIf(next(g), g.version);
      if (stored) return stored;
    }
    throw new Error("the model's generations kept changing meanwhile; run the rebuild again");
  }
  const without = (list: string[], gen: string) => list.filter((x) => x !== gen);

  const model = {
    read,
    async built() {
      return (await c.generations.get(GENERATIONS_ID)) !== undefined;
    },
    async writeFolded(gen: string, folded: readonly FoldedRecord[]) {
      for (const kind of KINDS) {
        const ofKind = new Map(folded.filter((f) => f.kind === kind).map((f) => [`${gen}:${f.key}`, f]));
        const refused = await c.records[kind].insertMany(
          [...ofKind].map(([id, f]) => ({
            aggregate: { ...(f.record as object), id, version: 1, gen, key: f.key },
            processedEventIds: f.applied.map((a) => a.eventId),
          })),
        );
        for (const id of refused)
          for (const { effect, eventId } of ofKind.get(id)!.applied) await model.apply(gen, effect, eventId);
      }
    },
    async liveGenerations() {
      const g = await read();
      return [g.current, ...g.building];
    },
    async currentGeneration() {
      return (await read()).current;
    },
    async apply(gen: string, effect: Effect, eventId: string) {
      const col = c.records[effect.kind];
      const id = `${gen}:${effect.key}`;
      for (let i = 0; i < ATTEMPTS; i++) {
        const doc = await col.get(id);
        if (!doc) {
          const next = effect.apply(undefined);
          if (!next) return false;
          const inserted = await col.insert(
            { ...next, id, version: 1, gen, key: effect.key },
            { processedEventId: eventId },
          );
          if (inserted) return true;
          continue;
        }
        if (await col.hasProcessed(id, eventId)) return false;
        const { id: _id, version, gen: _gen, key, ...record } = doc;
        const next = effect.apply(record as never);
        if (!next) {
          await col.markProcessed(id, eventId);
          return false;
        }
        const stored = await col.updateIf({ ...next, id, version, gen, key }, version, {
          processedEventId: eventId,
        });
        if (stored) return true;
      }
      throw new Error(`record ${id} kept changing meanwhile; the event is retried`);
    },
    async load(gen, { kinds, schoolYear }) {
      const model = Object.fromEntries(KINDS.map((k) => [k, new Map()])) as Record<
        Kind,
        Map<string, unknown>
      >;
      const want = new Set(kinds);
      const fetch = async (kind: Kind, filter: Record<string, unknown>) => {
        if (!want.has(kind)) return;
        const docs = await c.records[kind].find({ gen, ...filter }, ALL, { _id: 1 });
        for (const { id: _i, version: _v, gen: _g, key, ...r } of docs) model[kind].set(key, r);
      };
      const keys = (kind: Kind) => [...model[kind].keys()];
      if (schoolYear === undefined) {
        await Promise.all(kinds.map((k) => fetch(k, {})));
        return model as unknown as Model;
      }
      // One year: its calls, their ideas, what hangs on those ideas; dated records by their years.
      await fetch("calls", { schoolYear });
      await fetch("ideas", { callId: { $in: keys("calls") } });
      await Promise.all([
        fetch("adoptions", { ideaId: { $in: keys("ideas") } }),
        fetch("deliveries", { ideaId: { $in: keys("ideas") } }),
        ...(["enrolments", "credentials", "bookings"] as const).map((k) =>
          fetch(k, { schoolYears: schoolYear }),
        ),
      ]);
      const courses = new Set<string>();
      for (const r of [...model.enrolments.values(), ...model.credentials.values()])
        if ((r as { courseId?: string }).courseId) courses.add((r as { courseId: string }).courseId);
      await fetch("courses", { key: { $in: [...courses] } });
      return model as unknown as Model;
    },
    async begin(gen) {
      await change((g) => ({ ...g, building: [...without(g.building, gen), gen] }));
    },
    async switchTo(gen) {
      let old = "";
      await change((g) => {
        old = g.current;
        return { ...g, current: gen, building: without(g.building, gen), retired: [...g.retired, g.current] };
      });
      return old;
    },
    async abandon(gen) {
      await change((g) => ({ ...g, building: without(g.building, gen), retired: [...g.retired, gen] }));
    },
    async dropRetired() {
      const { retired } = await read();
      for (const gen of retired) {
        for (const kind of KINDS) await c.records[kind].deleteMany({ gen });
        await change((g) => ({ ...g, retired: without(g.retired, gen) }));
      }
      return retired;
    },
  } satisfies ModelStore & GenerationControl;
  return model;
}
