// A week's entries day by day, the same way on every calendar: a heading per day (Rome, the page's
// language), the day's entries as rows under it, days in the order their first entry comes.
import type { ReactNode } from "react";
import { useLocale } from "../i18n/index.js";
import { romeDay } from "../pages/staff/time.js";

export function DayList<T>(props: {
  items: T[];
  /** The entry's day, YYYY-MM-DD in Rome. */
  day: (item: T) => string;
  itemKey: (item: T) => string;
  /** Unique on the page: the day headings' ids start with it. */
  idPrefix: string;
  testId: string;
  /** One row's content. */
  children: (item: T) => ReactNode;
}) {
  const { locale } = useLocale();
  const { items, day, itemKey, idPrefix, testId, children } = props;
  const days = new Map<string, T[]>();
  for (const item of items) days.set(day(item), [...(days.get(day(item)) ?? []), item]);
  return (
    <div data-testid={testId}>
      {[...days].map(([date, onDay]) => (
        <section key={date} aria-labelledby={`${idPrefix}-${date}`} className="mb-3">
          <h3 id={`${idPrefix}-${date}`} className="h5">
            {romeDay(`${date}T12:00:00Z`, locale)}
          </h3>
          <ul className="list-unstyled">
            {onDay.map((item) => (
              <li
                key={itemKey(item)}
                className="border-bottom py-2 d-flex gap-3 flex-wrap align-items-center"
              >
                {children(item)}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
