// Mongo repositories: one document per aggregate, an optimistic `version`, and the outbox events
// written in the same update as the change.
import { NotFoundError, PreconditionFailedError } from "@lto/errors";
import { decodeCursor, encodeCursor, idPosition } from "@lto/http-kit";
import { docLockKey, withDocLock } from "@lto/mongo";
import { dedupeUpdate, processedFilter, withOutbox, withOutboxDoc, type PendingEvent } from "@lto/messaging";
import type { mongo } from "mongoose";
import { searchTokens } from "../app/index.js";
import type {
  CallRepository,
  IdeaQuery,
  IdeaRepository,
  IdeaScope,
  Page,
  TeamRepository,
} from "../app/index.js";
import type { Call, Idea, Team } from "../domain/index.js";
import { callPendingEvents, ideaPendingEvents } from "./contract-mapping.js";
import type { IdeasModels } from "./models.js";

// Our documents have string ids (UUIDv7).
type Document = mongo.Document & { _id?: string };
type Collection<T extends Document> = mongo.Collection<T>;
type Filter<T extends Document> = mongo.Filter<T>;
type Aggregate = { id: string; version: number };
const INTERNAL_FIELDS = [
  "_id",
  "_outbox",
  "_processed",
  "_pending",
  "searchTokens",
  "evaluatorSubjects",
  "submittedOnce",
];

function fromDocument<T>(doc: Document | null): T | undefined {
  if (!doc) return undefined;
  const result: Record<string, unknown> = { id: doc._id };
  for (const [key, value] of Object.entries(doc)) {
    if (!INTERNAL_FIELDS.includes(key)) result[key] = value;
  }
  return result as T;
}

function toDocument(aggregate: Aggregate, extra: Record<string, unknown> = {}): Document {
  const { id, ...fields } = aggregate as Aggregate & Record<string, unknown>;
  const doc: Document = { _id: id, ...extra };
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) doc[key] = value;
  return doc;
}

/** The driver's collection, the same object the outbox relay uses (so the document-lock keys match). */
function nativeCollection(model: IdeasModels[keyof IdeasModels]): Collection<Document> {
  return model.db.db!.collection<Document>(model.collection.collectionName);
}

/** Replaces the stored aggregate when its version is still `aggregate.version`; returns the next version. */
async function replaceVersioned<T extends Aggregate>(
  collection: Collection<Document>,
  entity: string,
  aggregate: T,
  options: {
    extra?: Record<string, unknown>;
    events?: PendingEvent[];
    processedEventId?: string;
    removable?: string[];
  } = {},
): Promise<T> {
  const next = { ...aggregate, version: aggregate.version + 1 };
  const { _id, ...set } = toDocument(next, options.extra);
  const unset = Object.fromEntries((options.removable ?? []).filter((f) => !(f in set)).map((f) => [f, ""]));
  let update: Document = withOutbox(
    { $set: set, ...(Object.keys(unset).length ? { $unset: unset } : {}) },
    options.events ?? [],
  );
  const filter: Filter<Document> = { _id, version: aggregate.version };
  if (options.processedEventId) {
    update = dedupeUpdate(options.processedEventId, update);
    Object.assign(filter, processedFilter(options.processedEventId));
  }
  // One writer per document at a time: FerretDB 1.24 would otherwise lose one of two racing updates.
  const result = await withDocLock(docLockKey(collection, aggregate.id), () =>
    collection.updateOne(filter, update),
  );
  if (result.matchedCount === 0) {
    if (!(await collection.findOne({ _id }, { projection: { _id: 1 } })))
      throw new NotFoundError(entity, aggregate.id);
    throw new PreconditionFailedError(
      `The ${entity} changed meanwhile (it is past version ${aggregate.version}); reload and retry`,
    );
  }
  return next;
}

async function page<T>(
  collection: Collection<Document>,
  filter: Filter<Document>,
  limit: number,
  cursor?: string,
): Promise<Page<T>> {
  const query: Filter<Document> = cursor
    ? { $and: [filter, { _id: { $lt: decodeCursor(cursor, idPosition).id } }] }
    : filter;
  const docs = await collection
    .find(query)
    .sort({ _id: -1 })
    .limit(limit + 1)
    .toArray();
  const items = docs.slice(0, limit).map((doc) => fromDocument<T>(doc)!);
  const last = docs.length > limit ? docs[limit - 1] : undefined;
  return { items, ...(last ? { nextCursor: encodeCursor({ id: String(last._id) }) } : {}) };
}

/** Called after a write that left events in an outbox: nudges the relay so they go out at once. */
export type OutboxWritten = () => void;
const nothing: OutboxWritten = () => undefined;

