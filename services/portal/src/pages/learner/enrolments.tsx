// A learner's enrolments: the paged list on the home, and one enrolment's page with what can be done
// with it now (accept or decline a seat offered before its deadline, withdraw). The catalogue service
// decides; the page shows its answer, or its own words when it refuses.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { Alert, Badge, Button } from "design-react-kit";
import { api, data } from "../../api/client.js";
import type { paths } from "../../api/catalogue";
import { Loading, ProblemAlert } from "../../components/feedback.js";
import { PagedList, usePagedQuery } from "../../components/paged-list.js";
import { useRomeTime } from "../../components/rome-time.js";
import { useLocale, useT } from "../../i18n/index.js";

type EnrolmentPage = paths["/v1/enrolments/mine"]["get"]["responses"][200]["content"]["application/json"];
export type Enrolment = EnrolmentPage["items"][number];
export type EnrolmentStatus = Enrolment["status"];

const BADGE: Record<EnrolmentStatus, string> = {
  confirmed: "success",
  offered: "warning",
  waitlisted: "secondary",
  withdrawn: "light",
  lapsed: "light",
  declined: "light",
  moved: "light",
};

const HISTORY = [
  "confirmed",
  "waitlisted",
  "offered",
  "offer_accepted",
  "offer_declined",
  "offer_lapsed",
  "withdrawn",
  "moved_out",
  "moved_in",
  "prerequisites_overridden",
] as const;

/** The course's title in the reader's language (the catalogue's course, read once and cached). */
export function CourseTitle({ courseId }: { courseId: string }) {
  const { locale } = useLocale();
  const course = useQuery({
    queryKey: ["catalogue", "course", courseId],
    queryFn: () => data(api.catalogue.GET("/v1/courses/{courseId}", { params: { path: { courseId } } })),
    staleTime: 300_000,
  });
  if (!course.data) return <>{courseId}</>;
  return <>{locale === "en" && course.data.titleEn ? course.data.titleEn : course.data.titleIt}</>;
}

export function EnrolmentState({ enrolment }: { enrolment: Enrolment }) {
  const t = useT();
  const when = useRomeTime();
  return (
    <span>
      <Badge
        color={BADGE[enrolment.status]}
        className={BADGE[enrolment.status] === "light" ? "text-dark" : ""}
      >
        {t(`learner.status.${enrolment.status as EnrolmentStatus}`)}
      </Badge>
      {enrolment.status === "waitlisted" && enrolment.position !== undefined && (
        <span className="ms-2">{t("learner.position", { position: enrolment.position })}</span>
      )}
      {enrolment.status === "offered" && enrolment.offerExpiresAt && (
        <span className="ms-2">{t("learner.offerUntil", { when: when(enrolment.offerExpiresAt) })}</span>
      )}
    </span>
  );
}

export function MyEnrolments() {
  const t = useT();
  const paged = usePagedQuery(["catalogue", "enrolments", "mine"], (cursor) =>
    data(api.catalogue.GET("/v1/enrolments/mine", { params: { query: { limit: 10, cursor } } })),
  );
  return (
    <PagedList
      paged={paged}
      empty={
        <>
          {t("learner.enrolments.none")} <Link to="/courses">{t("learner.catalogue.link")}</Link>
        </>
      }
    >
      {(enrolments) => (
        <ul className="list-group" data-testid="my-enrolments">
          {enrolments.map((e) => (
            <li key={e.id} className="list-group-item d-flex flex-wrap justify-content-between gap-2">
              <Link to="/learner/enrolments/$enrolmentId" params={{ enrolmentId: e.id }}>
                <CourseTitle courseId={e.courseId} />
              </Link>
              <EnrolmentState enrolment={e} />
            </li>
          ))}
        </ul>
      )}
    </PagedList>
  );
}

