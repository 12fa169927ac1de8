import { describe, expect, it } from "vitest";
import {
  closePath,
  openPath,
  recordInternshipCommitments,
  setPlannedHours,
  tutoringHours,
  type InternshipCommitment,
  type Path,
  type ServiceRule,
} from "../../src/domain/path/index.js";

const now = new Date("2026-03-02T08:00:00Z");
const TUTORING: ServiceRule = {
  code: "tutoring_tirocinio",
  nameIt: "Tutoring tirocinio",
  requires: ["definizione_percorso"],
  minHoursPerPerson: 1,
  maxHoursPerPerson: 30,
};

function teamPath(): Path {
  return openPath(
    {
      id: "p1",
      holder: { kind: "team", teamId: "idea-1", schoolId: "school-1" },
      site: "lto-mantova",
      origin: { kind: "adoption", ideaId: "idea-1", teamId: "idea-1", adoptionId: "a1", referent: "ref" },
      funder: "lto_diffuso",
      proposed: ["consulenza_autoimpiego", "business_plan"],
    },
    "ref",
    now,
  ).path;
}

const commitment = (overrides: Partial<InternshipCommitment> = {}): InternshipCommitment => ({
  adoptionId: "a1",
  commitmentId: "internships",
  companyId: "company-omv",
  companyName: "OMV S.p.A.",
  description: "2 internship places",
  places: 2,
  periodStart: "2026-06-15",
  periodEnd: "2026-07-31",
  recordedAt: now,
  ...overrides,
});

describe("tutoring hours for internship places", () => {
  it("plans the hours per place in quarter hours, at most the cap, nothing under the minimum", () => {
    expect(tutoringHours(2, 10, TUTORING)).toBe(20);
    expect(tutoringHours(5, 10, TUTORING)).toBe(30);
    expect(tutoringHours(3, 1.3, TUTORING)).toBe(3.75);
    expect(tutoringHours(1, 0.5, TUTORING)).toBe(0);
  });
});

describe("the sponsor's internship commitments on the team's path", () => {
  it("records the commitment, proposes tutoring and plans its hours, with history", () => {
    const path = recordInternshipCommitments(teamPath(), [commitment()], TUTORING, 10, "ref", now);
    expect(path.internships).toEqual([commitment()]);
    expect(path.proposed).toEqual(["consulenza_autoimpiego", "business_plan", "tutoring_tirocinio"]);
    expect(path.plan).toEqual([{ serviceCode: "tutoring_tirocinio", hours: 20 }]);
    expect(path.history.map((h) => h.what)).toEqual(["opened", "services_proposed", "plan_set"]);
    expect(path.history[2]).toMatchObject({ reason: "internship commitment of OMV S.p.A.", hours: 20 });
  });

  it("changes nothing for commitments recorded already, none, or a closed path", () => {
    const once = recordInternshipCommitments(teamPath(), [commitment()], TUTORING, 10, "ref", now);
    expect(recordInternshipCommitments(once, [commitment()], TUTORING, 10, "ref", now)).toBe(once);
    const open = teamPath();
    expect(recordInternshipCommitments(open, [], TUTORING, 10, "ref", now)).toBe(open);
    const closed = closePath(teamPath(), "team dissolved", "staff", now).path;
    expect(recordInternshipCommitments(closed, [commitment()], TUTORING, 10, "ref", now)).toBe(closed);
  });

  it("a second adoption's places raise the plan to the cap; a plan staff set higher stays", () => {
    const first = recordInternshipCommitments(teamPath(), [commitment()], TUTORING, 10, "ref", now);
    const second = recordInternshipCommitments(
      first,
      [commitment({ adoptionId: "a2", places: 3 })],
      TUTORING,
      10,
      "ref",
      now,
    );
    expect(second.internships).toHaveLength(2);
    expect(second.plan).toEqual([{ serviceCode: "tutoring_tirocinio", hours: 30 }]);
    const staffPlanned = setPlannedHours(teamPath(), TUTORING, 25, "staff", now).path;
    const kept = recordInternshipCommitments(staffPlanned, [commitment()], TUTORING, 10, "ref", now);
    expect(kept.plan).toEqual([{ serviceCode: "tutoring_tirocinio", hours: 25 }]);
    expect(kept.internships).toHaveLength(1);
  });
});
