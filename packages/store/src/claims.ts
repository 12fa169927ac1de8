// A claim ledger: exclusive things (a seat, a 5-minute unit of an operator's or a room's time) taken by
// inserting one document per thing, `_id` = its key. A unique-id insert is the one write FerretDB 1.24
// does atomically (and MongoDB too), so of any number of concurrent claimants of a key, in any number
// of processes, exactly one gets it: nothing is read first, nothing is held in process memory.
//
// Several keys are claimed in ascending order and all-or-nothing: on the first clash the attempt deletes
// what it inserted (by its claim token) and reports the key it lost. Identical requests all clash on the
// same first key, so exactly one of them wins; overlapping requests meet on their lowest shared key.
//
// Claims are written unsettled; the caller writes the record that holds them (the enrolment, the
// booking) and then settles them. A crash in between leaves unsettled claims a sweeper finds
// (`unsettled`) and releases when their holder does not hold them.
//
// Deletes and updates of a claim go through the store's document guard: FerretDB applies them by reading
// the matching documents and writing back (or deleting) by `_id`, so without it a release racing another
// release could delete the next claimant's fresh insert of the same key, and a settle could write an
// old claim back over it. Inserts need no guard (a key is inserted only while absent).
import { ensureCollectionIndexes, isDuplicateKeyError, type DocumentWriteGuard } from "@lto/mongo";
import type { Collection } from "mongodb";
import { bulkWriteErrors, INSERT_BATCH } from "./bulk.js";
import { findIndexed } from "./indexed-queries.js";

/** Who claims, in which attempt, when. */
export interface ClaimHolder {
  /** The record that will hold the keys (the enrolment, the booking): the sweeper asks it. */
  holderId: string;
  /**
   * This one attempt (a fresh id per request): release and settle by it touch only what this attempt
   * inserted. A clash with a claim of the same token is this attempt's own (its re-run after a crash).
   */
  claim: string;
  at: Date;
}

/** The ledger's own fields of a claim (never to be used by the extra fields of a ledger). */
export interface ClaimCore {
  key: string;
  holderId: string;
  claim: string;
  claimedAt: Date;
  /** False until the holder's record is written (then `settle`). */
  settled: boolean;
  /** What the claim belongs to (a session, a day), indexed: `ofGroup`, `countGroup`. */
  group?: string;
}

/** Extra fields stored on each claim (a seat's number), given per key by `claimAll`'s `describe`. */
export type ClaimFields = Record<string, unknown>;

export type Claim<F extends ClaimFields = Record<never, never>> = ClaimCore & F;

/** What `describe` gives for one key: its group, if any, and the ledger's extra fields. */
export type ClaimDescription<F extends ClaimFields> = F & { group?: string };

/** The result of `claimAll`: every key taken, or the first key found taken (nothing kept). */
export type ClaimOutcome = { ok: true } | { ok: false; taken: string };

/** Whose claims `release` removes: one attempt's, or whatever the holder holds of those keys. */
export type ClaimRelease = { claim: string } | { holderId: string };

export interface ClaimLedgerSpec {
  /** The collection's name in the service's database. */
  name: string;
}

interface ClaimDocument {
  _id: string;
  holderId: string;
  claim: string;
  claimedAt: Date;
  settled: boolean;
  group?: string;
  [field: string]: unknown;
}

const CORE = new Set(["_id", "key", "holderId", "claim", "claimedAt", "settled", "group"]);

/** The ledger's indexes: a group's claims, and the sweeper's query. */
const INDEXES = [{ key: { group: 1 } }, { key: { settled: 1, claimedAt: 1 } }] as const;

export class ClaimLedger<F extends ClaimFields = Record<never, never>> {
  readonly name: string;

  constructor(
    readonly collection: Collection<ClaimDocument>,
    spec: ClaimLedgerSpec,
    private readonly guard: DocumentWriteGuard,
  ) {
    this.name = spec.name;
  }

