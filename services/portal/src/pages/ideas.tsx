// The published ideas, readable without signing in: the ideas service shows anonymous visitors (and
// companies) the published ones. Filters in the URL, cursor paging.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { Badge, Button, Card, CardBody, CardText, CardTitle } from "design-react-kit";
import { useState, type FormEvent } from "react";
import { api, data } from "../api/client.js";
import type { paths } from "../api/ideas";
import { Loading, ProblemAlert } from "../components/feedback.js";
import { SelectField, submitOnEnter } from "../components/fields.js";
import { Pager, useCursorPages } from "../components/pager.js";
import { useT, type MessageId } from "../i18n/index.js";

type IdeaQuery = NonNullable<paths["/v1/ideas"]["get"]["parameters"]["query"]>;
export type IdeaFilters = Pick<IdeaQuery, "area" | "district" | "technology" | "q">;

export const AREAS = [
  "agroalimentare",
  "manifattura",
  "meccanica",
  "cultura",
  "turismo",
  "servizi_commerciali",
  "servizi_persona",
] as const satisfies readonly NonNullable<IdeaQuery["area"]>[];
export const DISTRICTS = [
  "mantova",
  "asola",
  "guidizzolo",
  "ostiglia",
  "suzzara",
  "viadana",
] as const satisfies readonly NonNullable<IdeaQuery["district"]>[];
export const TECHNOLOGIES = [
  "advanced-manufacturing",
  "3d-printing",
  "augmented-reality",
  "simulation",
  "system-integration",
  "iot",
  "cloud",
  "cybersecurity",
  "big-data",
  "ai",
  "robotics",
  "web-mobile-apps",
  "e-commerce",
  "blockchain",
  "drones",
] as const satisfies readonly NonNullable<IdeaQuery["technology"]>[];
const PAGE_SIZE = 10;

const oneOf = <V extends string>(values: readonly V[], value: unknown): V | undefined =>
  values.includes(value as V) ? (value as V) : undefined;

export function ideaFilters(search: Record<string, unknown>): IdeaFilters {
  const area = oneOf(AREAS, search.area);
  const district = oneOf(DISTRICTS, search.district);
  const technology = oneOf(TECHNOLOGIES, search.technology);
  const q = typeof search.q === "string" && search.q.trim() ? search.q.trim().slice(0, 200) : undefined;
  return {
    ...(area ? { area } : {}),
    ...(district ? { district } : {}),
    ...(technology ? { technology } : {}),
    ...(q ? { q } : {}),
  };
}

const technologyLabel = (value: string): MessageId | undefined =>
  TECHNOLOGIES.includes(value as never) ? (`enum.technology.${value}` as MessageId) : undefined;

export function IdeasPage({ filters }: { filters: IdeaFilters }) {
  const t = useT();
  const navigate = useNavigate({ from: "/ideas" });
  const [draft, setDraft] = useState<IdeaFilters>(filters);
  const pages = useCursorPages(JSON.stringify(filters));
  const query = useQuery({
    queryKey: ["ideas", "published", filters, pages.cursor],
    queryFn: () =>
      data(
        api.ideas.GET("/v1/ideas", {
          params: { query: { ...filters, state: "published", limit: PAGE_SIZE, cursor: pages.cursor } },
        }),
      ),
    placeholderData: keepPreviousData,
  });

  const apply = (e: FormEvent) => {
    e.preventDefault();
    void navigate({ search: draft });
  };

  return (
    <section aria-labelledby="ideas-title">
      <h1 id="ideas-title">{t("ideas.title")}</h1>
      <p className="lead">{t("ideas.intro")}</p>
      <form onSubmit={apply} onKeyDown={submitOnEnter} aria-labelledby="ideas-filters" className="mb-4">
        <h2 id="ideas-filters" className="h4">
          {t("ideas.filters")}
        </h2>
        <div className="row gy-5 mt-2">
          <div className="col-md-6">
            <div className="form-group mb-0">
              <label htmlFor="q" className="active">
                {t("ideas.q")}
              </label>
              <input
                id="q"
                name="q"
                type="search"
                className="form-control"
                maxLength={200}
                value={draft.q ?? ""}
                onChange={(e) => setDraft({ ...draft, q: e.target.value || undefined })}
              />
            </div>
          </div>
          <div className="col-md-6">
            <SelectField
              id="area"
              label="catalogue.area"
              value={draft.area}
              options={AREAS}
              optionLabel={(v) => `enum.area.${v}`}
              onChange={(area) => setDraft({ ...draft, area })}
            />
          </div>
          <div className="col-md-6">
            <SelectField
              id="district"
              label="ideas.district"
              value={draft.district}
              options={DISTRICTS}
              optionLabel={(v) => `enum.district.${v}`}
              onChange={(district) => setDraft({ ...draft, district })}
            />
          </div>
          <div className="col-md-6">
            <SelectField
              id="technology"
              label="ideas.technology"
              value={draft.technology}
              options={TECHNOLOGIES}
              optionLabel={(v) => `enum.technology.${v}`}
              onChange={(technology) => setDraft({ ...draft, technology })}
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
            <h2 className="h4 visually-hidden">{t("ideas.results", { page: pages.page })}</h2>
            {query.data.items.length === 0 ? (
              <p>{t("ideas.empty")}</p>
            ) : (
              <ul className="list-unstyled row" data-testid="idea-list">
                {query.data.items.map((idea) => (
                  <li key={idea.id} className="col-md-6 mb-3">
                    <Card rounded shadow="sm" border className="h-100">
                      <CardBody className="p-4">
                        <CardTitle tag="h3" className="h5">
                          {idea.title}
                        </CardTitle>
                        <CardText>{idea.summary}</CardText>
                        <ul className="list-inline mb-0">
                          {idea.area && (
                            <li className="list-inline-item">
                              <Badge color="primary">{t(`enum.area.${idea.area}`)}</Badge>
                            </li>
                          )}
                          {idea.district && (
                            <li className="list-inline-item small">{t(`enum.district.${idea.district}`)}</li>
                          )}
                          {idea.technologies.map((tech) => {
                            const label = technologyLabel(tech);
                            return (
                              <li key={tech} className="list-inline-item small">
                                {label ? t(label) : tech}
                              </li>
                            );
                          })}
                        </ul>
                      </CardBody>
                    </Card>
                  </li>
                ))}
              </ul>
            )}
            <Pager
              page={pages.page}
              nextCursor={query.data.nextCursor}
              onNext={pages.next}
              onPrevious={pages.previous}
              busy={query.isFetching}
            />
          </>
        )}
      </div>
    </section>
  );
}
