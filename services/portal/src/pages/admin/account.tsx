// One account for an administrator: its details, disabling it (after a confirmation step with the
// reason, which the gateway keeps), enabling it again, ending its sessions. Each action shows its
// progress, its outcome in a live region, and the gateway's own words next to it when refused.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { Button } from "design-react-kit";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { api, data } from "../../api/client.js";
import type { paths } from "../../api/gateway";
import { Loading, ProblemAlert } from "../../components/feedback.js";
import { useRomeTime } from "../../components/rome-time.js";
import { useT } from "../../i18n/index.js";
import { describedBy, fieldErrors } from "../staffreview/common.js";

type Account = paths["/v1/accounts/{subject}"]["get"]["responses"][200]["content"]["application/json"];

export function AdminAccountPage({ subject }: { subject: string }) {
  const t = useT();
  const date = useRomeTime();
  const client = useQueryClient();
  const [outcome, setOutcome] = useState("");
  const query = useQuery({
    queryKey: ["gateway", "account", subject],
    queryFn: () => data(api.gateway.GET("/v1/accounts/{subject}", { params: { path: { subject } } })),
  });
  const changed = (account: Account, message: string) => {
    client.setQueryData(["gateway", "account", subject], account);
    void client.invalidateQueries({ queryKey: ["gateway", "accounts"] });
    void client.invalidateQueries({ queryKey: ["gateway", "counts"] });
    setOutcome(message);
  };
  const enable = useMutation({
    mutationFn: () =>
      data(api.gateway.POST("/v1/accounts/{subject}:enable", { params: { path: { subject } } })),
    onSuccess: (a) =>
      changed(
        a,
        t(a.status === "active" ? "admin.enable.done" : "admin.enable.doneInvited", {
          name: a.displayName,
        }),
      ),
  });
  const revoke = useMutation({
    mutationFn: () =>
      data(api.gateway.POST("/v1/accounts/{subject}/sessions:revoke", { params: { path: { subject } } })),
    onSuccess: (r) => setOutcome(t("admin.revoke.done", { count: r.revoked })),
  });

  if (query.isPending) return <Loading label={t("admin.account.loading")} />;
  if (query.isError) {
    return (
      <section>
        <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />
        <p>
          <Link to="/admin/accounts">{t("admin.backList")}</Link>
        </p>
      </section>
    );
  }
  const a = query.data;
  const row = (label: string, value: string) => (
    <>
      <dt className="col-sm-4">{label}</dt>
      <dd className="col-sm-8">{value}</dd>
    </>
  );
  return (
    <section aria-labelledby="account-title">
      <h1 id="account-title">{t("admin.account.title", { name: a.displayName })}</h1>
      <h2 className="h4 mt-4">{t("admin.account.details")}</h2>
      <dl className="row" data-testid="account-details">
        {row(t("admin.account.email"), a.email)}
        {row(t("admin.account.role"), t(`role.${a.role}`))}
        {row(t("admin.account.organisation"), a.organisationId)}
        {a.role === "staff" && row(t("admin.account.sites"), a.sites.join(", ") || t("admin.account.none"))}
        {row(t("admin.account.locale"), t(`staffreview.invite.locale.${a.locale}`))}
        <dt className="col-sm-4">{t("admin.account.status")}</dt>
        <dd className="col-sm-8 fw-semibold" data-testid="account-status">
          {t(`admin.status.${a.status}`)}
        </dd>
        {row(t("admin.account.created"), date(a.createdAt, "dayTime"))}
        {a.activatedAt && row(t("admin.account.activated"), date(a.activatedAt, "dayTime"))}
        {a.disabledAt && row(t("admin.account.disabledAt"), date(a.disabledAt, "dayTime"))}
        {a.disabledReason && row(t("admin.account.disabledReason"), a.disabledReason)}
        {row(t("admin.account.subject"), a.subject)}
      </dl>

      <h2 className="h4 mt-4">{t("admin.account.actions")}</h2>
      <p role="status" aria-live="polite" className="fw-semibold text-success" data-testid="account-outcome">
        {outcome}
      </p>
      {a.status === "disabled" ? (
        <div className="mb-4">
          {enable.isError && <ProblemAlert error={enable.error} />}
          {enable.isPending && <Loading label={t("admin.enable.pending")} />}
          <Button color="primary" onClick={() => enable.mutate()} disabled={enable.isPending}>
            {t("admin.enable.action")}
          </Button>
        </div>
      ) : (
        <DisableAccount
          account={a}
          onDisabled={(d) => changed(d, t("admin.disable.done", { name: d.displayName }))}
        />
      )}
      <div className="mb-4">
        {revoke.isError && <ProblemAlert error={revoke.error} />}
        {revoke.isPending && <Loading label={t("admin.revoke.pending")} />}
        <Button
          color="primary"
          outline
          onClick={() => revoke.mutate()}
          disabled={revoke.isPending}
          aria-describedby="revoke-help"
        >
          {t("admin.revoke.action")}
        </Button>
        <small id="revoke-help" className="form-text d-block mt-1">
          {t("admin.revoke.help")}
        </small>
      </div>
      <p className="mt-4">
        <Link to="/admin/accounts">{t("admin.backList")}</Link>
      </p>
    </section>
  );
}

