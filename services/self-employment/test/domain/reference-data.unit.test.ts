import { SITES as LTO_SITES } from "@lto/reference";
import { describe, expect, it } from "vitest";
import {
  prerequisitesOf,
  SERVICE_TYPES,
  serviceType,
  serviceTypeProblems,
  seatsOf,
  siteById,
  closedDaysOf,
  closedReason,
  siteProblems,
  SITES,
  slotRulesOf,
  type ServiceType,
} from "../../src/domain/index.js";

const codes = () => SERVICE_TYPES.map((t) => t.code);
const withChange = (code: string, change: Partial<ServiceType>) =>
  SERVICE_TYPES.map((t) => (t.code === code ? { ...t, ...change } : t));

describe("the service types", () => {
  it("are the ten services Regione Lombardia funds plus the 7.1 self-employment counselling, sound", () => {
    expect(codes()).toEqual([
      "accoglienza",
      "colloquio_specialistico",
      "definizione_percorso",
      "bilancio_competenze",
      "analisi_propensioni",
      "promozione_conoscenze",
      "coaching",
      "inserimento_lavoro",
      "tutoring_tirocinio",
      "consulenza_autoimpiego",
      "business_plan",
    ]);
    expect(serviceTypeProblems(SERVICE_TYPES)).toEqual([]);
  });

  it("put reception first of all, the path definition before every specialised service, counselling before the business plan", () => {
    expect(serviceType("accoglienza")!.requires).toEqual([]);
    for (const t of SERVICE_TYPES.filter((t) => t.code !== "accoglienza"))
      expect(prerequisitesOf(t.code), t.code).toContain("accoglienza");
    for (const code of codes().filter(
      (c) => !["accoglienza", "colloquio_specialistico", "definizione_percorso"].includes(c),
    ))
      expect(prerequisitesOf(code), code).toContain("definizione_percorso");
    expect(prerequisitesOf("business_plan")).toEqual(
      expect.arrayContaining(["consulenza_autoimpiego", "definizione_percorso", "accoglienza"]),
    );
    expect(prerequisitesOf("consulenza_autoimpiego")).not.toContain("business_plan");
  });

  it("find every broken rule: unknown prerequisite, cycle, missing path definition, bad hours, group seats", () => {
    expect(serviceTypeProblems(withChange("coaching", { requires: ["nessuno"] }))).toContain(
      "coaching: requires unknown service nessuno",
    );
    const cycle = withChange("accoglienza", { requires: ["business_plan"] });
    expect(serviceTypeProblems(cycle).join()).toMatch(/cycle/);
    expect(serviceTypeProblems(withChange("coaching", { requires: ["accoglienza"] }))).toContain(
      "coaching: a specialised service must come after definizione_percorso",
    );
    expect(serviceTypeProblems(withChange("coaching", { minHoursPerPerson: 20 }))).toContain(
      "coaching: hours per person must be 0 < min <= max",
    );
    expect(serviceTypeProblems(withChange("coaching", { format: { kind: "group", seats: 1 } }))).toContain(
      "coaching: a group service needs at least 2 seats",
    );
    expect(serviceTypeProblems(withChange("coaching", { durationMinutes: 50 }))).toContain(
      "coaching: duration must be a positive multiple of 15 minutes",
    );
    expect(serviceTypeProblems([...SERVICE_TYPES, SERVICE_TYPES[0]!])).toContain("codes are not unique");
  });

  it("give the availability engine its slot rules and seats", () => {
    const plan = serviceType("business_plan")!;
    expect(slotRulesOf(plan)).toEqual({
      durationMinutes: 120,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 15,
      minNoticeMinutes: 2880,
      horizonDays: 90,
      operatorProfile: "consulente_autoimpiego",
    });
    expect(seatsOf(plan)).toBe(1);
    expect(seatsOf(serviceType("promozione_conoscenze")!)).toBe(12);
  });
});

describe("the sites", () => {
  it("hold every LTO site of the six districts and the Informagiovani desk, sound", () => {
    for (const id of LTO_SITES) expect(siteById(id)?.kind, id).toBe("lto");
    expect(SITES.filter((s) => s.kind === "informagiovani").map((s) => s.id)).toEqual([
      "informagiovani-castiglione",
    ]);
    expect(siteProblems(SITES)).toEqual([]);
  });

  it("have labs with equipment, some gated by a credential", () => {
    const mantova = siteById("lto-mantova")!;
    expect(mantova.rooms.some((r) => r.kind === "lab")).toBe(true);
    expect(new Set(mantova.equipment.map((e) => e.kind))).toEqual(
      new Set(["3d_printer", "laser_cutter", "cnc", "vr_kit"]),
    );
    expect(mantova.equipment.find((e) => e.kind === "cnc")!.requiresCredential).toEqual({
      framework: "digcomp",
      version: "2.2",
      competence: "3.4",
      minimumLevel: 4,
    });
  });

  it("close on the public holidays and Sant'Anselmo, except the desk outside Mantova, plus the configured days", () => {
    const mantova = closedDaysOf(siteById("lto-mantova")!, [], [2027]);
    const desk = closedDaysOf(siteById("informagiovani-castiglione")!, [], [2027]);
    expect(closedReason("2027-03-18", mantova)).toMatch(/Sant'Anselmo/);
    expect(closedReason("2027-03-18", desk)).toBeUndefined();
    expect(closedReason("2027-12-25", desk)).toBeDefined();
    const extra = closedDaysOf(siteById("lto-asola")!, ["08-14", "2027-12-24", "02-29"], [2027, 2028]);
    expect(
      ["2027-08-14", "2028-08-14", "2027-12-24", "2028-02-29"].map((d) => closedReason(d, extra)),
    ).toEqual(["Chiusura", "Chiusura", "Chiusura", "Chiusura"]);
    expect(closedReason("2028-12-24", extra)).toBeUndefined();
    expect(extra.closed!.map((c) => c.date)).not.toContain("2027-02-29");
  });

  it("find equipment outside a lab, duplicate ids and a missing LTO site", () => {
    const [first, ...rest] = SITES;
    const broken = {
      ...first!,
      equipment: [{ id: "x", name: "X", kind: "cnc" as const, labId: `${first!.id}-sala-1` }],
    };
    expect(siteProblems([broken, ...rest]).join()).toMatch(/is not a lab/);
    expect(siteProblems([...SITES, SITES[1]!]).join()).toMatch(/not unique/);
    expect(siteProblems(rest).join()).toMatch(/lto-mantova is missing/);
  });
});
