import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  closedReason,
  easterSunday,
  isClosedDay,
  italianHolidays,
} from "../../src/domain/availability/index.js";

describe("Easter Sunday (Gregorian computus)", () => {
  it.each([
    [2000, "2000-04-23"],
    [2008, "2008-03-23"],
    [2011, "2011-04-24"],
    [2019, "2019-04-21"],
    [2024, "2024-03-31"],
    [2025, "2025-04-20"],
    [2026, "2026-04-05"],
    [2027, "2027-03-28"],
    [2029, "2029-04-01"],
    [2030, "2030-04-21"],
    [2038, "2038-04-25"],
    [2285, "2285-03-22"],
  ])("falls in %i on %s", (year, date) => {
    expect(easterSunday(year)).toBe(date);
  });

  it("is always a Sunday between 22 March and 25 April", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1583, max: 9999 }), (year) => {
        const easter = easterSunday(year);
        expect(new Date(`${easter}T00:00:00Z`).getUTCDay()).toBe(0);
        expect(easter.slice(5) >= "03-22" && easter.slice(5) <= "04-25").toBe(true);
      }),
    );
  });

  it("refuses a year outside the Gregorian calendar", () => {
    expect(() => easterSunday(1500)).toThrow(RangeError);
    expect(() => easterSunday(2026.5)).toThrow(RangeError);
  });
});

describe("Italian public holidays", () => {
  it("lists the holidays of 2025 with their Italian names, Sant'Anselmo included", () => {
    expect(italianHolidays(2025).map((h) => [h.date, h.name, h.kind])).toEqual([
      ["2025-01-01", "Capodanno", "national"],
      ["2025-01-06", "Epifania", "national"],
      ["2025-03-18", "Sant'Anselmo, patrono di Mantova", "patron"],
      ["2025-04-20", "Pasqua", "national"],
      ["2025-04-21", "Lunedì dell'Angelo", "national"],
      ["2025-04-25", "Festa della Liberazione", "national"],
      ["2025-05-01", "Festa dei Lavoratori", "national"],
      ["2025-06-02", "Festa della Repubblica", "national"],
      ["2025-08-15", "Assunzione di Maria (Ferragosto)", "national"],
      ["2025-11-01", "Ognissanti", "national"],
      ["2025-12-08", "Immacolata Concezione", "national"],
      ["2025-12-25", "Natale", "national"],
      ["2025-12-26", "Santo Stefano", "national"],
    ]);
  });

  it("adds 4 October, San Francesco d'Assisi, from 2026 (L. 151/2025)", () => {
    expect(italianHolidays(2025).some((h) => h.date === "2025-10-04")).toBe(false);
    expect(italianHolidays(2027).find((h) => h.date === "2027-10-04")?.name).toBe(
      "San Francesco d'Assisi, patrono d'Italia",
    );
    expect(italianHolidays(2026)).toHaveLength(14);
  });

  it("puts Easter Monday on the next day across the month end", () => {
    expect(italianHolidays(2024).find((h) => h.name === "Lunedì dell'Angelo")?.date).toBe("2024-04-01");
  });

  it("keeps the list sorted and free of duplicates even when Easter meets 25 April", () => {
    const dates = italianHolidays(2038).map((h) => h.date);
    expect(dates).toEqual([...dates].sort());
    expect(dates.filter((d) => d === "2038-04-25")).toHaveLength(2);
  });
});

describe("a site's closed days", () => {
  it("closes on the holidays and on Sant'Anselmo by default, and is open otherwise", () => {
    expect(closedReason("2026-03-18")).toBe("Sant'Anselmo, patrono di Mantova");
    expect(closedReason("2026-04-06")).toBe("Lunedì dell'Angelo");
    expect(isClosedDay("2026-12-25")).toBe(true);
    expect(isClosedDay("2026-03-17")).toBe(false);
    expect(isClosedDay("2026-03-29")).toBe(false);
  });

  it("opens on a given holiday, adds its own closures, and may ignore the patron or the holidays", () => {
    const policy = {
      opened: ["2026-03-18"],
      closed: [{ date: "2026-08-14", name: "Chiusura estiva" }],
    };
    expect(isClosedDay("2026-03-18", policy)).toBe(false);
    expect(closedReason("2026-08-14", policy)).toBe("Chiusura estiva");
    expect(isClosedDay("2026-08-15", policy)).toBe(true);
    expect(isClosedDay("2027-03-18", { patronSaint: false })).toBe(false);
    expect(isClosedDay("2027-04-25", { patronSaint: false })).toBe(true);
    expect(isClosedDay("2027-04-25", { nationalHolidays: false })).toBe(false);
    expect(isClosedDay("2027-03-18", { nationalHolidays: false })).toBe(true);
  });

  it("refuses a malformed date", () => {
    expect(() => isClosedDay("2026-02-30")).toThrow(/calendar date/);
  });
});
