// The home of a partner body (a training body offering courses through the catalogue): what to do next
// with its courses, by state (a returned one with the staff's reason, edit and submit again; a draft to
// complete and submit; those under review; those published), then the sessions of its published courses
// with the seats taken and the people waiting. Every list pages.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { Badge, Button } from "design-react-kit";
import { useState } from "react";
import { api, data } from "../../api/client.js";
import { useSession } from "../../auth/context.js";
import { Loading, ProblemAlert } from "../../components/feedback.js";
import { PagedList, usePagedQuery } from "../../components/paged-list.js";
import { useRomeTime } from "../../components/rome-time.js";
import { useT, type MessageId } from "../../i18n/index.js";
import { PARTNER_STATES, type Course, type CourseState } from "../partner/common.js";

const PAGE = 5;

export function PartnerHome() {
  const t = useT();
  const session = useSession();
  return (
    <section aria-labelledby="home-title" data-role-home="partner">
      <h1 id="home-title">{t("home.role.title", { role: t("role.partner") })}</h1>
      <p className="lead">
        {t("partner.home.intro", { name: session?.claims.name ?? session?.claims.org ?? "" })}
      </p>
      <p>
        <Link to="/partner/courses/new" className="btn btn-primary">
          {t("partner.home.new")}
        </Link>
      </p>
      <h2 className="h3 mt-4">{t("partner.home.courses")}</h2>
      {PARTNER_STATES.map((state) => (
        <CoursesInState key={state} state={state} />
      ))}
      <PartnerSessions />
    </section>
  );
}

function useOwnCourses(state: CourseState) {
  return usePagedQuery(["partner", "courses", state], (cursor) =>
    data(api.catalogue.GET("/v1/courses/mine", { params: { query: { state, limit: PAGE, cursor } } })),
  );
}

function CoursesInState({ state }: { state: CourseState }) {
  const t = useT();
  const paged = useOwnCourses(state);
  return (
    <section aria-labelledby={`partner-${state}-title`} className="mt-4" data-testid={`partner-${state}`}>
      <h3 id={`partner-${state}-title`} className="h4">
        {t(`partner.state.${state}` as MessageId)}
      </h3>
      <p className="text-muted mb-2">{t(`partner.state.${state}.next` as MessageId)}</p>
      <PagedList paged={paged} empty={t("partner.state.empty")}>
        {(courses) => (
          <ul className="list-unstyled">
            {courses.map((course) => (
              <CourseItem key={course.id} course={course} />
            ))}
          </ul>
        )}
      </PagedList>
    </section>
  );
}

function CourseItem({ course }: { course: Course }) {
  const t = useT();
  const queryClient = useQueryClient();
  const [done, setDone] = useState(false);
  const submit = useMutation({
    mutationFn: () =>
      data(
        api.catalogue.POST("/v1/courses/{courseId}/submit", {
          params: { path: { courseId: course.id }, header: { "If-Match": `"${course.version}"` } },
        }),
      ),
    onSuccess: async () => {
      setDone(true);
      await queryClient.invalidateQueries({ queryKey: ["partner"] });
    },
  });
  const editable = course.state === "draft" || course.state === "returned";
  const reason = (course as { returnReason?: string }).returnReason;
  return (
    <li className="border rounded p-3 mb-3" data-course-id={course.id}>
      <h4 className="h5 mb-1">{course.titleIt}</h4>
      <p className="mb-2 small">
        {t("partner.course.meta", {
          hours: course.hours,
          mode: t(`enum.mode.${course.mode}`),
          sites: course.sites.map((s) => t(`enum.site.${s}` as MessageId)).join(", "),
        })}
      </p>
      {reason && (
        <div className="alert alert-warning py-2 mb-3" data-testid="return-reason">
          <p className="fw-semibold mb-1">{t("partner.course.reason")}</p>
          <p className="mb-0" style={{ whiteSpace: "pre-line" }}>
            {reason}
          </p>
        </div>
      )}
      <div className="d-flex flex-wrap gap-3 align-items-center">
        {editable && (
          <Link
            to="/partner/courses/$courseId/edit"
            params={{ courseId: course.id }}
            className="btn btn-outline-primary btn-sm"
            aria-label={t("partner.course.editLabel", { title: course.titleIt })}
          >
            {t("partner.course.edit")}
          </Link>
        )}
        {editable && (
          <Button
            color="primary"
            size="sm"
            disabled={submit.isPending}
            onClick={() => submit.mutate()}
            aria-label={t(
              course.state === "returned" ? "partner.course.resubmitLabel" : "partner.course.submitLabel",
              { title: course.titleIt },
            )}
          >
            {course.state === "returned" ? t("partner.course.resubmit") : t("partner.course.submit")}
          </Button>
        )}
        {course.state === "published" && (
          <Link to="/courses/$courseId" params={{ courseId: course.id }}>
            {t("partner.course.public")}
          </Link>
        )}
      </div>
      <div aria-live="polite">
        {submit.isPending && <Loading label={t("partner.course.submitting")} />}
        {done && (
          <p className="text-success mt-2 mb-0">{t("partner.course.submitted", { title: course.titleIt })}</p>
        )}
      </div>
      {submit.isError && <ProblemAlert error={submit.error} />}
    </li>
  );
}

