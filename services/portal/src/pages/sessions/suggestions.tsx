// Course suggestions for the school's adopted teams (the catalogue computes them from the ideas'
// technologies and areas): per team, courses for its students and for the referent teacher, with the
// nearest open session. One page of teams at a time.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { api, data } from "../../api/client.js";
import { Loading, ProblemAlert } from "../../components/feedback.js";
import { Pager, useCursorPages } from "../../components/pager.js";
import { useLocale, useT } from "../../i18n/index.js";
import { romeDay } from "../staff/time.js";

type Suggestion = {
  courseId: string;
  titleIt: string;
  titleEn?: string;
  session?: { site: string; firstDay: string; freeSeats: number };
};

function Courses({ label, items, id }: { label: string; items: Suggestion[]; id: string }) {
  const t = useT();
  const { locale } = useLocale();
  return (
    <div className="mb-2">
      <h4 id={id} className="h6">
        {label}
      </h4>
      {items.length === 0 ? (
        <p>{t("sessions.suggest.noCourses")}</p>
      ) : (
        <ul aria-labelledby={id}>
          {items.map((s) => (
            <li key={s.courseId}>
              <Link to="/courses/$courseId" params={{ courseId: s.courseId }}>
                {locale === "en" && s.titleEn ? s.titleEn : s.titleIt}
              </Link>
              {s.session && (
                <span>
                  {" "}
                  ·{" "}
                  {t("sessions.suggest.session", {
                    site: s.session.site,
                    day: romeDay(`${s.session.firstDay}T12:00:00Z`, locale),
                    seats: s.session.freeSeats,
                  })}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function SchoolSuggestions() {
  const t = useT();
  const pages = useCursorPages("suggestions");
  const query = useQuery({
    queryKey: ["catalogue", "suggestions", "mine", pages.cursor],
    queryFn: () =>
      data(
        api.catalogue.GET("/v1/suggestions/mine", {
          params: { query: { limit: 10, ...(pages.cursor ? { cursor: pages.cursor } : {}) } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const items = query.data?.items ?? [];
  return (
    <section aria-labelledby="school-suggestions" className="mt-5">
      <h2 id="school-suggestions" className="h3">
        {t("sessions.suggest.title")}
      </h2>
      {query.isPending && <Loading />}
      {query.isError && <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />}
      {query.isSuccess && items.length === 0 && <p>{t("sessions.suggest.none")}</p>}
      <div data-testid="school-suggestions">
        {items.map((team) => (
          <section key={team.ideaId} aria-labelledby={`suggest-${team.ideaId}`} className="mb-3">
            <h3 id={`suggest-${team.ideaId}`} className="h5">
              {t("sessions.suggest.team", { team: team.teamName, idea: team.ideaTitle })}
            </h3>
            <p className="mb-2">{t("sessions.suggest.adoptedBy", { company: team.adoption.companyName })}</p>
            <Courses
              id={`suggest-${team.ideaId}-students`}
              label={t("sessions.suggest.forStudents")}
              items={team.students}
            />
            <Courses
              id={`suggest-${team.ideaId}-referent`}
              label={t("sessions.suggest.forTeachers")}
              items={team.referent}
            />
          </section>
        ))}
      </div>
      <Pager
        page={pages.page}
        nextCursor={query.data?.nextCursor}
        onNext={pages.next}
        onPrevious={pages.previous}
        busy={query.isFetching}
      />
    </section>
  );
}
