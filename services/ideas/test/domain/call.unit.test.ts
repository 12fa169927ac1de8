import { InvalidStateError, ValidationError } from "@lto/errors";
import { describe, expect, it } from "vitest";
import {
  createCall,
  currentPhase,
  DEFAULT_RUBRIC,
  DISTRICTS,
  panelOrganisations,
  phaseBounds,
  romeDate,
  SITES,
  updateCall,
  validateScores,
  weightedScore,
  type CallInput,
  type CallPhase,
  type Site,
} from "../../src/domain/index.js";
import { aCall, callInput, during, staff } from "../fixtures.js";

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
  throw new Error("expected a ValidationError");
}

describe("calls", () => {
  it("derives the phase from the dates, switching at midnight in Rome", () => {
    const call = aCall();
    expect(currentPhase(call, new Date("2026-09-30T21:59:59Z"))).toBe("upcoming");
    expect(currentPhase(call, new Date("2026-09-30T22:00:00Z"))).toBe("submission");
    expect(currentPhase(call, new Date("2027-01-31T22:59:59Z"))).toBe("submission");
    expect(currentPhase(call, new Date("2027-01-31T23:00:00Z"))).toBe("evaluation");
    // The adoption phase starts the day after summer time begins: midnight is 22:00 UTC.
    expect(currentPhase(call, new Date("2027-03-28T21:59:59Z"))).toBe("evaluation");
    expect(currentPhase(call, new Date("2027-03-28T22:00:00Z"))).toBe("adoption");
    expect(currentPhase(call, during.closed)).toBe("closed");
  });

  it("a phase's bounds on the stored days select exactly the calls currentPhase puts in it", () => {
    const call = aCall();
    const inBounds = (phase: CallPhase, day: string) => {
      const { begun, notBegun } = phaseBounds(phase);
      return (!begun || call.phaseStarts[begun] <= day) && (!notBegun || call.phaseStarts[notBegun] > day);
    };
    const instants = [
      "2026-09-30T21:59:59Z",
      "2026-09-30T22:00:00Z",
      "2027-01-31T22:59:59Z",
      "2027-01-31T23:00:00Z",
      "2027-03-28T21:59:59Z",
      "2027-03-28T22:00:00Z",
      during.closed.toISOString(),
    ].map((at) => new Date(at));
    for (const now of instants) {
      const matching = (["upcoming", "submission", "evaluation", "adoption", "closed"] as const).filter(
        (phase) => inBounds(phase, romeDate(now)),
      );
      expect(matching, now.toISOString()).toEqual([currentPhase(call, now)]);
    }
  });

  it("lists every broken rule of a call at once", () => {
    const issues = issuesOf(() =>
      createCall(
        callInput({
          title: "x",
          schoolYear: "2026/28",
          phaseStarts: {
            submission: "2026-10-01",
            evaluation: "2026-09-01",
            adoption: "2027-02-30",
            closed: "2027-07-01",
          },
          rubric: [
            { key: "Innovation", label: "I", weight: 0 },
            { key: "impact", label: "x", weight: 1.5 },
            { key: "impact", label: "y", weight: 1 },
          ],
        }),
        "c",
        staff,
        during.upcoming,
      ),
    );
    expect(issues).toEqual([
      "title: must have at least 3 characters",
      'schoolYear: must look like "2026/27"',
      "phaseStarts.evaluation: must come after phaseStarts.submission",
      "phaseStarts.adoption: must be a date YYYY-MM-DD",
      "rubric.0.key: must be snake_case, 2-40 characters",
      "rubric.0.weight: must be a positive integer",
      "rubric.1.weight: must be a positive integer",
      "rubric.2.key: is used twice",
    ]);
  });

  it("requires a sponsor for challenge calls only, and company panellists only in challenges", () => {
    expect(
      issuesOf(() => createCall(callInput({ model: "challenge" }), "c", staff, during.upcoming)),
    ).toEqual(["sponsor: a challenge call names its sponsor company"]);
    const companyPanellist = {
      subject: "ing-gialli",
      organisationId: "company-levoni",
      kind: "company" as const,
    };
    expect(
      issuesOf(() =>
        createCall(
          callInput({ sponsor: { companyId: "company-levoni", name: "Levoni" }, panel: [companyPanellist] }),
          "c",
          staff,
          during.upcoming,
        ),
      ),
    ).toEqual([
      "sponsor: only a challenge call has a sponsor",
      "panel.0.kind: company people sit only on challenge panels",
    ]);
    const challenge = createCall(
      callInput({
        model: "challenge",
        sponsor: { companyId: "company-levoni", name: "Levoni" },
        panel: [companyPanellist],
      }),
      "c",
      staff,
      during.upcoming,
    );
    expect(panelOrganisations(challenge)).toEqual(["company-levoni"]);
  });

  it("lets the rubric change only before evaluation begins", () => {
    const call = aCall();
    const rubric = [{ key: "innovation", label: "Innovazione", weight: 1 }];
    expect(updateCall(call, callInput({ rubric }), during.submission).rubric).toEqual(rubric);
    expect(() => updateCall(call, callInput({ rubric }), during.evaluation)).toThrow(InvalidStateError);
    expect(() => updateCall(call, callInput({ rubric }), during.evaluation)).toThrow(/evaluation phase/);
    expect(updateCall(call, callInput({ title: "Nuovo titolo" }), during.evaluation).title).toBe(
      "Nuovo titolo",
    );
  });

  it("computes the weighted score on the 1-5 scale", () => {
    const scores = { innovation: 5, feasibility: 4, digital_content: 3, territorial_impact: 2 };
    expect(weightedScore(DEFAULT_RUBRIC, scores)).toBe(3.65);
    expect(
      weightedScore(DEFAULT_RUBRIC, {
        innovation: 5,
        feasibility: 5,
        digital_content: 5,
        territorial_impact: 5,
      }),
    ).toBe(5);
  });

  it("accepts only integer scores 1 to 5 for exactly the rubric's criteria", () => {
    expect(
      issuesOf(() =>
        validateScores(DEFAULT_RUBRIC, { innovation: 0, feasibility: 4.5, digital_content: 6, bonus: 3 }),
      ),
    ).toEqual([
      "scores.innovation: must be an integer from 1 to 5",
      "scores.feasibility: must be an integer from 1 to 5",
      "scores.digital_content: must be an integer from 1 to 5",
      "scores.territorial_impact: is missing",
      "scores.bonus: is not a criterion of this call",
    ]);
  });
});