/** The sessions of the body's published courses, a course at a time, each with its seats and line. */
function PartnerSessions() {
  const t = useT();
  const paged = useOwnCourses("published");
  return (
    <section aria-labelledby="partner-sessions-title" className="mt-5" data-testid="partner-sessions">
      <h2 id="partner-sessions-title" className="h3">
        {t("partner.sessions.title")}
      </h2>
      <p>{t("partner.sessions.intro")}</p>
      <PagedList paged={paged} empty={t("partner.sessions.noCourses")}>
        {(courses) => courses.map((course) => <CourseSessions key={course.id} course={course} />)}
      </PagedList>
    </section>
  );
}

function CourseSessions({ course }: { course: Course }) {
  const t = useT();
  const date = useRomeTime();
  const paged = usePagedQuery(["partner", "sessions", course.id], (cursor) =>
    data(
      api.catalogue.GET("/v1/courses/{courseId}/sessions", {
        params: { path: { courseId: course.id }, query: { limit: PAGE, cursor } },
      }),
    ),
  );
  return (
    <section aria-labelledby={`sessions-${course.id}`} className="mt-3">
      <h3 id={`sessions-${course.id}`} className="h5">
        {t("partner.sessions.course", { title: course.titleIt })}
      </h3>
      <PagedList paged={paged} empty={t("partner.sessions.none")}>
        {(sessions) => (
          <div className="table-responsive">
            <table className="table table-sm">
              <caption className="visually-hidden">
                {t("partner.sessions.caption", { title: course.titleIt, page: paged.pages.page })}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t("partner.sessions.dates")}</th>
                  <th scope="col">{t("partner.sessions.site")}</th>
                  <th scope="col">{t("partner.sessions.state")}</th>
                  <th scope="col">{t("partner.sessions.seats")}</th>
                  <th scope="col">{t("partner.sessions.waiting")}</th>
                </tr>
              </thead>
              <tbody>
                {sessions.map((s) => (
                  <tr key={s.id} data-session-id={s.id}>
                    <th scope="row">
                      {t("partner.sessions.when", {
                        first: date(s.firstDay, "day"),
                        last: date(s.lastDay, "day"),
                      })}
                    </th>
                    <td>{t(`enum.site.${s.site}` as MessageId)}</td>
                    <td>
                      <Badge color={s.state === "cancelled" ? "danger" : "primary"}>
                        {t(`partner.session.state.${s.state}` as MessageId)}
                      </Badge>
                    </td>
                    <SessionCounts sessionId={s.id} />
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </PagedList>
    </section>
  );
}

function SessionCounts({ sessionId }: { sessionId: string }) {
  const t = useT();
  const query = useQuery({
    queryKey: ["partner", "counts", sessionId],
    queryFn: () =>
      data(api.catalogue.GET("/v1/sessions/{sessionId}/counts", { params: { path: { sessionId } } })),
  });
  if (query.isError)
    return (
      <td colSpan={2}>
        <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />
      </td>
    );
  if (!query.data)
    return (
      <td colSpan={2}>
        <Loading />
      </td>
    );
  return (
    <>
      <td data-testid="seats">
        {t("partner.sessions.seatsOf", { taken: query.data.seatsTaken, capacity: query.data.capacity })}
      </td>
      <td data-testid="waiting">{query.data.waiting}</td>
    </>
  );
}
