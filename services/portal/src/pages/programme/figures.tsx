// The programme office's figures (insights service): one figure at a time, filtered by school year and
// site, grouped by a dimension for the chart; the chart, its data table (every row, the accessible
// alternative) and the service's own CSV of the same rows to download.
import { keepPreviousData, useMutation, useQuery } from "@tanstack/react-query";
import { Button } from "design-react-kit";
import { useCallback, useState, type FormEvent } from "react";
import { api, data } from "../../api/client.js";
import { ProblemError } from "../../api/problem.js";
import { currentSession } from "../../auth/session.js";
import { Loading, ProblemAlert } from "../../components/feedback.js";
import { submitOnEnter } from "../../components/fields.js";
import { saveResponse } from "../../components/requests.js";
import { AUDIENCES, SITES } from "../../components/vocabulary.js";
import { useLocale, useT, type MessageId } from "../../i18n/index.js";
import { FigureChart } from "./chart.js";

export const FIGURES = ["ideas", "adoption", "commitments", "learning", "services"] as const;
export type Figure = (typeof FIGURES)[number];
const CHART_BY: Record<Figure, readonly string[]> = {
  ideas: ["state", "callTitle", "area", "district", "site", "schoolYear"],
  adoption: ["area", "district", "callId", "site", "schoolYear"],
  commitments: ["kind", "site", "schoolYear"],
  learning: ["level", "site", "audience", "schoolYear"],
  services: ["month", "site", "serviceType", "schoolYear"],
};
const COLUMNS = [
  "schoolYear",
  "site",
  "callId",
  "callTitle",
  "area",
  "district",
  "state",
  "kind",
  "level",
  "audience",
  "serviceType",
  "month",
  "ideas",
  "published",
  "adopted",
  "adoptionRate",
  "avgDaysToAdoption",
  "promised",
  "delivered",
  "deliveries",
  "pctoHours",
  "enrolments",
  "completions",
  "credentials",
  "bookings",
  "cancelled",
  "noShows",
  "hoursDelivered",
] as const;

/** The school years to choose from: this one (from 1 September, Rome) and the four before it. */
function schoolYears(now = new Date()): string[] {
  const [y, m] = new Intl.DateTimeFormat("en-CA", {
    timeZone: "Europe/Rome",
    year: "numeric",
    month: "numeric",
  })
    .formatToParts(now)
    .filter((p) => p.type !== "literal")
    .map((p) => Number(p.value));
  const first = m! >= 9 ? y! : y! - 1;
  return Array.from(
    { length: 5 },
    (_, i) => `${first - i}/${String((first - i + 1) % 100).padStart(2, "0")}`,
  );
}

interface Filters {
  figure: Figure;
  schoolYear?: string;
  site?: (typeof SITES)[number];
  by?: string;
}

