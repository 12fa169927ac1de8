// One week at a time: previous and next buttons around the week's span (Rome dates, the page's
// language). The pages of one screen share one week state and so one navigator.
import { Button } from "design-react-kit";
import { addDays, romeDay } from "../pages/staff/time.js";
import { useLocale } from "../i18n/index.js";

export interface WeekNavigatorProps {
  /** The first day shown (YYYY-MM-DD, Rome): a Monday on the calendars, today on the slot lists. */
  week: string;
  onChange: (week: string) => void;
  previousLabel: string;
  nextLabel: string;
  /** The span's text from the first and last day as the page formats them. */
  span: (days: { from: string; to: string }) => string;
}

export function WeekNavigator({ week, onChange, previousLabel, nextLabel, span }: WeekNavigatorProps) {
  const { locale } = useLocale();
  return (
    <div className="d-flex align-items-center gap-2 mb-3 flex-wrap">
      <Button type="button" color="primary" outline size="sm" onClick={() => onChange(addDays(week, -7))}>
        {previousLabel}
      </Button>
      <span aria-live="polite">
        {span({
          from: romeDay(`${week}T12:00:00Z`, locale),
          to: romeDay(`${addDays(week, 6)}T12:00:00Z`, locale),
        })}
      </span>
      <Button type="button" color="primary" outline size="sm" onClick={() => onChange(addDays(week, 7))}>
        {nextLabel}
      </Button>
    </div>
  );
}
