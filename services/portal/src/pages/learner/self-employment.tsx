// A young person's self-employment side: their bookings (paged, by start) and their path (the plan of
// services with hours planned, booked and delivered), from the self-employment service. Both need the
// site's staff to have linked the account to the person: until then the service's own words say so.
import { useQuery } from "@tanstack/react-query";
import { Alert } from "design-react-kit";
import { api, data } from "../../api/client.js";
import { ProblemError } from "../../api/problem.js";
import { Loading, ProblemAlert } from "../../components/feedback.js";
import { PagedList, usePagedQuery } from "../../components/paged-list.js";
import { useRomeTime } from "../../components/rome-time.js";
import { useLocale, useT } from "../../i18n/index.js";

function useMe() {
  return useQuery({
    queryKey: ["self-employment", "me"],
    queryFn: () => data(api.selfEmployment.GET("/v1/me")),
  });
}

function useServiceNames() {
  const types = useQuery({
    queryKey: ["self-employment", "service-types"],
    queryFn: () => data(api.selfEmployment.GET("/v1/service-types")),
    staleTime: 3_600_000,
  });
  return (code: string) => {
    const items = (types.data as { items?: Array<{ code: string; nameIt: string }> } | undefined)?.items;
    // The service names its types in Italian only.
    return items?.find((s) => s.code === code)?.nameIt ?? code;
  };
}

/** Not linked yet is not a failure of the page: the service's text says whom to ask. */
function NotLinked({ error }: { error: unknown }) {
  if (error instanceof ProblemError && error.status === 404)
    return (
      <Alert color="info">
        <p className="mb-0">{error.problem.detail ?? error.problem.title}</p>
      </Alert>
    );
  return <ProblemAlert error={error} />;
}

export function MyBookings() {
  const t = useT();
  const when = useRomeTime();
  const names = useServiceNames();
  const me = useMe();
  const personId = me.data?.person.id;
  const paged = usePagedQuery(
    ["self-employment", "bookings", personId],
    (cursor) =>
      data(
        api.selfEmployment.GET("/v1/bookings", {
          params: { query: { person: personId!, limit: 10, cursor } },
        }),
      ),
    { enabled: personId !== undefined },
  );
  if (me.isPending) return <Loading />;
  if (me.isError) return <NotLinked error={me.error} />;
  return (
    <PagedList paged={paged} empty={t("learner.bookings.none")}>
      {(bookings) => (
        <ul className="list-group">
          {bookings.map((b) => (
            <li key={b.id} className="list-group-item">
              <strong>{names(b.serviceCode)}</strong>: {when(b.start)} (
              {t("catalogue.hours", { hours: b.hours })}
              ), {t(`enum.site.${b.site}` as never)} · {t(`learner.booking.${b.status}` as never)}
            </li>
          ))}
        </ul>
      )}
    </PagedList>
  );
}

export function MyPath() {
  const t = useT();
  const { locale } = useLocale();
  const hours = new Intl.NumberFormat(locale === "en" ? "en-GB" : "it-IT", { maximumFractionDigits: 2 });
  const names = useServiceNames();
  const me = useMe();
  if (me.isPending) return <Loading />;
  // Not linked yet: the bookings above already say whom to ask; there is no path to show.
  if (me.isError && me.error instanceof ProblemError && me.error.status === 404)
    return <p>{t("learner.path.none")}</p>;
  if (me.isError) return <ProblemAlert error={me.error} />;
  const path = me.data.path;
  if (!path) return <p>{t("learner.path.none")}</p>;
  if (path.services.length === 0) return <p>{t("learner.path.empty")}</p>;
  return (
    <div className="table-responsive">
      <table className="table caption-top">
        <caption>{t("learner.path.caption", { site: t(`enum.site.${path.site}` as never) })}</caption>
        <thead>
          <tr>
            <th scope="col">{t("learner.path.service")}</th>
            <th scope="col">{t("learner.path.planned")}</th>
            <th scope="col">{t("learner.path.booked")}</th>
            <th scope="col">{t("learner.path.delivered")}</th>
            <th scope="col">{t("learner.path.remaining")}</th>
          </tr>
        </thead>
        <tbody>
          {path.services.map((s) => (
            <tr key={s.serviceCode}>
              <th scope="row">{names(s.serviceCode)}</th>
              <td>{hours.format(s.plannedHours)}</td>
              <td>{hours.format(s.bookedHours)}</td>
              <td>{hours.format(s.deliveredHours)}</td>
              <td>{hours.format(s.remainingHours)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
