// Course suggestions for the school's adopted teams (the catalogue computes them from the ideas'
// technologies and areas): per team, courses for its students and for the referent teacher, with the
// nearest open session. One page of teams at a time.
import { Link } from "@tanstack/react-router";
import { api, data } from "../../api/client.js";
import { PagedList, usePagedQuery } from "../../components/paged-list.js";
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
  const paged = usePagedQuery(["catalogue", "suggestions", "mine"], (cursor) =>
    data(api.catalogue.GET("/v1/suggestions/mine", { params: { query: { limit: 10, cursor } } })),
  );
  return (
    <section aria-labelledby="school-suggestions" className="mt-5">
      <h2 id="school-suggestions" className="h3">
        {t("sessions.suggest.title")}
      </h2>
      <PagedList paged={paged} empty={t("sessions.suggest.none")} pagerAlways>
        {(teams) => (
          <div data-testid="school-suggestions">
            {teams.map((team) => (
              <section key={team.ideaId} aria-labelledby={`suggest-${team.ideaId}`} className="mb-3">
                <h3 id={`suggest-${team.ideaId}`} className="h5">
                  {t("sessions.suggest.team", { team: team.teamName, idea: team.ideaTitle })}
                </h3>
                <p className="mb-2">
                  {t("sessions.suggest.adoptedBy", { company: team.adoption.companyName })}
                </p>
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
        )}
      </PagedList>
    </section>
  );
}
