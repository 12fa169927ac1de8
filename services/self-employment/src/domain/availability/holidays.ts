// The days the LTO sites are closed: the Italian public holidays (L. 260/1949 and later laws), Mantova's
// patron saint, and what each site adds or opens on. Pure: dates are civil days in Europe/Rome.
import { isLocalDate, type LocalDate } from "@lto/civil-time";

export interface Holiday {
  date: LocalDate;
  /** The Italian name, as shown to staff and young people. */
  name: string;
  /** `national`: every site in Italy; `patron`: the municipality's patron saint (Mantova). */
  kind: "national" | "patron";
}

/** The first year 4 October (San Francesco d'Assisi) is a national holiday again (L. 151/2025). */
const SAN_FRANCESCO_FROM = 2026;

const two = (n: number) => String(n).padStart(2, "0");
const day = (year: number, month: number, date: number): LocalDate =>
  new Date(Date.UTC(year, month - 1, date)).toISOString().slice(0, 10);

/** Easter Sunday of a Gregorian year (the anonymous Gregorian computus, Meeus/Jones/Butcher). */
export function easterSunday(year: number): LocalDate {
  if (!Number.isInteger(year) || year < 1583 || year > 9999)
    throw new RangeError(`${year} is not a Gregorian year between 1583 and 9999`);
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const date = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${two(month)}-${two(date)}`;
}

/** The public holidays of a year in Italy, plus Mantova's patron saint, sorted by date. */
export function italianHolidays(year: number): Holiday[] {
  const easter = easterSunday(year);
  const [, em, ed] = easter.split("-").map(Number) as [number, number, number];
  const national = (month: number, date: number, name: string): Holiday => ({
    date: day(year, month, date),
    name,
    kind: "national",
  });
  const holidays: Holiday[] = [
    national(1, 1, "Capodanno"),
    national(1, 6, "Epifania"),
    { date: day(year, 3, 18), name: "Sant'Anselmo, patrono di Mantova", kind: "patron" },
    national(em, ed, "Pasqua"),
    national(em, ed + 1, "Lunedì dell'Angelo"),
    national(4, 25, "Festa della Liberazione"),
    national(5, 1, "Festa dei Lavoratori"),
    national(6, 2, "Festa della Repubblica"),
    national(8, 15, "Assunzione di Maria (Ferragosto)"),
    national(11, 1, "Ognissanti"),
    national(12, 8, "Immacolata Concezione"),
    national(12, 25, "Natale"),
    national(12, 26, "Santo Stefano"),
  ];
  if (year >= SAN_FRANCESCO_FROM) holidays.push(national(10, 4, "San Francesco d'Assisi, patrono d'Italia"));
  return holidays.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/**
 * Which days a site is closed. By default every Italian public holiday and Mantova's patron saint;
 * a site adds its own closures (a summer week, another town's patron) or opens on a given holiday.
 */
export interface ClosedDays {
  /** Closed on the national public holidays (default true). */
  nationalHolidays?: boolean;
  /** Closed on 18 March, Sant'Anselmo (default true; a desk outside Mantova sets false). */
  patronSaint?: boolean;
  /** Further days this site is closed. */
  closed?: { date: LocalDate; name: string }[];
  /** Days this site opens although they are holidays (wins over everything above). */
  opened?: LocalDate[];
}

/** The default policy: closed on the public holidays and on Sant'Anselmo. */
export const DEFAULT_CLOSED_DAYS: ClosedDays = Object.freeze({});

/** Why a site is closed on a day (the holiday's or closure's name), or undefined when it is open. */
export function closedReason(date: LocalDate, policy: ClosedDays = DEFAULT_CLOSED_DAYS): string | undefined {
  if (!isLocalDate(date)) throw new RangeError(`${date} is not a calendar date YYYY-MM-DD`);
  if (policy.opened?.includes(date)) return undefined;
  const own = policy.closed?.find((closure) => closure.date === date);
  if (own) return own.name;
  const holiday = italianHolidays(Number(date.slice(0, 4))).find((h) => h.date === date);
  if (!holiday) return undefined;
  if (holiday.kind === "national" && policy.nationalHolidays === false) return undefined;
  if (holiday.kind === "patron" && policy.patronSaint === false) return undefined;
  return holiday.name;
}

export function isClosedDay(date: LocalDate, policy: ClosedDays = DEFAULT_CLOSED_DAYS): boolean {
  return closedReason(date, policy) !== undefined;
}
