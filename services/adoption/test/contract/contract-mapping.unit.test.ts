import { describe, expect, it } from "vitest";
import { commitmentList, progressPercent } from "../../src/contract/index.js";
import { acceptOffer, confirmRecord, logRecord, makeOffer, startAdoption } from "../../src/domain/index.js";

const t0 = new Date("2026-03-01T10:00:00Z");
const later = new Date("2026-03-10T10:00:00Z"); // records are logged after their dates
const commitments = {
  mentoringHours: 10,
  internships: [
    { places: 1, startsOn: "2026-06-08", endsOn: "2026-06-30" },
    { places: 2, startsOn: "2026-07-01", endsOn: "2026-07-31" },
  ],
  fundingCents: 100_000,
  equipment: [{ item: "Stampante 3D", quantity: 1 }],
};

describe("contract mapping", () => {
  it("lists commitments in contract units: kick-off, minutes, places with period, cents, items", () => {
    expect(commitmentList(commitments)).toEqual([
      expect.objectContaining({ id: "kickoff", kind: "COMMITMENT_KIND_KICK_OFF", promised: 1 }),
      expect.objectContaining({ id: "mentoring", kind: "COMMITMENT_KIND_MENTORING", promised: 600 }),
      expect.objectContaining({
        id: "internships",
        kind: "COMMITMENT_KIND_INTERNSHIP",
        promised: 3,
        periodStart: "2026-06-08",
        periodEnd: "2026-07-31",
      }),
      expect.objectContaining({ id: "funding", kind: "COMMITMENT_KIND_FUNDING", promised: 100_000 }),
      expect.objectContaining({ id: "equipment-0", kind: "COMMITMENT_KIND_EQUIPMENT", promised: 1 }),
    ]);
  });

  it("weighs every commitment the same in the progress percentage", () => {
    const offer = acceptOffer(
      makeOffer(
        {
          id: "o",
          ideaId: "i",
          callId: "c",
          schoolId: "s",
          companyId: "k",
          commitments,
          message: "Una proposta completa.",
        },
        t0,
      ),
      t0,
    );
    let a = startAdoption("a", offer, { title: "t", teamPseudonyms: [] }, t0);
    expect(progressPercent(a)).toBe(0);
    a = logRecord(a, "r1", { kind: "kickoff", date: "2026-03-02" }, "u", later);
    a = confirmRecord(a, "r1", "s", t0).adoption;
    a = logRecord(
      a,
      "r2",
      { kind: "mentoring", date: "2026-03-03", hours: 5, pseudonyms: ["lince"] },
      "u",
      later,
    );
    a = confirmRecord(a, "r2", "s", t0).adoption;
    expect(progressPercent(a)).toBe(30); // (1 + 0.5) / 5
  });
});
