import { describe, expect, it } from "vitest";
import { MAX_SPLIT_VALUES, mergeSorted, splitIn, withCondition } from "../src/indexed-queries.js";

describe("query shapes FerretDB serves from an index", () => {
  it("writes a condition flat beside the filter, under $and only when a key clashes", () => {
    expect(withCondition({ a: 1 }, { $or: [{ b: 1 }, { c: 2 }] })).toEqual({
      a: 1,
      $or: [{ b: 1 }, { c: 2 }],
    });
    expect(withCondition({ _id: { $in: ["x"] } }, { _id: { $lt: "y" } })).toEqual({
      $and: [{ _id: { $in: ["x"] } }, { _id: { $lt: "y" } }],
    });
    expect(withCondition({ $or: [{ a: 1 }] }, { $or: [{ b: 1 }] })).toEqual({
      $and: [{ $or: [{ a: 1 }] }, { $or: [{ b: 1 }] }],
    });
  });

  const indexed = new Set(["_id", "k", "j", "site"]);

  it("splits one short $in of scalars on an indexed field into equalities, keeping the rest of the filter", () => {
    const at = new Date(0);
    expect(splitIn({ k: { $in: ["a", "b", "a"] }, state: "open" }, indexed)).toEqual([
      { k: "a", state: "open" },
      { k: "b", state: "open" },
    ]);
    expect(splitIn({ k: { $in: [at] } }, indexed)).toEqual([{ k: at }]);
    expect(splitIn({ _id: { $in: ["x", "y"] } })).toEqual([{ _id: "x" }, { _id: "y" }]);
  });

  it("does not split where no index would serve the equalities, or one already serves the filter", () => {
    expect(splitIn({ state: { $in: ["open", "full"] } }, indexed)).toBeUndefined();
    expect(splitIn({ site: "mantova", k: { $in: ["a", "b"] } }, indexed)).toBeUndefined();
    expect(splitIn({ state: "open", k: { $in: ["a", "b"] } }, indexed)).toHaveLength(2);
  });

  it("leaves alone what an equality would not mean the same as, or would not make cheaper", () => {
    expect(splitIn({ k: "a" }, indexed)).toBeUndefined();
    expect(splitIn({ k: { $in: [] } }, indexed)).toBeUndefined();
    expect(splitIn({ k: { $in: [{ a: 1 }] } }, indexed)).toBeUndefined();
    expect(splitIn({ k: { $in: [["a"]] } }, indexed)).toBeUndefined();
    expect(splitIn({ k: { $in: ["a"], $ne: "b" } }, indexed)).toBeUndefined();
    expect(splitIn({ k: { $in: ["a"] }, j: { $in: ["b"] } }, indexed)).toBeUndefined();
    expect(splitIn({ $or: [{ k: { $in: ["a"] } }] }, indexed)).toBeUndefined();
    const long = Array.from({ length: MAX_SPLIT_VALUES + 1 }, (_, i) => `v${i}`);
    expect(splitIn({ k: { $in: long } }, indexed)).toBeUndefined();
  });

  it("merges sorted lists in the query's order, the id breaking ties, each document once, up to the limit", () => {
    const d = (id: string, at: number) => ({ _id: id, at: new Date(at) });
    const merged = mergeSorted(
      [
        [d("c", 3), d("a", 1)],
        [d("d", 3), d("c", 3), d("b", 2)],
      ],
      { at: -1 },
      3,
    );
    expect(merged.map((x) => x._id)).toEqual(["c", "d", "b"]);
    expect(mergeSorted([[d("b", 1)], [d("a", 1)]], { at: 1, _id: -1 }, 5).map((x) => x._id)).toEqual([
      "b",
      "a",
    ]);
  });
});
