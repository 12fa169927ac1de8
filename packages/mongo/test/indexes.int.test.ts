// ensureCollectionIndexes on the real store: FerretDB 1.24.2 panics and drops the connection when
// createIndexes names several indexes that all exist already, which killed every restart.
import { useTestDb } from "@lto/testkit";
import type { Db } from "mongodb";
import { Schema } from "mongoose";
import { describe, expect, it } from "vitest";
import { ensureCollectionIndexes, ensureIndexes, pingMongo } from "../src/index.js";

const db = useTestDb({ prefix: "indexes" });
const native = () => db.connection.db as unknown as Db;

describe("ensureCollectionIndexes", () => {
  it("creates only the missing indexes, and run twice keeps the connection alive", async () => {
    const col = native().collection("twice");
    const specs = [
      { key: { x: 1 } },
      { key: { y: 1, _id: -1 } },
      { key: { code: 1 }, unique: true },
    ] as const;
    expect(await ensureCollectionIndexes(col, specs)).toEqual(["x_1", "y_1__id_-1", "code_1"]);
    expect(await ensureCollectionIndexes(col, specs)).toEqual([]);
    // One more declared later: only it is created.
    expect(await ensureCollectionIndexes(col, [...specs, { key: { z: -1 } }])).toEqual(["z_-1"]);
    await pingMongo(db.connection); // the connection survived
    const indexes = await col.indexes();
    expect(indexes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: { x: 1 } }),
        expect.objectContaining({ key: { y: 1, _id: -1 } }),
        expect.objectContaining({ key: { code: 1 }, unique: true }),
        expect.objectContaining({ key: { z: -1 } }),
      ]),
    );
    expect(await col.countDocuments({})).toBe(0);
  });

  it("refuses an existing index whose uniqueness differs, naming what to drop", async () => {
    const col = native().collection("conflict");
    await ensureCollectionIndexes(col, [{ key: { vat: 1 } }]);
    await expect(ensureCollectionIndexes(col, [{ key: { vat: 1 }, unique: true }])).rejects.toThrow(
      /conflict: index vat_1 .* drop that index/,
    );
  });

  it("ensureIndexes of mongoose models runs at every start on existing data", async () => {
    const schema = new Schema({ _id: String, a: String, b: String, c: { type: String, unique: true } });
    schema.index({ a: 1, _id: -1 });
    schema.index({ b: 1 });
    db.connection.model("Restarted", schema, "restarted");
    await ensureIndexes(db.connection);
    await db.connection.collection("restarted").insertOne({ _id: "1" as never, a: "x", b: "y", c: "z" });
    await ensureIndexes(db.connection);
    await ensureIndexes(db.connection);
    await pingMongo(db.connection);
    expect(await db.connection.collection("restarted").countDocuments({})).toBe(1);
  });
});
