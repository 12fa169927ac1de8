// Connections that behave the same on MongoDB 8 and FerretDB 1.24: indexes are created explicitly at
// start-up (never lazily by mongoose), and only the index kinds both servers support are accepted.
import { UnavailableError } from "@lto/errors";
import mongoose from "mongoose";
import type { Connection } from "mongoose";
import { guardDriverWrites } from "./driver-guard.js";
import { ensureCollectionIndexes } from "./indexes.js";

export interface ConnectMongoOptions {
  /** How long an operation waits for a reachable server before failing (default 5000 ms). */
  serverSelectionTimeoutMS?: number;
  appName?: string;
}

export async function connectMongo(
  url: string,
  dbName: string,
  opts: ConnectMongoOptions = {},
): Promise<Connection> {
  // Before the first connection: a store restart must not leave the driver's monitor hung.
  guardDriverWrites();
  const conn = mongoose.createConnection(url, {
    dbName,
    autoIndex: false,
    autoCreate: true,
    serverSelectionTimeoutMS: opts.serverSelectionTimeoutMS ?? 5000,
    ...(opts.appName ? { appName: opts.appName } : {}),
  });
  await conn.asPromise();
  return conn;
}

// Options FerretDB 1.24 does not implement (DESIGN.md "The MongoDB we can count on").
const UNSUPPORTED_INDEX_OPTIONS = [
  "expires",
  "expireAfterSeconds",
  "partialFilterExpression",
  "collation",
  "weights",
];

/** Throws, naming the model and index, when a schema declares an index kind FerretDB lacks. */
export function assertPortableIndexes(model: mongoose.Model<unknown>): void {
  for (const [fields, options] of model.schema.indexes()) {
    const fieldValues = Object.values(fields as Record<string, unknown>);
    const badOption = UNSUPPORTED_INDEX_OPTIONS.find(
      (o) => (options as Record<string, unknown>)[o] !== undefined,
    );
    const badKind = fieldValues.find((v) => v !== 1 && v !== -1);
    if (badOption || badKind !== undefined) {
      throw new Error(
        `${model.modelName}: index ${JSON.stringify(fields)} uses ${badOption ?? `type ${String(badKind)}`}, ` +
          "which FerretDB does not support; use plain, compound or unique indexes (expire with a sweeper)",
      );
    }
  }
}

/** Creates every model's declared indexes; call once at start-up after defining the models. */
export async function ensureIndexes(conn: Connection): Promise<void> {
  const models = Object.values(conn.models);
  for (const model of models) assertPortableIndexes(model);
  for (const model of models) {
    await model.createCollection().catch((err: unknown) => {
      // NamespaceExists: autoCreate may have made it already.
      if ((err as { code?: number }).code !== 48) throw err;
    });
    // Not model.createIndexes(): only the missing ones, one at a time (see indexes.ts).
    await ensureCollectionIndexes(
      model.collection,
      model.schema.indexes().map(([fields, options]) => {
        const o = options as { unique?: boolean; name?: string };
        return {
          key: fields as Record<string, 1 | -1>,
          ...(o.unique ? { unique: true } : {}),
          ...(o.name ? { name: o.name } : {}),
        };
      }),
    );
  }
}

/** Readiness check: a round trip to the server. */
export async function pingMongo(conn: Connection): Promise<void> {
  if (!conn.db) throw new UnavailableError("The database connection is not open");
  await conn.db.command({ ping: 1 });
}

/** Duplicate key on insert or upsert (E11000), e.g. a unique index or a racing upsert. */
export function isDuplicateKeyError(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === 11000;
}
