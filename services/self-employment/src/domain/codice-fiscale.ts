// The Italian codice fiscale of a person (16 characters): format, check character and the birth date
// it encodes. Homocody ("omocodia"): when two people would share a code, the Revenue Agency replaces
// digits from the right with letters (0-9 -> L M N P Q R S T U V), so letters may stand where digits
// are expected; the check character is computed on the code as it is.
import type { LocalDate } from "@lto/civil-time";

const OMOCODIA = "LMNPQRSTUV";
/** Places (0-based) that hold digits in a plain code and may hold homocody letters. */
const DIGIT_PLACES = [6, 7, 9, 10, 12, 13, 14];
const MONTHS = "ABCDEHLMPRST";
const FORMAT = /^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/;

// Values of a character in an odd place (1st, 3rd, ... counted from 1), digits as the letter of the same rank.
const ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];

function rank(c: string): number {
  const code = c.charCodeAt(0);
  return code >= 48 && code <= 57 ? code - 48 : code - 65;
}

/** The check character of the first 15 characters (upper case) of a code. */
export function checkCharacter(first15: string): string {
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const r = rank(first15[i]!);
    sum += i % 2 === 0 ? ODD[r]! : r;
  }
  return String.fromCharCode(65 + (sum % 26));
}

export type CodiceFiscaleProblem = "format" | "check";

/** Upper case, without spaces: how a code is stored and compared. */
export function normaliseCodiceFiscale(value: string): string {
  return value.replace(/\s+/g, "").toUpperCase();
}

/** Why a (normalised) code is not valid, or undefined when it is. */
export function codiceFiscaleProblem(code: string): CodiceFiscaleProblem | undefined {
  if (!FORMAT.test(code)) return "format";
  if (checkCharacter(code.slice(0, 15)) !== code[15]) return "check";
  return undefined;
}

export function isValidCodiceFiscale(code: string): boolean {
  return codiceFiscaleProblem(code) === undefined;
}

/** The code with homocody letters turned back into digits. */
export function withoutOmocodia(code: string): string {
  const chars = [...code];
  for (const i of DIGIT_PLACES) {
    const at = OMOCODIA.indexOf(chars[i]!);
    if (at >= 0) chars[i] = String(at);
  }
  return chars.join("");
}

/** What a valid code says of its holder's birth: two-digit year, month, day, and sex (day + 40: F). */
export interface CodiceFiscaleBirth {
  yearOfCentury: number;
  month: number;
  day: number;
  sex: "M" | "F";
}

export function birthOf(code: string): CodiceFiscaleBirth {
  const plain = withoutOmocodia(code);
  const dayField = Number(plain.slice(9, 11));
  return {
    yearOfCentury: Number(plain.slice(6, 8)),
    month: MONTHS.indexOf(plain[8]!) + 1,
    day: dayField > 40 ? dayField - 40 : dayField,
    sex: dayField > 40 ? "F" : "M",
  };
}

/** Whether a birth date (YYYY-MM-DD) is the one the code encodes (the century is not in the code). */
export function matchesBirthDate(code: string, birthDate: LocalDate): boolean {
  const birth = birthOf(code);
  const [year, month, day] = birthDate.split("-").map(Number) as [number, number, number];
  return year % 100 === birth.yearOfCentury && month === birth.month && day === birth.day;
}
