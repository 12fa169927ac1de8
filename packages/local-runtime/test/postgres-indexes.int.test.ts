// FerretDB pushes equality filters down to PostgreSQL as `_jsonb -> 'f' @> value`, which its btree
// indexes cannot serve. The runtime's event trigger gives each of them a GIN twin: these lookups must
// be index scans, as PostgreSQL's own plan (FerretDB's explain) shows.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MongoClient, type Collection } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalInfra, type LocalInfra } from "../src/index.js";

interface PlanNode {
  "Node Type": string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

async function planOf(col: Collection, filter: object): Promise<PlanNode[]> {
  const explained = (await col.find(filter).explain()) as { queryPlanner?: { Plan?: PlanNode } };
  const plan = explained.queryPlanner?.Plan;
  if (!plan) throw new Error(`no PostgreSQL plan in ${JSON.stringify(explained).slice(0, 300)}`);
  return nodes(plan);
}

const dataDir = mkdtempSync(join(tmpdir(), "lto-pg-indexes-"));
let infra: LocalInfra;
let client: MongoClient;
let col: Collection;

beforeAll(async () => {
  infra = await startLocalInfra({ dataDir, kafka: false, durable: false });
  client = await new MongoClient(infra.mongoUrl).connect();
  col = client.db("lto_index_probe").collection("ideas");
  // Indexes as services declare them, one call each (see @lto/mongo's ensureIndexes).
  await col.createIndex({ state: 1, _id: -1 });
  await col.createIndex({ _pending: 1 });
  const docs = Array.from({ length: 5_000 }, (_, i) => ({
    _id: `idea-${i}` as never,
    state: `s${i % 25}`,
    ...(i % 500 === 0 ? { _pending: true } : {}),
  }));
  await col.insertMany(docs);
}, 120_000);

afterAll(async () => {
  await client?.close();
  await infra?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("FerretDB on PostgreSQL uses indexes", () => {
  it.each([
    ["a lookup by _id", { _id: "idea-4321" }, "__id_"],
    ["a declared index (leading field)", { state: "s7" }, "_state_"],
    ["the relay's pending-events flag", { _pending: true }, "__pending_"],
  ])("%s is an index scan, not a sequential scan", async (_what, filter, indexPart) => {
    const plan = await planOf(col, filter);
    const types = plan.map((n) => n["Node Type"]);
    expect(types).not.toContain("Seq Scan");
    const index = plan.find((n) => n["Index Name"])?.["Index Name"] ?? "";
    expect(index).toContain(indexPart);
    expect(index).toMatch(/_gin$/);
    expect(await col.countDocuments(filter as never)).toBeGreaterThan(0);
  });

  it("a field without an index still scans (the check can tell the difference)", async () => {
    const types = (await planOf(col, { unindexed: 1 })).map((n) => n["Node Type"]);
    expect(types).toContain("Seq Scan");
  });
});
