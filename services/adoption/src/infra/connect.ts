import mongoose, { type Connection } from "mongoose";
import type { Db } from "mongodb";
import { collections, ensureIndexes, type Collections } from "./store.js";

export interface Store {
  conn: Connection;
  db: Db;
  cols: Collections;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** One connection to the service's own database; indexes created explicitly (autoIndex off). */
export async function connectStore(url: string, dbName: string): Promise<Store> {
  const conn = await mongoose
    .createConnection(url, { dbName, autoIndex: false, autoCreate: true })
    .asPromise();
  const db = conn.db as unknown as Db;
  const cols = collections(db);
  await ensureIndexes(cols);
  return {
    conn,
    db,
    cols,
    ping: async () => {
      await db.command({ ping: 1 });
    },
    close: () => conn.close(),
  };
}
