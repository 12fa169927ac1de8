// Dates and times as staff read them: Europe/Rome, in the portal's language (Italian format first).
const ZONE = "Europe/Rome";

export const romeDay = (instant: string | Date, locale: string) =>
  new Intl.DateTimeFormat(locale, { timeZone: ZONE, weekday: "long", day: "numeric", month: "long" }).format(
    new Date(instant),
  );

/** The day with its year ("giovedì 3 gennaio 2030"): for what may lie weeks or months ahead. */
export const romeFullDay = (instant: string | Date, locale: string) =>
  new Intl.DateTimeFormat(locale, {
    timeZone: ZONE,
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
  }).format(new Date(instant));

export const romeTime = (instant: string | Date, locale: string) =>
  new Intl.DateTimeFormat(locale, { timeZone: ZONE, hour: "2-digit", minute: "2-digit" }).format(
    new Date(instant),
  );

/** YYYY-MM-DD of the instant in Rome. */
export function romeDate(instant: Date): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: ZONE,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(instant);
  return parts;
}

/** A Rome date plus `days` (calendar arithmetic on the date itself). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Rome's offset at an instant, as "+01:00". */
export function romeOffset(instant: Date): string {
  const name = new Intl.DateTimeFormat("en-US", { timeZone: ZONE, timeZoneName: "longOffset" })
    .formatToParts(instant)
    .find((p) => p.type === "timeZoneName")?.value;
  const offset = name?.replace("GMT", "") ?? "";
  return offset === "" ? "+00:00" : offset;
}

/** The wall clock in Rome of an instant, as a datetime-local value (YYYY-MM-DDTHH:MM). */
export function romeLocalInput(instant: string): string {
  const d = new Date(instant);
  const time = new Intl.DateTimeFormat("en-GB", {
    timeZone: ZONE,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(d);
  return `${romeDate(d)}T${time}`;
}

/** A datetime-local value read as Rome's wall clock: an instant with its offset (the offset of `near`). */
export const withRomeOffset = (local: string, near: Date) => `${local}:00${romeOffset(near)}`;

/** Monday of the Rome week holding `date` (YYYY-MM-DD). */
export function mondayOf(date: string): string {
  const weekday = new Date(`${date}T12:00:00Z`).getUTCDay(); // 0 Sunday
  return addDays(date, -((weekday + 6) % 7));
}
