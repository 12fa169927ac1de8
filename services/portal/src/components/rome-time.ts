// Dates and times as an Italian reader expects them: in Europe/Rome, in the page's language format.
import { useCallback } from "react";
import { useIntl } from "react-intl";

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
        timeZone: "Europe/Rome",
        day: "2-digit",
        month: "2-digit",
        year: "numeric",
        ...(withTime ? { hour: "2-digit", minute: "2-digit" } : {}),
      });
    },
    [intl],
  );
}
