// What a company promises (mentoring hours, internships, funding, equipment), read the same way by the
// school deciding on an offer and by the company that made it.
import { useIntl } from "react-intl";
import { useT } from "../i18n/index.js";
import { useRomeTime } from "./rome-time.js";

export interface Commitments {
  mentoringHours?: number;
  internships?: Array<{ places: number; startsOn: string; endsOn: string }>;
  fundingCents?: number;
  equipment?: Array<{ item: string; quantity: number }>;
}

export function useEuro() {
  const intl = useIntl();
  return (cents: number) => intl.formatNumber(cents / 100, { style: "currency", currency: "EUR" });
}

export function CommitmentList({ commitments }: { commitments: Commitments }) {
  const t = useT();
  const day = useRomeTime();
  const euro = useEuro();
  return (
    <ul className="mb-2">
      {(commitments.mentoringHours ?? 0) > 0 && (
        <li>{t("company.commitments.mentoring", { hours: commitments.mentoringHours ?? 0 })}</li>
      )}
      {(commitments.internships ?? []).map((i, n) => (
        <li key={`i${n}`}>
          {t("company.commitments.internship", {
            places: i.places,
            from: day(i.startsOn, "day"),
            to: day(i.endsOn, "day"),
          })}
        </li>
      ))}
      {(commitments.fundingCents ?? 0) > 0 && (
        <li>{t("company.commitments.funding", { amount: euro(commitments.fundingCents ?? 0) })}</li>
      )}
      {(commitments.equipment ?? []).map((e) => (
        <li key={e.item}>{t("company.commitments.equipment", { item: e.item, quantity: e.quantity })}</li>
      ))}
    </ul>
  );
}
