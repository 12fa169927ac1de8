// A company browses the published ideas open to adoption (the adoption service's projection) by area,
// technology and district, holds one while it prepares an offer, or goes straight to the offer.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { Badge, Button } from "design-react-kit";
import { useState, type FormEvent } from "react";
import { api, data } from "../../api/client.js";
import { Loading, ProblemAlert } from "../../components/feedback.js";
import { SelectField, submitOnEnter } from "../../components/fields.js";
import { Pager, useCursorPages } from "../../components/pager.js";
import { useRomeTime } from "../../components/rome-time.js";
import { useT, type MessageId } from "../../i18n/index.js";
import { AREAS, DISTRICTS, TECHNOLOGIES, ideaFilters, type IdeaFilters } from "../ideas.js";

export type BrowseFilters = Omit<IdeaFilters, "q">;

export function browseFilters(search: Record<string, unknown>): BrowseFilters {
  const { q: _q, ...rest } = ideaFilters(search);
  return rest;
}

const technologyLabel = (value: string): MessageId | undefined =>
  TECHNOLOGIES.includes(value as never) ? (`enum.technology.${value}` as MessageId) : undefined;

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
  const pages = useCursorPages(JSON.stringify(filters));
  const query = useQuery({
    queryKey: ["company", "browse", filters, pages.cursor],
    queryFn: () =>
      data(
        api.adoption.GET("/v1/ideas", { params: { query: { ...filters, limit: 10, cursor: pages.cursor } } }),
      ),
    placeholderData: keepPreviousData,
  });
  const apply = (e: FormEvent) => {
    e.preventDefault();
    void navigate({ search: draft });
  };
  const ideas = (query.data?.items ?? []) as unknown as BrowseIdea[];
  return (
    <section aria-labelledby="browse-title">
      <h1 id="browse-title">{t("company.browse.title")}</h1>
      <p className="lead">{t("company.browse.intro")}</p>
      <form onSubmit={apply} onKeyDown={submitOnEnter} aria-labelledby="browse-filters" className="mb-4">
        <h2 id="browse-filters" className="h4">
          {t("ideas.filters")}
        </h2>
        <div className="row gy-5 mt-2">
          <div className="col-md-4">
            <SelectField
              id="area"
              label="catalogue.area"
              value={draft.area}
              options={AREAS}
              optionLabel={(v) => `enum.area.${v}`}
              onChange={(area) => setDraft({ ...draft, area })}
            />
          </div>
          <div className="col-md-4">
            <SelectField
              id="technology"
              label="ideas.technology"
              value={draft.technology}
              options={TECHNOLOGIES}
              optionLabel={(v) => `enum.technology.${v}`}
              onChange={(technology) => setDraft({ ...draft, technology })}
            />
          </div>
          <div className="col-md-4">
            <SelectField
              id="district"
              label="ideas.district"
              value={draft.district}
              options={DISTRICTS}
              optionLabel={(v) => `enum.district.${v}`}
              onChange={(district) => setDraft({ ...draft, district })}
            />
          </div>
        </div>
        <Button color="primary" type="submit" className="mt-5">
          {t("catalogue.apply")}
        </Button>
      </form>
      <div aria-live="polite" aria-busy={query.isFetching}>
        {query.isFetching && <Loading />}
        {query.isError && <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />}
        {query.data && (
          <>
            {ideas.length === 0 ? (
              <p>{t("ideas.empty")}</p>
            ) : (
              <ul className="list-unstyled" data-testid="browse-list">
                {ideas.map((idea) => (
                  <li key={idea.id} className="border rounded p-3 mb-3" data-idea-id={idea.id}>
                    <h3 className="h5">{idea.title}</h3>
                    <p>{idea.summary}</p>
                    <ul className="list-inline small">
                      <li className="list-inline-item">
                        <Badge color="primary">{t(`enum.area.${idea.area as (typeof AREAS)[number]}`)}</Badge>
                      </li>
                      <li className="list-inline-item">
                        {DISTRICTS.includes(idea.district as never)
                          ? t(`enum.district.${idea.district as (typeof DISTRICTS)[number]}`)
                          : idea.district}
                      </li>
                      {idea.technologies.map((tech) => {
                        const label = technologyLabel(tech);
                        return (
                          <li key={tech} className="list-inline-item">
                            {label ? t(label) : tech}
                          </li>
                        );
                      })}
                    </ul>
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
                  </li>
                ))}
              </ul>
            )}
            {(pages.page > 1 || query.data.nextCursor) && (
              <Pager
                page={pages.page}
                nextCursor={query.data.nextCursor}
                onNext={pages.next}
                onPrevious={pages.previous}
                busy={query.isFetching}
              />
            )}
          </>
        )}
      </div>
    </section>
  );
}
