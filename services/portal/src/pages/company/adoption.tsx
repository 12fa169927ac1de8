// One adoption as the company sees it: what it promised against what it delivered (logged) and what the
// school confirmed, the deliveries so far, and the form to log the next one (kick-off, a mentoring
// session, funding, an internship's start; an internship in progress gets its end with its hours).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Badge, Button } from "design-react-kit";
import { useState, type FormEvent } from "react";
import { api, data } from "../../api/client.js";
import { useEuro } from "../../components/commitments.js";
import { Loading, ProblemAlert } from "../../components/feedback.js";
import { romeToday } from "../../components/rome-time.js";
import { useT, type MessageId } from "../../i18n/index.js";
import { useRecordText, type AdoptionView, type DeliveryRecord } from "../school/adoptions.js";
import { euroToCents } from "./offer.js";

type Kind = "kickoff" | "mentoring" | "funding" | "internship";
const KINDS: readonly Kind[] = ["kickoff", "mentoring", "funding", "internship"];

/** What is left to deliver, one line per promise not yet logged in full. */
export function useLeftToDeliver() {
  const t = useT();
  const euro = useEuro();
  return (a: AdoptionView): string[] => {
    const p = a.progress;
    const left: string[] = [];
    if (!p.kickoff.logged) left.push(t("company.left.kickoff"));
    if (p.mentoringHours.logged < p.mentoringHours.promised)
      left.push(t("company.left.mentoring", { hours: p.mentoringHours.promised - p.mentoringHours.logged }));
    if (p.internshipPlaces.logged < p.internshipPlaces.promised)
      left.push(
        t("company.left.internships", { places: p.internshipPlaces.promised - p.internshipPlaces.logged }),
      );
    if (p.fundingCents.logged < p.fundingCents.promised)
      left.push(t("company.left.funding", { amount: euro(p.fundingCents.promised - p.fundingCents.logged) }));
    for (const e of p.equipment)
      if (e.logged < e.promised)
        left.push(t("company.left.equipment", { item: e.item, quantity: e.promised - e.logged }));
    return left;
  };
}

