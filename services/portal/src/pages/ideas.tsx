// The published ideas, readable without signing in: the ideas service shows anonymous visitors (and
// companies) the published ones. Filters in the URL, cursor paging.
import { useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { api, data } from "../api/client.js";
import { FilterForm } from "../components/filter-form.js";
import { IdeaFilterFields, IdeaTags, type IdeaFilters } from "../components/idea-filters.js";
import { PagedList, usePagedQuery } from "../components/paged-list.js";
import { CardGrid, ResultCard } from "../components/result-cards.js";
import { useT } from "../i18n/index.js";

export { ideaFilters } from "../components/idea-filters.js";

const PAGE_SIZE = 10;

export function IdeasPage({ filters }: { filters: IdeaFilters }) {
  const t = useT();
  const navigate = useNavigate({ from: "/ideas" });
  const [draft, setDraft] = useState<IdeaFilters>(filters);
  const paged = usePagedQuery(["ideas", "published", filters], (cursor) =>
    data(
      api.ideas.GET("/v1/ideas", {
        params: { query: { ...filters, state: "published", limit: PAGE_SIZE, cursor } },
      }),
    ),
  );

  return (
    <section aria-labelledby="ideas-title">
      <h1 id="ideas-title">{t("ideas.title")}</h1>
      <p className="lead">{t("ideas.intro")}</p>
      <FilterForm id="ideas-filters" title="ideas.filters" onApply={() => void navigate({ search: draft })}>
        <IdeaFilterFields draft={draft} onChange={setDraft} keywords />
      </FilterForm>
      <PagedList
        paged={paged}
        empty={t("ideas.empty")}
        heading={<h2 className="h4 visually-hidden">{t("ideas.results", { page: paged.pages.page })}</h2>}
        pagerAlways
      >
        {(ideas) => (
          <CardGrid testId="idea-list">
            {ideas.map((idea) => (
              <ResultCard key={idea.id} title={idea.title} text={idea.summary}>
                <IdeaTags idea={idea} />
              </ResultCard>
            ))}
          </CardGrid>
        )}
      </PagedList>
    </section>
  );
}
