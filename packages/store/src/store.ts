// A service's database as the platform sees it: collections of aggregates (state + version + outbox +
// applied event ids in one document), the idempotency keys of its HTTP creates, and the relay that
// publishes what the aggregates' writes left in their outboxes, and claim ledgers (exclusive keys). On FerretDB every write of a document
// takes a store-level lease (correct across processes); on MongoDB the version filter is enough.
import { OutboxRelay, type MessagingLogger, type OutboxRelayOptions } from "@lto/messaging";
import {
  connectMongo,
  documentWriteGuard,
  ensureIndexes as ensureModelIndexes,
  leaseGuard,
  MongoIdempotencyStore,
  pingMongo,
  type DocumentWriteGuard,
  type IndexSpec,
  type MongoIdempotencyStoreOptions,
} from "@lto/mongo";
import { countRecordedEvents, OUTBOX_INDEX } from "@lto/messaging";
import type { Kafka } from "kafkajs";
import type { Db } from "mongodb";
import type { Connection } from "mongoose";
import { AggregateCollection, type Aggregate, type AggregateSpec, type Document } from "./aggregates.js";
import { ClaimLedger, type ClaimFields, type ClaimLedgerSpec } from "./claims.js";

export interface OpenStoreOptions {
  url: string;
  dbName: string;
  /** Shown in the server's connection list. */
  appName?: string;
  serverSelectionTimeoutMS?: number;
  /** Idempotency keys: when an unfinished claim counts as abandoned (its request crashed), etc. */
  idempotency?: MongoIdempotencyStoreOptions;
}

export interface RelayOptions extends Partial<
  Pick<OutboxRelayOptions, "backoff" | "drainTimeoutMs" | "hooks" | "numPartitions">
> {
  kafka: Kafka;
  logger: MessagingLogger;
  /** Topics the relay creates at start. */
  topics?: readonly string[];
  /** How often it looks for pending events without a nudge (writes by other processes, outages). */
  sweepIntervalMs?: number;
  /** How often the backlog gauges (pending events, age of the oldest) are refreshed. */
  gaugeIntervalMs?: number;
}

/** The outbox index every aggregate collection gets (the relay's query). */
const OUTBOX_INDEX_SPEC: IndexSpec = { key: { ...OUTBOX_INDEX } };

export class AggregateStore {
  private readonly collections = new Map<string, AggregateCollection<Aggregate>>();
  private readonly ledgers = new Map<string, ClaimLedger<ClaimFields>>();
  private relay: OutboxRelay | undefined;

  private constructor(
    readonly connection: Connection,
    private readonly db: Db,
    readonly guard: DocumentWriteGuard,
    readonly idempotency: MongoIdempotencyStore,
  ) {}

  /** Connects, and learns from the server whether writes need leases (FerretDB) or not (MongoDB). */
  static async open(opts: OpenStoreOptions): Promise<AggregateStore> {
    const connection = await connectMongo(opts.url, opts.dbName, {
      ...(opts.appName ? { appName: opts.appName } : {}),
      ...(opts.serverSelectionTimeoutMS ? { serverSelectionTimeoutMS: opts.serverSelectionTimeoutMS } : {}),
    });
    try {
      const db = connection.db as unknown as Db;
      const guard = await documentWriteGuard(db);
      return new AggregateStore(
        connection,
        db,
        guard,
        new MongoIdempotencyStore(connection, opts.idempotency),
      );
    } catch (err) {
      await connection.close();
      throw err;
    }
  }

  /** The collection of one kind of aggregate (the same object for the same name). */
  aggregates<A extends Aggregate>(spec: AggregateSpec<A>): AggregateCollection<A> {
    const known = this.collections.get(spec.name);
    if (known) return known as unknown as AggregateCollection<A>;
    if (this.ledgers.has(spec.name))
      throw new Error(`${spec.name} is a claim ledger, not a collection of aggregates`);
    const collection = new AggregateCollection<A>(
      this.db.collection<Document>(spec.name),
      spec,
      this.guard,
      (events) => {
        countRecordedEvents(events);
        this.relay?.nudge();
      },
    );
    this.collections.set(spec.name, collection as unknown as AggregateCollection<Aggregate>);
    return collection;
  }

  /**
   * A claim ledger (see claims.ts): exclusive keys taken by unique inserts, all-or-nothing, settled
   * after the holder's record is written, swept when it never was. `F`: extra fields on each claim.
   */
  claims<F extends ClaimFields = Record<never, never>>(spec: ClaimLedgerSpec): ClaimLedger<F> {
    if (this.collections.has(spec.name))
      throw new Error(`${spec.name} is a collection of aggregates, not a claim ledger`);
    const known = this.ledgers.get(spec.name);
    if (known) return known as unknown as ClaimLedger<F>;
    const ledger = new ClaimLedger<F>(this.db.collection(spec.name), spec, this.guard);
    this.ledgers.set(spec.name, ledger as unknown as ClaimLedger<ClaimFields>);
    return ledger;
  }

  /**
   * Creates what is missing of every declared index (the aggregates', the outbox flag's, the
   * idempotency keys'), one per command: safe at every start, on existing data.
   */
  async ensureIndexes(): Promise<void> {
    await ensureModelIndexes(this.connection);
    for (const collection of this.collections.values()) await collection.ensureIndexes([OUTBOX_INDEX_SPEC]);
    for (const ledger of this.ledgers.values()) await ledger.ensureIndexes();
  }

  /**
   * The relay publishing every aggregate collection's outbox; writes nudge it. Start it when ready.
   * Its passes take a lease on any server, so the relays of several instances of a service take turns
   * and do not publish the same events.
   */
  outboxRelay(opts: RelayOptions): OutboxRelay {
    if (this.relay) return this.relay;
    this.relay = new OutboxRelay({
      kafka: opts.kafka,
      collections: [...this.collections.values()].map((c) => c.collection),
      logger: opts.logger,
      guard: this.guard,
      passGuard: leaseGuard(this.db),
      ...(opts.topics ? { topics: opts.topics } : {}),
      ...(opts.sweepIntervalMs ? { sweepIntervalMs: opts.sweepIntervalMs } : {}),
      ...(opts.gaugeIntervalMs ? { gaugeIntervalMs: opts.gaugeIntervalMs } : {}),
      ...(opts.backoff ? { backoff: opts.backoff } : {}),
      ...(opts.drainTimeoutMs ? { drainTimeoutMs: opts.drainTimeoutMs } : {}),
      ...(opts.hooks ? { hooks: opts.hooks } : {}),
      ...(opts.numPartitions ? { numPartitions: opts.numPartitions } : {}),
    });
    return this.relay;
  }

  /** Readiness: a round trip to the server. */
  ping(): Promise<void> {
    return pingMongo(this.connection);
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}
