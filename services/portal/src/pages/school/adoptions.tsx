// The school's adoptions: deliveries the company logged, to confirm (or dispute, saying why), and the
// PCTO hours per student pseudonym that the confirmed ones give. Confirming the last promise completes
// the adoption (the adoption service decides).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Badge, Button } from "design-react-kit";
import { useId, useState, type FormEvent } from "react";
import { api, data } from "../../api/client.js";
import { useEuro } from "../../components/commitments.js";
import { Loading, ProblemAlert } from "../../components/feedback.js";
import { PagedList, usePagedQuery } from "../../components/paged-list.js";
import { useRomeTime } from "../../components/rome-time.js";
import { useT } from "../../i18n/index.js";

export interface DeliveryRecord {
  id: string;
  kind: "kickoff" | "mentoring" | "internship" | "funding" | "equipment";
  status: "logged" | "confirmed" | "disputed";
  date?: string;
  hours?: number;
  pseudonyms?: string[];
  pseudonym?: string;
  startedOn?: string;
  endedOn?: string;
  amountCents?: number;
  item?: string;
  quantity?: number;
  disputeReason?: string;
}

export interface AdoptionView {
  id: string;
  ideaId: string;
  ideaTitle?: string;
  companyId: string;
  status: "active" | "completed" | "ended";
  records: DeliveryRecord[];
  teamPseudonyms?: string[];
  progress: {
    kickoff: { logged: boolean; confirmed: boolean };
    mentoringHours: { promised: number; logged: number; confirmed: number };
    internshipPlaces: { promised: number; logged: number; confirmed: number };
    fundingCents: { promised: number; logged: number; confirmed: number };
    equipment: Array<{ item: string; promised: number; logged: number; confirmed: number }>;
    complete: boolean;
    percent: number;
  };
  version: number;
}

/** One line saying what a delivery was: "Mentoring, 2 h on 26/11/2026 (Volpe Blu, Airone)". */
export function useRecordText() {
  const t = useT();
  const day = useRomeTime();
  const euro = useEuro();
  return (r: DeliveryRecord) => {
    switch (r.kind) {
      case "kickoff":
        return t("school.record.kickoff", { date: day(r.date, "day") });
      case "mentoring":
        return t("school.record.mentoring", {
          hours: r.hours ?? 0,
          date: day(r.date, "day"),
          names: (r.pseudonyms ?? []).join(", "),
        });
      case "internship":
        return r.endedOn
          ? t("school.record.internshipEnded", {
              name: r.pseudonym ?? "",
              from: day(r.startedOn, "day"),
              to: day(r.endedOn, "day"),
              hours: r.hours ?? 0,
            })
          : t("school.record.internship", { name: r.pseudonym ?? "", from: day(r.startedOn, "day") });
      case "funding":
        return t("school.record.funding", { amount: euro(r.amountCents ?? 0), date: day(r.date, "day") });
      case "equipment":
        return t("school.record.equipment", {
          item: r.item ?? "",
          quantity: r.quantity ?? 0,
          date: day(r.date, "day"),
        });
    }
  };
}