export function Figures() {
  const t = useT();
  const { locale } = useLocale();
  const [filters, setFilters] = useState<Filters>({ figure: "learning" });
  const [draft, setDraft] = useState<Filters>(filters);
  const query = useQuery({
    queryKey: ["insights", filters],
    queryFn: () =>
      data(
        // One typed path per figure: the union of the five is what the page reads.
        api.insights.GET(`/v1/figures/${filters.figure}` as "/v1/figures/learning", {
          params: {
            query: {
              ...(filters.schoolYear ? { schoolYear: filters.schoolYear } : {}),
              ...(filters.site ? { site: filters.site } : {}),
              ...(filters.by ? { by: filters.by as "level" } : {}),
            },
          },
        }),
      ) as Promise<{
        columns: string[];
        rows: Array<Record<string, string | number | null>>;
        chart: {
          by: string;
          categories: string[];
          series: Array<{ label: string; data: Array<number | null> }>;
        };
      }>,
    placeholderData: keepPreviousData,
  });
  const csv = useMutation({
    mutationFn: async () => {
      const search = new URLSearchParams({ format: "csv" });
      if (filters.schoolYear) search.set("schoolYear", filters.schoolYear);
      if (filters.site) search.set("site", filters.site);
      const session = currentSession();
      let response: Response;
      try {
        response = await fetch(`/api/insights/v1/figures/${filters.figure}?${search}`, {
          headers: {
            accept: "text/csv",
            ...(session ? { authorization: `Bearer ${session.accessToken}` } : {}),
          },
        });
      } catch (err) {
        throw ProblemError.network(err);
      }
      if (!response.ok)
        throw ProblemError.from(
          response.status,
          await response.json().catch(() => undefined),
          response.headers,
        );
      return saveResponse(response, `lto-${filters.figure}.csv`);
    },
  });
  const number = new Intl.NumberFormat(locale === "en" ? "en-GB" : "it-IT", { maximumFractionDigits: 2 });
  const columnLabel = useCallback(
    (c: string) => ((COLUMNS as readonly string[]).includes(c) ? t(`programme.col.${c}` as MessageId) : c),
    [t],
  );
  const valueLabel = useCallback(
    (column: string, value: string) => {
      if (column === "site" && (SITES as readonly string[]).includes(value))
        return t(`enum.site.${value}` as MessageId);
      if (value === "unknown") return t("programme.unknown");
      if (column === "level" && value === "none") return t("programme.noLevel");
      if (column === "audience")
        return value
          .split("+")
          .map((a) =>
            (AUDIENCES as readonly string[]).includes(a) ? t(`enum.audience.${a}` as MessageId) : a,
          )
          .join(", ");
      return value;
    },
    [t],
  );
  const by = query.data?.chart.by ?? CHART_BY[filters.figure][0]!;
  const categoryLabel = useCallback((v: string) => valueLabel(by, v), [valueLabel, by]);
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setFilters(draft);
  };
  const figureName = t(`programme.figure.${filters.figure}`);
  return (
    <>
      <form
        onSubmit={apply}
        onKeyDown={submitOnEnter}
        aria-labelledby="figures-filters"
        className="mb-4 mt-4"
      >
        <h2 id="figures-filters" className="h4">
          {t("programme.filters")}
        </h2>
        <div className="row gy-5 mt-2">
          <div className="col-md-4 select-wrapper">
            <label htmlFor="figure">{t("programme.figure")}</label>
            <select
              id="figure"
              value={draft.figure}
              onChange={(e) => setDraft({ ...draft, figure: e.target.value as Figure, by: undefined })}
            >
              {FIGURES.map((f) => (
                <option key={f} value={f}>
                  {t(`programme.figure.${f}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="col-md-3 select-wrapper">
            <label htmlFor="schoolYear">{t("programme.schoolYear")}</label>
            <select
              id="schoolYear"
              value={draft.schoolYear ?? ""}
              onChange={(e) => setDraft({ ...draft, schoolYear: e.target.value || undefined })}
            >
              <option value="">{t("programme.allYears")}</option>
              {schoolYears().map((y) => (
                <option key={y} value={y}>
                  {y}
                </option>
              ))}
            </select>
          </div>
          <div className="col-md-3 select-wrapper">
            <label htmlFor="site">{t("programme.site")}</label>
            <select
              id="site"
              value={draft.site ?? ""}
              onChange={(e) => setDraft({ ...draft, site: (e.target.value || undefined) as Filters["site"] })}
            >
              <option value="">{t("programme.allSites")}</option>
              {SITES.map((s) => (
                <option key={s} value={s}>
                  {t(`enum.site.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="col-md-2 select-wrapper">
            <label htmlFor="by">{t("programme.by")}</label>
            <select
              id="by"
              value={draft.by ?? ""}
              onChange={(e) => setDraft({ ...draft, by: e.target.value || undefined })}
            >
              {CHART_BY[draft.figure].map((d, i) => (
                <option key={d} value={i === 0 ? "" : d}>
                  {columnLabel(d)}
                </option>
              ))}
            </select>
          </div>
        </div>
        <Button color="primary" type="submit" className="mt-5">
          {t("programme.apply")}
        </Button>
      </form>

      <div aria-live="polite" aria-busy={query.isFetching}>
        {query.isFetching && <Loading />}
        {query.isError && <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />}
      </div>
      {query.data && (
        <section aria-labelledby="figure-title">
          <h2 id="figure-title" className="h3">
            {figureName}
          </h2>
          {query.data.rows.length === 0 ? (
            <p>{t("programme.empty")}</p>
          ) : (
            <FigureChart
              chart={query.data.chart}
              label={t("programme.chartLabel", { figure: figureName, by: columnLabel(by) })}
              categoryLabel={categoryLabel}
              seriesLabel={columnLabel}
              formatNumber={(v) => number.format(v)}
            />
          )}
          <div className="d-flex flex-wrap align-items-center gap-3 my-3">
            <Button color="primary" outline disabled={csv.isPending} onClick={() => csv.mutate()}>
              {t("programme.csv")}
            </Button>
            <div aria-live="polite">
              {csv.isPending && <Loading label={t("programme.csvRunning")} />}
              {csv.isSuccess && <span>{t("programme.csvDone", { file: csv.data })}</span>}
            </div>
          </div>
          {csv.isError && <ProblemAlert error={csv.error} />}
          <div className="table-responsive">
            <table className="table table-sm caption-top" data-testid="figure-table">
              <caption>
                {t("programme.tableCaption", { figure: figureName, rows: query.data.rows.length })}
              </caption>
              <thead>
                <tr>
                  {query.data.columns.map((c) => (
                    <th key={c} scope="col">
                      {columnLabel(c)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {query.data.rows.map((row, i) => (
                  <tr key={i}>
                    {query.data.columns.map((c) => {
                      const v = row[c] ?? null;
                      return (
                        <td key={c} data-value={v === null ? "" : String(v)}>
                          {v === null ? "–" : typeof v === "number" ? number.format(v) : valueLabel(c, v)}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </>
  );
}
