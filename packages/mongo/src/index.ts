export {
  assertPortableIndexes,
  connectMongo,
  ensureIndexes,
  isDuplicateKeyError,
  pingMongo,
} from "./connection.js";
export type { ConnectMongoOptions } from "./connection.js";
export { guardDriverWrites } from "./driver-guard.js";
export { MongoIdempotencyStore } from "./idempotency-store.js";
export type { MongoIdempotencyStoreOptions } from "./idempotency-store.js";
export { ensureCollectionIndexes } from "./indexes.js";
export type { IndexedCollection, IndexSpec } from "./indexes.js";
export { documentWriteGuard, isFerretDb, leaseGuard, noGuard } from "./lease.js";
export type { DocumentWriteGuard, LeaseOptions } from "./lease.js";
