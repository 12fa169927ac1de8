// Recording what was delivered for a booking: the actual start and end (Rome's wall clock, filled in
// from the booking), the outcome from the service's coded list, notes. Written on the person's path.
import { useMutation, useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { Alert, Button } from "design-react-kit";
import { useState, type FormEvent } from "react";
import { api, data } from "../../api/client.js";
import type { paths } from "../../api/self-employment";
import { Loading, ProblemAlert } from "../../components/feedback.js";
import { useLocale, useT } from "../../i18n/index.js";
import { useServiceName } from "./common.js";
import { romeDay, romeLocalInput, romeTime, withRomeOffset } from "./time.js";

type DeliveryBody =
  paths["/v1/paths/{pathId}/deliveries"]["post"]["requestBody"]["content"]["application/json"];
type Outcome = DeliveryBody["outcome"];
export const OUTCOMES: readonly Outcome[] = [
  "servizio_svolto",
  "pip_sottoscritto",
  "cv_prodotto",
  "scheda_competenze",
  "progetto_professionale",
  "business_plan_redatto",
  "progetto_tirocinio",
  "tirocinio_avviato",
  "assunto",
  "impresa_avviata",
  "rinvio_ad_altro_servizio",
  "ritirato",
];

export function StaffDeliveryPage({ bookingId }: { bookingId: string }) {
  const t = useT();
  const booking = useQuery({
    queryKey: ["self-employment", "booking", bookingId],
    queryFn: () =>
      data(api.selfEmployment.GET("/v1/bookings/{bookingId}", { params: { path: { bookingId } } })),
  });
  return (
    <section aria-labelledby="delivery-title">
      <h1 id="delivery-title">{t("staff.delivery.title")}</h1>
      {booking.isPending && <Loading />}
      {booking.isError && <ProblemAlert error={booking.error} onRetry={() => void booking.refetch()} />}
      {booking.isSuccess && <DeliveryForm booking={booking.data} />}
    </section>
  );
}

interface Booking {
  id: string;
  pathId: string;
  serviceCode: string;
  site: string;
  operatorId: string;
  start: string;
  end: string;
}

function DeliveryForm({ booking }: { booking: Booking }) {
  const t = useT();
  const { locale } = useLocale();
  const serviceName = useServiceName();
  const [start, setStart] = useState(() => romeLocalInput(booking.start));
  const [end, setEnd] = useState(() => romeLocalInput(booking.end));
  const [outcome, setOutcome] = useState<Outcome | "">("");
  const [notes, setNotes] = useState("");
  const record = useMutation({
    mutationFn: () =>
      data(
        api.selfEmployment.POST("/v1/paths/{pathId}/deliveries", {
          params: { path: { pathId: booking.pathId } },
          body: {
            serviceCode: booking.serviceCode as DeliveryBody["serviceCode"],
            site: booking.site,
            operatorId: booking.operatorId,
            bookingId: booking.id,
            start: withRomeOffset(start, new Date(booking.start)),
            end: withRomeOffset(end, new Date(booking.end)),
            outcome: outcome as Outcome,
            ...(notes.trim() ? { notes: notes.trim() } : {}),
          },
        }),
      ),
  });
  const fieldErrors = (field: string) =>
    record.error && "problem" in record.error
      ? (
          (record.error as { problem: { errors?: Array<{ path: string; message: string }> } }).problem
            .errors ?? []
        )
          .filter((e) => e.path === field || e.path.endsWith(`.${field}`))
          .map((e) => e.message)
      : [];
  const [outcomeMissing, setOutcomeMissing] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!outcome) {
      setOutcomeMissing(true);
      return;
    }
    setOutcomeMissing(false);
    record.mutate();
  };
  const described = (id: string, has: boolean) =>
    has ? { "aria-describedby": id, "aria-invalid": true } : {};
  const startErrors = fieldErrors("start");
  const endErrors = fieldErrors("end");

  if (record.isSuccess) {
    return (
      <Alert color="success" role="status">
        <h2 className="h5">{t("staff.delivery.done")}</h2>
        <p className="mb-2">{t("staff.delivery.doneText", { hours: String(deliveredHours(record.data)) })}</p>
        <Link to="/">{t("staff.backHome")}</Link>
      </Alert>
    );
  }
  return (
    <form onSubmit={submit} noValidate>
      <p className="lead">
        {t("staff.delivery.intro", {
          service: serviceName(booking.serviceCode),
          when: `${romeDay(booking.start, locale)} ${romeTime(booking.start, locale)}–${romeTime(booking.end, locale)}`,
        })}
      </p>
      <div className="row">
        <div className="col-md-4 form-group">
          <label htmlFor="delivery-start" className="active">
            {t("staff.delivery.start")}
          </label>
          <input
            id="delivery-start"
            type="datetime-local"
            className="form-control"
            value={start}
            onChange={(e) => setStart(e.target.value)}
            {...described("delivery-start-error", startErrors.length > 0)}
          />
          {startErrors.length > 0 && (
            <div id="delivery-start-error" className="text-danger">
              {startErrors.join(" ")}
            </div>
          )}
        </div>
        <div className="col-md-4 form-group">
          <label htmlFor="delivery-end" className="active">
            {t("staff.delivery.end")}
          </label>
          <input
            id="delivery-end"
            type="datetime-local"
            className="form-control"
            value={end}
            onChange={(e) => setEnd(e.target.value)}
            {...described("delivery-end-error", endErrors.length > 0)}
          />
          {endErrors.length > 0 && (
            <div id="delivery-end-error" className="text-danger">
              {endErrors.join(" ")}
            </div>
          )}
        </div>
      </div>
      <div className="select-wrapper mb-4" style={{ maxWidth: "28rem" }}>
        <label htmlFor="delivery-outcome">{t("staff.delivery.outcome")}</label>
        <select
          id="delivery-outcome"
          value={outcome}
          onChange={(e) => setOutcome(e.target.value as Outcome)}
          {...described("delivery-outcome-error", outcomeMissing)}
        >
          <option value="">{t("staff.delivery.chooseOutcome")}</option>
          {OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {t(`staff.outcome.${o}`)}
            </option>
          ))}
        </select>
        {outcomeMissing && (
          <div id="delivery-outcome-error" className="text-danger">
            {t("staff.delivery.outcomeMissing")}
          </div>
        )}
      </div>
      <div className="form-group">
        <label htmlFor="delivery-notes" className="active">
          {t("staff.delivery.notes")}
        </label>
        <textarea
          id="delivery-notes"
          className="form-control"
          rows={3}
          value={notes}
          onChange={(e) => setNotes(e.target.value)}
        />
      </div>
      {record.isError && <ProblemAlert error={record.error} />}
      <Button type="submit" color="primary" disabled={record.isPending}>
        {record.isPending ? t("staff.delivery.saving") : t("staff.delivery.save")}
      </Button>
    </form>
  );
}

function deliveredHours(path: unknown): number {
  const deliveries = (
    path as { deliveries?: Array<{ revisions?: Array<{ hours?: number }>; hours?: number }> }
  ).deliveries;
  const last = deliveries?.at(-1);
  return last?.revisions?.at(-1)?.hours ?? last?.hours ?? 0;
}
