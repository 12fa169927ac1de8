import { describe, expect, it } from "vitest";
import {
  birthOf,
  checkCharacter,
  codiceFiscaleProblem,
  isValidCodiceFiscale,
  matchesBirthDate,
  normaliseCodiceFiscale,
  withoutOmocodia,
} from "../../src/domain/codice-fiscale.js";

// Codes built by the rules (not real people): RSSMRA80A01F205X is the textbook "Mario Rossi".
const MARIO = "RSSMRA80A01F205X";

describe("codice fiscale", () => {
  it("accepts well-formed codes with the right check character", () => {
    expect(isValidCodiceFiscale(MARIO)).toBe(true);
    expect(checkCharacter(MARIO.slice(0, 15))).toBe("X");
    // A woman born 15 May 2008 in Mantova (E897): day 15 + 40 = 55.
    const anna = `VRDNNA08E55E897`;
    expect(isValidCodiceFiscale(anna + checkCharacter(anna))).toBe(true);
  });

  it("refuses a bad format and names it", () => {
    for (const bad of ["", "RSSMRA80A01F205", "RSSMRA80A01F205XX", "RSSMRA80Z01F205X", "1SSMRA80A01F205X"])
      expect(codiceFiscaleProblem(bad)).toBe("format");
    // A homocody letter outside the digit places' set (W is none of L M N P Q R S T U V).
    expect(codiceFiscaleProblem("RSSMRA8WA01F205X")).toBe("format");
  });

  it("refuses a wrong check character, whatever the format", () => {
    expect(codiceFiscaleProblem("RSSMRA80A01F205Y")).toBe("check");
    // One typo in the middle changes the check character.
    expect(codiceFiscaleProblem("RSSMRA81A01F205X")).toBe("check");
  });

  it("accepts homocody codes (digits replaced by letters from the right) with their own check character", () => {
    // The last digit 5 -> R, then 0 -> L: each variant is its own valid code.
    const one = `RSSMRA80A01F20R`;
    const two = `RSSMRA80A01F2LR`;
    const all = `RSSMRAULALMFNLR`;
    for (const code of [one, two, all]) {
      const full = code + checkCharacter(code);
      expect(isValidCodiceFiscale(full), full).toBe(true);
      expect(withoutOmocodia(full).slice(0, 15)).toBe("RSSMRA80A01F205");
      expect(birthOf(full)).toEqual({ yearOfCentury: 80, month: 1, day: 1, sex: "M" });
      expect(matchesBirthDate(full, "1980-01-01")).toBe(true);
    }
  });

  it("reads the birth date and sex the code encodes", () => {
    expect(birthOf(MARIO)).toEqual({ yearOfCentury: 80, month: 1, day: 1, sex: "M" });
    const anna = `VRDNNA08E55E897`;
    expect(birthOf(anna + checkCharacter(anna))).toEqual({ yearOfCentury: 8, month: 5, day: 15, sex: "F" });
    expect(matchesBirthDate(anna + checkCharacter(anna), "2008-05-15")).toBe(true);
    expect(matchesBirthDate(anna + checkCharacter(anna), "2008-05-16")).toBe(false);
    expect(matchesBirthDate(MARIO, "1980-02-01")).toBe(false);
    expect(matchesBirthDate(MARIO, "1981-01-01")).toBe(false);
  });

  it("normalises spaces and case before checking", () => {
    expect(normaliseCodiceFiscale(" rssmra80a01 f205x ")).toBe(MARIO);
  });

  it("catches every single-character typo of a valid code (format or check character)", () => {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    const anna = "VRDNNA08E55E897";
    for (const code of [
      MARIO,
      anna + checkCharacter(anna),
      "RSSMRAULALMFNLR" + checkCharacter("RSSMRAULALMFNLR"),
    ]) {
      expect(isValidCodiceFiscale(code)).toBe(true);
      for (let i = 0; i < 16; i++)
        for (const c of alphabet) {
          if (c === code[i]) continue;
          const typo = code.slice(0, i) + c + code.slice(i + 1);
          expect(isValidCodiceFiscale(typo), typo).toBe(false);
        }
    }
  });
});
