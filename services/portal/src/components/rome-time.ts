// Dates and times as an Italian reader expects them: in Europe/Rome, in the page's language format.
// One hook, one parsing rule; the style says how much of the instant the reader needs.
import { useCallback } from "react";
import { useLocale } from "../i18n/index.js";

const TIME_ZONE = "Europe/Rome";

/** Today in Rome as "YYYY-MM-DD" (what a date field holds and the services take). */
export function romeToday(now = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: TIME_ZONE }).format(now);
}

/**
 * - "dateTime" (default): "26 nov 2026, 15:00"; a bare YYYY-MM-DD shows as its day only
 * - "date": "26 nov 2026"
 * - "day": "26/11/2026" (compact, in lists and badges)
 * - "dayTime": "26/11/2026, 15:00"
 */
export type RomeStyle = "dateTime" | "date" | "day" | "dayTime";

const FORMATS: Record<RomeStyle, Intl.DateTimeFormatOptions> = {
  dateTime: { dateStyle: "medium", timeStyle: "short" },
  date: { dateStyle: "medium" },
  day: { day: "2-digit", month: "2-digit", year: "numeric" },
  dayTime: { day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit" },
};
const DATE_ONLY: Record<RomeStyle, RomeStyle> = {
  dateTime: "date",
  date: "date",
  day: "day",
  dayTime: "day",
};

/** An instant or a "YYYY-MM-DD" as Rome reads it; what is not a date is returned as it came. */
export function formatRome(value: string | undefined, style: RomeStyle, locale: "it" | "en"): string {
  if (!value) return "";
  // A bare calendar day is that day in Rome, whatever the browser's zone, and has no time to show.
  const plainDate = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const when = new Date(plainDate ? `${value}T12:00:00Z` : value);
  if (Number.isNaN(when.getTime())) return value;
  return new Intl.DateTimeFormat(locale === "en" ? "en-GB" : "it-IT", {
    timeZone: TIME_ZONE,
    ...FORMATS[plainDate ? DATE_ONLY[style] : style],
  }).format(when);
}

/** when(value, style?): formatRome in the page's language. */
export function useRomeTime() {
  const { locale } = useLocale();
  return useCallback(
    (value: string | undefined, style: RomeStyle = "dateTime") => formatRome(value, style, locale),
    [locale],
  );
}
