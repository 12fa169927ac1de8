// Technology -> competence matching and the ranking of course suggestions (pure).
import { describe, expect, it } from "vitest";
import {
  competencesFor,
  frameworks,
  nearness,
  rankSuggestions,
  SUGGESTION_RULES,
  suggestionRuleIssues,
  type Course,
  type OpenSession,
} from "../../src/domain/index.js";
import { input } from "../fixtures.js";

const digcomp = frameworks.find("digcomp", "2.2")!;

function course(id: string, over: Partial<Course> = {}): Course {
  return {
    ...input,
    id,
    providerId: "lto",
    state: "published",
    audiences: ["students", "teachers"],
    areas: ["agroalimentare"],
    history: [],
    createdAt: new Date(0),
    updatedAt: new Date(0),
    version: 1,
    ...over,
  };
}
const at = (competence: string, level = 3) => ({ framework: "digcomp", version: "2.2", competence, level });
const session = (id: string, courseId: string, site: string, firstDay = "2026-12-01"): OpenSession => ({
  id,
  courseId,
  site,
  firstDay,
  freeSeats: 5,
});
const idea = { area: "agroalimentare", technologies: ["iot"], district: "viadana" };

describe("the technology -> DigComp rules (data)", () => {
  it("map every technology of @lto/reference to competences DigComp has, and districts both ways", () => {
    expect(
      suggestionRuleIssues(
        SUGGESTION_RULES,
        digcomp.competences.map((c) => c.code),
      ),
    ).toEqual([]);
  });

  it("name broken rules", () => {
    const broken = {
      technologies: { ...SUGGESTION_RULES.technologies, iot: ["9.9"], lora: ["1.1"] },
      districtNeighbours: { ...SUGGESTION_RULES.districtNeighbours, ostiglia: ["mantova"] },
    };
    expect(suggestionRuleIssues(broken, ["1.1", "3.4"])).toEqual(
      expect.arrayContaining([
        "iot: 9.9 is not a DigComp competence",
        "lora is not a technology of @lto/reference",
        "suzzara borders ostiglia but not the other way round",
      ]),
    );
  });

  it("collect the competences of several technologies with the technologies behind each", () => {
    const map = competencesFor(["iot", "cybersecurity", "unknown-tech"]);
    expect(map.get("4.1")).toEqual(["iot", "cybersecurity"]);
    expect(map.get("3.4")).toEqual(["iot"]);
    expect(map.has("2.2")).toBe(false);
    expect(competencesFor([]).size).toBe(0);
  });

  it("say how near a site is to a district", () => {
    expect(nearness("lto-viadana", "viadana")).toBe("same_district");
    expect(nearness("lto-suzzara", "viadana")).toBe("neighbouring_district");
    expect(nearness("lto-ostiglia", "viadana")).toBe("elsewhere");
    expect(nearness("somewhere", "viadana")).toBe("elsewhere");
  });
});

describe("rankSuggestions", () => {
  it("keeps published courses of the idea's area and the audience that target a fitting competence", () => {
    const courses = [
      course("a", { competences: [at("3.4")] }),
      course("b", { competences: [at("2.5")] }), // no fit for iot
      course("c", { competences: [at("3.4")], areas: ["turismo"] }), // another area
      course("d", { competences: [at("3.4")], state: "archived" }),
      course("e", { competences: [at("4.1")], audiences: ["adults"] }), // another audience
    ];
    const got = rankSuggestions(idea, "students", courses, []);
    expect(got.map((s) => s.courseId)).toEqual(["a"]);
    expect(got[0]!.matched).toEqual([{ competence: "3.4", level: 3, technologies: ["iot"] }]);
    expect(got[0]!.session).toBeUndefined();
  });

  it("puts sessions in the school's district first, then a bordering one, elsewhere, none", () => {
    const courses = ["none", "far", "near", "same"].map((id) => course(id, { competences: [at("3.4")] }));
    const sessions = [
      session("s-far", "far", "lto-ostiglia"),
      session("s-near", "near", "lto-suzzara"),
      session("s-same-late", "same", "lto-viadana", "2027-01-10"),
      session("s-same-far", "same", "lto-ostiglia", "2026-11-01"),
      session("s-same-early", "same", "lto-viadana", "2026-12-01"),
    ];
    const got = rankSuggestions(idea, "students", courses, sessions);
    expect(got.map((s) => s.courseId)).toEqual(["same", "near", "far", "none"]);
    // the nearest session, then the earliest of those
    expect(got[0]!.session).toMatchObject({ id: "s-same-early", nearness: "same_district" });
    expect(got[1]!.session?.nearness).toBe("neighbouring_district");
  });

  it("then more fitting competences, then the lower level, then the newer course", () => {
    const courses = [
      course("001", { competences: [at("3.4", 4)] }),
      course("002", { competences: [at("3.4", 2)] }),
      course("003", { competences: [at("3.4", 4), at("4.1", 4)] }),
      course("004", { competences: [at("3.4", 4)] }),
    ];
    const got = rankSuggestions(idea, "teachers", courses, []);
    expect(got.map((s) => s.courseId)).toEqual(["003", "002", "004", "001"]);
  });

  it("offers the area's courses when the idea names no technology the rules know, and stops at the limit", () => {
    const courses = [course("a", { competences: [at("2.5")] }), course("b", { competences: [at("1.1")] })];
    const got = rankSuggestions({ ...idea, technologies: ["lora"] }, "students", courses, [], 1);
    expect(got).toHaveLength(1);
    expect(got[0]!.matched).toEqual([]);
  });
});
