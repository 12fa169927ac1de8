/**
 * Partita IVA: 11 digits. Digits 1-7 number the company, 8-10 name the provincial office (001-100,
 * 120, 121, 888 or 999), digit 11 is a check digit computed Luhn-style: digits in odd positions are
 * added as they are, digits in even positions are doubled (minus 9 when the double exceeds 9), and
 * the check digit brings the sum to a multiple of 10.
 */
export function vatCheckDigit(first10: string): number {
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const d = Number(first10[i]);
    if (i % 2 === 0) sum += d;
    else sum += d * 2 > 9 ? d * 2 - 9 : d * 2;
  }
  return (10 - (sum % 10)) % 10;
}

export type VatProblem = "format" | "office" | "check_digit";

export function vatProblem(value: string): VatProblem | undefined {
  if (!/^\d{11}$/.test(value) || /^0{7}/.test(value)) return "format";
  const office = Number(value.slice(7, 10));
  if (!(
    (office >= 1 && office <= 100) ||
    office === 120 ||
    office === 121 ||
    office === 888 ||
    office === 999
  ))
    return "office";
  if (vatCheckDigit(value.slice(0, 10)) !== Number(value[10])) return "check_digit";
  return undefined;
}

/** Accepts "IT" prefix and spaces as people type them; returns the 11 digits. */
export function normaliseVat(value: string): string {
  return value.replace(/\s+/g, "").replace(/^IT/i, "");
}

/** ATECO 2007/2025 codes: division "62", group "62.0", class "62.01", category "62.01.0", subcategory "62.01.00". */
export const ATECO_CODE = /^(0[1-9]|[1-9]\d)(\.\d(\d(\.\d{1,2})?)?)?$/;
