// One collection of aggregates: the state of each aggregate in one document, with its version (the
// ETag), its pending events (the outbox, published by the relay) and the ids of the events it has
// applied (idempotent consumers), all written in ONE document update. Services hand it their state and
// their events; they never see locks, outbox fields or FerretDB.
import { NotFoundError, PreconditionFailedError } from "@lto/errors";
import { bulkWriteErrors, INSERT_BATCH } from "./bulk.js";
import { findIndexed, withCondition } from "./indexed-queries.js";
import {
  currentIdempotentRequest,
  decodeCursor,
  encodeCursor,
  idPosition,
  z,
  type Page,
} from "@lto/http-kit";
import { OUTBOX_FIELD, PENDING_FLAG, withOutbox, withOutboxDoc, type PendingEvent } from "@lto/messaging";
import {
  ensureCollectionIndexes,
  isDuplicateKeyError,
  type DocumentWriteGuard,
  type IndexSpec,
} from "@lto/mongo";
import type { Collection, Document as MongoDocument, Filter as MongoFilter } from "mongodb";

/** A stored aggregate's document: string ids (UUIDv7) throughout. */
export type Document = MongoDocument & { _id?: string };
export type Filter<D extends Document = Document> = MongoFilter<D>;

/** What every stored aggregate has: a string id (UUIDv7 where the store makes it) and a version. */
export interface Aggregate {
  id: string;
  version: number;
}

export interface AggregateSpec<A extends Aggregate> {
  /** The collection's name in the service's database. */
  name: string;
  /** One aggregate's name in error messages (default: the collection's name, "ideas" -> "idea" for 412s). */
  entity?: string;
  /** Plain, compound or unique indexes (created at open, only the missing ones). */
  indexes?: readonly IndexSpec[];
  /**
   * Fields stored beside the state for queries and uniqueness (search words, a unique "slot"), never
   * read back into the aggregate. A unique one must be present on every document (FerretDB's unique
   * indexes ignore documents that lack the field).
   */
  derived?: { fields: readonly string[]; of(aggregate: A): Record<string, unknown> };
  /** Fields of the aggregate that may disappear in an update (removed from the document then). */
  optional?: readonly string[];
}

export interface WriteOptions {
  /** Events caused by this change: they go out through the outbox, in order. */
  events?: readonly PendingEvent[];
  /** The consumed event this change applies: recorded in the same update, so a redelivery is recognised. */
  processedEventId?: string;
  /**
   * Insert only: every consumed event a new document applies at once (a read model folded in memory
   * from a replay); the newest PROCESSED_KEEP are recorded, after them processedEventId if given.
   */
  processedEventIds?: readonly string[];
}

export interface UpdateOptions extends WriteOptions {
  /** Conditions the stored document must still meet besides its version (e.g. `{ status: "active" }`). */
  expect?: Filter<Document>;
  /**
   * The version to store instead of `expectedVersion + 1`: for read models whose version is their
   * source's (a snapshot's version), or that keep it while an own marker changes (then pair with `expect`).
   */
  nextVersion?: number;
}

export interface PageRequest {
  limit: number;
  cursor?: string;
}

/**
 * A page order other than newest id first: one field every matching document has (a string, a number
 * or a date), ties broken by the id in the same direction, so the order is total and stable.
 */
export interface PageOrder {
  field: string;
  direction: 1 | -1;
}

/** Where an ordered page resumes: the last item's key (a date as its ISO text) and id. */
const keyedPosition = z.union([
  z.strictObject({ id: z.string().min(1).max(256), key: z.union([z.string().max(256), z.number()]) }),
  z.strictObject({ id: z.string().min(1).max(256), at: z.iso.datetime() }),
]);

/** How many applied event ids a document remembers (the newest ones). */
export const PROCESSED_KEEP = 100;

/** The applied event ids of a document, written in the same update as the effect of each. */
const PROCESSED_FIELD = "_processed";

/** Filter part that matches only documents that have not yet applied `eventId`. */
function processedFilter(eventId: string): Record<string, unknown> {
  return { [PROCESSED_FIELD]: { $ne: eventId } };
}

/** The idempotent HTTP request (its token) that inserted the document, when one did. */
const CREATED_BY_FIELD = "_created_by";

