// Booking a self-employment service for a young person, in a few steps on one page: the person (the
// site's persons, searched by name, paged), the service type, a slot from the week's availability
// (a list of radio buttons per day: arrows move within a day, Tab to the next day), confirm. The
// service's refusals (path order, hour caps, slot taken) are shown in its own words.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { Alert, Button } from "design-react-kit";
import { useMemo, useState, type FormEvent } from "react";
import { api, data } from "../../api/client.js";
import { Loading, ProblemAlert } from "../../components/feedback.js";
import { PagedList, usePagedQuery } from "../../components/paged-list.js";
import { WeekNavigator } from "../../components/week-navigator.js";
import { useLocale, useT } from "../../i18n/index.js";
import { newKey, useServiceTypes, useSiteName, useStaffSites } from "./common.js";
import { addDays, romeDate, romeDay, romeTime } from "./time.js";

interface Slot {
  start: string;
  end: string;
  operatorId: string;
  operatorName: string;
}

export function StaffBookPage({ site: wanted }: { site?: string }) {
  const t = useT();
  const { locale } = useLocale();
  const sites = useStaffSites();
  const site = wanted && sites.includes(wanted) ? wanted : (sites[0] ?? "");
  const siteName = useSiteName(site);
  const [personId, setPersonId] = useState<string>();
  const [service, setService] = useState("");
  const [slotKey, setSlotKey] = useState<string>();
  const [slot, setSlot] = useState<Slot>();
  const [key, setKey] = useState(newKey);

  const queries = useQueryClient();
  const book = useMutation({
    // The slot just taken is no longer free; the calendar has a new booking.
    onSuccess: () => queries.invalidateQueries({ queryKey: ["self-employment"] }),
    // Refused (a slot taken meanwhile, say): the free slots are read again, so the list shows what is free.
    onError: () => queries.invalidateQueries({ queryKey: ["self-employment", "availability"] }),
    mutationFn: (s: Slot) =>
      data(
        api.selfEmployment.POST("/v1/bookings", {
          params: { header: { "Idempotency-Key": key } },
          body: {
            person: personId!,
            serviceType: service as never,
            site,
            start: s.start,
            operatorId: s.operatorId,
            mode: "in_person",
          },
        }),
      ),
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (personId && service && slot) book.mutate(slot);
  };
  const change = (f: () => void) => {
    f();
    book.reset();
    setKey(newKey());
  };

  return (
    <section aria-labelledby="book-title">
      <h1 id="book-title">{t("staff.book.title")}</h1>
      <p className="lead">{t("staff.book.intro", { site: siteName })}</p>
      <form onSubmit={submit} noValidate>
        <PersonPicker site={site} value={personId} onChange={(id) => change(() => setPersonId(id))} />
        <ServicePicker
          value={service}
          onChange={(code) => change(() => (setService(code), setSlot(undefined), setSlotKey(undefined)))}
        />
        {service && (
          <SlotPicker
            site={site}
            service={service}
            value={slotKey}
            onChange={(k, s) => change(() => (setSlotKey(k), setSlot(s)))}
          />
        )}
        {book.isError && <ProblemAlert error={book.error} />}
        {book.isSuccess ? (
          <Alert color="success" role="status">
            <h2 className="h5">{t("staff.book.done")}</h2>
            <p className="mb-2">
              {t("staff.book.doneText", {
                when: `${romeDay(book.data.start, locale)} ${romeTime(book.data.start, locale)}`,
              })}
            </p>
            <Link to="/staff/bookings/$bookingId/delivery" params={{ bookingId: book.data.id }}>
              {t("staff.delivery.action")}
            </Link>{" "}
            · <Link to="/">{t("staff.backHome")}</Link>
          </Alert>
        ) : (
          <Button type="submit" color="primary" className="mt-3" disabled={book.isPending}>
            {book.isPending ? t("staff.book.confirming") : t("staff.book.confirm")}
          </Button>
        )}
        {!book.isSuccess && (!personId || !service || !slot) && (
          <p id="book-missing" className="mt-2 text-muted">
            {t("staff.book.missing")}
          </p>
        )}
      </form>
    </section>
  );
}

function PersonPicker(props: { site: string; value: string | undefined; onChange(id: string): void }) {
  const t = useT();
  const [search, setSearch] = useState("");
  const paged = usePagedQuery(["self-employment", "persons", props.site], (cursor) =>
    data(
      api.selfEmployment.GET("/v1/sites/{siteId}/persons", {
        params: { path: { siteId: props.site }, query: { limit: 50, cursor } },
      }),
    ),
  );
  const needle = search.trim().toLowerCase();
  return (
    <fieldset className="mb-4">
      <legend className="h4 mb-5">{t("staff.book.person")}</legend>
      <div className="form-group mb-2" style={{ maxWidth: "24rem" }}>
        <label htmlFor="person-search" className="active">
          {t("staff.book.personSearch")}
        </label>
        <input
          id="person-search"
          type="search"
          className="form-control"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          onKeyDown={(e) => e.key === "Enter" && e.preventDefault()}
        />
      </div>
      <PagedList paged={paged} empty={t("staff.book.noPerson")} pagerAlways>
        {(page) => {
          // The search narrows the page read (the service lists a site's persons without a name search).
          const persons = page.filter((p) =>
            `${p.givenName ?? ""} ${p.familyName ?? ""} ${p.codiceFiscale ?? ""}`
              .toLowerCase()
              .includes(needle),
          );
          if (persons.length === 0) return <p>{t("staff.book.noPerson")}</p>;
          return (
            <div data-testid="person-list">
              {persons.map((p) => (
                <div className="form-check" key={p.id}>
                  <input
                    className="form-check-input"
                    type="radio"
                    name="person"
                    id={`person-${p.id}`}
                    value={p.id}
                    checked={props.value === p.id}
                    onChange={() => props.onChange(p.id)}
                  />
                  <label className="form-check-label" htmlFor={`person-${p.id}`}>
                    {p.givenName} {p.familyName}
                    {p.codiceFiscale ? ` (${p.codiceFiscale})` : ""}
                  </label>
                </div>
              ))}
            </div>
          );
        }}
      </PagedList>
    </fieldset>
  );
}

function ServicePicker(props: { value: string; onChange(code: string): void }) {
  const t = useT();
  const types = useServiceTypes();
  return (
    <div className="select-wrapper mb-4" style={{ maxWidth: "28rem" }}>
      <label htmlFor="service-type">{t("staff.book.service")}</label>
      <select id="service-type" value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        <option value="">{t("staff.book.chooseService")}</option>
        {(types.data?.items ?? []).map((s) => (
          <option key={s.code} value={s.code}>
            {s.nameIt} ({s.durationMinutes} min)
          </option>
        ))}
      </select>
      {types.isError && <ProblemAlert error={types.error} />}
    </div>
  );
}

function SlotPicker(props: {
  site: string;
  service: string;
  value: string | undefined;
  onChange(key: string, slot: Slot): void;
}) {
  const t = useT();
  const { locale } = useLocale();
  const [from, setFrom] = useState(() => romeDate(new Date()));
  const to = addDays(from, 6);
  const query = useQuery({
    queryKey: ["self-employment", "availability", props.site, props.service, from],
    queryFn: () =>
      data(
        api.selfEmployment.GET("/v1/availability", {
          params: { query: { service: props.service, site: props.site, from, to } },
        }),
      ),
  });
  const days = useMemo(
    () =>
      (query.data?.days ?? []).map((day) => ({
        date: day.date,
        closed: day.closed,
        slots: day.slots.flatMap((s) =>
          s.operators.map((o) => ({ start: s.start, end: s.end, operatorId: o.id, operatorName: o.name })),
        ),
      })),
    [query.data],
  );
  return (
    <section aria-labelledby="slots-title" className="mb-3">
      <h2 id="slots-title" className="h4">
        {t("staff.book.slots")}
      </h2>
      <WeekNavigator
        week={from}
        onChange={setFrom}
        previousLabel={t("staff.calendar.previous")}
        nextLabel={t("staff.calendar.next")}
        span={(days) => t("staff.calendar.week", days)}
      />
      {query.isPending && <Loading label={t("staff.book.loadingSlots")} />}
      {query.isError && <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />}
      {query.isSuccess && days.every((d) => d.slots.length === 0) && <p>{t("staff.book.noSlots")}</p>}
      <div data-testid="slot-days">
        {days
          .filter((d) => d.slots.length > 0)
          .map((day) => (
            <fieldset key={day.date} className="mb-3">
              <legend className="h5">{romeDay(`${day.date}T12:00:00Z`, locale)}</legend>
              <div className="d-flex flex-wrap gap-3">
                {day.slots.map((s) => {
                  const key = `${s.start}|${s.operatorId}`;
                  const id = `slot-${day.date}-${s.start.replace(/\W/g, "")}-${s.operatorId}`;
                  return (
                    <div className="form-check m-0" key={key}>
                      <input
                        className="form-check-input"
                        type="radio"
                        name={`slot-${day.date}`}
                        id={id}
                        checked={props.value === key}
                        onChange={() => props.onChange(key, s)}
                      />
                      <label className="form-check-label" htmlFor={id}>
                        {romeTime(s.start, locale)}–{romeTime(s.end, locale)} · {s.operatorName}
                      </label>
                    </div>
                  );
                })}
              </div>
            </fieldset>
          ))}
      </div>
    </section>
  );
}
