// @lto/mongo against the real store (FerretDB locally, MongoDB with testcontainers), one database per file.
import { createHttpApp } from "@lto/http-kit";
import { createLogger } from "@lto/telemetry";
import { getInfra, testDbName } from "@lto/testkit";
import { Schema } from "mongoose";
import type { Connection, Model } from "mongoose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  connectMongo,
  ensureIndexes,
  isDuplicateKeyError,
  MongoIdempotencyStore,
  pingMongo,
} from "../src/index.js";

interface Team {
  _id: string;
  school: string;
  name: string;
  code: string;
  version: number;
  members: string[];
}

const teamSchema = new Schema<Team>(
  {
    _id: { type: String, required: true },
    school: { type: String, required: true },
    name: { type: String, required: true },
    code: { type: String, required: true, unique: true },
    version: { type: Number, required: true },
    members: { type: [String], default: [] },
  },
  { versionKey: false },
);
teamSchema.index({ school: 1, name: 1 });

let conn: Connection;
let mongoUrl: string;

beforeAll(async () => {
  mongoUrl = (await getInfra()).mongoUrl;
  conn = await connectMongo(mongoUrl, testDbName("mongo"), { serverSelectionTimeoutMS: 5000 });
});
afterAll(async () => {
  await conn.dropDatabase();
  await conn.close();
});

const teams = (): Model<Team> =>
  (conn.models.Team as Model<Team> | undefined) ?? conn.model<Team>("Team", teamSchema, "teams");

describe("connection and indexes", () => {
  it("connects without automatic indexes and answers a ping", async () => {
    expect(conn.config.autoIndex).toBe(false);
    await pingMongo(conn);
  });

  it("creates plain, compound and unique indexes explicitly", async () => {
    const Teams = teams();
    expect(
      await conn
        .db!.collection("teams")
        .indexes()
        .catch(() => []),
    ).not.toEqual(expect.arrayContaining([expect.objectContaining({ name: "code_1" })]));
    await ensureIndexes(conn);
    await ensureIndexes(conn); // idempotent: every start-up runs it
    const indexes = await Teams.collection.indexes();
    expect(indexes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: { code: 1 }, unique: true }),
        expect.objectContaining({ key: { school: 1, name: 1 } }),
      ]),
    );
    await Teams.create({ _id: "t-dup-1", school: "s1", name: "A", code: "DUP", version: 1 });
    const err = await Teams.create({
      _id: "t-dup-2",
      school: "s1",
      name: "B",
      code: "DUP",
      version: 1,
    }).catch((e: unknown) => e);
    expect(isDuplicateKeyError(err)).toBe(true);
  });

  it("refuses index kinds FerretDB lacks, naming the model", async () => {
    const other = await connectMongo(mongoUrl, testDbName("mongo-ttl"));
    try {
      const ttl = new Schema({ at: Date });
      ttl.index({ at: 1 }, { expireAfterSeconds: 60 });
      other.model("Session", ttl);
      await expect(ensureIndexes(other)).rejects.toThrow(/Session: index .*expireAfterSeconds/);

      const text = new Schema({ title: String });
      text.index({ title: "text" });
      other.model("Search", text);
      other.deleteModel("Session");
      await expect(ensureIndexes(other)).rejects.toThrow(/Search: index .*text/);
    } finally {
      await other.dropDatabase();
      await other.close();
    }
  });

  it("ping fails once the connection is closed", async () => {
    const other = await connectMongo(mongoUrl, testDbName("mongo-closed"));
    await other.close();
    await expect(pingMongo(other)).rejects.toThrow();
  });
});