const INTERNAL = new Set(["_id", OUTBOX_FIELD, PENDING_FLAG, PROCESSED_FIELD, CREATED_BY_FIELD]);

export class AggregateCollection<A extends Aggregate> {
  readonly name: string;
  private readonly hidden: ReadonlySet<string>;
  /** Fields that lead one of the declared indexes (and `_id`): see indexed-queries.ts. */
  private readonly indexed: ReadonlySet<string>;

  constructor(
    readonly collection: Collection<Document>,
    private readonly spec: AggregateSpec<A>,
    private readonly guard: DocumentWriteGuard,
    /** After a committed write with events: the relay's nudge, the business counters. */
    private readonly written: (events: readonly PendingEvent[]) => void,
  ) {
    this.name = spec.name;
    this.hidden = new Set([...INTERNAL, ...(spec.derived?.fields ?? [])]);
    this.indexed = new Set(["_id", ...(spec.indexes ?? []).map((i) => Object.keys(i.key)[0]!)]);
  }

  /** Creates the declared indexes that are missing (one per command: see @lto/mongo). */
  async ensureIndexes(extra: readonly IndexSpec[]): Promise<void> {
    await ensureCollectionIndexes(this.collection, [...(this.spec.indexes ?? []), ...extra]);
  }

  // ---- reads -------------------------------------------------------------------------------------

  async get(id: string): Promise<A | undefined> {
    return this.fromDocument(await this.collection.findOne({ _id: id }));
  }

  async getMany(ids: readonly string[]): Promise<A[]> {
    if (ids.length === 0) return [];
    const docs = await findIndexed(
      this.collection,
      { _id: { $in: [...ids] } },
      { _id: 1 },
      ids.length,
      this.indexed,
    );
    return docs.map((d) => this.fromDocument(d)!);
  }

  async findOne(filter: Filter<Document>): Promise<A | undefined> {
    return this.fromDocument(await this.collection.findOne(filter));
  }

  /** Matching aggregates, newest first (by id) unless `sort` says otherwise, at most `limit`. */
  async find(
    filter: Filter<Document>,
    limit = 500,
    sort: Record<string, 1 | -1> = { _id: -1 },
  ): Promise<A[]> {
    const docs = await findIndexed(this.collection, filter, sort, limit, this.indexed);
    return docs.map((d) => this.fromDocument(d)!);
  }

  /**
   * Every matching aggregate, in no set order, `batch` at a time, from ONE query read through its
   * cursor: for rebuilds and merges that go through a whole collection. (Paging by id would not do: on
   * FerretDB 1.24 a range, `$in` or sorted query reads the whole collection each time.)
   */
  async *scan(filter: Filter<Document> = {}, batch = 1_000): AsyncGenerator<A[]> {
    let page: A[] = [];
    for await (const doc of this.collection.find(filter, { batchSize: batch })) {
      page.push(this.fromDocument(doc)!);
      if (page.length === batch) {
        yield page;
        page = [];
      }
    }
    if (page.length) yield page;
  }

  async count(filter: Filter<Document>): Promise<number> {
    return this.collection.countDocuments(filter);
  }

  /**
   * One page, newest first by id unless `order` says otherwise, with the platform's opaque cursor (a 400
   * for one it did not issue, or one of another order).
   */
  async page(filter: Filter<Document>, page: PageRequest, order?: PageOrder): Promise<Page<A>> {
    if (order) return this.orderedPage(filter, page, order);
    const after = page.cursor ? decodeCursor(page.cursor, idPosition).id : undefined;
    const query = after ? withCondition(filter, { _id: { $lt: after } }) : filter;
    const docs = await findIndexed(this.collection, query, { _id: -1 }, page.limit + 1, this.indexed);
    const items = docs.slice(0, page.limit).map((d) => this.fromDocument(d)!);
    const last = docs.length > page.limit ? docs[page.limit - 1] : undefined;
    return { items, ...(last ? { nextCursor: encodeCursor({ id: String(last._id) }) } : {}) };
  }

