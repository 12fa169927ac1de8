// Query shapes FerretDB 1.24 answers from an index.
//
// FerretDB hands PostgreSQL only a filter's top-level equalities (and ranges inside a top-level $or
// beside them); an `$in` and everything under an `$and` are matched in FerretDB after reading the whole
// collection. Measured on 30,000 notices: `{ recipientKey: { $in: [k] } }` 1,250 ms a query, `{
// recipientKey: k }` 7 ms; a second page under `$and` 4,100 ms, the same condition written flat 7 ms.
// So the store writes a page's cursor condition flat beside the filter, and answers a short `$in` as
// one equality query per value, merged in the query's order. MongoDB serves both shapes from its
// indexes as well.
import type { Collection, Document as MongoDocument, WithId } from "mongodb";
import type { Document, Filter } from "./aggregates.js";

/** Longer `$in` lists stay one query: past this, reading the collection once can be the cheaper way. */
export const MAX_SPLIT_VALUES = 32;

export type SortSpec = Record<string, 1 | -1>;

/**
 * The first `limit` documents matching `filter` in `sort` order. `indexed` names the fields that lead
 * an index of the collection (`_id` always does): a short `$in` on one of them is sent as equality
 * queries, unless another such field is already an equality of the filter (its index serves it).
 */
export async function findIndexed<D extends Document>(
  collection: Collection<D>,
  filter: Filter<D>,
  sort: SortSpec,
  limit: number,
  indexed: ReadonlySet<string> = ID_ONLY,
): Promise<WithId<D>[]> {
  const parts = splitIn(filter as Filter<Document>, indexed) as Filter<D>[] | undefined;
  if (!parts) return collection.find(filter).sort(sort).limit(limit).toArray();
  const lists = await Promise.all(
    parts.map((part) => collection.find(part).sort(sort).limit(limit).toArray()),
  );
  return mergeSorted(lists, sort, limit);
}

const ID_ONLY: ReadonlySet<string> = new Set(["_id"]);

/**
 * `filter` AND `condition`, flat when no top-level key of `condition` is already in `filter`
 * (then the result means the same as `$and`, and FerretDB can push it down).
 */
export function withCondition(filter: Filter<Document>, condition: Filter<Document>): Filter<Document> {
  const clash = Object.keys(condition).some((k) => k in filter);
  return clash ? { $and: [filter, condition] } : { ...filter, ...condition };
}

/**
 * One filter per value of the filter's one short top-level `$in` on an indexed field (each with that
 * field as an equality), or undefined when splitting would not bring an index in: no such `$in`, more
 * than one, a long list, or an equality on an indexed field already there.
 */
export function splitIn(
  filter: Filter<Document>,
  indexed: ReadonlySet<string> = ID_ONLY,
): Filter<Document>[] | undefined {
  const fields = Object.entries(filter).filter(([key]) => !key.startsWith("$"));
  if (fields.some(([key, value]) => indexed.has(key) && isScalar(value))) return undefined;
  const candidates = fields.filter(([key, value]) => indexed.has(key) && isSplittableIn(value));
  if (candidates.length !== 1) return undefined;
  const [field, condition] = candidates[0]!;
  const values = [...new Set((condition as { $in: unknown[] }).$in)];
  return values.map((value) => ({ ...filter, [field]: value }));
}

function isScalar(v: unknown): boolean {
  return ["string", "number", "boolean"].includes(typeof v) || v instanceof Date;
}

function isSplittableIn(value: unknown): boolean {
  if (typeof value !== "object" || value === null || Array.isArray(value) || value instanceof Date)
    return false;
  const keys = Object.keys(value);
  if (keys.length !== 1 || keys[0] !== "$in") return false;
  const list = (value as { $in: unknown }).$in;
  return (
    Array.isArray(list) &&
    list.length > 0 &&
    list.length <= MAX_SPLIT_VALUES &&
    // Scalars only: an equality on an object or array value means "equal to the whole of it", not $in's match.
    list.every(isScalar)
  );
}

/**
 * The first `limit` documents of several result lists, each already in `sort` order, as one list in
 * that order; a document found by two lists (an array field matching two values) counts once.
 */
export function mergeSorted<D extends MongoDocument>(
  lists: readonly D[][],
  sort: SortSpec,
  limit: number,
): D[] {
  const seen = new Set<unknown>();
  const merged: D[] = [];
  for (const doc of lists.flat().sort(comparator(sort))) {
    const id = doc._id;
    if (seen.has(id)) continue;
    seen.add(id);
    merged.push(doc);
    if (merged.length === limit) break;
  }
  return merged;
}

function comparator(sort: SortSpec): (a: MongoDocument, b: MongoDocument) => number {
  const fields = Object.entries(sort);
  if (!("_id" in sort)) fields.push(["_id", 1]);
  return (a, b) => {
    for (const [field, direction] of fields) {
      const order = compareValues(a[field], b[field]);
      if (order !== 0) return order * direction;
    }
    return 0;
  };
}

/** Missing first, then by value (dates by time); enough for the keys the store sorts on. */
function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return -1;
  if (b === undefined || b === null) return 1;
  const x = a instanceof Date ? a.getTime() : (a as number | string);
  const y = b instanceof Date ? b.getTime() : (b as number | string);
  return x < y ? -1 : x > y ? 1 : 0;
}
