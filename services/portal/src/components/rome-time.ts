// Dates and times as an Italian reader expects them: in Europe/Rome, in the page's language format.
import { useCallback } from "react";
import { useIntl } from "react-intl";
import { useLocale } from "../i18n/index.js";

const TIME_ZONE = "Europe/Rome";

/** Today in Rome as "YYYY-MM-DD" (what a date field holds and the services take). */
export function romeToday(now = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Rome" }).format(now);
}

/** formatDate(iso or "YYYY-MM-DD"): a day as "26/11/2026"; with time, "26/11/2026, 10:30" (Rome). */
export function useRomeDate() {
  const intl = useIntl();
  return useCallback(
    (value: string | undefined, withTime = false) => {
      if (!value) return "";
      // A bare calendar day is that day in Rome, whatever the browser's zone.
      const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00Z`) : new Date(value);
      return intl.formatDate(date, {
        timeZone: TIME_ZONE,
        day: "2-digit",
        month: "2-digit",
        year: "numeric",
        ...(withTime ? { hour: "2-digit", minute: "2-digit" } : {}),
      });
    },
    [intl],
  );
}

/** fmt(instant): "26 nov 2026, 15:00"; fmt(date, "date"): "26 nov 2026" (a YYYY-MM-DD stays that day). */
export function useRomeTime() {
  const { locale } = useLocale();
  return useCallback(
    (value: string, style: "dateTime" | "date" = "dateTime") => {
      const plainDate = /^\d{4}-\d{2}-\d{2}$/.test(value);
      const when = new Date(plainDate ? `${value}T12:00:00Z` : value);
      if (Number.isNaN(when.getTime())) return value;
      return new Intl.DateTimeFormat(locale === "en" ? "en-GB" : "it-IT", {
        timeZone: TIME_ZONE,
        dateStyle: "medium",
        ...(style === "dateTime" && !plainDate ? { timeStyle: "short" } : {}),
      }).format(when);
    },
    [locale],
  );
}
