import { describe, expect, it } from "vitest";
import {
  ageOn,
  contactDecisionRefusal,
  isAdultOn,
  skillKeys,
  wantedSkillKeys,
  type TalentEntry,
} from "../../src/domain/index.js";

const entry = (competence: string, level: number, version = "2.2"): TalentEntry => ({
  credentialId: `c-${competence}-${level}`,
  courseTitle: "Corso",
  site: "lto-mantova",
  issuedAt: new Date("2026-06-01T10:00:00Z"),
  competences: [{ framework: "digcomp", frameworkVersion: version, competence, level }],
});

describe("adults", () => {
  it("counts whole years, the birthday itself included", () => {
    expect(ageOn("2008-11-25", "2026-11-25")).toBe(18);
    expect(ageOn("2008-11-26", "2026-11-25")).toBe(17);
    expect(ageOn("2008-12-01", "2026-11-25")).toBe(17);
    expect(ageOn("2008-01-31", "2026-02-01")).toBe(18);
  });
  it("an adult is 18 or over", () => {
    expect(isAdultOn("2008-11-25", "2026-11-25")).toBe(true);
    expect(isAdultOn("2008-11-26", "2026-11-25")).toBe(false);
    expect(isAdultOn("1980-03-01", "2026-11-25")).toBe(true);
  });
});

describe("skill keys", () => {
  it("a competence at a level matches a wish for that level or less, on its version or any", () => {
    const keys = skillKeys([entry("3.4", 4), entry("1.1", 2, "3.0")]);
    const wants = (q: Parameters<typeof wantedSkillKeys>[0]) =>
      wantedSkillKeys(q).some((k) => keys.includes(k));
    expect(wants({ framework: "digcomp", competence: "3.4", minLevel: 4 })).toBe(true);
    expect(wants({ framework: "digcomp", competence: "3.4", minLevel: 2, frameworkVersion: "2.2" })).toBe(
      true,
    );
    expect(wants({ framework: "digcomp", competence: "3.4", minLevel: 5 })).toBe(false);
    expect(wants({ framework: "digcomp", competence: "3.4", minLevel: 1, frameworkVersion: "3.0" })).toBe(
      false,
    );
    // 1.1 at level 2 does not lend its level to 3.4
    expect(wants({ framework: "digcomp", competence: "1.1", minLevel: 3 })).toBe(false);
    expect(wants({ framework: "syllabus-pa", competence: "3.4", minLevel: 1 })).toBe(false);
  });
  it("levels run up to 8", () => {
    expect(wantedSkillKeys({ framework: "digcomp", competence: "2.1", minLevel: 7 })).toEqual([
      "digcomp|2.1|7",
      "digcomp|2.1|8",
    ]);
  });
});

describe("contact requests", () => {
  it("only a pending request is decided", () => {
    expect(contactDecisionRefusal("pending")).toBeUndefined();
    expect(contactDecisionRefusal("accepted")).toMatch(/already accepted/);
    expect(contactDecisionRefusal("declined")).toMatch(/already declined/);
    expect(contactDecisionRefusal("closed")).toMatch(/withdrawn/);
  });
});
