// Rebuilding from the topics' beginning gives the model the live projection built, figure by figure,
// also with events arriving during the rebuild; readers switch from the old generation to the whole new
// one in one step. Real broker and store; events published as the services publish them.
import { createTestKafka, waitFor } from "@lto/testkit";
import { startTestService, type TestService } from "@lto/testkit/service";
import { openServiceStore } from "@lto/service-host";
import { createLogger } from "@lto/telemetry";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeFigure, FIGURES, kindsOf, type FigureName } from "../../src/domain/index.js";
import { rebuildModel } from "../../src/infra/rebuild.js";
import { insightsCollections, insightsModel } from "../../src/infra/store.js";
import { insightsService } from "../../src/main.js";
import { programme, publishYear, Publisher, unusedSchoolYears } from "./support.js";

let svc: TestService;
let pub: Publisher;
let opened: Awaited<ReturnType<typeof openStore>>;
type Year = { year: number; schoolYear: string };
let first: Year;
let second: Year;
const programmeOffice = { sub: "po-rebuild", role: "programme", org: "lto" } as const;
const SITES = [undefined, "lto-mantova", "lto-asola"];

const openStore = () =>
  openServiceStore({ name: "insights", url: svc.mongoUrl, dbName: svc.dbName }, insightsCollections);

/** Every figure of both years, for every site and all sites, computed from one generation. */
async function figuresOf(gen: string) {
  const model = insightsModel(opened.collections);
  const out: Record<string, unknown> = {};
  for (const { schoolYear } of [first, second])
    for (const figure of FIGURES as FigureName[]) {
      const loaded = await model.load(gen, { kinds: kindsOf(figure), schoolYear });
      for (const site of SITES)
        out[`${figure} ${schoolYear} ${site ?? "all"}`] = computeFigure(loaded, figure, { schoolYear, site });
    }
  return out;
}

const ready = (schoolYear: string) => async () => {
  const res = await svc
    .as(programmeOffice)
    .get(`/v1/figures/services?schoolYear=${encodeURIComponent(schoolYear)}`);
  const ideas = await svc
    .as(programmeOffice)
    .get(`/v1/figures/ideas?schoolYear=${encodeURIComponent(schoolYear)}`);
  return (
    res.body.rows?.some((r: { hoursDelivered: number }) => r.hoursDelivered === 1.5) &&
    ideas.body.rows?.length === 4
  );
};

beforeAll(async () => {
  svc = await startTestService(insightsService);
  [first, second] = (await unusedSchoolYears(svc, 2)) as [Year, Year];
  pub = await Publisher.open();
  opened = await openStore();
  await publishYear(pub, first.year, first.schoolYear, programme(first.year));
  await waitFor("the first year's figures", ready(first.schoolYear), 60_000);
}, 240_000);
afterAll(async () => {
  await opened?.store.close();
  await pub?.close();
  await svc?.close();
});

describe("rebuild from the topics' beginning", () => {
  // A whole replay of the topics plus the live consumer catching up: minutes on a loaded machine.
  const REBUILD = { timeout: 180_000 };

  it(
    "builds a new generation equal to the live one, figure by figure, with events arriving meanwhile",
    REBUILD,
    async () => {
      const model = insightsModel(opened.collections);
      const live = await model.currentGeneration();
      const before = await svc
        .as(programmeOffice)
        .get(`/v1/figures/ideas?schoolYear=${encodeURIComponent(first.schoolYear)}`);

      const kafka = await createTestKafka({ clientPrefix: "insights-rebuild" });
      const rebuilding = rebuildModel({
        kafka,
        model,
        logger: createLogger("insights-rebuild", { level: "warn" }),
        group: svc.groupId,
      });
      // A second year published while the rebuild runs: the live consumer applies it to both generations.
      await waitFor("the rebuild to start", async () => (await model.read()).building.length === 1, 60_000);
      await publishYear(pub, second.year, second.schoolYear, programme(second.year));
      const result = await rebuilding;

      expect(result.replaced).toBe(live);
      expect(result.generation).not.toBe(live);
      expect(await model.currentGeneration()).toBe(result.generation);
      expect((await model.read()).building).toEqual([]);
      await waitFor("the second year's figures", ready(second.schoolYear), 60_000);

      const rebuilt = await figuresOf(result.generation);
      const old = await figuresOf(live);
      for (const [name, figure] of Object.entries(old)) expect(rebuilt[name], name).toEqual(figure);
      // Not an empty comparison: both years are there, with the rows the live projection had.
      const ideas = rebuilt[`ideas ${first.schoolYear} all`] as { rows: unknown[] };
      expect(ideas.rows).toEqual(before.body.rows);
      expect((rebuilt[`ideas ${second.schoolYear} all`] as { rows: unknown[] }).rows).toHaveLength(4);
      // Readers read the rebuilt generation.
      const after = await svc
        .as(programmeOffice)
        .get(`/v1/figures/ideas?schoolYear=${encodeURIComponent(first.schoolYear)}`);
      expect(after.body).toEqual(before.body);
    },
  );

  it("drops the retired generation at the next rebuild", REBUILD, async () => {
    const model = insightsModel(opened.collections);
    const { retired } = await model.read();
    expect(retired.length).toBeGreaterThan(0);
    const kafka = await createTestKafka({ clientPrefix: "insights-rebuild" });
    const result = await rebuildModel({
      kafka,
      model,
      logger: createLogger("insights-rebuild", { level: "warn" }),
      group: svc.groupId,
    });
    expect(result.dropped).toEqual(retired);
    for (const gen of retired) expect(await opened.collections.records.ideas.count({ gen })).toBe(0);
    expect(await opened.collections.records.ideas.count({ gen: result.generation })).toBeGreaterThan(0);
  });
});
