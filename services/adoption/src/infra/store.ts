// The adoption service's collections (native driver through the mongoose connection) and the
// repositories implementing the app's ports. Every state change and its events go in ONE document
// write (outbox). Uniqueness that must hold under races is a unique index on a field that is always
// present: holds.slot (= idea id while active), offers.slot (= idea|company while open) and
// adoptions.claim (= idea id while active or completed). No transactions needed. Updates of one
// document are serialized in-process by @lto/mongo's lockedCollection (FerretDB 1.24 can lose a
// concurrent update of the same document, e.g. the relay's $pullAll racing a state change).
import { AlreadyExistsError, NotFoundError, PreconditionFailedError } from "@lto/errors";
import { decodeCursor, encodeCursor, idPosition } from "@lto/http-kit";
import { OUTBOX_INDEX, pendingEvent, withOutbox, withOutboxDoc } from "@lto/messaging";
import type { Collection, Db, Document, Filter } from "mongodb";
import { ensureCollectionIndexes, lockedCollection, type IndexSpec } from "@lto/mongo";
import type {
  AdoptionRepository,
  CompanyRepository,
  HoldRepository,
  OfferRepository,
  OutEvent,
  Page,
  PageRequest,
  Stored,
} from "../app/index.js";
import type { Adoption, Company, Hold, Offer } from "../domain/index.js";

type Doc = Document & { _id: string };
export interface Collections {
  companies: Collection<Doc>;
  holds: Collection<Doc>;
  offers: Collection<Doc>;
  adoptions: Collection<Doc>;
  ideas: Collection<Doc>;
  calls: Collection<Doc>;
}

export function collections(db: Db, prefix = ""): Collections {
  const c = (name: string) => lockedCollection(db.collection<Doc>(prefix + name));
  return {
    companies: c("companies"),
    holds: c("holds"),
    offers: c("offers"),
    adoptions: c("adoptions"),
    ideas: c("ideas"),
    calls: c("calls"),
  };
}

/** Explicit indexes (autoIndex is off): plain, compound and unique only; only the missing ones are created. */
export async function ensureIndexes(c: Collections): Promise<void> {
  const byId = (f: string): IndexSpec => ({ key: { [f]: 1, _id: -1 } });
  const outbox: IndexSpec = { key: OUTBOX_INDEX as IndexSpec["key"] };
  await ensureCollectionIndexes(c.companies, [
    { key: { vatNumber: 1 }, unique: true },
    byId("status"),
    byId("areas"),
    outbox,
  ]);
  await ensureCollectionIndexes(c.holds, [
    { key: { slot: 1 }, unique: true },
    { key: { ideaId: 1, companyId: 1 } },
    { key: { status: 1, expiresAt: 1 } },
    byId("companyId"),
    byId("schoolId"),
    byId("ideaId"),
    outbox,
  ]);
  await ensureCollectionIndexes(c.offers, [
    { key: { slot: 1 }, unique: true },
    { key: { ideaId: 1, status: 1 } },
    byId("companyId"),
    byId("schoolId"),
    byId("ideaId"),
    outbox,
  ]);
  await ensureCollectionIndexes(c.adoptions, [
    { key: { claim: 1 }, unique: true },
    { key: { offerId: 1 } },
    byId("companyId"),
    byId("schoolId"),
    byId("ideaId"),
    outbox,
  ]);
  await ensureCollectionIndexes(c.ideas, [
    { key: { status: 1, publishedAt: -1, _id: -1 } },
    { key: { area: 1 } },
    { key: { district: 1 } },
    { key: { technologies: 1 } },
    { key: { needs: 1 } },
    { key: { callId: 1 } },
  ]);
}

export function isDuplicateKey(err: unknown): boolean {
  const e = err as { code?: number; message?: string };
  return e?.code === 11000 || /E11000|duplicate key|UNIQUE constraint/i.test(e?.message ?? "");
}

export function pending(events: OutEvent[]) {
  return events.map((e) => pendingEvent(e.codec, e.codec.key(e.message), e.message));
}

function fromDoc<T>(doc: Doc | null): Stored<T> | undefined {
  if (!doc) return undefined;
  const { _id, _outbox: _o, _pending: _p, slot: _s, claim: _c, ...rest } = doc;
  return { id: _id, ...rest } as unknown as Stored<T>;
}
function toDoc(entity: { id: string }, extra: Document = {}): Doc {
  const { id, ...rest } = entity as { id: string } & Record<string, unknown>;
  delete rest.version;
  return { _id: id, ...defined(rest), ...extra };
}
const NO_OUTBOX = { projection: { _outbox: 0, _pending: 0 } };

/** Newest first by _id (UUIDv7), with an opaque cursor. */
async function pageById<T>(
  col: Collection<Doc>,
  filter: Filter<Doc>,
  page: PageRequest,
): Promise<Page<Stored<T>>> {
  const f: Filter<Doc> = page.cursor
    ? { ...filter, _id: { $lt: decodeCursor(page.cursor, idPosition).id } }
    : filter;
  const docs = await col
    .find(f, NO_OUTBOX)
    .sort({ _id: -1 })
    .limit(page.limit + 1)
    .toArray();
  const items = docs.slice(0, page.limit).map((d) => fromDoc<T>(d)!);
  return docs.length > page.limit
    ? { items, nextCursor: encodeCursor({ id: docs[page.limit - 1]!._id }) }
    : { items };
}

function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Replace the entity's fields and bump the version, with its events, if `filter` still matches. */
async function conditionalSave(
  col: Collection<Doc>,
  filter: Filter<Doc>,
  entity: { id: string },
  extra: Document,
  events: OutEvent[],
) {
  const { _id: _ignored, ...fields } = toDoc(entity, extra);
  const r = await col.updateOne(filter, withOutbox({ $set: fields, $inc: { version: 1 } }, pending(events)));
  return r.matchedCount === 1;
}