  /** Creates the ledger's indexes that are missing. */
  async ensureIndexes(): Promise<void> {
    await ensureCollectionIndexes(this.collection, INDEXES);
  }

  // ---- claiming ----------------------------------------------------------------------------------

  /**
   * Claims every key for `holder`, unsettled, or none: unique inserts in ascending key order; on the
   * first key found taken it releases what it inserted (by its claim token) and answers that key.
   * `describe` gives each key's group and extra fields. Duplicate keys count once.
   */
  async claimAll(
    keys: readonly string[],
    holder: ClaimHolder,
    ...[describe]: Record<never, never> extends F
      ? [describe?: (key: string) => ClaimDescription<F>]
      : [describe: (key: string) => ClaimDescription<F>]
  ): Promise<ClaimOutcome> {
    const ordered = [...new Set(keys)].sort();
    if (!ordered.length) throw new RangeError("claimAll needs at least one key");
    const inserted: string[] = [];
    try {
      for (const key of ordered) {
        const doc = this.toDocument(key, holder, describe?.(key));
        if (await this.insert(doc)) inserted.push(key);
        else {
          await this.release(inserted.reverse(), { claim: holder.claim });
          return { ok: false, taken: key };
        }
      }
    } catch (err) {
      // The store failed midway: give back what this attempt holds (else the sweeper will), then fail.
      await this.release(inserted.reverse(), { claim: holder.claim }).catch(() => undefined);
      throw err;
    }
    return { ok: true };
  }

  /** Marks this attempt's claims of `keys` settled (its holder's record is written). How many were. */
  async settle(keys: readonly string[], claim: string): Promise<number> {
    let settled = 0;
    for (const key of keys) {
      const done = await this.guard.run(this.name, key, async () => {
        const result = await this.collection.updateOne(
          { _id: key, claim, settled: false },
          { $set: { settled: true } },
        );
        return result.matchedCount === 1;
      });
      if (done) settled++;
    }
    return settled;
  }

  /**
   * Frees those of `keys` still held by the attempt `claim`, or by `holderId` (any attempt of it).
   * Keys held by anyone else are left alone. How many were freed.
   */
  async release(keys: readonly string[], by: ClaimRelease): Promise<number> {
    const whose = "claim" in by ? { claim: by.claim } : { holderId: by.holderId };
    let released = 0;
    for (const key of keys) {
      released += await this.guard.run(
        this.name,
        key,
        async () => (await this.collection.deleteOne({ _id: key, ...whose })).deletedCount,
      );
    }
    return released;
  }

  // ---- rebuilding (every writer of the ledger stopped) ------------------------------------------

  /**
   * Writes claims as they are (settled or not, their tokens and times) in bulk inserts, for a rebuild
   * that recomputed them; answers the keys refused because they are taken.
   */
  async insertMany(claims: readonly Claim<F>[]): Promise<string[]> {
    const refused: string[] = [];
    for (let i = 0; i < claims.length; i += INSERT_BATCH) {
      const docs = claims.slice(i, i + INSERT_BATCH).map(({ key, ...fields }) => ({ _id: key, ...fields }));
      try {
        await this.collection.insertMany(docs as ClaimDocument[], { ordered: false });
      } catch (err) {
        const writeErrors = bulkWriteErrors(err);
        if (!writeErrors || writeErrors.some((e) => e.code !== 11000)) throw err;
        for (const e of writeErrors) refused.push(docs[e.index]!._id);
      }
    }
    return refused;
  }

  /**
   * Removes every claim whose holder id starts with `prefix`, in one delete and without the document
   * guard: only for a rebuild that replaces those claims while nothing else writes the ledger.
   */
  async removeHoldersStartingWith(prefix: string): Promise<number> {
    if (!prefix) throw new RangeError("removeHoldersStartingWith needs a prefix");
    const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return (await this.collection.deleteMany({ holderId: { $regex: `^${escaped}` } })).deletedCount;
  }

