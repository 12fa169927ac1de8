// Idempotency keys in the service's own database. TTL indexes are not available on FerretDB, so old
// keys are removed by sweepExpired() (startSweeper runs it on a timer).
import type { IdempotencyClaim, IdempotencyStore, StoredResponse } from "@lto/http-kit";
import { Schema } from "mongoose";
import type { Connection, Model } from "mongoose";
import { isDuplicateKeyError } from "./connection.js";

interface IdempotencyKeyDoc {
  _id: string;
  request_hash: string;
  /** released: its request failed; the next claim takes it at once, keeping created_at. */
  state: "in_progress" | "completed" | "released";
  /** JSON of the StoredResponse: bodies may hold keys or values the store would refuse. */
  response_json?: string;
  created_at: Date;
  claimed_at: Date;
}

const schema = new Schema<IdempotencyKeyDoc>(
  {
    _id: { type: String, required: true },
    request_hash: { type: String, required: true },
    state: { type: String, enum: ["in_progress", "completed", "released"], required: true },
    response_json: { type: String },
    created_at: { type: Date, required: true },
    claimed_at: { type: Date, required: true },
  },
  { versionKey: false },
);
schema.index({ created_at: 1 });

export interface MongoIdempotencyStoreOptions {
  /**
   * Unfinished claims older than this belong to a crashed request and are taken over (default 60 s).
   * Longer than the slowest request: a claim still running when taken over runs twice.
   */
  abandonAfterMs?: number;
  /** Keys older than this are swept (default 24 h). */
  retainMs?: number;
}

export class MongoIdempotencyStore implements IdempotencyStore {
  readonly model: Model<IdempotencyKeyDoc>;
  private readonly abandonAfterMs: number;
  private readonly retainMs: number;

  constructor(conn: Connection, opts: MongoIdempotencyStoreOptions = {}) {
    // A model on the service's connection, so ensureIndexes(conn) creates its index with the others.
    this.model =
      (conn.models.IdempotencyKey as Model<IdempotencyKeyDoc> | undefined) ??
      conn.model<IdempotencyKeyDoc>("IdempotencyKey", schema, "idempotency_keys");
    this.abandonAfterMs = opts.abandonAfterMs ?? 60_000;
    this.retainMs = opts.retainMs ?? 24 * 60 * 60 * 1000;
  }

  async claim(scope: string, key: string, requestHash: string): Promise<IdempotencyClaim> {
    const _id = `${scope}:${key}`;
    // A few rounds at most: each one loses only to a concurrent claim, release or takeover.
    for (let attempt = 0; attempt < 5; attempt++) {
      const now = new Date();
      try {
        const inserted = await this.model.updateOne(
          { _id },
          {
            $setOnInsert: {
              request_hash: requestHash,
              state: "in_progress",
              created_at: now,
              claimed_at: now,
            },
          },
          { upsert: true },
        );
        if (inserted.upsertedCount === 1) return { state: "claimed", firstClaimedAt: now };
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err; // two upserts raced; the other one won
      }
      const existing = await this.model.findById(_id).lean();
      if (!existing) continue; // released in between
      if (existing.state === "completed" && existing.response_json !== undefined) {
        const response = JSON.parse(existing.response_json) as StoredResponse;
        return { state: "completed", requestHash: existing.request_hash, response };
      }
      const released = existing.state === "released";
      if (!released && now.getTime() - existing.claimed_at.getTime() < this.abandonAfterMs) {
        return { state: "in_progress", requestHash: existing.request_hash };
      }
      const takenOver = await this.model.updateOne(
        { _id, state: existing.state, claimed_at: existing.claimed_at },
        { $set: { state: "in_progress", claimed_at: now, request_hash: requestHash } },
      );
      // The first claim's time stays: the ids of the re-run derive from it (see @lto/http-kit ids.ts).
      if (takenOver.modifiedCount === 1) return { state: "claimed", firstClaimedAt: existing.created_at };
    }
    return { state: "in_progress", requestHash };
  }

  async complete(scope: string, key: string, response: StoredResponse): Promise<void> {
    await this.model.updateOne(
      { _id: `${scope}:${key}`, state: "in_progress" },
      { $set: { state: "completed", response_json: JSON.stringify(response) } },
    );
  }

  /**
   * Kept as "released" rather than deleted: a failed request may have written before failing (a 503
   * after its insert), and its retry must make the same ids, which derive from the first claim's time.
   */
  async release(scope: string, key: string): Promise<void> {
    await this.model.updateOne(
      { _id: `${scope}:${key}`, state: "in_progress" },
      { $set: { state: "released" } },
    );
  }

  /** Deletes keys older than the retention period; returns how many. */
  async sweepExpired(now: Date = new Date()): Promise<number> {
    const { deletedCount } = await this.model.deleteMany({
      created_at: { $lt: new Date(now.getTime() - this.retainMs) },
    });
    return deletedCount;
  }

  /** Sweeps every `intervalMs` (default 1 h) until the returned function is called. */
  startSweeper(intervalMs = 60 * 60 * 1000, onError?: (err: unknown) => void): () => void {
    const timer = setInterval(() => {
      this.sweepExpired().catch((err: unknown) => onError?.(err));
    }, intervalMs);
    timer.unref(); // never keeps the process alive on its own
    return () => clearInterval(timer);
  }
}
