import { ConflictError, ForbiddenError, InvalidStateError, ValidationError } from "@lto/errors";
import { describe, expect, it } from "vitest";
import {
  ATECO_CODE,
  assertNoConflictOfInterest,
  assertVerified,
  registerCompany,
  updateCompany,
  vatCheckDigit,
  vatProblem,
  verifyCompany,
  type CompanyProfile,
} from "../../src/domain/index.js";
import { aCompanyProfile } from "../fixtures.js";

const now = new Date("2026-03-01T10:00:00Z");
const profile: CompanyProfile = aCompanyProfile();

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e.issues.map((i) => i.path);
    throw e;
  }
  throw new Error("expected a ValidationError");
}

describe("partita IVA", () => {
  it("accepts numbers whose check digit matches", () => {
    expect(vatProblem("12345670207")).toBeUndefined(); // office 020: Mantova
    expect(vatProblem("02744550209")).toBeUndefined();
  });
  it("computes the Luhn-like check digit over the first 10 digits", () => {
    expect(vatCheckDigit("1234567020")).toBe(7);
    // every other check digit is refused
    for (let d = 0; d <= 9; d++) if (d !== 7) expect(vatProblem(`1234567020${d}`)).toBe("check_digit");
  });
  it("refuses wrong lengths, letters and all-zero company numbers", () => {
    expect(vatProblem("1234567890")).toBe("format");
    expect(vatProblem("123456789031")).toBe("format");
    expect(vatProblem("1234567890a")).toBe("format");
    expect(vatProblem("00000000000")).toBe("format");
  });
  it("refuses unknown provincial office codes", () => {
    const first10 = "1234567150";
    expect(vatProblem(first10 + vatCheckDigit(first10))).toBe("office");
    const ok10 = "1234567120";
    expect(vatProblem(ok10 + vatCheckDigit(ok10))).toBeUndefined();
  });
});

describe("ATECO code", () => {
  it.each(["62", "62.0", "62.01", "62.01.0", "62.01.00", "01.11.10"])("accepts %s", (c) =>
    expect(ATECO_CODE.test(c)).toBe(true),
  );
  it.each(["6", "00", "62.", "62.012", "62-01", "A62.01", "62.01.000"])("refuses %s", (c) =>
    expect(ATECO_CODE.test(c)).toBe(false),
  );
});

describe("company registration and verification", () => {
  it("registers with the VAT number normalised, as registered", () => {
    const c = registerCompany("org-1", profile, now);
    expect(c).toMatchObject({
      id: "org-1",
      vatNumber: "12345670207",
      status: "registered",
      registeredAt: now,
    });
  });

  it("lists every bad field at once", () => {
    const paths = issuesOf(() =>
      registerCompany(
        "org-1",
        {
          legalName: " ",
          vatNumber: "12345670200",
          atecoCode: "62-01",
          areas: ["meccanica", "astronautica", "meccanica"],
          district: "Mantova City",
          contact: { name: "G", email: "not-an-email", phone: "abc" },
        },
        now,
      ),
    );
    expect(paths).toEqual([
      "legalName",
      "vatNumber",
      "atecoCode",
      "areas.1",
      "areas",
      "district",
      "contact.name",
      "contact.email",
      "contact.phone",
    ]);
  });

  it("needs at least one area", () => {
    expect(issuesOf(() => registerCompany("o", { ...profile, areas: [] }, now))).toEqual(["areas"]);
  });

  it("staff verify a registered company once", () => {
    const c = verifyCompany(registerCompany("org-1", profile, now), "staff-1", now);
    expect(c).toMatchObject({ status: "verified", verifiedBy: "staff-1", verifiedAt: now });
    expect(() => verifyCompany(c, "staff-1", now)).toThrow(InvalidStateError);
  });

  it("only verified companies may hold or offer", () => {
    const c = registerCompany("org-1", profile, now);
    expect(() => assertVerified(c)).toThrow(ForbiddenError);
    expect(() => assertVerified(verifyCompany(c, "s", now))).not.toThrow();
  });

  it("updates contact, areas, district and ATECO code, validated", () => {
    const c = registerCompany("org-1", profile, now);
    const u = updateCompany(c, { district: "suzzara", contact: { name: "Marco Bassi", email: "m@b.it" } });
    expect(u).toMatchObject({
      district: "suzzara",
      contact: { name: "Marco Bassi" },
      legalName: profile.legalName,
    });
    expect(issuesOf(() => updateCompany(c, { areas: ["x"] }))).toEqual(["areas.0"]);
  });
});

describe("conflict of interest", () => {
  it("refuses a company on the call's evaluation panel", () => {
    const call = { id: "call-1", panelOrganisationIds: ["lto-staff", "org-1"] };
    expect(() => assertNoConflictOfInterest("org-1", call)).toThrow(ConflictError);
    expect(() => assertNoConflictOfInterest("org-2", call)).not.toThrow();
    expect(() => assertNoConflictOfInterest("org-1", undefined)).not.toThrow();
  });
});
