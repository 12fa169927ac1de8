// Site staff review the courses partner bodies submitted for their site: read each one, publish it in the
// catalogue, or return it to the body with the reason (the body reads it on its home). Paged.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { Button } from "design-react-kit";
import { useState, type FormEvent } from "react";
import { api, data } from "../../api/client.js";
import { Loading, ProblemAlert } from "../../components/feedback.js";
import { PagedList, usePagedQuery } from "../../components/paged-list.js";
import { useLocale, useT, type MessageId } from "../../i18n/index.js";
import { useStaffSites } from "../staff/common.js";
import { DIGCOMP, type Course } from "./common.js";

const PAGE = 5;

/** A DigComp competence's name in the page's language, from the catalogue's framework (cached). */
function useCompetenceNames() {
  const { locale } = useLocale();
  const framework = useQuery({
    queryKey: ["catalogue", "framework", DIGCOMP.id, DIGCOMP.version],
    queryFn: () =>
      data(
        api.catalogue.GET("/v1/frameworks/{frameworkId}/{version}", {
          params: { path: { frameworkId: DIGCOMP.id, version: DIGCOMP.version } },
        }),
      ),
    staleTime: Infinity,
  });
  return (code: string) => {
    const name = framework.data?.competences.find((c) => c.code === code)?.name;
    return name ? (locale === "en" ? name.en : name.it) : "";
  };
}

export function PartnerReviewPage() {
  const t = useT();
  const sites = useStaffSites();
  const [site, setSite] = useState(sites[0] ?? "");
  const [outcome, setOutcome] = useState<string>();
  const paged = usePagedQuery(
    ["partner", "review", site],
    (cursor) =>
      data(
        api.catalogue.GET("/v1/courses", {
          params: { query: { state: "submitted", site: site as never, limit: PAGE, cursor } },
        }),
      ),
    { enabled: Boolean(site) },
  );
  const siteName = site ? t(`enum.site.${site}` as MessageId) : "";
  return (
    <section aria-labelledby="partner-review-title">
      <p>
        <Link to="/">{t("partner.backHome")}</Link>
      </p>
      <h1 id="partner-review-title">{t("partner.review.title")}</h1>
      <p className="lead">{t("partner.review.intro", { site: siteName })}</p>
      {sites.length > 1 && (
        <div className="select-wrapper mb-4" style={{ maxWidth: "20rem" }}>
          <label htmlFor="partner-review-site">{t("partner.review.site")}</label>
          <select id="partner-review-site" value={site} onChange={(e) => setSite(e.target.value)}>
            {sites.map((s) => (
              <option key={s} value={s}>
                {t(`enum.site.${s}` as MessageId)}
              </option>
            ))}
          </select>
        </div>
      )}
      {/* The last decision stays on the page after its course leaves the list. */}
      <div role="status" aria-live="polite" data-testid="partner-review-outcome">
        {outcome && <p className="alert alert-success">{outcome}</p>}
      </div>
      <PagedList paged={paged} empty={t("partner.review.empty")}>
        {(courses) => (
          <ul className="list-unstyled">
            {courses.map((course) => (
              <ReviewItem key={course.id} course={course} onDone={setOutcome} />
            ))}
          </ul>
        )}
      </PagedList>
    </section>
  );
}

