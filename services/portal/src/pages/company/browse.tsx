// A company browses the published ideas open to adoption (the adoption service's projection) by area,
// technology and district, holds one while it prepares an offer, or goes straight to the offer.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { Button } from "design-react-kit";
import { useState } from "react";
import { api, data } from "../../api/client.js";
import { Loading, ProblemAlert } from "../../components/feedback.js";
import { FilterForm } from "../../components/filter-form.js";
import { IdeaFilterFields, IdeaTags, ideaFilters, type IdeaFilters } from "../../components/idea-filters.js";
import { PagedList, usePagedQuery } from "../../components/paged-list.js";
import { CardGrid, ResultCard } from "../../components/result-cards.js";
import { useRomeTime } from "../../components/rome-time.js";
import { useT } from "../../i18n/index.js";

export type BrowseFilters = Omit<IdeaFilters, "q">;

export function browseFilters(search: Record<string, unknown>): BrowseFilters {
  const { q: _q, ...rest } = ideaFilters(search);
  return rest;
}

interface BrowseIdea {
  id: string;
  title: string;
  summary: string;
  area: string;
  district: string;
  technologies: string[];
  needs: string[];
}

function HoldButton({ idea }: { idea: BrowseIdea }) {
  const t = useT();
  const day = useRomeTime();
  const queryClient = useQueryClient();
  const hold = useMutation({
    mutationFn: () =>
      data(
        api.adoption.POST("/v1/ideas/{ideaId}/holds", {
          params: { path: { ideaId: idea.id }, header: { "Idempotency-Key": crypto.randomUUID() } },
          body: {},
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["company"] }),
  });
  return (
    <>
      {hold.isPending && <Loading label={t("company.hold.working")} />}
      {hold.isError && <ProblemAlert error={hold.error} />}
      {hold.data ? (
        <p className="text-success fw-semibold" role="status">
          {t("company.hold.done", { until: day(hold.data.expiresAt, "dayTime") })}
        </p>
      ) : (
        <Button color="primary" outline size="sm" disabled={hold.isPending} onClick={() => hold.mutate()}>
          {t("company.hold.action", { title: idea.title })}
        </Button>
      )}
    </>
  );
}

export function CompanyBrowsePage({ filters }: { filters: BrowseFilters }) {
  const t = useT();
  const navigate = useNavigate({ from: "/company/ideas" });
  const [draft, setDraft] = useState<BrowseFilters>(filters);
  const paged = usePagedQuery(["company", "browse", filters], (cursor) =>
    data(api.adoption.GET("/v1/ideas", { params: { query: { ...filters, limit: 10, cursor } } })),
  );
  return (
    <section aria-labelledby="browse-title">
      <h1 id="browse-title">{t("company.browse.title")}</h1>
      <p className="lead">{t("company.browse.intro")}</p>
      <FilterForm id="browse-filters" title="ideas.filters" onApply={() => void navigate({ search: draft })}>
        <IdeaFilterFields draft={draft} onChange={setDraft} />
      </FilterForm>
      <PagedList paged={paged} empty={t("ideas.empty")}>
        {(items) => (
          <CardGrid testId="browse-list">
            {(items as unknown as BrowseIdea[]).map((idea) => (
              <ResultCard key={idea.id} title={idea.title} text={idea.summary} dataId={idea.id}>
                <IdeaTags idea={idea} />
                <div className="d-flex flex-wrap gap-2 align-items-center">
                  <HoldButton idea={idea} />
                  <Link
                    to="/company/ideas/$ideaId/offer"
                    params={{ ideaId: idea.id }}
                    className="btn btn-primary btn-sm"
                  >
                    {t("company.offer.action", { title: idea.title })}
                  </Link>
                </div>
              </ResultCard>
            ))}
          </CardGrid>
        )}
      </PagedList>
    </section>
  );
}
