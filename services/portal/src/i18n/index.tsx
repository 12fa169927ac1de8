// The portal's languages: Italian first (the default and the fallback), English second. The choice is
// remembered in the browser and set on <html lang> so assistive technology reads the right language.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { IntlProvider, useIntl } from "react-intl";
import { en } from "./en.js";
import { it, type MessageId } from "./it.js";

export type Locale = "it" | "en";
export const LOCALES: readonly Locale[] = ["it", "en"];
const catalogues: Record<Locale, Record<MessageId, string>> = { it, en };
const STORAGE_KEY = "lto.locale";

const LocaleContext = createContext<{ locale: Locale; setLocale(locale: Locale): void }>({
  locale: "it",
  setLocale: () => {},
});

function initialLocale(): Locale {
  const stored = localStorage.getItem(STORAGE_KEY);
  return stored === "en" || stored === "it" ? stored : "it";
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  const setLocale = useCallback((next: Locale) => {
    localStorage.setItem(STORAGE_KEY, next);
    setLocaleState(next);
  }, []);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const value = useMemo(() => ({ locale, setLocale }), [locale, setLocale]);
  return (
    <LocaleContext.Provider value={value}>
      <IntlProvider locale={locale} defaultLocale="it" messages={catalogues[locale]}>
        {children}
      </IntlProvider>
    </LocaleContext.Provider>
  );
}

export const useLocale = () => useContext(LocaleContext);

/** t("catalogue.hours", { hours: 3 }): a typed message id, so a missing text fails the typecheck. */
export function useT() {
  const intl = useIntl();
  return useCallback(
    (id: MessageId, values?: Record<string, string | number>) => intl.formatMessage({ id }, values),
    [intl],
  );
}

export type { MessageId };