  private async orderedPage(filter: Filter<Document>, page: PageRequest, order: PageOrder): Promise<Page<A>> {
    const { field, direction } = order;
    const beyond = direction === 1 ? "$gt" : "$lt";
    let query = filter;
    if (page.cursor) {
      const position = decodeCursor(page.cursor, keyedPosition);
      const key = "at" in position ? new Date(position.at) : position.key;
      query = withCondition(filter, {
        $or: [{ [field]: { [beyond]: key } }, { [field]: key, _id: { [beyond]: position.id } }],
      });
    }
    const docs = await findIndexed(
      this.collection,
      query,
      { [field]: direction, _id: direction },
      page.limit + 1,
    );
    const items = docs.slice(0, page.limit).map((d) => this.fromDocument(d)!);
    const last = docs.length > page.limit ? docs[page.limit - 1] : undefined;
    if (!last) return { items };
    const key: unknown = last[field];
    const position =
      key instanceof Date ? { id: String(last._id), at: key.toISOString() } : { id: String(last._id), key };
    return { items, nextCursor: encodeCursor(position) };
  }

  /** True when the aggregate has already applied the event `eventId`. */
  async hasProcessed(id: string, eventId: string): Promise<boolean> {
    const found = await this.collection.findOne(
      { _id: id, [PROCESSED_FIELD]: eventId },
      {
        projection: { _id: 1 },
      },
    );
    return found !== null;
  }

  // ---- writes ------------------------------------------------------------------------------------

  /**
   * Stores a new aggregate (its version as given, usually 1) with its first events. Returns false when
   * a unique index refuses it (the id or a derived unique field is taken): the caller says what that
   * means (409, or "someone else got there first").
   *
   * Inside an idempotent request the document records which one; when the request runs again (its
   * process died before completing the key) it makes the same id (@lto/http-kit's platformIds), and a
   * clash with the document the first run inserted is answered as the insert it was. Its events were
   * written then and are not written again.
   */
  async insert(aggregate: A, opts: WriteOptions = {}): Promise<boolean> {
    const doc = this.newDocument(aggregate, opts);
    const request = currentIdempotentRequest();
    if (request) doc[CREATED_BY_FIELD] = request.token;
    try {
      await this.collection.insertOne(doc);
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      if (!request) return false;
      const own = await this.collection.findOne(
        { _id: doc._id, [CREATED_BY_FIELD]: request.token },
        { projection: { _id: 1 } },
      );
      return own !== null;
    }
    if (opts.events?.length) this.written(opts.events);
    return true;
  }

  /**
   * Stores many new aggregates in bulk writes of INSERT_BATCH documents each, every one exactly as
   * `insert` stores it (no events: for read models rebuilt in memory from a replay). A document
   * refused by a unique index (its id taken: written meanwhile, or by an earlier attempt of the same
   * rebuild) does not stop the others; their ids are returned, for the caller to apply one by one.
   */
  async insertMany(
    items: readonly { aggregate: A; processedEventIds?: readonly string[] }[],
  ): Promise<string[]> {
    const refused: string[] = [];
    for (let i = 0; i < items.length; i += INSERT_BATCH) {
      const batch = items.slice(i, i + INSERT_BATCH);
      const docs = batch.map(({ aggregate, processedEventIds }) =>
        this.newDocument(aggregate, processedEventIds ? { processedEventIds } : {}),
      );
      try {
        await this.collection.insertMany(docs, { ordered: false });
      } catch (err) {
        const writeErrors = bulkWriteErrors(err);
        if (!writeErrors || writeErrors.some((e) => e.code !== 11000)) throw err;
        for (const e of writeErrors) refused.push(docs[e.index]!._id);
      }
    }
    return refused;
  }

  /**
   * Writes `next` over the stored aggregate if its version is still `expectedVersion` (and `expect`
   * holds), with the next version, its events and the applied event id in the same update. Returns the
   * aggregate as stored, or undefined when the stored one moved on (or `expect` no longer holds).
   */
  async updateIf(next: A, expectedVersion: number, opts: UpdateOptions = {}): Promise<A | undefined> {
    const stored = { ...next, version: opts.nextVersion ?? expectedVersion + 1 };
    const { _id, ...fields } = this.toDocument(stored);
    const unset = Object.fromEntries(
      (this.spec.optional ?? []).filter((f) => !(f in fields)).map((f) => [f, ""]),
    );
    const update: Document = withOutbox(
      { $set: fields, ...(Object.keys(unset).length ? { $unset: unset } : {}) },
      opts.events ?? [],
    );
    const filter: Filter<Document> = { ...opts.expect, _id, version: expectedVersion };
    if (opts.processedEventId) {
      Object.assign(filter, processedFilter(opts.processedEventId));
      update.$push = { ...(update.$push as Document | undefined), [PROCESSED_FIELD]: opts.processedEventId };
    }
    const matched = await this.guard.run(this.name, next.id, async () => {
      const result = await this.collection.updateOne(filter, update);
      if (result.matchedCount === 1 && opts.processedEventId) await this.trimProcessed(next.id);
      return result.matchedCount === 1;
    });
    if (!matched) return undefined;
    if (opts.events?.length) this.written(opts.events);
    return stored;
  }

