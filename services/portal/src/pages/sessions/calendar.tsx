// The site's course sessions for one week (the staff home's week), beside the self-employment bookings on the
// staff home: every meeting of the site's sessions in the week, day by day, with its attendance register.
// The site's open lab conflicts, whatever their week, follow them (lab-conflicts.tsx).
import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { Badge } from "design-react-kit";
import { api, data } from "../../api/client.js";
import { DayList } from "../../components/day-list.js";
import { PagedList, usePagedQuery } from "../../components/paged-list.js";
import { useLocale, useT } from "../../i18n/index.js";
import { addDays, romeDay, romeTime } from "../staff/time.js";

/** A course's Italian title once read; nothing meanwhile. */
export function useCourseTitle(courseId: string | undefined) {
  const query = useQuery({
    queryKey: ["catalogue", "course", courseId],
    queryFn: () =>
      data(api.catalogue.GET("/v1/courses/{courseId}", { params: { path: { courseId: courseId! } } })),
    enabled: Boolean(courseId),
    staleTime: 600_000,
  });
  return query.data?.titleIt ?? "";
}

function CourseTitle({ courseId }: { courseId: string }) {
  return <strong>{useCourseTitle(courseId)}</strong>;
}

/** The site's course meetings in `week` (its Monday): the staff home's one week navigator moves it. */
export function SiteSessions({ site, week }: { site: string; week: string }) {
  const t = useT();
  const { locale } = useLocale();
  const last = addDays(week, 6);
  const paged = usePagedQuery(["catalogue", "site-sessions", site, week], (cursor) =>
    data(
      api.catalogue.GET("/v1/sessions", {
        params: { query: { site: site as never, from: week, to: last, limit: 20, cursor } },
      }),
    ),
  );
  return (
    <section aria-labelledby="sessions-calendar-title" className="mt-4">
      <h2 id="sessions-calendar-title" className="h3">
        {t("sessions.calendar.title")}
      </h2>
      <PagedList paged={paged} empty={t("sessions.calendar.empty")} pagerAlways>
        {(sessions) => {
          // A session listed may have no meeting in the week itself (it spans it): the week may be empty.
          const meetings = sessions.flatMap((s) =>
            s.meetings
              .filter((m) => m.date >= week && m.date <= last)
              .map((m) => ({ session: s, meeting: m })),
          );
          if (meetings.length === 0) return <p>{t("sessions.calendar.empty")}</p>;
          meetings.sort((a, b) => a.meeting.startsAt.localeCompare(b.meeting.startsAt));
          return (
            <DayList
              items={meetings}
              day={(row) => row.meeting.date}
              itemKey={(row) => row.meeting.id}
              idPrefix="sessions-day"
              testId="sessions-calendar"
            >
              {({ session, meeting }) => (
                <>
                  <span>
                    {romeTime(meeting.startsAt, locale)}–{romeTime(meeting.endsAt, locale)}
                  </span>
                  <CourseTitle courseId={session.courseId} />
                  <span>
                    {meeting.room} · {meeting.trainer}
                  </span>
                  {(meeting.cancelled || session.state === "cancelled") && (
                    <Badge color="danger">{t("sessions.calendar.cancelled")}</Badge>
                  )}
                  {!meeting.cancelled && session.state !== "cancelled" && (
                    <Link
                      to="/sessions/$sessionId/meetings/$meetingId/attendance"
                      params={{ sessionId: session.id, meetingId: meeting.id }}
                    >
                      {t("sessions.register.action")}
                      <span className="visually-hidden">
                        {" "}
                        {romeDay(meeting.startsAt, locale)} {romeTime(meeting.startsAt, locale)}
                      </span>
                    </Link>
                  )}
                </>
              )}
            </DayList>
          );
        }}
      </PagedList>
    </section>
  );
}