function RecordToConfirm({ adoption, record }: { adoption: AdoptionView; record: DeliveryRecord }) {
  const t = useT();
  const text = useRecordText();
  const queryClient = useQueryClient();
  const reasonId = useId();
  const [disputing, setDisputing] = useState(false);
  const [reason, setReason] = useState("");
  const params = {
    path: { id: adoption.id, recordId: record.id },
    header: { "If-Match": `"${adoption.version}"` },
  };
  const done = () => queryClient.invalidateQueries({ queryKey: ["school"] });
  const confirm = useMutation({
    mutationFn: () => data(api.adoption.POST("/v1/adoptions/{id}/records/{recordId}/confirm", { params })),
    onSuccess: done,
  });
  const dispute = useMutation({
    mutationFn: () =>
      data(api.adoption.POST("/v1/adoptions/{id}/records/{recordId}/dispute", { params, body: { reason } })),
    onSuccess: done,
  });
  const busy = confirm.isPending || dispute.isPending;
  const inProgress = record.kind === "internship" && !record.endedOn;
  const onDispute = (e: FormEvent) => {
    e.preventDefault();
    dispute.mutate();
  };
  return (
    <li className="mb-3" data-record-id={record.id}>
      <span>{text(record)}</span>
      {inProgress && <span className="small d-block">{t("school.record.inProgress")}</span>}
      {(confirm.isError || dispute.isError) && <ProblemAlert error={confirm.error ?? dispute.error} />}
      {busy && <Loading label={t("school.offers.working")} />}
      {!inProgress && !disputing && (
        <div className="d-flex gap-2 mt-1">
          <Button color="primary" size="sm" disabled={busy} onClick={() => confirm.mutate()}>
            {t("school.record.confirm")}
          </Button>
          <Button color="secondary" outline size="sm" disabled={busy} onClick={() => setDisputing(true)}>
            {t("school.record.dispute")}
          </Button>
        </div>
      )}
      {disputing && (
        <form onSubmit={onDispute} className="mt-2">
          <div className="form-group">
            <label htmlFor={reasonId} className="active">
              {t("school.record.disputeReason")}
            </label>
            <input
              id={reasonId}
              className="form-control"
              required
              minLength={3}
              maxLength={2000}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
          </div>
          <Button color="primary" size="sm" type="submit" disabled={busy}>
            {t("school.record.sendDispute")}
          </Button>
        </form>
      )}
    </li>
  );
}

function Pcto({ adoptionId }: { adoptionId: string }) {
  const t = useT();
  const query = useQuery({
    queryKey: ["school", "pcto", adoptionId],
    queryFn: () =>
      data(api.adoption.GET("/v1/adoptions/{id}/pcto", { params: { path: { id: adoptionId } } })),
  });
  if (query.isPending) return <Loading />;
  if (query.isError) return <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />;
  if (query.data.students.length === 0) return <p className="small">{t("school.pcto.none")}</p>;
  return (
    <table className="table table-sm">
      <caption>{t("school.pcto.caption")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("school.pcto.student")}</th>
          <th scope="col">{t("school.pcto.mentoring")}</th>
          <th scope="col">{t("school.pcto.internship")}</th>
          <th scope="col">{t("school.pcto.total")}</th>
        </tr>
      </thead>
      <tbody>
        {query.data.students.map((s) => (
          <tr key={s.pseudonym}>
            <th scope="row">{s.pseudonym}</th>
            <td>{s.mentoringHours}</td>
            <td>{s.internshipHours}</td>
            <td>{s.totalHours}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function SchoolAdoptions() {
  const t = useT();
  const paged = usePagedQuery(["school", "adoptions"], (cursor) =>
    data(api.adoption.GET("/v1/adoptions", { params: { query: { limit: 10, cursor } } })),
  );
  return (
    <section aria-labelledby="school-adoptions" className="mt-5">
      <h2 id="school-adoptions" className="h3">
        {t("school.adoptions.title")}
      </h2>
      <PagedList paged={paged} empty={t("school.adoptions.empty")}>
        {(items) => (
          <ul className="list-unstyled" data-testid="school-adoptions">
            {(items as unknown as AdoptionView[]).map((a) => {
              const toConfirm = a.records.filter((r) => r.status === "logged");
              return (
                <li key={a.id} className="border rounded p-3 mb-3" data-adoption-id={a.id}>
                  <h3 className="h5">
                    {a.ideaTitle ?? a.ideaId}{" "}
                    <Badge color={a.status === "completed" ? "success" : "primary"}>
                      {t(`school.adoptions.status.${a.status}`)}
                    </Badge>
                  </h3>
                  <p className="small">{t("school.adoptions.progress", { percent: a.progress.percent })}</p>
                  <h4 className="h6">{t("school.record.toConfirm")}</h4>
                  {toConfirm.length === 0 ? (
                    <p className="small">{t("school.record.none")}</p>
                  ) : (
                    <ul>
                      {toConfirm.map((r) => (
                        <RecordToConfirm key={r.id} adoption={a} record={r} />
                      ))}
                    </ul>
                  )}
                  <h4 className="h6">{t("school.pcto.title")}</h4>
                  <Pcto adoptionId={a.id} />
                </li>
              );
            })}
          </ul>
        )}
      </PagedList>
    </section>
  );
}
