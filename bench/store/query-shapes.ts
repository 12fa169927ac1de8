// bench/store/query-shapes.ts: the aggregate store's reads against the query shapes it used to send,
// in ONE run on one FerretDB 1.24.2 (PostgreSQL), over a notices-like collection:
//   1. a person's actionable notices: `$in` of two recipient keys, newest first (notifications' catch-up);
//   2. the second page of one recipient's notices (the cursor condition beside the filter);
//   3. ten aggregates by id (getMany).
// The baseline is the same query as the store wrote it before (one `$in`, the cursor under `$and`),
// sent with the plain driver. Prints ms per query of each and the ratio baseline / store (higher = the
// store's shape is faster). `npm run bench:store:queries`; knobs BENCH_QUERY_DOCS (30000),
// BENCH_QUERY_RECIPIENTS (3000), BENCH_QUERY_ROUNDS (20).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLocalInfra } from "@lto/local-runtime";
import { AggregateStore } from "@lto/store";

const DOCS = Number(process.env.BENCH_QUERY_DOCS ?? 30_000);
const RECIPIENTS = Number(process.env.BENCH_QUERY_RECIPIENTS ?? 3_000);
const ROUNDS = Number(process.env.BENCH_QUERY_ROUNDS ?? 20);

interface Notice {
  id: string;
  version: number;
  recipientKey: string;
  at: Date;
  needsAction: boolean;
}

const say = (s: string) => process.stdout.write(`${s}\n`);
const fmt = (n: number, d = 1) =>
  n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });

async function msPerQuery(run: () => Promise<unknown>): Promise<number> {
  await run(); // warm
  const started = performance.now();
  for (let i = 0; i < ROUNDS; i++) await run();
  return (performance.now() - started) / ROUNDS;
}

const dir = mkdtempSync(join(tmpdir(), "lto-bench-queries-"));
const infra = await startLocalInfra({ dataDir: dir, durable: false, kafka: false, ferretdb: {} });
const store = await AggregateStore.open({ url: infra.mongoUrl, dbName: "bench_queries" });
try {
  const notices = store.aggregates<Notice>({
    name: "notices",
    indexes: [{ key: { recipientKey: 1, at: -1, _id: -1 } }],
  });
  await store.ensureIndexes();
  const raw = store.connection.db!.collection<{ _id: string; [field: string]: unknown }>("notices");
  const now = Date.now();
  const id = (i: number) => `n-${String(i).padStart(7, "0")}`;
  say(`bench/store/query-shapes: ${DOCS} notices for ${RECIPIENTS} recipients, ${ROUNDS} rounds each`);
  const batch = 1_000;
  for (let from = 0; from < DOCS; from += batch) {
    const docs = Array.from({ length: Math.min(batch, DOCS - from) }, (_, k) => {
      const i = from + k;
      return {
        _id: id(i),
        version: 1,
        recipientKey: `person:${i % RECIPIENTS}`,
        at: new Date(now - i * 60_000),
        needsAction: i % 2 === 0,
      };
    });
    await raw.insertMany(docs);
  }

  const keys = ["person:1", "person:2"];
  const since = new Date(now - 365 * 86_400_000);
  const firstPage = await notices.page(
    { recipientKey: "person:1" },
    { limit: 3 },
    { field: "at", direction: -1 },
  );
  const last = firstPage.items.at(-1)!;
  const ids = Array.from({ length: 10 }, (_, k) => id(k * 997));

  const cases: { name: string; store: () => Promise<unknown>; before: () => Promise<unknown> }[] = [
    {
      name: "actionable notices of two keys ($in)",
      store: () =>
        notices.find({ recipientKey: { $in: keys }, at: { $gte: since }, needsAction: true }, 50, {
          at: -1,
          _id: -1,
        }),
      before: () =>
        raw
          .find({ recipientKey: { $in: keys }, at: { $gte: since }, needsAction: true })
          .sort({ at: -1, _id: -1 })
          .limit(50)
          .toArray(),
    },
    {
      name: "second page of one recipient (cursor)",
      store: () =>
        notices.page(
          { recipientKey: "person:1" },
          { limit: 3, cursor: firstPage.nextCursor! },
          { field: "at", direction: -1 },
        ),
      before: () =>
        raw
          .find({
            $and: [
              { recipientKey: "person:1" },
              { $or: [{ at: { $lt: last.at } }, { at: last.at, _id: { $lt: last.id } }] },
            ],
          })
          .sort({ at: -1, _id: -1 })
          .limit(4)
          .toArray(),
    },
    {
      name: "ten aggregates by id (getMany)",
      store: () => notices.getMany(ids),
      before: () => raw.find({ _id: { $in: ids } }).toArray(),
    },
  ];
  say("| read | before: one query as sent before (ms) | store now (ms) | ratio before / now |");
  say("| --- | --- | --- | --- |");
  // Both shapes must answer the same documents, or the figures compare nothing.
  const idsOf = (r: unknown) =>
    (Array.isArray(r) ? r : (r as { items: unknown[] }).items).map((d) =>
      String((d as { _id?: string; id?: string }).id ?? (d as { _id: string })._id),
    );
  for (const c of cases) {
    const [was, is] = [idsOf(await c.before()), idsOf(await c.store())];
    if (JSON.stringify(was.slice(0, is.length).sort()) !== JSON.stringify([...is].sort()) || is.length === 0)
      throw new Error(`${c.name}: the store answered ${is.join(",")}, the old shape ${was.join(",")}`);
  }
  for (const c of cases) {
    const before = await msPerQuery(c.before);
    const now = await msPerQuery(c.store);
    say(`| ${c.name} | ${fmt(before)} | ${fmt(now)} | ${fmt(before / now)} |`);
  }
} finally {
  await store.close();
  await infra.stop();
  rmSync(dir, { recursive: true, force: true });
}
