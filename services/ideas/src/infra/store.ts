// The service's database: one connection, the models on it, and their explicit indexes.
import { connectMongo, ensureIndexes, MongoIdempotencyStore } from "@lto/mongo";
import type { Connection } from "mongoose";
import { ideasModels, type IdeasModels } from "./models.js";

export interface Store {
  conn: Connection;
  models: IdeasModels;
  idempotency: MongoIdempotencyStore;
}

/** Connects, defines the models (and the idempotency-key collection) and creates their indexes. */
export async function openStore(url: string, dbName: string): Promise<Store> {
  const conn = await connectMongo(url, dbName, { appName: "lto-ideas" });
  const models = ideasModels(conn);
  const idempotency = new MongoIdempotencyStore(conn);
  await ensureIndexes(conn);
  return { conn, models, idempotency };
}
