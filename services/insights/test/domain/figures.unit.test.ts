import { describe, expect, it } from "vitest";
import { computeFigure, effectOf, KINDS, monthOf, type Fact, type Model } from "../../src/domain/index.js";

function modelOf(facts: readonly Fact[]): Model {
  const model = Object.fromEntries(KINDS.map((k) => [k, new Map()])) as Record<string, Map<string, unknown>>;
  for (const fact of facts) {
    const e = effectOf(fact);
    const next = e.apply(model[e.kind]!.get(e.key) as never);
    if (next !== undefined) model[e.kind]!.set(e.key, next);
  }
  return model as unknown as Model;
}

const call = (callId: string, site: string, schoolYear = "2030/31"): Fact => ({
  type: "call",
  callId,
  schoolYear,
  site,
  title: callId,
  version: 1,
});
const published = (ideaId: string, callId: string, day: number): Fact => ({
  type: "idea",
  ideaId,
  state: "published",
  version: 2,
  attributes: { callId, area: "turismo", district: "viadana" },
  publishedAt: `2030-11-${String(day).padStart(2, "0")}T09:00:00.000Z`,
});
const adopted = (adoptionId: string, ideaId: string, day: number, version = 1): Fact => ({
  type: "adopted",
  adoptionId,
  ideaId,
  at: `2030-11-${String(day).padStart(2, "0")}T09:00:00.000Z`,
  commitments: [{ id: "m", kind: "mentoring", promised: 120 }],
  version,
});

describe("figures", () => {
  const facts: Fact[] = [
    call("c1", "lto-mantova"),
    call("c2", "lto-asola"),
    call("old", "lto-asola", "2029/30"),
    published("i1", "c1", 1),
    published("i2", "c1", 2),
    published("i3", "c2", 3),
    published("i4", "old", 3),
    adopted("a1", "i1", 5),
    // An adoption ended early does not count; the idea adopted again later does, from its first publication.
    adopted("a2", "i2", 4),
    { type: "adoptionClosed", adoptionId: "a2", ideaId: "i2", status: "ended", version: 2 },
    adopted("a3", "i2", 12),
    {
      type: "delivered",
      deliveryId: "d1",
      adoptionId: "a1",
      ideaId: "i1",
      kind: "mentoring",
      quantity: 90,
      students: 3,
      pctoHours: 1.5,
      deliveredOn: "2030-11-20",
    },
  ];
  const model = modelOf(facts);

  it("gives the adoption rate and the average days to adoption per group and in the chart", () => {
    const f = computeFigure(model, "adoption", { schoolYear: "2030/31", by: "site" });
    expect(f.rows.map((r) => [r.site, r.published, r.adopted, r.adoptionRate, r.avgDaysToAdoption])).toEqual([
      ["lto-asola", 1, 0, 0, null],
      ["lto-mantova", 2, 2, 1, 7],
    ]);
    expect(f.chart).toEqual({
      by: "site",
      categories: ["lto-asola", "lto-mantova"],
      series: [
        { label: "published", data: [1, 2] },
        { label: "adopted", data: [0, 2] },
        { label: "adoptionRate", data: [0, 1] },
        { label: "avgDaysToAdoption", data: [null, 7] },
      ],
    });
  });

  it("counts PCTO hours as each delivery's hours times its students, and leaves out ended adoptions' promises", () => {
    const f = computeFigure(model, "commitments", { schoolYear: "2030/31" });
    expect(f.rows).toEqual([
      {
        schoolYear: "2030/31",
        site: "lto-mantova",
        kind: "mentoring",
        promised: 240,
        delivered: 90,
        deliveries: 1,
        pctoHours: 4.5,
      },
    ]);
  });

  it("keeps to the school year, the site and the sites a reader may see", () => {
    expect(computeFigure(model, "ideas", { schoolYear: "2029/30" }).rows).toHaveLength(1);
    expect(
      computeFigure(model, "ideas", { site: "lto-asola" }).rows.every((r) => r.site === "lto-asola"),
    ).toBe(true);
    expect(computeFigure(model, "ideas", { visibleSites: ["lto-mantova"] }).rows.map((r) => r.state)).toEqual(
      ["adopted"],
    );
    expect(computeFigure(model, "ideas", { visibleSites: [] }).rows).toEqual([]);
  });

  it("names what it cannot place yet as unknown (an idea whose call was not told)", () => {
    const early = modelOf([published("x", "not-told", 1)]);
    expect(computeFigure(early, "ideas").rows).toEqual([
      {
        schoolYear: "unknown",
        site: "unknown",
        callId: "not-told",
        callTitle: "unknown",
        area: "turismo",
        district: "viadana",
        state: "published",
        ideas: 1,
      },
    ]);
  });

  it("groups months in Rome's calendar", () => {
    expect(monthOf("2030-10-31T23:30:00.000Z")).toBe("2030-11");
    expect(monthOf("2031-01-15T10:00:00.000Z")).toBe("2031-01");
  });
});
