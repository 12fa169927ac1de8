import { describe, expect, it } from "vitest";
import { isLocalDate, isSchoolYear, romeDate, schoolYearOf, startOfRomeDay } from "../../src/domain/time.js";

describe("Europe/Rome calendar", () => {
  it("starts a winter day at 23:00 UTC of the day before and a summer day at 22:00 UTC", () => {
    expect(startOfRomeDay("2027-01-15").toISOString()).toBe("2027-01-14T23:00:00.000Z");
    expect(startOfRomeDay("2027-07-01").toISOString()).toBe("2027-06-30T22:00:00.000Z");
  });

  it("handles the days daylight saving time begins and ends", () => {
    // Summer time starts on 28 March 2027 at 02:00 and ends on 25 October 2026 at 03:00.
    expect(startOfRomeDay("2027-03-28").toISOString()).toBe("2027-03-27T23:00:00.000Z");
    expect(startOfRomeDay("2027-03-29").toISOString()).toBe("2027-03-28T22:00:00.000Z");
    expect(startOfRomeDay("2026-10-25").toISOString()).toBe("2026-10-24T22:00:00.000Z");
    expect(startOfRomeDay("2026-10-26").toISOString()).toBe("2026-10-25T23:00:00.000Z");
  });

  it("tells the Rome calendar day of an instant", () => {
    expect(romeDate(new Date("2026-12-31T23:30:00Z"))).toBe("2027-01-01");
    expect(romeDate(new Date("2027-06-30T21:59:59Z"))).toBe("2027-06-30");
    expect(romeDate(new Date("2027-06-30T22:00:00Z"))).toBe("2027-07-01");
  });

  it("switches school year on 1 September in Rome", () => {
    expect(schoolYearOf(new Date("2026-08-31T21:59:59Z"))).toBe("2025/26");
    expect(schoolYearOf(new Date("2026-08-31T22:00:00Z"))).toBe("2026/27");
    expect(schoolYearOf(new Date("2027-03-01T12:00:00Z"))).toBe("2026/27");
    expect(schoolYearOf(new Date("2099-10-01T12:00:00Z"))).toBe("2099/00");
  });

  it("validates local dates and school years", () => {
    expect(isLocalDate("2028-02-29")).toBe(true);
    expect(isLocalDate("2027-02-29")).toBe(false);
    expect(isLocalDate("2027-2-1")).toBe(false);
    expect(isSchoolYear("2026/27")).toBe(true);
    expect(isSchoolYear("2026/28")).toBe(false);
    expect(isSchoolYear("2026-27")).toBe(false);
  });
});
