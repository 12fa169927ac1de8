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

  it("splits one short $in of scalars into equalities, keeping the rest of the filter", () => {
    const at = new Date(0);
    expect(splitIn({ k: { $in: ["a", "b", "a"] }, state: "open" })).toEqual([
      { k: "a", state: "open" },
      { k: "b", state: "open" },
    ]);
    expect(splitIn({ k: { $in: [at] } })).toEqual([{ k: at }]);
  });

  it("leaves alone what an equality would not mean the same as, or would not make cheaper", () => {
    expect(splitIn({ k: "a" })).toBeUndefined();
    expect(splitIn({ k: { $in: [] } })).toBeUndefined();
    expect(splitIn({ k: { $in: [{ a: 1 }] } })).toBeUndefined();
    expect(splitIn({ k: { $in: [["a"]] } })).toBeUndefined();
    expect(splitIn({ k: { $in: ["a"], $ne: "b" } })).toBeUndefined();
    expect(splitIn({ k: { $in: ["a"] }, j: { $in: ["b"] } })).toBeUndefined();
    expect(splitIn({ $or: [{ k: { $in: ["a"] } }] })).toBeUndefined();
    const long = Array.from({ length: MAX_SPLIT_VALUES + 1 }, (_, i) => `v${i}`);
    expect(splitIn({ k: { $in: long } })).toBeUndefined();
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
