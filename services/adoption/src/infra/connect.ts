import {
  connectMongo,
  ensureIndexes as ensureModelIndexes,
  MongoIdempotencyStore,
  pingMongo,
} from "@lto/mongo";
import type { Db } from "mongodb";
import type { Connection } from "mongoose";
import { collections, ensureIndexes, type Collections } from "./store.js";

export interface Store {
  conn: Connection;
  db: Db;
  cols: Collections;
  idempotency: MongoIdempotencyStore;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** One connection to the service's own database; indexes created explicitly (autoIndex off). */
export async function connectStore(url: string, dbName: string): Promise<Store> {
  const conn = await connectMongo(url, dbName);
  const db = conn.db as unknown as Db;
  const cols = collections(db);
  const idempotency = new MongoIdempotencyStore(conn);
  await ensureModelIndexes(conn);
  await ensureIndexes(cols);
  return { conn, db, cols, idempotency, ping: () => pingMongo(conn), close: () => conn.close() };
}
