// bench/store: FerretDB 1.24.2 on PostgreSQL (the local runtime's store, with its GIN index twins)
// next to FerretDB on SQLite (the runtime before), in ONE run on the same machine:
//   1. plain inserts (concurrency C);
//   2. updates of distinct documents (concurrency C);
//   3. sequential updates of one document;
//   4. lookups by _id, each backend holding LOOKUP_DOCS documents.
// Prints each figure and the ratio PostgreSQL / SQLite (higher is better for rates, lower for times).
// `npm run bench:store`; knobs BENCH_STORE_OPS (2000), BENCH_STORE_CONCURRENCY (16),
// BENCH_STORE_ONE_DOC (300), BENCH_STORE_LOOKUP_DOCS (100000), BENCH_STORE_LOOKUPS (300).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MongoClient, type Collection } from "mongodb";
import {
  ensureFerretDb,
  freePort,
  startFerretDb,
  startLocalInfra,
  type LocalInfra,
  type ManagedProcess,
} from "@lto/local-runtime";

const OPS = Number(process.env.BENCH_STORE_OPS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_STORE_CONCURRENCY ?? 16);
const ONE_DOC = Number(process.env.BENCH_STORE_ONE_DOC ?? 300);
const LOOKUP_DOCS = Number(process.env.BENCH_STORE_LOOKUP_DOCS ?? 100_000);
const LOOKUPS = Number(process.env.BENCH_STORE_LOOKUPS ?? 300);

interface Doc {
  _id: string;
  schoolId: string;
  title: string;
  state: string;
  version: number;
}

const say = (s: string) => process.stdout.write(`${s}\n`);
const fmt = (n: number, d = 1) =>
  n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });

function doc(i: number, prefix: string): Doc {
  return {
    _id: `${prefix}-${String(i).padStart(7, "0")}`,
    schoolId: `school-${i % 40}`,
    title: `Idea number ${i} about sustainable farming in the Mantova district`,
    state: i % 3 === 0 ? "published" : "draft",
    version: 1,
  };
}

/** Runs `count` tasks, `concurrency` at a time; returns operations per second. */
async function rate(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<unknown>,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await task(next++);
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

interface Figures {
  inserts: number;
  distinctUpdates: number;
  oneDocUpdates: number;
  lookupMs: number;
}

async function measure(name: string, url: string): Promise<Figures> {
  const client = await new MongoClient(url).connect();
  try {
    const db = client.db(`bench_store_${Date.now().toString(36)}`);
    const col: Collection<Doc> = db.collection<Doc>("ideas");
    await col.createIndex({ schoolId: 1, _id: -1 });

    const inserts = await rate(OPS, CONCURRENCY, (i) => col.insertOne(doc(i, "w")));
    say(`  ${name}: ${fmt(inserts)} inserts/s`);
    const distinctUpdates = await rate(OPS, CONCURRENCY, (i) =>
      col.updateOne({ _id: doc(i, "w")._id }, { $set: { title: `edited ${i}` }, $inc: { version: 1 } }),
    );
    say(`  ${name}: ${fmt(distinctUpdates)} updates/s of distinct documents`);
    const oneDocUpdates = await rate(ONE_DOC, 1, () =>
      col.updateOne({ _id: doc(0, "w")._id }, { $inc: { version: 1 } }),
    );
    say(`  ${name}: ${fmt(oneDocUpdates)} sequential updates/s of one document`);

    // Fill to LOOKUP_DOCS in bulk (the write rates above are the per-write figures).
    const big = db.collection<Doc>("lookups");
    for (let from = 0; from < LOOKUP_DOCS; from += 5_000) {
      const batch = Array.from({ length: Math.min(5_000, LOOKUP_DOCS - from) }, (_, k) => doc(from + k, "l"));
      await big.insertMany(batch, { ordered: false });
    }
    const ids = Array.from({ length: LOOKUPS }, (_, k) => doc((k * 7919) % LOOKUP_DOCS, "l")._id);
    await big.findOne({ _id: ids[0]! }); // warm the connection and caches alike on both
    const started = performance.now();
    for (const _id of ids) {
      if (!(await big.findOne({ _id }))) throw new Error(`${name}: ${_id} not found`);
    }
    const lookupMs = (performance.now() - started) / LOOKUPS;
    say(
      `  ${name}: ${fmt(lookupMs, 2)} ms per lookup by _id at ${LOOKUP_DOCS.toLocaleString("en-US")} documents`,
    );
    await db.dropDatabase();
    return { inserts, distinctUpdates, oneDocUpdates, lookupMs };
  } finally {
    await client.close();
  }
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), "lto-bench-store-"));
  const pgDir = mkdtempSync(join(tmpdir(), "lto-bench-store-pg-"));
  let pg: LocalInfra | undefined;
  let sqlite: ManagedProcess | undefined;
  try {
    say("starting FerretDB on PostgreSQL and FerretDB on SQLite (local runtime)...");
    pg = await startLocalInfra({ dataDir: pgDir, kafka: false, durable: true });
    sqlite = await startFerretDb({
      port: await freePort(),
      dataDir: join(dataDir, "sqlite"),
      binary: await ensureFerretDb(),
      backend: { sqliteDir: join(dataDir, "sqlite", "files") },
    });
    say(`concurrency ${CONCURRENCY}, ${OPS} writes per figure, lookups at ${LOOKUP_DOCS} documents`);
    const onPg = await measure("postgresql", pg.mongoUrl);
    const onSqlite = await measure("sqlite", `mongodb://${sqlite.address}/`);

    const rows: Array<[string, number, number, boolean]> = [
      ["inserts/s", onPg.inserts, onSqlite.inserts, true],
      ["updates/s, distinct documents", onPg.distinctUpdates, onSqlite.distinctUpdates, true],
      ["updates/s, one document", onPg.oneDocUpdates, onSqlite.oneDocUpdates, true],
      ["ms per lookup by _id", onPg.lookupMs, onSqlite.lookupMs, false],
    ];
    say("\n| figure | PostgreSQL | SQLite | PostgreSQL vs SQLite |");
    say("| --- | --- | --- | --- |");
    for (const [what, a, b, higherIsBetter] of rows) {
      const ratio = higherIsBetter ? a / b : b / a;
      say(
        `| ${what} | ${fmt(a, 2)} | ${fmt(b, 2)} | ${fmt(ratio, 1)}x ${higherIsBetter ? "the rate" : "faster"} |`,
      );
    }
  } finally {
    await sqlite?.stop();
    await pg?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(pgDir, { recursive: true, force: true });
  }
}

await main();