async function thenNotify<T>(write: Promise<T>, hasEvents: boolean, notify: OutboxWritten): Promise<T> {
  const result = await write;
  if (hasEvents) notify();
  return result;
}

export function callRepository(models: IdeasModels, notify = nothing): CallRepository {
  const collection = nativeCollection(models.calls);
  return {
    get: async (id) => fromDocument<Call>(await collection.findOne({ _id: id })),
    getMany: async (ids) =>
      (await collection.find({ _id: { $in: ids } }).toArray()).map((d) => fromDocument<Call>(d)!),
    list: async () =>
      (await collection.find({}).sort({ _id: -1 }).limit(500).toArray()).map((d) => fromDocument<Call>(d)!),
    async insert(call, events) {
      const doc = withOutboxDoc(toDocument(call), callPendingEvents(events, call.version));
      await thenNotify(collection.insertOne(doc), events.length > 0, notify);
    },
    update: (call, events) =>
      thenNotify(
        replaceVersioned(collection, "call", call, {
          events: callPendingEvents(events, call.version + 1),
          removable: ["sponsor"],
        }),
        events.length > 0,
        notify,
      ),
  };
}

export function teamRepository(models: IdeasModels): TeamRepository {
  const collection = nativeCollection(models.teams);
  return {
    get: async (id) => fromDocument<Team>(await collection.findOne({ _id: id })),
    getMany: async (ids) =>
      (await collection.find({ _id: { $in: ids } }).toArray()).map((d) => fromDocument<Team>(d)!),
    list: ({ schoolId, schoolYear, cursor, limit }) =>
      page<Team>(
        collection,
        { ...(schoolId ? { schoolId } : {}), ...(schoolYear ? { schoolYear } : {}) },
        limit,
        cursor,
      ),
    async insert(team) {
      await collection.insertOne(toDocument(team));
    },
    update: (team) => replaceVersioned(collection, "team", team, { removable: ["pendingErasures"] }),
  };
}

function ideaExtras(idea: Idea): Record<string, unknown> {
  return {
    searchTokens: searchTokens(`${idea.title} ${idea.summary}`),
    evaluatorSubjects: idea.evaluators.map((a) => a.subject),
    submittedOnce: idea.history.some((entry) => entry.to === "submitted"),
  };
}

function scopeFilter(scope: IdeaScope): Filter<Document> {
  const filter: Filter<Document> = {};
  if (scope.schoolId) filter.schoolId = scope.schoolId;
  if (scope.states) filter.state = { $in: [...scope.states] };
  if (scope.evaluator) filter.evaluatorSubjects = scope.evaluator;
  if (scope.submittedOnce) filter.submittedOnce = true;
  return filter;
}

function ideaFilter({ filters, scopes }: IdeaQuery): Filter<Document> {
  const { words, evaluator, technology, need, ...equal } = filters;
  const conditions: Filter<Document>[] = [];
  const plain = Object.fromEntries(Object.entries(equal).filter(([, v]) => v !== undefined));
  if (Object.keys(plain).length) conditions.push(plain);
  if (technology) conditions.push({ technologies: technology });
  if (need) conditions.push({ needs: need });
  if (words?.length) conditions.push({ searchTokens: { $all: words } });
  if (evaluator) conditions.push({ evaluatorSubjects: evaluator });
  if (scopes !== "all") conditions.push({ $or: scopes.map(scopeFilter) });
  return conditions.length ? { $and: conditions } : {};
}

export function ideaRepository(models: IdeasModels, notify = nothing): IdeaRepository {
  const collection = nativeCollection(models.ideas);
  return {
    get: async (id) => fromDocument<Idea>(await collection.findOne({ _id: id })),
    list: (query) => page<Idea>(collection, ideaFilter(query), query.limit, query.cursor),
    async insert(idea, events) {
      const doc = withOutboxDoc(toDocument(idea, ideaExtras(idea)), ideaPendingEvents(events, idea.version));
      await thenNotify(collection.insertOne(doc), events.length > 0, notify);
    },
    update: (idea, events, processedEventId) =>
      thenNotify(
        replaceVersioned(collection, "idea", idea, {
          extra: ideaExtras(idea),
          events: ideaPendingEvents(events, idea.version + 1),
          removable: ["answer", "area", "district", "adoption"],
          ...(processedEventId ? { processedEventId } : {}),
        }),
        events.length > 0,
        notify,
      ),
    hasProcessed: async (ideaId, eventId) =>
      !!(await collection.findOne({ _id: ideaId, _processed: eventId }, { projection: { _id: 1 } })),
  };
}
