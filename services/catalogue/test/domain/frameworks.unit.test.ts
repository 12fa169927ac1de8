import { Issues } from "@lto/errors";
import { describe, expect, it } from "vitest";
import {
  FrameworkCatalogue,
  frameworkIssues,
  frameworks,
  mappingIssues,
  SHIPPED_FRAMEWORKS,
  type CompetenceMapping,
} from "../../src/domain/frameworks/index.js";

const issuesOf = (mapping: CompetenceMapping, kinds?: ("digcomp" | "syllabus" | "qrsp")[]) =>
  mappingIssues(frameworks, mapping, "target", new Issues(), kinds).list;

describe("shipped frameworks", () => {
  it("are consistent data", () => {
    for (const framework of SHIPPED_FRAMEWORKS)
      expect(frameworkIssues(framework), `${framework.id} ${framework.version}`).toEqual([]);
  });

  it("DigComp 2.2 has 5 areas, 21 competences 1.1..5.4 in both languages, 8 levels in 4 groups", () => {
    const digcomp = frameworks.find("digcomp", "2.2")!;
    expect(digcomp.areas).toHaveLength(5);
    expect(digcomp.competences.map((c) => c.code)).toEqual(
      "1.1 1.2 1.3 2.1 2.2 2.3 2.4 2.5 2.6 3.1 3.2 3.3 3.4 4.1 4.2 4.3 4.4 5.1 5.2 5.3 5.4".split(" "),
    );
    expect(digcomp.competences.find((c) => c.code === "3.4")?.name).toEqual({
      it: "Programmazione",
      en: "Programming",
    });
    expect(digcomp.levels.map((l) => l.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(digcomp.levels.map((l) => l.group)).toEqual([
      "foundation",
      "foundation",
      "intermediate",
      "intermediate",
      "advanced",
      "advanced",
      "highly_specialised",
      "highly_specialised",
    ]);
  });

  it("DigComp 3.0 sits beside 2.2 with the same 21 competences and its own levels", () => {
    const v3 = frameworks.find("digcomp", "3.0")!;
    expect(v3.competences.map((c) => c.code)).toEqual(
      frameworks.find("digcomp", "2.2")!.competences.map((c) => c.code),
    );
    expect(v3.levels).toHaveLength(4);
    expect(frameworks.versionsOf("digcomp")).toEqual(["2.2", "3.0"]);
  });

  it("the PA syllabus has base, intermedio, avanzato", () => {
    expect(frameworks.find("syllabus-pa", "2024")!.levels.map((l) => l.code)).toEqual([
      "base",
      "intermedio",
      "avanzato",
    ]);
  });

  it("refuses a framework listed twice", () => {
    const digcomp = frameworks.find("digcomp", "2.2")!;
    expect(() => new FrameworkCatalogue([digcomp, digcomp])).toThrow(/twice/);
  });
});

describe("mapping validation", () => {
  it("accepts a competence and level of the named version", () => {
    expect(issuesOf({ framework: "digcomp", version: "2.2", competence: "3.4", level: 6 })).toEqual([]);
    expect(issuesOf({ framework: "syllabus-pa", version: "2024", competence: "1.2", level: 2 })).toEqual([]);
  });

  it("names an unknown framework, an unknown version, a missing competence, a level outside the scheme", () => {
    expect(issuesOf({ framework: "eqf", version: "1", competence: "1.1", level: 1 })).toEqual([
      { path: "target.framework", message: expect.stringMatching(/not a known framework/) },
    ]);
    expect(issuesOf({ framework: "digcomp", version: "2.1", competence: "1.1", level: 1 })).toEqual([
      { path: "target.version", message: expect.stringMatching(/loaded: 2.2, 3.0/) },
    ]);
    expect(issuesOf({ framework: "digcomp", version: "2.2", competence: "6.1", level: 9 })).toEqual([
      { path: "target.competence", message: expect.stringMatching(/not a competence/) },
      { path: "target.level", message: expect.stringMatching(/1 to 8/) },
    ]);
    // Level 5 exists in 2.2 but not in 3.0's four-level scheme.
    expect(issuesOf({ framework: "digcomp", version: "3.0", competence: "1.1", level: 5 })).toEqual([
      { path: "target.level", message: expect.stringMatching(/1 to 4/) },
    ]);
  });

  it("can require a kind of framework", () => {
    expect(
      issuesOf({ framework: "syllabus-pa", version: "2024", competence: "1.1", level: 1 }, ["digcomp"]),
    ).toEqual([{ path: "target.framework", message: "must be a digcomp framework here" }]);
  });
});
