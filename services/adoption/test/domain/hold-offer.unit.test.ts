import { ConflictError, InvalidStateError, ValidationError } from "@lto/errors";
import { describe, expect, it } from "vitest";
import {
  MAX_HOLD_HOURS,
  acceptOffer,
  assertNotBlockedBy,
  cancelHold,
  cancelOffer,
  declineHold,
  declineOffer,
  isInForce,
  isLapsable,
  lapseHold,
  makeOffer,
  placeHold,
  releaseHold,
  withdrawOffer,
  type OfferInput,
} from "../../src/domain/index.js";
import { at, t0 } from "../fixtures.js";

describe("holds", () => {
  const hold = placeHold({ id: "h1", ideaId: "i1", callId: "k", schoolId: "s", companyId: "c1" }, t0);

  it("last 7 days by default, at most 7 days", () => {
    expect(hold.expiresAt).toEqual(at(MAX_HOLD_HOURS));
    expect(
      placeHold({ id: "h", ideaId: "i", callId: "k", schoolId: "s", companyId: "c", hours: 48 }, t0)
        .expiresAt,
    ).toEqual(at(48));
    expect(() =>
      placeHold(
        { id: "h", ideaId: "i", callId: "k", schoolId: "s", companyId: "c", hours: MAX_HOLD_HOURS + 1 },
        t0,
      ),
    ).toThrow(ValidationError);
    expect(() =>
      placeHold({ id: "h", ideaId: "i", callId: "k", schoolId: "s", companyId: "c", hours: 0 }, t0),
    ).toThrow(ValidationError);
    expect(() =>
      placeHold({ id: "h", ideaId: "i", callId: "k", schoolId: "s", companyId: "c", hours: 1.5 }, t0),
    ).toThrow(ValidationError);
  });

  it("is in force until its expiry instant, then lapsable by the clock", () => {
    expect(isInForce(hold, at(167))).toBe(true);
    expect(isLapsable(hold, at(167))).toBe(false);
    expect(isInForce(hold, at(168))).toBe(false);
    expect(isLapsable(hold, at(168))).toBe(true);
  });

  it("lapses only when expired", () => {
    expect(() => lapseHold(hold, at(100))).toThrow(InvalidStateError);
    expect(lapseHold(hold, at(200))).toMatchObject({ status: "lapsed", endedAt: at(200) });
  });

  it("ends once: released, cancelled or declined", () => {
    expect(releaseHold(hold, at(1)).status).toBe("released");
    expect(cancelHold(hold, at(1)).status).toBe("cancelled");
    expect(declineHold(hold, at(1)).status).toBe("declined");
    const released = releaseHold(hold, at(1));
    expect(() => cancelHold(released, at(2))).toThrow(/it is released/);
    expect(() => lapseHold(released, at(500))).toThrow(InvalidStateError);
  });

  it("is exclusive: blocks other companies while in force, never its holder", () => {
    expect(() => assertNotBlockedBy(hold, "c2", at(1), "offer")).toThrow(ConflictError);
    expect(() => assertNotBlockedBy(hold, "c1", at(1), "offer")).not.toThrow();
    expect(() => assertNotBlockedBy(hold, "c2", at(168), "offer")).not.toThrow();
    expect(() => assertNotBlockedBy(releaseHold(hold, at(1)), "c2", at(2), "offer")).not.toThrow();
    expect(() => assertNotBlockedBy(undefined, "c2", at(2), "offer")).not.toThrow();
  });
});

describe("offers", () => {
  const input: OfferInput = {
    id: "o1",
    ideaId: "i1",
    callId: "call-1",
    schoolId: "school-1",
    companyId: "c1",
    commitments: {
      mentoringHours: 20,
      internships: [{ places: 2, startsOn: "2026-06-08", endsOn: "2026-07-03" }],
      fundingCents: 150_000,
      equipment: [{ item: " Stampante 3D ", quantity: 1 }],
    },
    message: "Vorremmo accompagnare il team nella prototipazione.",
  };

  it("opens with trimmed fields", () => {
    const o = makeOffer(input, t0);
    expect(o).toMatchObject({
      status: "open",
      createdAt: t0,
      commitments: { equipment: [{ item: "Stampante 3D" }] },
    });
  });

  it("must commit to something concrete", () => {
    const empty = { mentoringHours: 0, internships: [], fundingCents: 0, equipment: [] };
    expect(() => makeOffer({ ...input, commitments: empty }, t0)).toThrow(/invalid fields/);
  });

  it("names every bad commitment field", () => {
    try {
      makeOffer(
        {
          ...input,
          message: "hi",
          commitments: {
            mentoringHours: -1,
            fundingCents: 10.5,
            internships: [{ places: 0, startsOn: "2026-07-03", endsOn: "2026-06-08" }],
            equipment: [
              { item: "PC", quantity: 0 },
              { item: "pc", quantity: 1 },
            ],
          },
        },
        t0,
      );
      expect.unreachable();
    } catch (e) {
      expect((e as ValidationError).issues.map((i) => i.path)).toEqual([
        "commitments.mentoringHours",
        "commitments.fundingCents",
        "commitments.internships.0.places",
        "commitments.internships.0.endsOn",
        "commitments.equipment.0.quantity",
        "commitments.equipment.1.item",
        "message",
      ]);
    }
  });

  it("refuses impossible dates", () => {
    const c = {
      ...input.commitments,
      internships: [{ places: 1, startsOn: "2026-02-30", endsOn: "2026-03-01" }],
    };
    expect(() => makeOffer({ ...input, commitments: c }, t0)).toThrow(ValidationError);
  });

  it("bounds internship periods: from today, within two years, at most a year long", () => {
    const withInternship = (startsOn: string, endsOn: string) => ({
      ...input,
      commitments: { ...input.commitments, internships: [{ places: 1, startsOn, endsOn }] },
    });
    const pathsOf = (startsOn: string, endsOn: string) => {
      try {
        makeOffer(withInternship(startsOn, endsOn), t0); // t0 is 2026-03-01 in Rome
        return [];
      } catch (e) {
        return (e as ValidationError).issues.map((i) => `${i.path}: ${i.message}`);
      }
    };
    expect(pathsOf("2026-03-01", "2027-03-01")).toEqual([]);
    expect(pathsOf("2026-02-28", "2026-04-01")).toEqual([
      "commitments.internships.0.startsOn: must be today (2026-03-01) or later",
    ]);
    expect(pathsOf("2028-03-01", "2028-04-01")).toEqual([
      "commitments.internships.0.startsOn: must be within 730 days from today (2026-03-01)",
    ]);
    expect(pathsOf("2026-03-01", "2027-03-02")).toEqual([
      "commitments.internships.0.endsOn: an internship period lasts at most 366 days",
    ]);
  });

  it("is decided once", () => {
    const o = makeOffer(input, t0);
    expect(acceptOffer(o, at(1))).toMatchObject({ status: "accepted", decidedAt: at(1) });
    expect(declineOffer(o, at(1), "another offer was accepted")).toMatchObject({
      status: "declined",
      reason: "another offer was accepted",
    });
    expect(withdrawOffer(o, at(1), "changed plans").status).toBe("withdrawn");
    expect(cancelOffer(o, at(1), "idea withdrawn").status).toBe("cancelled");
    const withdrawn = withdrawOffer(o, at(1), "x");
    expect(() => acceptOffer(withdrawn, at(2))).toThrow("Cannot accept the offer: it is withdrawn");
  });
});