export function companyRepository(col: Collection<Doc>): CompanyRepository {
  return {
    get: async (id) => fromDoc<Company>(await col.findOne({ _id: id }, NO_OUTBOX)),
    async insert(company) {
      try {
        await col.insertOne({ ...toDoc(company), version: 1 });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const same = await col.findOne({ _id: company.id });
        throw new AlreadyExistsError(
          same
            ? `Company ${company.id} is already registered`
            : `A company with VAT number ${company.vatNumber} is already registered`,
        );
      }
      return { ...company, version: 1 };
    },
    async update(company, expectedVersion) {
      if (!(await conditionalSave(col, { _id: company.id, version: expectedVersion }, company, {}, []))) {
        if (!(await col.findOne({ _id: company.id }))) throw new NotFoundError("company", company.id);
        throw new PreconditionFailedError();
      }
      return { ...company, version: expectedVersion + 1 };
    },
    list: (filter, page) =>
      pageById<Company>(col, defined({ status: filter.status, areas: filter.area }), page),
  };
}

const holdSlot = (h: Hold) => (h.status === "active" ? h.ideaId : `ended:${h.id}`);

export function holdRepository(col: Collection<Doc>): HoldRepository {
  return {
    get: async (id) => fromDoc<Hold>(await col.findOne({ _id: id }, NO_OUTBOX)),
    findActive: async (ideaId) => fromDoc<Hold>(await col.findOne({ slot: ideaId }, NO_OUTBOX)),
    hasHeld: async (ideaId, companyId) => (await col.countDocuments({ ideaId, companyId })) > 0,
    async insertActive(hold, events) {
      try {
        await col.insertOne(
          withOutboxDoc({ ...toDoc(hold, { slot: holdSlot(hold) }), version: 1 }, pending(events)),
        );
        return { ...hold, version: 1 };
      } catch (err) {
        if (isDuplicateKey(err)) return undefined;
        throw err;
      }
    },
    endIfActive: (hold, events) =>
      conditionalSave(col, { _id: hold.id, status: "active" }, hold, { slot: holdSlot(hold) }, events),
    async listLapsable(now, limit) {
      const docs = await col
        .find({ status: "active", expiresAt: { $lte: now } }, NO_OUTBOX)
        .limit(limit)
        .toArray();
      return docs.map((d) => fromDoc<Hold>(d)!);
    },
    list: (filter, page) =>
      pageById<Hold>(
        col,
        defined({
          companyId: filter.companyId,
          schoolId: filter.schoolId,
          ideaId: filter.ideaId,
          status: filter.active === undefined ? undefined : filter.active ? "active" : { $ne: "active" },
        }),
        page,
      ),
  };
}

const offerSlot = (o: Offer) => (o.status === "open" ? `${o.ideaId}|${o.companyId}` : `closed:${o.id}`);

export function offerRepository(col: Collection<Doc>): OfferRepository {
  return {
    get: async (id) => fromDoc<Offer>(await col.findOne({ _id: id }, NO_OUTBOX)),
    async insert(offer, events) {
      try {
        await col.insertOne(
          withOutboxDoc({ ...toDoc(offer, { slot: offerSlot(offer) }), version: 1 }, pending(events)),
        );
        return { ...offer, version: 1 };
      } catch (err) {
        if (isDuplicateKey(err)) return undefined;
        throw err;
      }
    },
    transition: (offer, from, events) =>
      conditionalSave(col, { _id: offer.id, status: from }, offer, { slot: offerSlot(offer) }, events),
    async listOpenByIdea(ideaId) {
      return (await col.find({ ideaId, status: "open" }, NO_OUTBOX).toArray()).map((d) => fromDoc<Offer>(d)!);
    },
    list: (filter, page) => pageById<Offer>(col, defined({ ...filter }), page),
  };
}

const claimOf = (a: Adoption) => (a.status === "ended" ? `released:${a.id}` : a.ideaId);

export function adoptionRepository(col: Collection<Doc>): AdoptionRepository {
  return {
    get: async (id) => fromDoc<Adoption>(await col.findOne({ _id: id }, NO_OUTBOX)),
    findByOffer: async (offerId) => fromDoc<Adoption>(await col.findOne({ offerId }, NO_OUTBOX)),
    findClaiming: async (ideaId) => fromDoc<Adoption>(await col.findOne({ claim: ideaId }, NO_OUTBOX)),
    async insertClaiming(adoption, events) {
      try {
        await col.insertOne(
          withOutboxDoc({ ...toDoc(adoption, { claim: claimOf(adoption) }), version: 1 }, pending(events)),
        );
        return { ...adoption, version: 1 };
      } catch (err) {
        if (isDuplicateKey(err)) return undefined;
        throw err;
      }
    },
    async update(adoption, expectedVersion, events) {
      const ok = await conditionalSave(
        col,
        { _id: adoption.id, version: expectedVersion },
        adoption,
        { claim: claimOf(adoption) },
        events,
      );
      if (!ok) {
        if (!(await col.findOne({ _id: adoption.id }))) throw new NotFoundError("adoption", adoption.id);
        throw new PreconditionFailedError();
      }
      return { ...adoption, version: expectedVersion + 1 };
    },
    list: (filter, page) => pageById<Adoption>(col, defined({ ...filter }), page),
    async listClaiming() {
      const docs = await col.find({ status: { $in: ["active", "completed"] } }, NO_OUTBOX).toArray();
      return docs.map((d) => fromDoc<Adoption>(d)!);
    },
  };
}
