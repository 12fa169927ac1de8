// Dates and times as a person in Mantova reads them: Europe/Rome, in the portal's language's format.
import { useCallback } from "react";
import { useLocale } from "../i18n/index.js";

const TIME_ZONE = "Europe/Rome";

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

/** A random Idempotency-Key: a retried click never enrols or accepts twice. */
export const idempotencyKey = () => crypto.randomUUID();

/** Saves a response body as a file the way a download link would (name from Content-Disposition). */
export async function saveResponse(response: Response, fallbackName: string): Promise<string> {
  const blob = await response.blob();
  const disposition = response.headers.get("content-disposition") ?? "";
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}