/** Disabling, in two steps: the button opens the confirmation with the reason; confirming sends it. */
function DisableAccount({ account, onDisabled }: { account: Account; onDisabled(a: Account): void }) {
  const t = useT();
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState("");
  const [missing, setMissing] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const disable = useMutation({
    mutationFn: () =>
      data(
        api.gateway.POST("/v1/accounts/{subject}:disable", {
          params: { path: { subject: account.subject } },
          body: { reason: reason.trim() },
        }),
      ),
    onSuccess: (a) => {
      setConfirming(false);
      onDisabled(a);
    },
  });
  // The confirmation takes the focus, so a keyboard or screen-reader user lands on what it asks.
  useEffect(() => {
    if (confirming) heading.current?.focus();
  }, [confirming]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const empty = !reason.trim();
    setMissing(empty);
    if (!empty) disable.mutate();
  };
  if (!confirming) {
    return (
      <div className="mb-4">
        <Button color="danger" onClick={() => setConfirming(true)}>
          {t("admin.disable.action")}
        </Button>
      </div>
    );
  }
  const errors = [
    ...(missing ? [t("admin.disable.reasonRequired")] : []),
    ...fieldErrors(disable.error, "reason"),
  ];
  return (
    <form
      onSubmit={submit}
      noValidate
      className="border border-danger rounded p-3 mb-4"
      style={{ maxWidth: "40rem" }}
      aria-labelledby="disable-title"
      data-testid="disable-confirm"
    >
      <h3 id="disable-title" className="h5" tabIndex={-1} ref={heading}>
        {t("admin.disable.confirmTitle", { name: account.displayName })}
      </h3>
      <p>{t("admin.disable.confirmText")}</p>
      <div className="form-group">
        <label htmlFor="disable-reason" className="active">
          {t("admin.disable.reason")}
        </label>
        <input
          id="disable-reason"
          className="form-control"
          value={reason}
          maxLength={500}
          onChange={(e) => setReason(e.target.value)}
          {...describedBy("disable-reason-error", errors.length > 0, "disable-reason-help")}
        />
        <small id="disable-reason-help" className="form-text">
          {t("admin.disable.reasonHelp")}
        </small>
        {errors.length > 0 && (
          <div id="disable-reason-error" className="text-danger">
            {errors.join(" ")}
          </div>
        )}
      </div>
      {disable.isError && <ProblemAlert error={disable.error} />}
      {disable.isPending && <Loading label={t("admin.disable.pending")} />}
      <div className="d-flex gap-3">
        <Button type="submit" color="danger" disabled={disable.isPending}>
          {t("admin.disable.confirm")}
        </Button>
        <Button
          type="button"
          color="secondary"
          outline
          onClick={() => {
            setConfirming(false);
            disable.reset();
            setMissing(false);
          }}
        >
          {t("admin.disable.cancel")}
        </Button>
      </div>
    </form>
  );
}