describe("MongoIdempotencyStore", () => {
  it("claims once, reports in-progress, replays completed responses, frees released keys", async () => {
    const store = new MongoIdempotencyStore(conn);
    expect(await store.claim("u1", "k1", "h1")).toMatchObject({ state: "claimed" });
    expect(await store.claim("u1", "k1", "h1")).toEqual({ state: "in_progress", requestHash: "h1" });
    const u2 = await store.claim("u2", "k1", "h1");
    expect(u2).toMatchObject({ state: "claimed" });

    // Bodies the store itself would refuse as documents ($ and dotted keys, nested arrays) are kept as JSON.
    const body = { $weird: { "a.b": [[1, 2]] }, id: "x" };
    await store.complete("u1", "k1", { status: 201, body, headers: { ETag: '"1"' } });
    expect(await store.claim("u1", "k1", "h1")).toEqual({
      state: "completed",
      requestHash: "h1",
      response: { status: 201, body, headers: { ETag: '"1"' } },
    });

    // A released key is claimed again at once, with the first claim's time (the failed run's ids).
    await store.release("u2", "k1");
    expect(await store.claim("u2", "k1", "h2")).toEqual(u2);
    const doc = await store.model.findById("u2:k1").lean();
    expect(doc).toMatchObject({ request_hash: "h2", state: "in_progress", created_at: expect.any(Date) });
  });

  it("lets exactly one of many concurrent requests with the same key run", async () => {
    const store = new MongoIdempotencyStore(conn);
    const claims = await Promise.all(Array.from({ length: 10 }, () => store.claim("u1", "race", "h")));
    expect(claims.filter((c) => c.state === "claimed")).toHaveLength(1);
    expect(claims.filter((c) => c.state === "in_progress")).toHaveLength(9);
  });

  it("takes over a claim abandoned by a crashed request", async () => {
    const store = new MongoIdempotencyStore(conn, { abandonAfterMs: 0 });
    const first = await store.claim("u1", "crashed", "h");
    expect(first).toEqual({ state: "claimed", firstClaimedAt: expect.any(Date) });
    await new Promise((r) => setTimeout(r, 5));
    // The re-run's ids derive from the first claim's time: a takeover hands that time back.
    const again = await store.claim("u1", "crashed", "h");
    expect(again).toEqual({
      state: "claimed",
      firstClaimedAt: (first as { firstClaimedAt: Date }).firstClaimedAt,
    });
  });

  it("sweeps keys older than the retention period", async () => {
    const store = new MongoIdempotencyStore(conn, { retainMs: 60_000 });
    await store.claim("sweep", "old", "h");
    await store.claim("sweep", "new", "h");
    await store.model.updateOne(
      { _id: "sweep:old" },
      { $set: { created_at: new Date(Date.now() - 120_000) } },
    );
    expect(await store.sweepExpired()).toBeGreaterThanOrEqual(1);
    expect(await store.model.exists({ _id: "sweep:old" })).toBeNull();
    expect(await store.model.exists({ _id: "sweep:new" })).not.toBeNull();
  });

  it("has its created_at index created by ensureIndexes", async () => {
    new MongoIdempotencyStore(conn);
    await ensureIndexes(conn);
    const indexes = await conn.db!.collection("idempotency_keys").indexes();
    expect(indexes).toEqual(expect.arrayContaining([expect.objectContaining({ key: { created_at: 1 } })]));
  });

  it("backs Idempotency-Key of an http-kit app: a retried create stores one document", async () => {
    const Teams = teams();
    const http = createHttpApp({
      serviceName: "mongo-test",
      logger: createLogger("mongo-test", { level: "silent" }),
      idempotencyStore: new MongoIdempotencyStore(conn),
      openapi: { title: "t", version: "1" },
      routes(api) {
        api.route({
          method: "post",
          path: "/v1/teams",
          summary: "Register a team",
          auth: "none",
          idempotent: true,
          request: { body: z.object({ name: z.string(), code: z.string() }) },
          responses: { 201: { description: "Registered" } },
          async handler({ body }) {
            const team = await Teams.create({ _id: `team-${body.code}`, school: "s9", ...body, version: 1 });
            return { status: 201, body: { id: team._id }, etag: 1 };
          },
        });
      },
    });
    const server = await http.listen(0, "127.0.0.1");
    try {
      const post = () =>
        fetch(`http://127.0.0.1:${server.port}/v1/teams`, {
          method: "POST",
          headers: { "content-type": "application/json", "idempotency-key": "create-team-1" },
          body: JSON.stringify({ name: "Makers", code: "MK1" }),
        });
      const first = await post();
      const second = await post();
      expect([first.status, second.status]).toEqual([201, 201]);
      expect(second.headers.get("idempotent-replayed")).toBe("true");
      expect(second.headers.get("etag")).toBe('"1"');
      expect(await second.json()).toEqual(await first.json());
      expect(await Teams.countDocuments({ code: "MK1" })).toBe(1);
    } finally {
      await server.close();
    }
  });
});
