// A course's page: what it is, its sessions open for enrolment (meetings in Rome time, free seats) and,
// for a signed-in learner, enrol in one: a seat when there is one, else the waiting list with the
// position the catalogue service gives. Anyone can read it; enrolling needs signing in.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { Badge, Button, Card, CardBody, CardTitle } from "design-react-kit";
import type { paths } from "../../api/catalogue";
import { api, data } from "../../api/client.js";
import { useSession } from "../../auth/context.js";
import { Loading, ProblemAlert } from "../../components/feedback.js";
import { PagedList, usePagedQuery } from "../../components/paged-list.js";
import { idempotencyKey } from "../../components/requests.js";
import { useRomeTime } from "../../components/rome-time.js";
import { useLocale, useT } from "../../i18n/index.js";
import { EnrolmentState, type Enrolment } from "./enrolments.js";

type SessionPage =
  paths["/v1/courses/{courseId}/sessions"]["get"]["responses"][200]["content"]["application/json"];
type CourseSession = SessionPage["items"][number];

function SessionCard({ session, mine }: { session: CourseSession; mine: Enrolment | undefined }) {
  const t = useT();
  const when = useRomeTime();
  const signedIn = useSession();
  const queryClient = useQueryClient();
  const enrol = useMutation({
    mutationFn: () =>
      data(
        api.catalogue.POST("/v1/sessions/{sessionId}/enrolments", {
          params: { path: { sessionId: session.id }, header: { "Idempotency-Key": idempotencyKey() } },
          body: {},
        }),
      ),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ["catalogue", "enrolments"] });
      void queryClient.invalidateQueries({ queryKey: ["catalogue", "sessions"] });
    },
  });
  const enrolment = enrol.data ?? mine;
  const active = enrolment && ["confirmed", "offered", "waitlisted"].includes(enrolment.status);
  const headingId = `session-${session.id}`;
  return (
    <Card rounded shadow="sm" border className="h-100" aria-labelledby={headingId}>
      <CardBody className="p-4">
        <CardTitle tag="h3" className="h5" id={headingId}>
          {t("learner.session.title", {
            from: when(session.firstDay, "date"),
            to: when(session.lastDay, "date"),
            site: t(`enum.site.${session.site}` as never),
          })}
        </CardTitle>
        <ul className="small">
          {session.meetings.map((m, i) => (
            <li key={i}>
              {t("learner.session.meeting", {
                date: when(m.date, "date"),
                start: m.start,
                end: m.end,
                room: m.room,
              })}
            </li>
          ))}
        </ul>
        <p className="mb-2">
          {session.freeSeats > 0 ? (
            <Badge color="success">{t("learner.session.free", { seats: session.freeSeats })}</Badge>
          ) : (
            <Badge color="secondary">{t("learner.session.full")}</Badge>
          )}{" "}
          <span className="small">
            {t("learner.session.window", {
              opens: when(session.enrolment.opensOn, "date"),
              closes: when(session.enrolment.closesOn, "date"),
            })}
          </span>
        </p>
        <div aria-live="polite">
          {enrol.isPending && <Loading label={t("learner.session.enrolling")} />}
          {enrol.isError && <ProblemAlert error={enrol.error} />}
          {enrolment && active && (
            <p data-testid={`my-status-${session.id}`}>
              {t("learner.session.yours")} <EnrolmentState enrolment={enrolment} />{" "}
              <Link to="/learner/enrolments/$enrolmentId" params={{ enrolmentId: enrolment.id }}>
                {t("learner.session.open")}
              </Link>
            </p>
          )}
        </div>
        {!active &&
          (signedIn?.claims.role === "learner" ? (
            <Button color="primary" disabled={enrol.isPending} onClick={() => enrol.mutate()}>
              {session.freeSeats > 0 ? t("learner.session.enrol") : t("learner.session.wait")}
            </Button>
          ) : signedIn ? null : (
            <p className="small mb-0">{t("learner.session.signIn")}</p>
          ))}
      </CardBody>
    </Card>
  );
}

export function CoursePage({ courseId }: { courseId: string }) {
  const t = useT();
  const { locale } = useLocale();
  const session = useSession();
  const course = useQuery({
    queryKey: ["catalogue", "course", courseId],
    queryFn: () => data(api.catalogue.GET("/v1/courses/{courseId}", { params: { path: { courseId } } })),
  });
  const sessions = usePagedQuery(["catalogue", "sessions", courseId], (cursor) =>
    data(
      api.catalogue.GET("/v1/courses/{courseId}/sessions", {
        params: { path: { courseId }, query: { limit: 10, cursor } },
      }),
    ),
  );
  // My enrolments, to show where I already am (a learner has few: one page of 100 covers them).
  const mine = useQuery({
    queryKey: ["catalogue", "enrolments", "mine", "all"],
    queryFn: () => data(api.catalogue.GET("/v1/enrolments/mine", { params: { query: { limit: 100 } } })),
    enabled: session?.claims.role === "learner",
  });
  const mineBySession = new Map((mine.data?.items ?? []).map((e) => [e.sessionId, e]));
  const c = course.data;
  return (
    <section aria-labelledby="course-title">
      {course.isPending && <Loading />}
      {course.isError && <ProblemAlert error={course.error} onRetry={() => void course.refetch()} />}
      {c && (
        <>
          <h1 id="course-title">{locale === "en" && c.titleEn ? c.titleEn : c.titleIt}</h1>
          <p className="lead">{c.descriptionIt}</p>
          <p>
            {t("catalogue.hours", { hours: c.hours })} · {t(`enum.mode.${c.mode}`)} ·{" "}
            {c.sites.map((s) => t(`enum.site.${s}`)).join(", ")}
          </p>
          <h2 className="h3 mt-4">{t("learner.sessions.title")}</h2>
          <PagedList paged={sessions} empty={t("learner.sessions.none")}>
            {(items) => (
              <ul className="list-unstyled row" data-testid="session-list">
                {items.map((s) => (
                  <li key={s.id} className="col-md-6 mb-3">
                    <SessionCard session={s} mine={mineBySession.get(s.id)} />
                  </li>
                ))}
              </ul>
            )}
          </PagedList>
        </>
      )}
    </section>
  );
}