/** The seats offered to me now: the first thing on my home, each with its deadline. */
export function SeatOffers() {
  const t = useT();
  const when = useRomeTime();
  const query = useQuery({
    queryKey: ["catalogue", "enrolments", "mine", "offers"],
    queryFn: () => data(api.catalogue.GET("/v1/enrolments/mine", { params: { query: { limit: 50 } } })),
  });
  const offers = (query.data?.items ?? []).filter((e) => e.status === "offered");
  if (offers.length === 0) return null;
  return (
    <Alert color="warning">
      <h2 className="h5">{t("learner.offers.title")}</h2>
      <ul className="mb-0">
        {offers.map((e) => (
          <li key={e.id}>
            <Link to="/learner/enrolments/$enrolmentId" params={{ enrolmentId: e.id }}>
              <CourseTitle courseId={e.courseId} />
            </Link>
            {": "}
            {t("learner.offerUntil", { when: when(e.offerExpiresAt ?? "") })}
          </li>
        ))}
      </ul>
    </Alert>
  );
}

export function EnrolmentPage({ enrolmentId }: { enrolmentId: string }) {
  const t = useT();
  const when = useRomeTime();
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: ["catalogue", "enrolment", enrolmentId],
    queryFn: () =>
      data(api.catalogue.GET("/v1/enrolments/{enrolmentId}", { params: { path: { enrolmentId } } })),
  });
  const act = useMutation({
    mutationFn: (what: "accept-offer" | "decline-offer" | "withdrawal") => {
      const params = { path: { enrolmentId } };
      if (what === "withdrawal")
        return data(api.catalogue.POST("/v1/enrolments/{enrolmentId}/withdrawal", { params, body: {} }));
      return data(
        what === "accept-offer"
          ? api.catalogue.POST("/v1/enrolments/{enrolmentId}/accept-offer", { params })
          : api.catalogue.POST("/v1/enrolments/{enrolmentId}/decline-offer", { params }),
      );
    },
    onSuccess: (enrolment) => {
      queryClient.setQueryData(["catalogue", "enrolment", enrolmentId], enrolment);
      void queryClient.invalidateQueries({ queryKey: ["catalogue", "enrolments"] });
      void queryClient.invalidateQueries({ queryKey: ["catalogue", "sessions"] });
    },
  });
  const e = query.data;
  return (
    <section aria-labelledby="enrolment-title">
      <h1 id="enrolment-title">{t("learner.enrolment.title")}</h1>
      {query.isPending && <Loading />}
      {query.isError && <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />}
      {e && (
        <>
          <dl className="row">
            <dt className="col-sm-3">{t("learner.enrolment.course")}</dt>
            <dd className="col-sm-9">
              <Link to="/courses/$courseId" params={{ courseId: e.courseId }}>
                <CourseTitle courseId={e.courseId} />
              </Link>
            </dd>
            <dt className="col-sm-3">{t("learner.enrolment.site")}</dt>
            <dd className="col-sm-9">{t(`enum.site.${e.site}` as never)}</dd>
            <dt className="col-sm-3">{t("learner.enrolment.status")}</dt>
            <dd className="col-sm-9" data-testid="enrolment-status">
              <EnrolmentState enrolment={e} />
            </dd>
          </dl>
          <div aria-live="polite">
            {act.isPending && <Loading label={t("learner.enrolment.saving")} />}
            {act.isError && <ProblemAlert error={act.error} />}
            {act.isSuccess && <p className="fw-semibold">{t(`learner.done.${act.data.status}`)}</p>}
          </div>
          {e.status === "offered" && (
            <div className="d-flex flex-wrap gap-2 my-3">
              <Button color="primary" disabled={act.isPending} onClick={() => act.mutate("accept-offer")}>
                {t("learner.enrolment.accept")}
              </Button>
              <Button
                color="primary"
                outline
                disabled={act.isPending}
                onClick={() => act.mutate("decline-offer")}
              >
                {t("learner.enrolment.decline")}
              </Button>
            </div>
          )}
          {(e.status === "confirmed" || e.status === "waitlisted") && (
            <Button
              color="danger"
              outline
              className="my-3"
              disabled={act.isPending}
              onClick={() => act.mutate("withdrawal")}
            >
              {t("learner.enrolment.withdraw")}
            </Button>
          )}
          <h2 className="h4 mt-4">{t("learner.enrolment.history")}</h2>
          <ol>
            {e.history.map((h, i) => (
              <li key={i}>
                {when(h.at)}:{" "}
                {(HISTORY as readonly string[]).includes(h.what)
                  ? t(`learner.history.${h.what as (typeof HISTORY)[number]}`)
                  : h.what}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
