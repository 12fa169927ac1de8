// The adoption service's collections on the platform's aggregate store, and the repositories that
// implement the app's ports. A state change and its events are written in ONE document update; the
// store serialises writes of a document across processes. Uniqueness that must hold under races is a
// unique index on a derived field that is always present: holds.slot (= idea id while active),
// offers.slot (= idea|company while open) and adoptions.claim (= idea id while active or completed);
// an insert that loses the race returns false. Conditional writes say what must still hold (`expect`).
import { AlreadyExistsError } from "@lto/errors";
import { openServiceStore } from "@lto/service-host";
import type { AggregateCollection, AggregateStore, Filter } from "@lto/store";
import type {
  AdoptionRepository,
  CompanyRepository,
  HoldRepository,
  OfferRepository,
  Stored,
} from "../app/index.js";
import { toPendingEvents } from "../contract/index.js";
import type { Adoption, AdoptionEvent, Company, Hold, Offer } from "../domain/index.js";
import { ideaCollections, type CallRecord, type IdeaRecord } from "./projection.js";

export interface AdoptionCollections {
  companies: AggregateCollection<Stored<Company>>;
  holds: AggregateCollection<Stored<Hold>>;
  offers: AggregateCollection<Stored<Offer>>;
  adoptions: AggregateCollection<Stored<Adoption>>;
  ideas: AggregateCollection<IdeaRecord>;
  calls: AggregateCollection<CallRecord>;
}

const byId = (f: string) => ({ key: { [f]: 1, _id: -1 } }) as const;
const holdSlot = (h: Hold) => (h.status === "active" ? h.ideaId : `ended:${h.id}`);
const offerSlot = (o: Offer) => (o.status === "open" ? `${o.ideaId}|${o.companyId}` : `closed:${o.id}`);
const claimOf = (a: Adoption) => (a.status === "ended" ? `released:${a.id}` : a.ideaId);

/** Registers the service's aggregate collections on the store (before its relay is created). */
export function adoptionCollections(store: AggregateStore, prefix = ""): AdoptionCollections {
  return {
    companies: store.aggregates<Stored<Company>>({
      name: prefix + "companies",
      indexes: [{ key: { vatNumber: 1 }, unique: true }, byId("status"), byId("areas")],
      optional: ["verifiedAt", "verifiedBy"],
    }),
    holds: store.aggregates<Stored<Hold>>({
      name: prefix + "holds",
      indexes: [
        { key: { slot: 1 }, unique: true },
        { key: { ideaId: 1, companyId: 1 } },
        { key: { status: 1, expiresAt: 1 } },
        byId("companyId"),
        byId("schoolId"),
        byId("ideaId"),
      ],
      derived: { fields: ["slot"], of: (h) => ({ slot: holdSlot(h) }) },
      optional: ["endedAt"],
    }),
    offers: store.aggregates<Stored<Offer>>({
      name: prefix + "offers",
      indexes: [
        { key: { slot: 1 }, unique: true },
        { key: { ideaId: 1, status: 1 } },
        byId("companyId"),
        byId("schoolId"),
        byId("ideaId"),
      ],
      derived: { fields: ["slot"], of: (o) => ({ slot: offerSlot(o) }) },
    }),
    adoptions: store.aggregates<Stored<Adoption>>({
      name: prefix + "adoptions",
      indexes: [
        { key: { claim: 1 }, unique: true },
        { key: { offerId: 1 } },
        byId("companyId"),
        byId("schoolId"),
        byId("ideaId"),
      ],
      derived: { fields: ["claim"], of: (a) => ({ claim: claimOf(a) }) },
    }),
    ...ideaCollections(store, prefix),
  };
}

/** The service's store: its collections registered, their indexes ensured. */
export function openAdoptionStore(opts: { url: string; dbName: string }) {
  return openServiceStore({ name: "adoption", ...opts }, (store) => adoptionCollections(store));
}
export type AdoptionStore = Awaited<ReturnType<typeof openAdoptionStore>>;

function defined<T extends object>(o: T): Filter {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/**
 * Writes `next` if the stored one still meets `expect` (read afresh: another field may have moved
 * its version meanwhile); false once it no longer does.
 */
async function writeIf<A extends { id: string; version: number }>(
  col: AggregateCollection<A>,
  next: Omit<A, "version">,
  expect: Filter,
  events: AdoptionEvent[],
): Promise<boolean> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const current = await col.findOne({ ...expect, _id: next.id });
    if (!current) return false;
    const stored = await col.updateIf({ ...next, version: current.version } as A, current.version, {
      expect,
      events: toPendingEvents(events),
    });
    if (stored) return true;
  }
  return false;
}

export function companyRepository(col: AggregateCollection<Stored<Company>>): CompanyRepository {
  return {
    get: (id) => col.get(id),
    async insert(company) {
      const stored = { ...company, version: 1 };
      if (await col.insert(stored)) return stored;
      throw new AlreadyExistsError(
        (await col.get(company.id))
          ? `Company ${company.id} is already registered`
          : `A company with VAT number ${company.vatNumber} is already registered`,
      );
    },
    update: (company, expectedVersion) =>
      col.update({ ...company, version: expectedVersion }, expectedVersion),
    list: (filter, page) => col.page(defined({ status: filter.status, areas: filter.area }), page),
  };
}

export function holdRepository(col: AggregateCollection<Stored<Hold>>): HoldRepository {
  return {
    get: (id) => col.get(id),
    findActive: (ideaId) => col.findOne({ slot: ideaId }),
    hasHeld: async (ideaId, companyId) => (await col.count({ ideaId, companyId })) > 0,
    async insertActive(hold, events) {
      const stored = { ...hold, version: 1 };
      return (await col.insert(stored, { events: toPendingEvents(events) })) ? stored : undefined;
    },
    endIfActive: (hold, events) => writeIf(col, hold, { status: "active" }, events),
    listLapsable: (now, limit) => col.find({ status: "active", expiresAt: { $lte: now } }, limit),
    list: (filter, page) =>
      col.page(
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

export function offerRepository(col: AggregateCollection<Stored<Offer>>): OfferRepository {
  return {
    get: (id) => col.get(id),
    async insert(offer, events) {
      const stored = { ...offer, version: 1 };
      return (await col.insert(stored, { events: toPendingEvents(events) })) ? stored : undefined;
    },
    transition: (offer, from, events) => writeIf(col, offer, { status: from }, events),
    listOpenByIdea: (ideaId) => col.find({ ideaId, status: "open" }, 10_000),
    list: (filter, page) => col.page(defined({ ...filter }), page),
  };
}

export function adoptionRepository(col: AggregateCollection<Stored<Adoption>>): AdoptionRepository {
  return {
    get: (id) => col.get(id),
    findByOffer: (offerId) => col.findOne({ offerId }),
    findClaiming: (ideaId) => col.findOne({ claim: ideaId }),
    async insertClaiming(adoption, events) {
      const stored = { ...adoption, version: 1 };
      return (await col.insert(stored, { events: toPendingEvents(events) })) ? stored : undefined;
    },
    update: (adoption, expectedVersion, events) =>
      col.update({ ...adoption, version: expectedVersion }, expectedVersion, {
        events: toPendingEvents(events),
      }),
    list: (filter, page) => col.page(defined({ ...filter }), page),
    async listClaiming() {
      const claiming: Adoption[] = [];
      for await (const page of col.scan({ status: { $in: ["active", "completed"] } })) claiming.push(...page);
      return claiming;
    },
  };
}
