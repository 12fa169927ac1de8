// My notices: newest first, a page at a time, only the unread ones if I choose; each one says what it is
// about with a link to it, and is marked read for me alone (one, or all at once).
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { Badge, Button } from "design-react-kit";
import { useState } from "react";
import { api, data } from "../../api/client.js";
import type { paths } from "../../api/notifications";
import { Loading, ProblemAlert } from "../../components/feedback.js";
import { PagedList, usePagedQuery } from "../../components/paged-list.js";
import { useRomeTime } from "../../components/rome-time.js";
import { useLocale, useT } from "../../i18n/index.js";

type NoticePage = paths["/v1/notifications"]["get"]["responses"][200]["content"]["application/json"];
type Notice = NoticePage["items"][number];

/** Where a notice leads: the page of what it is about, from its refs. */
function NoticeLink({ notice }: { notice: Notice }) {
  const t = useT();
  const { refs } = notice;
  if (refs.enrolmentId)
    return (
      <Link to="/learner/enrolments/$enrolmentId" params={{ enrolmentId: refs.enrolmentId }}>
        {t("notices.open.enrolment")}
      </Link>
    );
  if (refs.courseId)
    return (
      <Link to="/courses/$courseId" params={{ courseId: refs.courseId }}>
        {t("notices.open.course")}
      </Link>
    );
  if (refs.ideaId)
    return (
      <Link to="/ideas" search={{ q: undefined }}>
        {t("notices.open.ideas")}
      </Link>
    );
  if (refs.bookingId) return <Link to="/">{t("notices.open.bookings")}</Link>;
  return null;
}

export function NoticesPage() {
  const t = useT();
  const when = useRomeTime();
  const { locale } = useLocale();
  const queryClient = useQueryClient();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const paged = usePagedQuery(["notifications", "list", unreadOnly], (cursor) =>
    data(
      api.notifications.GET("/v1/notifications", {
        params: { query: { limit: 10, cursor, ...(unreadOnly ? { unread: "true" } : {}) } },
      }),
    ),
  );
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ["notifications"] });
  const markOne = useMutation({
    mutationFn: (id: string) =>
      data(api.notifications.POST("/v1/notifications/{id}/read", { params: { path: { id } } })),
    onSuccess: refresh,
  });
  const markAll = useMutation({
    mutationFn: () => data(api.notifications.POST("/v1/notifications/read-all")),
    onSuccess: refresh,
  });
  return (
    <section aria-labelledby="notices-title">
      <h1 id="notices-title">{t("notices.title")}</h1>
      <div className="d-flex flex-wrap align-items-center gap-3 mb-4">
        <div className="form-check mb-0">
          <input
            id="notices-unread"
            type="checkbox"
            checked={unreadOnly}
            onChange={(e) => setUnreadOnly(e.target.checked)}
          />
          <label htmlFor="notices-unread">{t("notices.unreadOnly")}</label>
        </div>
        <Button
          color="primary"
          outline
          size="sm"
          disabled={markAll.isPending}
          onClick={() => markAll.mutate()}
        >
          {t("notices.markAll")}
        </Button>
      </div>
      <div aria-live="polite">
        {(markAll.isPending || markOne.isPending) && <Loading label={t("notices.marking")} />}
        {markAll.isError && <ProblemAlert error={markAll.error} />}
        {markOne.isError && <ProblemAlert error={markOne.error} />}
        {markAll.isSuccess && <p>{t("notices.marked", { marked: markAll.data.marked })}</p>}
      </div>
      <PagedList paged={paged} empty={t("notices.none")}>
        {(notices) => (
          <ul className="list-group" data-testid="notice-list">
            {notices.map((n) => {
              const text = n.texts[locale] ?? { title: n.title, body: n.body };
              return (
                <li
                  key={n.id}
                  className={`list-group-item${n.read ? "" : " border-start border-4 border-primary"}`}
                >
                  <div className="d-flex flex-wrap justify-content-between gap-2">
                    <h2 className="h6 mb-1">
                      {!n.read && (
                        <Badge color="primary" className="me-2">
                          {t("notices.new")}
                        </Badge>
                      )}
                      {text.title}
                    </h2>
                    <span className="small">{when(n.occurredAt)}</span>
                  </div>
                  <p className="mb-1">{text.body}</p>
                  {n.deadline && (
                    <p className="mb-1 fw-semibold">{t("notices.deadline", { when: when(n.deadline) })}</p>
                  )}
                  <div className="d-flex flex-wrap gap-3 align-items-center">
                    <NoticeLink notice={n} />
                    {!n.read && (
                      <Button
                        color="primary"
                        outline
                        size="xs"
                        className="btn-sm"
                        disabled={markOne.isPending}
                        onClick={() => markOne.mutate(n.id)}
                        aria-label={t("notices.markOne", { title: text.title })}
                      >
                        {t("notices.markRead")}
                      </Button>
                    )}
                  </div>
                </li>
              );
            })}
          </ul>
        )}
      </PagedList>
    </section>
  );
}