function EndInternship({ adoption, record }: { adoption: AdoptionView; record: DeliveryRecord }) {
  const t = useT();
  const queryClient = useQueryClient();
  const [endedOn, setEndedOn] = useState(romeToday());
  const [hours, setHours] = useState("");
  const end = useMutation({
    mutationFn: () =>
      data(
        api.adoption.POST("/v1/adoptions/{id}/records/{recordId}/end", {
          params: {
            path: { id: adoption.id, recordId: record.id },
            header: { "If-Match": `"${adoption.version}"` },
          },
          body: { endedOn, hours: Number(hours) },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["company"] }),
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    end.mutate();
  };
  const id = `end-${record.id}`;
  return (
    <form onSubmit={onSubmit} className="row gy-2 align-items-end mt-1">
      <div className="col-md-4 form-group mb-0">
        <label htmlFor={`${id}-on`} className="active">
          {t("company.log.endedOn")}
        </label>
        <input
          id={`${id}-on`}
          type="date"
          className="form-control"
          value={endedOn}
          onChange={(e) => setEndedOn(e.target.value)}
        />
      </div>
      <div className="col-md-3 form-group mb-0">
        <label htmlFor={`${id}-hours`} className="active">
          {t("company.log.hours")}
        </label>
        <input
          id={`${id}-hours`}
          type="number"
          min={0.25}
          step={0.25}
          className="form-control"
          value={hours}
          onChange={(e) => setHours(e.target.value)}
        />
      </div>
      <div className="col-md-5">
        <Button color="primary" size="sm" type="submit" disabled={end.isPending}>
          {t("company.log.end")}
        </Button>
      </div>
      <div className="col-12" aria-live="polite">
        {end.isPending && <Loading label={t("company.log.sending")} />}
        {end.isError && <ProblemAlert error={end.error} />}
      </div>
    </form>
  );
}

function LogDelivery({ adoption }: { adoption: AdoptionView }) {
  const t = useT();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<Kind>(adoption.progress.kickoff.logged ? "mentoring" : "kickoff");
  const [date, setDate] = useState(romeToday());
  const [hours, setHours] = useState("");
  const [amount, setAmount] = useState("");
  const [students, setStudents] = useState<string[]>([]);
  const [note, setNote] = useState("");
  const [amountError, setAmountError] = useState(false);
  const team = adoption.teamPseudonyms ?? [];
  const log = useMutation({
    mutationFn: (amountCents: number) => {
      const body =
        kind === "kickoff"
          ? { kind, date }
          : kind === "mentoring"
            ? { kind, date, hours: Number(hours), pseudonyms: students }
            : kind === "funding"
              ? { kind, date, amountCents }
              : { kind, startedOn: date, pseudonym: students[0] ?? "" };
      return data(
        api.adoption.POST("/v1/adoptions/{id}/records", {
          params: { path: { id: adoption.id }, header: { "If-Match": `"${adoption.version}"` } },
          body: { ...body, ...(note.trim() ? { note } : {}) },
        }),
      );
    },
    onSuccess: async (next) => {
      setHours("");
      setAmount("");
      setNote("");
      setStudents([]);
      const view = next as unknown as AdoptionView;
      if (view.progress?.kickoff.logged && kind === "kickoff") setKind("mentoring");
      await queryClient.invalidateQueries({ queryKey: ["company"] });
    },
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const cents = kind === "funding" ? euroToCents(amount) : 0;
    const bad = cents === undefined || (kind === "funding" && cents === 0);
    setAmountError(bad);
    if (!bad) log.mutate(cents ?? 0);
  };
  const dateLabel: MessageId = kind === "internship" ? "company.log.startedOn" : "company.log.date";
  return (
    <form onSubmit={onSubmit} aria-labelledby="log-title" className="border rounded p-3 mt-4">
      <h2 id="log-title" className="h4">
        {t("company.log.title")}
      </h2>
      <div className="row gy-4 mt-1">
        <div className="col-md-4 select-wrapper">
          <label htmlFor="log-kind">{t("company.log.kind")}</label>
          <select id="log-kind" value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`company.kind.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="col-md-4 form-group">
          <label htmlFor="log-date" className="active">
            {t(dateLabel)}
          </label>
          <input
            id="log-date"
            type="date"
            required
            className="form-control"
            value={date}
            onChange={(e) => setDate(e.target.value)}
          />
        </div>
        {kind === "mentoring" && (
          <div className="col-md-4 form-group">
            <label htmlFor="log-hours" className="active">
              {t("company.log.hours")}
            </label>
            <input
              id="log-hours"
              type="number"
              min={0.25}
              max={12}
              step={0.25}
              required
              className="form-control"
              value={hours}
              onChange={(e) => setHours(e.target.value)}
            />
          </div>
        )}
        {kind === "funding" && (
          <div className="col-md-4 form-group">
            <label htmlFor="log-amount" className="active">
              {t("company.log.amount")}
            </label>
            <input
              id="log-amount"
              inputMode="decimal"
              required
              className={`form-control${amountError ? " is-invalid" : ""}`}
              aria-invalid={amountError}
              aria-describedby={amountError ? "log-amount-error" : undefined}
              value={amount}
              onChange={(e) => setAmount(e.target.value)}
            />
            {amountError && (
              <div id="log-amount-error" className="invalid-feedback d-block">
                {t("company.offer.fundingInvalid")}
              </div>
            )}
          </div>
        )}
      </div>
      {(kind === "mentoring" || kind === "internship") && (
        <fieldset className="mt-3">
          <legend className="h6">
            {t(kind === "mentoring" ? "company.log.students" : "company.log.student")}
          </legend>
          {team.map((p, i) => (
            <div key={p} className="form-check form-check-inline">
              <input
                id={`log-student-${i}`}
                type={kind === "mentoring" ? "checkbox" : "radio"}
                name="log-student"
                checked={students.includes(p)}
                onChange={(e) =>
                  setStudents(
                    kind === "mentoring"
                      ? e.target.checked
                        ? [...students, p]
                        : students.filter((s) => s !== p)
                      : [p],
                  )
                }
              />
              <label htmlFor={`log-student-${i}`}>{p}</label>
            </div>
          ))}
        </fieldset>
      )}
      <div className="form-group mt-3">
        <label htmlFor="log-note" className="active">
          {t("company.log.note")}
        </label>
        <input
          id="log-note"
          className="form-control"
          maxLength={2000}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
      </div>
      <div aria-live="polite">
        {log.isPending && <Loading label={t("company.log.sending")} />}
        {log.isError && <ProblemAlert error={log.error} />}
      </div>
      <Button color="primary" type="submit" disabled={log.isPending}>
        {t("company.log.send")}
      </Button>
    </form>
  );
}

export function CompanyAdoptionPage({ adoptionId }: { adoptionId: string }) {
  const t = useT();
  const euro = useEuro();
  const text = useRecordText();
  const left = useLeftToDeliver();
  const query = useQuery({
    queryKey: ["company", "adoption", adoptionId],
    queryFn: () => data(api.adoption.GET("/v1/adoptions/{id}", { params: { path: { id: adoptionId } } })),
  });
  if (query.isPending) return <Loading />;
  if (query.isError) return <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />;
  const a = query.data as unknown as AdoptionView;
  const p = a.progress;
  const rows: Array<[MessageId, string, string, string]> = [
    ["company.progress.kickoff", "1", p.kickoff.logged ? "1" : "0", p.kickoff.confirmed ? "1" : "0"],
    [
      "company.progress.mentoring",
      `${p.mentoringHours.promised}`,
      `${p.mentoringHours.logged}`,
      `${p.mentoringHours.confirmed}`,
    ],
    [
      "company.progress.internships",
      `${p.internshipPlaces.promised}`,
      `${p.internshipPlaces.logged}`,
      `${p.internshipPlaces.confirmed}`,
    ],
    [
      "company.progress.funding",
      euro(p.fundingCents.promised),
      euro(p.fundingCents.logged),
      euro(p.fundingCents.confirmed),
    ],
  ];
  const remaining = left(a);
  return (
    <section aria-labelledby="adoption-title" data-adoption-status={a.status}>
      <h1 id="adoption-title">
        {a.ideaTitle ?? a.ideaId}{" "}
        <Badge color={a.status === "completed" ? "success" : "primary"}>
          {t(`school.adoptions.status.${a.status}`)}
        </Badge>
      </h1>
      <p className="lead" role="status">
        {t("school.adoptions.progress", { percent: p.percent })}
      </p>
      <table className="table">
        <caption>{t("company.progress.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("company.progress.what")}</th>
            <th scope="col">{t("company.progress.promised")}</th>
            <th scope="col">{t("company.progress.logged")}</th>
            <th scope="col">{t("company.progress.confirmed")}</th>
          </tr>
        </thead>
        <tbody>
          {/* A commitment the offer did not make has no row (the kick-off is always due). */}
          {rows
            .filter(
              ([label, promised]) =>
                label === "company.progress.kickoff" || (promised !== "0" && promised !== euro(0)),
            )
            .map(([label, ...cells]) => (
              <tr key={label}>
                <th scope="row">{t(label)}</th>
                {cells.map((c, i) => (
                  <td key={i}>{c}</td>
                ))}
              </tr>
            ))}
        </tbody>
      </table>
      <h2 className="h4">{t("company.left.title")}</h2>
      {remaining.length === 0 ? (
        <p>{a.status === "completed" ? t("company.left.completed") : t("company.left.awaiting")}</p>
      ) : (
        <ul data-testid="left-to-deliver">
          {remaining.map((l) => (
            <li key={l}>{l}</li>
          ))}
        </ul>
      )}
      <h2 className="h4">{t("company.records.title")}</h2>
      {a.records.length === 0 ? (
        <p>{t("company.records.empty")}</p>
      ) : (
        <ul data-testid="records">
          {a.records.map((r) => (
            <li key={r.id}>
              {text(r)}{" "}
              <Badge
                color={
                  r.status === "confirmed" ? "success" : r.status === "disputed" ? "danger" : "secondary"
                }
              >
                {t(`company.recordStatus.${r.status}`)}
              </Badge>
              {r.disputeReason && (
                <span className="d-block small">
                  {t("company.records.disputed", { reason: r.disputeReason })}
                </span>
              )}
              {a.status === "active" && r.kind === "internship" && !r.endedOn && r.status === "logged" && (
                <EndInternship adoption={a} record={r} />
              )}
            </li>
          ))}
        </ul>
      )}
      {a.status === "active" && <LogDelivery adoption={a} />}
    </section>
  );
}
