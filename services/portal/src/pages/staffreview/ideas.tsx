// Ideas waiting for the staff of a site: submitted ones to take up and those under review, paged, each
// opening the review page (rubric, decision).
import { Link, useNavigate } from "@tanstack/react-router";
import { Badge } from "design-react-kit";
import { api, data } from "../../api/client.js";
import type { paths } from "../../api/ideas";
import { PagedList, usePagedQuery } from "../../components/paged-list.js";
import { useRomeTime } from "../../components/rome-time.js";
import { useT } from "../../i18n/index.js";
import { useStaffSites } from "../staff/common.js";
import { siteLabel } from "./common.js";

export const REVIEW_STATES = ["submitted", "under_review"] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];
export interface ReviewFilters {
  site?: string;
  state?: ReviewState;
}

export const reviewFilters = (search: Record<string, unknown>): ReviewFilters => ({
  ...(typeof search.site === "string" ? { site: search.site } : {}),
  ...(REVIEW_STATES.includes(search.state as ReviewState) ? { state: search.state as ReviewState } : {}),
});

type Site = NonNullable<paths["/v1/ideas"]["get"]["parameters"]["query"]>["site"];

export function StaffReviewListPage({ filters }: { filters: ReviewFilters }) {
  const t = useT();
  const fmt = useRomeTime();
  const navigate = useNavigate();
  const sites = useStaffSites();
  const site = filters.site ?? sites[0] ?? "";
  const state = filters.state ?? "submitted";
  const paged = usePagedQuery(
    ["ideas", "review", site, state],
    (cursor) =>
      data(
        api.ideas.GET("/v1/ideas", { params: { query: { site: site as Site, state, limit: 20, cursor } } }),
      ),
    { enabled: site !== "" },
  );
  const go = (next: ReviewFilters) =>
    void navigate({ to: "/staff/review", search: { site, state, ...next } });
  return (
    <section aria-labelledby="review-list-title">
      <h1 id="review-list-title">{t("staffreview.ideas.title")}</h1>
      <p className="lead">{t("staffreview.ideas.intro", { site: site ? t(siteLabel(site)) : "" })}</p>
      <div className="d-flex gap-4 flex-wrap mt-4 mb-3">
        {sites.length > 1 && (
          <div className="select-wrapper" style={{ minWidth: "14rem" }}>
            <label htmlFor="review-site">{t("staffreview.ideas.site")}</label>
            <select id="review-site" value={site} onChange={(e) => go({ site: e.target.value })}>
              {sites.map((s) => (
                <option key={s} value={s}>
                  {t(siteLabel(s))}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="select-wrapper" style={{ minWidth: "18rem" }}>
          <label htmlFor="review-state">{t("staffreview.ideas.state")}</label>
          <select
            id="review-state"
            value={state}
            onChange={(e) => go({ state: e.target.value as ReviewState })}
          >
            {REVIEW_STATES.map((s) => (
              <option key={s} value={s}>
                {t(`staffreview.state.${s}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <PagedList paged={paged} empty={t("staffreview.ideas.empty")} pagerAlways>
        {(ideas) => (
          <ul className="list-unstyled" data-testid="review-list">
            {ideas.map((idea) => (
              <li key={idea.id} className="border-bottom py-3">
                <h2 className="h5 mb-1">
                  <Link to="/staff/review/$ideaId" params={{ ideaId: idea.id }}>
                    {idea.title}
                  </Link>
                </h2>
                <p className="mb-1">{idea.summary}</p>
                <div className="d-flex gap-2 flex-wrap align-items-center small">
                  <Badge color={idea.state === "submitted" ? "primary" : "secondary"}>
                    {t(`staffreview.idea.state.${idea.state}`)}
                  </Badge>
                  {idea.area && <span>{t(`enum.area.${idea.area}`)}</span>}
                  {idea.district && <span>{t(`enum.district.${idea.district}`)}</span>}
                  {typeof idea.updatedAt === "string" && (
                    <span>{t("staffreview.ideas.updated", { when: fmt(idea.updatedAt) })}</span>
                  )}
                </div>
              </li>
            ))}
          </ul>
        )}
      </PagedList>
      <p className="mt-3">
        <Link to="/">{t("staffreview.backHome")}</Link>
      </p>
    </section>
  );
}
