import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  firstInstantAtOrAfter,
  isAmbiguousWallTime,
  wallClockOf,
  addDays,
  CivilTimeError,
  elapsedMinutes,
  isLocalDate,
  isLocalTime,
  isSchoolYear,
  lastSundayOf,
  romeDate,
  schoolYearDays,
  schoolYearOf,
  startOfRomeDay,
  zonedDateTimeOf,
  zonedToInstant,
  type LocalTime,
} from "../src/index.js";

const rome = (date: string, time: string) => zonedToInstant({ date, time }).toISOString();

function problemOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (err) {
    if (err instanceof CivilTimeError) return err.reason;
    throw err;
  }
}

const hhmm = (minutes: number): LocalTime =>
  `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

describe("Rome calendar days and school years", () => {
  it("starts a winter day at 23:00 UTC of the day before and a summer day at 22:00 UTC", () => {
    expect(startOfRomeDay("2027-01-15").toISOString()).toBe("2027-01-14T23:00:00.000Z");
    expect(startOfRomeDay("2027-07-01").toISOString()).toBe("2027-06-30T22:00:00.000Z");
    expect(startOfRomeDay("2027-03-28").toISOString()).toBe("2027-03-27T23:00:00.000Z");
    expect(startOfRomeDay("2026-10-26").toISOString()).toBe("2026-10-25T23:00:00.000Z");
  });

  it("tells the Rome day of an instant and the school year, which turns on 1 September", () => {
    expect(romeDate(new Date("2026-12-31T23:30:00Z"))).toBe("2027-01-01");
    expect(schoolYearOf(new Date("2026-08-31T22:00:00Z"))).toBe("2026/27");
    expect(schoolYearOf(new Date("2026-08-31T21:59:59Z"))).toBe("2025/26");
    expect(schoolYearDays("2026/27")).toEqual({ first: "2026-09-01", last: "2027-08-31" });
  });

  it("validates dates, times and school years", () => {
    expect(isLocalDate("2028-02-29")).toBe(true);
    expect(isLocalDate("2027-02-29")).toBe(false);
    expect(isLocalTime("23:59")).toBe(true);
    expect(isLocalTime("24:00")).toBe(false);
    expect(isLocalTime("9:00")).toBe(false);
    expect(isSchoolYear("2026/27")).toBe(true);
    expect(isSchoolYear("2026/28")).toBe(false);
  });

  it("finds the last Sundays of March and October and moves by days", () => {
    expect(lastSundayOf(2027, 3)).toBe("2027-03-28");
    expect(lastSundayOf(2026, 10)).toBe("2026-10-25");
    expect(lastSundayOf(2028, 10)).toBe("2028-10-29");
    expect(addDays("2027-02-28", 1)).toBe("2027-03-01");
    expect(addDays("2027-01-01", -1)).toBe("2026-12-31");
  });
});

describe("civil date-time to UTC instant", () => {
  it("uses +01:00 in winter and +02:00 in summer", () => {
    expect(rome("2027-01-15", "14:30")).toBe("2027-01-15T13:30:00.000Z");
    expect(rome("2027-07-01", "09:00")).toBe("2027-07-01T07:00:00.000Z");
  });

  it("is right either side of the March change (02:00 -> 03:00 on 28 March 2027)", () => {
    expect(rome("2027-03-28", "01:59")).toBe("2027-03-28T00:59:00.000Z");
    expect(rome("2027-03-28", "03:00")).toBe("2027-03-28T01:00:00.000Z");
  });

  it("refuses a time the clocks skip, saying so", () => {
    expect(() => zonedToInstant({ date: "2027-03-28", time: "02:30" })).toThrow(
      /does not exist in Europe\/Rome/,
    );
    expect(problemOf(() => zonedToInstant({ date: "2027-03-28", time: "02:00" }))).toBe("nonexistent");
  });

  it("reads a time the clocks pass twice as its first occurrence unless told otherwise", () => {
    // 25 October 2026: 03:00 CEST -> 02:00 CET, so 02:30 is 00:30Z and again 01:30Z.
    expect(rome("2026-10-25", "02:30")).toBe("2026-10-25T00:30:00.000Z");
    expect(zonedToInstant({ date: "2026-10-25", time: "02:30" }, "later").toISOString()).toBe(
      "2026-10-25T01:30:00.000Z",
    );
    expect(problemOf(() => zonedToInstant({ date: "2026-10-25", time: "02:30" }, "reject"))).toBe(
      "ambiguous",
    );
    expect(rome("2026-10-25", "03:00")).toBe("2026-10-25T02:00:00.000Z");
  });

  it("refuses what is not a date, a time or a zone", () => {
    expect(problemOf(() => zonedToInstant({ date: "2027-02-30", time: "10:00" }))).toBe("invalid");
    expect(problemOf(() => zonedToInstant({ date: "2027-02-03", time: "25:00" }))).toBe("invalid");
    expect(problemOf(() => zonedToInstant({ date: "2027-02-03", time: "10:00", zone: "Mars/Base" }))).toBe(
      "invalid",
    );
  });

  it("gives a meeting's real length on the days the clocks change", () => {
    expect(elapsedMinutes("2027-03-28", "01:30", "03:30")).toBe(60);
    expect(elapsedMinutes("2026-10-25", "01:30", "03:30")).toBe(180);
    expect(elapsedMinutes("2027-01-15", "14:30", "17:00")).toBe(150);
    expect(problemOf(() => elapsedMinutes("2027-01-15", "17:00", "14:30"))).toBe("invalid");
    expect(problemOf(() => elapsedMinutes("2027-03-28", "02:15", "04:00"))).toBe("nonexistent");
  });
});

describe("properties around the last Sundays of March and October", () => {
  const years = fc.integer({ min: 1996, max: 2099 });
  const minuteOfDay = fc.integer({ min: 0, max: 24 * 60 - 1 });
  // A day within a week of a change (either side), where a wrong offset would show.
  const nearChange = fc
    .record({ year: years, month: fc.constantFrom(3, 10), shift: fc.integer({ min: -7, max: 7 }) })
    .map(({ year, month, shift }) => addDays(lastSundayOf(year, month), shift));

  it("an instant's civil time converts back to the same instant (earlier or later, whichever it was)", () => {
    fc.assert(
      fc.property(nearChange, minuteOfDay, (date, minute) => {
        const instant = startOfRomeDay(date).getTime() + minute * 60_000;
        const civil = zonedDateTimeOf(new Date(instant));
        const earlier = zonedToInstant(civil, "earlier").getTime();
        const later = zonedToInstant(civil, "later").getTime();
        expect([earlier, later]).toContain(instant);
      }),
    );
  });

  it("a valid civil time converts to an instant whose civil time is itself", () => {
    fc.assert(
      fc.property(nearChange, minuteOfDay, (date, minute) => {
        const time = hhmm(minute);
        const problem = problemOf(() => zonedToInstant({ date, time }));
        const isGap = date === lastSundayOf(Number(date.slice(0, 4)), 3) && time >= "02:00" && time < "03:00";
        expect(problem).toBe(isGap ? "nonexistent" : undefined);
        if (!isGap)
          expect(zonedDateTimeOf(zonedToInstant({ date, time }))).toEqual({
            date,
            time,
            zone: "Europe/Rome",
          });
      }),
    );
  });

  it("only 02:00-02:59 on the last Sunday of October is ambiguous, an hour apart", () => {
    fc.assert(
      fc.property(nearChange, minuteOfDay, (date, minute) => {
        const time = hhmm(minute);
        const isGap = date === lastSundayOf(Number(date.slice(0, 4)), 3) && time >= "02:00" && time < "03:00";
        fc.pre(!isGap);
        const fold = date === lastSundayOf(Number(date.slice(0, 4)), 10) && time >= "02:00" && time < "03:00";
        const gap =
          zonedToInstant({ date, time }, "later").getTime() -
          zonedToInstant({ date, time }, "earlier").getTime();
        expect(gap).toBe(fold ? 3_600_000 : 0);
        expect(problemOf(() => zonedToInstant({ date, time }, "reject"))).toBe(
          fold ? "ambiguous" : undefined,
        );
      }),
    );
  });

  it("a meeting lasts its wall-clock span, minus an hour across the March change, plus one across October's", () => {
    fc.assert(
      fc.property(
        nearChange,
        fc.integer({ min: 0, max: 23 * 60 }),
        fc.integer({ min: 1, max: 23 * 60 }),
        (date, startMinute, length) => {
          const endMinute = Math.min(startMinute + length, 24 * 60 - 1);
          fc.pre(endMinute > startMinute);
          const [start, end] = [hhmm(startMinute), hhmm(endMinute)];
          const year = Number(date.slice(0, 4));
          const inHour = (t: string) => t >= "02:00" && t < "03:00";
          const march = date === lastSundayOf(year, 3);
          const october = date === lastSundayOf(year, 10);
          fc.pre(!(march && (inHour(start) || inHour(end))));
          // With the default (first occurrence), a time in October's repeated hour is still summer time.
          const crosses = (t1: string, t2: string) => t1 < "03:00" && t2 >= "03:00";
          const expected =
            endMinute -
            startMinute -
            (march && crosses(start, end) ? 60 : 0) +
            (october && crosses(start, end) ? 60 : 0);
          expect(elapsedMinutes(date, start, end)).toBe(expected);
        },
      ),
    );
  });
});

describe("the repeated hour of the autumn change (2026-10-25, 03:00 CEST -> 02:00 CET)", () => {
  it("is ambiguous both times the clock shows it", () => {
    // 02:30 CEST, the first time the clock shows 02:30 that night.
    expect(wallClockOf(new Date("2026-10-25T00:30:00Z"))).toBe("2026-10-25T02:30:00");
    expect(isAmbiguousWallTime(new Date("2026-10-25T00:30:00Z"))).toBe(true);
    expect(isAmbiguousWallTime(new Date("2026-10-25T00:00:00Z"))).toBe(true);
    // 02:30 CET, the second time.
    expect(wallClockOf(new Date("2026-10-25T01:30:00Z"))).toBe("2026-10-25T02:30:00");
    expect(isAmbiguousWallTime(new Date("2026-10-25T01:30:00Z"))).toBe(true);
    expect(isAmbiguousWallTime(new Date("2026-10-25T01:59:59Z"))).toBe(true);
  });

  it("leaves every other time alone", () => {
    for (const at of [
      "2026-10-24T23:30:00Z", // 01:30 CEST
      "2026-10-24T23:59:59Z", // 01:59:59 CEST, the last second before the repeated hour
      "2026-10-25T02:00:00Z", // 03:00 CET, just after the repeated hour
      "2026-10-25T07:00:00Z",
      "2027-03-28T00:30:00Z", // 01:30 CET, before the spring change
      "2027-03-28T01:00:00Z", // 03:00 CEST, just after it
      "2027-01-15T08:00:00Z",
      "2027-07-15T07:00:00Z",
    ]) {
      expect(isAmbiguousWallTime(new Date(at)), at).toBe(false);
    }
  });
});

describe("firstInstantAtOrAfter", () => {
  it("reads a working-hours time on every day, the spring gap included", () => {
    const at = (date: string, time: string) => firstInstantAtOrAfter({ date, time }).toISOString();
    expect(at("2026-03-29", "02:30")).toBe("2026-03-29T01:00:00.000Z"); // the jump to 03:00
    expect(at("2026-03-29", "01:59")).toBe("2026-03-29T00:59:00.000Z");
    expect(at("2026-10-25", "02:30")).toBe("2026-10-25T00:30:00.000Z"); // the first of the two
    expect(at("2026-05-04", "09:00")).toBe("2026-05-04T07:00:00.000Z");
    expect(() => at("2026-02-30", "09:00")).toThrow(CivilTimeError);
  });
});
