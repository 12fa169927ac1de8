// The home of site staff: what to do next at their site. This week's calendar of the site's
// self-employment bookings (day by day, paged), booking a service for a young person, and recording
// what was delivered; the week's course meetings, and the site's open lab conflicts to resolve.
import { Link } from "@tanstack/react-router";
import { Badge } from "design-react-kit";
import { useState } from "react";
import { api, data } from "../../api/client.js";
import { useSession } from "../../auth/context.js";
import { DayList } from "../../components/day-list.js";
import { PagedList, usePagedQuery } from "../../components/paged-list.js";
import { WeekNavigator } from "../../components/week-navigator.js";
import { useLocale, useT } from "../../i18n/index.js";
import { StaffReviewLinks } from "../staffreview/home-links.js";
import { PartnerReviewLink } from "../partner/review-link.js";
import { usePersonNames, useServiceName, useSiteName, useStaffSites } from "../staff/common.js";
import { SiteSessions } from "../sessions/calendar.js";
import { LabConflicts } from "../sessions/lab-conflicts.js";
import { addDays, mondayOf, romeDate, romeDay, romeOffset, romeTime } from "../staff/time.js";

export function StaffHome() {
  const t = useT();
  const session = useSession();
  const sites = useStaffSites();
  const [site, setSite] = useState(sites[0] ?? "");
  // One week for the whole home: the bookings and the course meetings below show the same one.
  const [week, setWeek] = useState(() => mondayOf(romeDate(new Date())));
  return (
    <section aria-labelledby="home-title" data-role-home="staff">
      <h1 id="home-title">{t("home.role.title", { role: t("role.staff") })}</h1>
      <p className="lead">
        {t("staff.home.intro", { name: session?.claims.name ?? session?.claims.sub ?? "" })}
      </p>
      {sites.length > 1 && (
        <div className="select-wrapper mb-4" style={{ maxWidth: "20rem" }}>
          <label htmlFor="staff-site">{t("staff.site")}</label>
          <select id="staff-site" value={site} onChange={(e) => setSite(e.target.value)}>
            {sites.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
      )}
      <p>
        <Link to="/staff/book" search={{ site }} className="btn btn-primary">
          {t("staff.book.action")}
        </Link>
      </p>
      <StaffReviewLinks />
      <PartnerReviewLink />
      {site ? (
        <>
          <div className="mt-5">
            <WeekNavigator
              week={week}
              onChange={setWeek}
              previousLabel={t("staff.calendar.previous")}
              nextLabel={t("staff.calendar.next")}
              span={(days) => t("staff.calendar.week", days)}
            />
          </div>
          <SiteCalendar site={site} week={week} />
          <SiteSessions site={site} week={week} />
          <LabConflicts site={site} />
        </>
      ) : (
        <p>{t("staff.noSite")}</p>
      )}
    </section>
  );
}

function SiteCalendar({ site, week }: { site: string; week: string }) {
  const t = useT();
  const { locale } = useLocale();
  const serviceName = useServiceName();
  const personName = usePersonNames(site);
  const siteName = useSiteName(site);
  const from = new Date(`${week}T00:00:00${romeOffset(new Date(`${week}T12:00:00Z`))}`);
  const end = addDays(week, 7);
  const to = new Date(`${end}T00:00:00${romeOffset(new Date(`${end}T12:00:00Z`))}`);
  const paged = usePagedQuery(["self-employment", "bookings", site, week], (cursor) =>
    data(
      api.selfEmployment.GET("/v1/bookings", {
        params: { query: { site, from: from.toISOString(), to: to.toISOString(), limit: 20, cursor } },
      }),
    ),
  );
  return (
    <section aria-labelledby="calendar-title" className="mt-4">
      <h2 id="calendar-title" className="h3">
        {t("staff.calendar.title", { site: siteName })}
      </h2>
      <PagedList paged={paged} empty={t("staff.calendar.empty")} pagerAlways>
        {(bookings) => (
          <DayList
            items={bookings}
            day={(b) => romeDate(new Date(b.start))}
            itemKey={(b) => b.id}
            idPrefix="day"
            testId="staff-calendar"
          >
            {(b) => (
              <>
                <strong>
                  {romeTime(b.start, locale)}–{romeTime(b.end, locale)}
                </strong>
                <span>{serviceName(b.serviceCode)}</span>
                <span>{personName(b.personId)}</span>
                <Badge color={b.status === "confirmed" ? "primary" : "secondary"}>
                  {t(`staff.status.${b.status}`)}
                </Badge>
                {b.status === "confirmed" && (
                  <Link to="/staff/bookings/$bookingId/delivery" params={{ bookingId: b.id }}>
                    {t("staff.delivery.action")}
                    <span className="visually-hidden">
                      {" "}
                      {serviceName(b.serviceCode)} {romeDay(b.start, locale)} {romeTime(b.start, locale)}
                    </span>
                  </Link>
                )}
              </>
            )}
          </DayList>
        )}
      </PagedList>
    </section>
  );
}
