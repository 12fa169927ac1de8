// The public course catalogue: the catalogue service's listing (published courses for anyone), with
// its filters in the URL and cursor paging.
import { Link, useNavigate } from "@tanstack/react-router";
import { Badge } from "design-react-kit";
import { useState } from "react";
import { api, data } from "../api/client.js";
import type { paths } from "../api/catalogue";
import { FilterForm, FilterSelects, type FilterSelect } from "../components/filter-form.js";
import { PagedList, usePagedQuery } from "../components/paged-list.js";
import { CardGrid, ResultCard } from "../components/result-cards.js";
import { AREAS, AUDIENCES, SITES, oneOf } from "../components/vocabulary.js";
import { useLocale, useT, type MessageId } from "../i18n/index.js";

type CourseQuery = NonNullable<paths["/v1/courses"]["get"]["parameters"]["query"]>;
export type CourseFilters = Pick<CourseQuery, "audience" | "area" | "site" | "mode" | "level"> & {
  freeSeats?: boolean;
};

const MODES = ["in_person", "online", "blended"] as const satisfies readonly NonNullable<
  CourseQuery["mode"]
>[];
const LEVELS = ["1", "2", "3", "4", "5", "6", "7", "8"] as const;
const PAGE_SIZE = 10;

const COURSE_SELECTS: readonly FilterSelect<CourseFilters>[] = [
  {
    key: "audience",
    label: "catalogue.audience",
    options: AUDIENCES,
    optionLabel: (v) => `enum.audience.${v}` as MessageId,
  },
  { key: "area", label: "catalogue.area", options: AREAS, optionLabel: (v) => `enum.area.${v}` as MessageId },
  { key: "site", label: "catalogue.site", options: SITES, optionLabel: (v) => `enum.site.${v}` as MessageId },
  { key: "mode", label: "catalogue.mode", options: MODES, optionLabel: (v) => `enum.mode.${v}` as MessageId },
];

/** The URL's search params as filters: anything unknown is dropped rather than sent to the service. */
export function courseFilters(search: Record<string, unknown>): CourseFilters {
  const level = Number(search.level);
  return {
    ...(oneOf(AUDIENCES, search.audience) ? { audience: oneOf(AUDIENCES, search.audience) } : {}),
    ...(oneOf(AREAS, search.area) ? { area: oneOf(AREAS, search.area) } : {}),
    ...(oneOf(SITES, search.site) ? { site: oneOf(SITES, search.site) } : {}),
    ...(oneOf(MODES, search.mode) ? { mode: oneOf(MODES, search.mode) } : {}),
    ...(Number.isInteger(level) && level >= 1 && level <= 8 ? { level } : {}),
    ...(search.freeSeats === true || search.freeSeats === "true" ? { freeSeats: true } : {}),
  };
}

export function CoursesPage({ filters }: { filters: CourseFilters }) {
  const t = useT();
  const { locale } = useLocale();
  const navigate = useNavigate({ from: "/courses" });
  const [draft, setDraft] = useState<CourseFilters>(filters);
  const paged = usePagedQuery(["catalogue", "courses", filters], (cursor) =>
    data(
      api.catalogue.GET("/v1/courses", {
        params: {
          query: { ...filters, freeSeats: filters.freeSeats ? "true" : undefined, limit: PAGE_SIZE, cursor },
        },
      }),
    ),
  );
  const reset = () => {
    setDraft({});
    void navigate({ search: {} });
  };

  return (
    <section aria-labelledby="courses-title">
      <h1 id="courses-title">{t("catalogue.title")}</h1>
      <p className="lead">{t("catalogue.intro")}</p>
      <FilterForm
        id="courses-filters"
        title="catalogue.filters"
        onApply={() => void navigate({ search: draft })}
        onReset={reset}
      >
        <FilterSelects draft={draft} onChange={setDraft} col="col-md-4" fields={COURSE_SELECTS} />
        <div className="col-md-4">
          <div className="select-wrapper">
            <label htmlFor="level">{t("catalogue.level")}</label>
            <select
              id="level"
              name="level"
              value={draft.level ?? ""}
              onChange={(e) =>
                setDraft({ ...draft, level: e.target.value ? Number(e.target.value) : undefined })
              }
            >
              <option value="">{t("catalogue.any")}</option>
              {LEVELS.map((l) => (
                <option key={l} value={l}>
                  {l}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="col-md-4 d-flex align-items-center">
          <div className="form-check">
            <input
              id="freeSeats"
              type="checkbox"
              checked={draft.freeSeats ?? false}
              onChange={(e) => setDraft({ ...draft, freeSeats: e.target.checked || undefined })}
            />
            <label htmlFor="freeSeats">{t("catalogue.freeSeats")}</label>
          </div>
        </div>
      </FilterForm>

      <PagedList
        paged={paged}
        empty={t("catalogue.empty")}
        heading={<h2 className="h4 visually-hidden">{t("catalogue.results", { page: paged.pages.page })}</h2>}
        pagerAlways
      >
        {(courses) => (
          <CardGrid testId="course-list">
            {courses.map((course) => (
              <ResultCard
                key={course.id}
                title={
                  <Link to="/courses/$courseId" params={{ courseId: course.id }}>
                    {locale === "en" && course.titleEn ? course.titleEn : course.titleIt}
                  </Link>
                }
                text={course.descriptionIt}
              >
                <p className="small mb-2">
                  {t("catalogue.hours", { hours: course.hours })} · {t(`enum.mode.${course.mode}`)}
                  {" · "}
                  {course.sites.map((s) => t(`enum.site.${s}`)).join(", ")}
                </p>
                <ul className="list-inline mb-0">
                  {course.audiences.map((a) => (
                    <li key={a} className="list-inline-item">
                      <Badge color="primary">{t(`enum.audience.${a}`)}</Badge>
                    </li>
                  ))}
                  {course.competences.map((c) => (
                    <li key={`${c.competence}-${c.level}`} className="list-inline-item small">
                      {t("catalogue.levelOf", { competence: c.competence, level: c.level })}
                    </li>
                  ))}
                </ul>
              </ResultCard>
            ))}
          </CardGrid>
        )}
      </PagedList>
    </section>
  );
}