  /** The claims whose keys fall in [from, to), in key order, a page at a time (a rebuild's read). */
  async *scanRange(from: string, to: string, batch = 1_000): AsyncGenerator<Claim<F>[]> {
    let page: Claim<F>[] = [];
    const cursor = this.collection
      .find({ _id: { $gte: from, $lt: to } }, { batchSize: batch })
      .sort({ _id: 1 });
    for await (const doc of cursor) {
      page.push(this.fromDocument(doc));
      if (page.length === batch) {
        yield page;
        page = [];
      }
    }
    if (page.length) yield page;
  }

  // ---- reading -----------------------------------------------------------------------------------

  async get(key: string): Promise<Claim<F> | undefined> {
    const doc = await this.collection.findOne({ _id: key });
    return doc ? this.fromDocument(doc) : undefined;
  }

  /** The claims held on those of `keys` that are taken. */
  async holdersOf(keys: readonly string[]): Promise<Claim<F>[]> {
    if (!keys.length) return [];
    const unique = [...new Set(keys)];
    const docs = await findIndexed(this.collection, { _id: { $in: unique } }, { _id: 1 }, unique.length);
    return docs.map((d) => this.fromDocument(d));
  }

  /**
   * The claims whose keys fall in [from, to) in key order, at most `limit`: with keys that end in a
   * sortable instant (`operator:<id>@<ISO>`), one resource's claims over a span of time.
   */
  async inRange(from: string, to: string, limit = 10_000): Promise<Claim<F>[]> {
    if (!(from < to)) return [];
    const docs = await this.collection
      .find({ _id: { $gte: from, $lt: to } })
      .sort({ _id: 1 })
      .limit(limit)
      .toArray();
    return docs.map((d) => this.fromDocument(d));
  }

  /** The claims of a group (by key), at most `limit`. */
  async ofGroup(group: string, limit = 10_000): Promise<Claim<F>[]> {
    const docs = await this.collection.find({ group }).sort({ _id: 1 }).limit(limit).toArray();
    return docs.map((d) => this.fromDocument(d));
  }

  countGroup(group: string): Promise<number> {
    return this.collection.countDocuments({ group });
  }

  /**
   * For sweepers: unsettled claims made at or before `before`, oldest first. For each, the sweeper
   * asks the holder's record: settle it when the holder holds the key, release it by its claim token
   * otherwise (a claim token never comes back, so a newer claim of the key is never touched).
   */
  async unsettled(before: Date, limit: number): Promise<Claim<F>[]> {
    const docs = await this.collection
      .find({ settled: false, claimedAt: { $lte: before } })
      .sort({ claimedAt: 1, _id: 1 })
      .limit(limit)
      .toArray();
    return docs.map((d) => this.fromDocument(d));
  }

  // ---- documents ---------------------------------------------------------------------------------

  /** True when inserted, or when the key is already this attempt's own (a re-run); false when taken. */
  private async insert(doc: ClaimDocument): Promise<boolean> {
    try {
      await this.collection.insertOne(doc);
      return true;
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
    }
    const own = await this.collection.findOne(
      { _id: doc._id, claim: doc.claim, holderId: doc.holderId },
      { projection: { _id: 1 } },
    );
    return own !== null;
  }

  private toDocument(
    key: string,
    holder: ClaimHolder,
    described: ClaimDescription<F> | undefined,
  ): ClaimDocument {
    const doc: ClaimDocument = {
      _id: key,
      holderId: holder.holderId,
      claim: holder.claim,
      claimedAt: holder.at,
      settled: false,
    };
    for (const [field, value] of Object.entries(described ?? {})) {
      if (value === undefined) continue;
      if (field === "group") doc.group = String(value);
      else if (CORE.has(field)) throw new RangeError(`"${field}" is the claim ledger's own field`);
      else doc[field] = value;
    }
    return doc;
  }

  private fromDocument({ _id, ...fields }: ClaimDocument): Claim<F> {
    return { key: _id, ...fields } as unknown as Claim<F>;
  }
}