function ReviewItem({ course, onDone }: { course: Course; onDone(text: string): void }) {
  const t = useT();
  const queryClient = useQueryClient();
  const competenceName = useCompetenceNames();
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState<string>();
  const header = { "If-Match": `"${course.version}"` };
  const publish = useMutation({
    mutationFn: () =>
      data(
        api.catalogue.POST("/v1/courses/{courseId}/publish", {
          params: { path: { courseId: course.id }, header },
        }),
      ),
    onSuccess: async () => {
      onDone(t("partner.review.published", { title: course.titleIt }));
      await queryClient.invalidateQueries({ queryKey: ["partner", "review"] });
    },
  });
  const giveBack = useMutation({
    mutationFn: () =>
      data(
        api.catalogue.POST("/v1/courses/{courseId}/return", {
          params: { path: { courseId: course.id }, header },
          body: { reason: reason.trim() },
        }),
      ),
    onSuccess: async () => {
      onDone(t("partner.review.returned", { title: course.titleIt }));
      await queryClient.invalidateQueries({ queryKey: ["partner", "review"] });
    },
  });
  const onReturn = (e: FormEvent) => {
    e.preventDefault();
    if (reason.trim().length < 3) {
      setReasonError(t("partner.review.reasonMissing"));
      document.getElementById(`reason-${course.id}`)?.focus();
      return;
    }
    setReasonError(undefined);
    giveBack.mutate();
  };
  const busy = publish.isPending || giveBack.isPending;
  const reasonId = `reason-${course.id}`;
  return (
    <li className="border rounded p-3 mb-4" data-course-id={course.id}>
      <h2 className="h4">{course.titleIt}</h2>
      <p className="small mb-2">
        {t("partner.review.provider", { provider: course.providerId })} ·{" "}
        {t("partner.course.meta", {
          hours: course.hours,
          mode: t(`enum.mode.${course.mode}`),
          sites: course.sites.map((s) => t(`enum.site.${s}` as MessageId)).join(", "),
        })}
      </p>
      <p style={{ whiteSpace: "pre-line" }}>{course.descriptionIt}</p>
      <dl className="row small">
        <dt className="col-sm-3">{t("partner.review.audiences")}</dt>
        <dd className="col-sm-9">
          {course.audiences.map((a) => t(`enum.audience.${a}` as MessageId)).join(", ")}
        </dd>
        <dt className="col-sm-3">{t("partner.review.areas")}</dt>
        <dd className="col-sm-9">{course.areas.map((a) => t(`enum.area.${a}` as MessageId)).join(", ")}</dd>
        <dt className="col-sm-3">{t("partner.review.competences")}</dt>
        <dd className="col-sm-9">
          <ul className="list-unstyled mb-0 small">
            {course.competences.map((c) => (
              <li key={`${c.framework}-${c.competence}`}>
                {t("partner.review.competence", {
                  code: c.competence,
                  name: competenceName(c.competence),
                  level: c.level,
                })}
              </li>
            ))}
          </ul>
        </dd>
      </dl>
      <div className="d-flex flex-wrap gap-4 align-items-start mt-4">
        <Button
          color="primary"
          disabled={busy}
          onClick={() => publish.mutate()}
          aria-label={t("partner.review.publishLabel", { title: course.titleIt })}
        >
          {t("partner.review.publish")}
        </Button>
        <form onSubmit={onReturn} noValidate className="flex-grow-1" style={{ minWidth: "18rem" }}>
          <div className="form-group mb-2">
            <label htmlFor={reasonId} className="active">
              {t("partner.review.reason", { title: course.titleIt })}
            </label>
            <textarea
              id={reasonId}
              className={`form-control${reasonError ? " is-invalid" : ""}`}
              rows={2}
              maxLength={2000}
              aria-invalid={reasonError ? true : undefined}
              aria-describedby={`${reasonId}-hint${reasonError ? ` ${reasonId}-error` : ""}`}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
            <small id={`${reasonId}-hint`} className="form-text">
              {t("partner.review.reasonHint")}
            </small>
            {reasonError && (
              <div id={`${reasonId}-error`} className="invalid-feedback d-block fw-semibold">
                {reasonError}
              </div>
            )}
          </div>
          <Button
            color="primary"
            outline
            type="submit"
            disabled={busy}
            aria-label={t("partner.review.returnLabel", { title: course.titleIt })}
          >
            {t("partner.review.return")}
          </Button>
        </form>
      </div>
      <div aria-live="polite">{busy && <Loading label={t("partner.review.working")} />}</div>
      {publish.isError && <ProblemAlert error={publish.error} />}
      {giveBack.isError && <ProblemAlert error={giveBack.error} />}
    </li>
  );
}