  /**
   * As updateIf, but a stale version is a 412 (PreconditionFailedError) and a missing aggregate a 404,
   * the answers a client holding an ETag expects.
   */
  async update(next: A, expectedVersion: number, opts: UpdateOptions = {}): Promise<A> {
    const stored = await this.updateIf(next, expectedVersion, opts);
    if (stored) return stored;
    const current = await this.collection.findOne(
      { _id: next.id },
      {
        projection: { version: 1 },
      },
    );
    if (!current) throw new NotFoundError(this.spec.entity ?? this.name, next.id);
    throw new PreconditionFailedError(
      `The ${this.spec.entity ?? this.name.replace(/s$/, "")} changed meanwhile (your version ${expectedVersion}, current ` +
        `${String(current.version)}); reload it and retry with its current ETag in If-Match`,
      { details: { currentVersion: current.version } },
    );
  }

  /**
   * Records that the aggregate applied `eventId` although nothing changed (a fact it already knew):
   * no version bump, so clients holding its ETag are not disturbed. False when it was recorded already.
   */
  async markProcessed(id: string, eventId: string): Promise<boolean> {
    return this.guard.run(this.name, id, async () => {
      const result = await this.collection.updateOne({ _id: id, ...processedFilter(eventId) }, {
        $push: { [PROCESSED_FIELD]: eventId },
      } as Document);
      if (result.matchedCount === 1) await this.trimProcessed(id);
      return result.matchedCount === 1;
    });
  }

  /** Removes the matching aggregates (with any events still pending: for rebuilt read models only). */
  async deleteMany(filter: Filter<Document>): Promise<number> {
    return (await this.collection.deleteMany(filter)).deletedCount;
  }

  // FerretDB ignores `$slice` in `$push`: the list is bounded by `$pop` of the oldest instead.
  private async trimProcessed(id: string): Promise<void> {
    for (let i = 0; i < 5; i++) {
      const r = await this.collection.updateOne(
        { _id: id, [`${PROCESSED_FIELD}.${PROCESSED_KEEP}`]: { $exists: true } },
        { $pop: { [PROCESSED_FIELD]: -1 } } as Document,
      );
      if (r.modifiedCount === 0) return;
    }
  }

  /** A new aggregate's document as stored: state, derived fields, an empty outbox or its events, applied ids. */
  private newDocument(aggregate: A, opts: WriteOptions): Document & { _id: string } {
    const doc = withOutboxDoc(this.toDocument(aggregate), opts.events ?? []);
    const applied = [
      ...(opts.processedEventIds ?? []),
      ...(opts.processedEventId ? [opts.processedEventId] : []),
    ];
    if (applied.length) doc[PROCESSED_FIELD] = applied.slice(-PROCESSED_KEEP);
    return doc;
  }

  private toDocument(aggregate: A): Document & { _id: string } {
    const { id, ...fields } = aggregate as A & Record<string, unknown>;
    const doc: Document & { _id: string } = { _id: id };
    for (const [key, value] of Object.entries(fields)) if (value !== undefined) doc[key] = value;
    for (const [key, value] of Object.entries(this.spec.derived?.of(aggregate) ?? {})) doc[key] = value;
    return doc;
  }

  private fromDocument(doc: Document | null): A | undefined {
    if (!doc) return undefined;
    const result: Record<string, unknown> = { id: doc._id };
    for (const [key, value] of Object.entries(doc)) {
      if (!this.hidden.has(key)) result[key] = value;
    }
    return result as A;
  }
}