describe("the site that runs a call", () => {
  it("is one of the LTO's sites, one per district", () => {
    expect(SITES).toEqual(DISTRICTS.map((district) => `lto-${district}`));
    expect(aCall().site).toBe("lto-mantova");
    expect(
      issuesOf(() => createCall(callInput({ site: "lto-milano" as Site }), "c", staff, during.upcoming)),
    ).toEqual([`site: must be one of ${SITES.join(", ")}`]);
    const { site: _site, ...withoutSite } = callInput();
    expect(issuesOf(() => createCall(withoutSite as CallInput, "c", staff, during.upcoming))).toEqual([
      `site: must be one of ${SITES.join(", ")}`,
    ]);
  });

  it("stays with the call: an update may omit it or repeat it, never change it", () => {
    const call = aCall();
    const { site: _site, ...withoutSite } = callInput({ title: "Nuovo titolo" });
    expect(updateCall(call, withoutSite, during.submission)).toMatchObject({
      site: "lto-mantova",
      title: "Nuovo titolo",
    });
    expect(updateCall(call, callInput(), during.submission).site).toBe("lto-mantova");
    const move = () => updateCall(call, callInput({ site: "lto-viadana" }), during.submission);
    expect(move).toThrow(InvalidStateError);
    expect(move).toThrow(
      expect.objectContaining({ details: expect.objectContaining({ reason: "site_fixed" }) }),
    );
  });
});
