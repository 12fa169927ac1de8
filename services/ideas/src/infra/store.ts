// The service's database connection and its explicit indexes (autoIndex is off: FerretDB and
// production alike get exactly the indexes declared in models.ts).
import mongoose, { type Connection } from "mongoose";
import { ideasModels, type IdeasModels } from "./models.js";

export async function connectStore(
  url: string,
  dbName: string,
): Promise<{ conn: Connection; models: IdeasModels }> {
  const conn = await mongoose
    .createConnection(url, { dbName, autoIndex: false, autoCreate: true, serverSelectionTimeoutMS: 10_000 })
    .asPromise();
  return { conn, models: ideasModels(conn) };
}

export async function ensureStoreIndexes(models: IdeasModels): Promise<void> {
  for (const model of Object.values(models)) {
    await model.createCollection().catch(() => undefined); // already there
    await model.createIndexes();
  }
}

export async function pingStore(conn: Connection): Promise<void> {
  await conn.db!.command({ ping: 1 });
}
