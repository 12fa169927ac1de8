// Inviting a person by a one-time link, shared by the staff (schools, verified companies, adult learners)
// and the administrators (any role): the gateway creates the account, mails the link in the person's
// language and answers it, so whoever invites can also copy it and hand it over. Its refusals
// (unverified company, a minor, a role the inviter may not give) show in its words. The texts common to
// both are the staff's invitation texts; each page names its roles and organisations.
import { useMutation } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { Alert, Button } from "design-react-kit";
import { useState, type FormEvent } from "react";
import { api, data } from "../api/client.js";
import type { Role } from "../auth/session.js";
import { describedBy, fieldErrors } from "../pages/staffreview/common.js";
import { useT } from "../i18n/index.js";
import { Loading, ProblemAlert } from "./feedback.js";
import { useRomeTime } from "./rome-time.js";

export interface InviteFormProps<R extends Role> {
  /** The roles offered, the first one chosen at first. */
  roles: readonly [R, ...R[]];
  title: string;
  intro: string;
  roleLabel(role: R): string;
  /** The label of the organisation's code for that role. */
  organisationLabel(role: R): string;
  /** The sites field, offered for staff (their tokens carry the sites they work at). */
  sites?: { label: string; help: string };
}

export function InviteForm<R extends Role>(props: InviteFormProps<R>) {
  const { roles, title, intro, roleLabel, organisationLabel } = props;
  const t = useT();
  const fmt = useRomeTime();
  const [role, setRole] = useState<R>(roles[0]);
  const [sites, setSites] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [email, setEmail] = useState("");
  const [organisationId, setOrganisationId] = useState("");
  const [birthDate, setBirthDate] = useState("");
  const [locale, setLocale] = useState<"it" | "en">("it");
  const [missing, setMissing] = useState<string[]>([]);
  const [copied, setCopied] = useState(false);
  const withSites = props.sites !== undefined && role === "staff";
  const siteList = sites
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const invite = useMutation({
    mutationFn: () =>
      data(
        api.gateway.POST("/v1/invitations", {
          body: {
            role,
            displayName: displayName.trim(),
            email: email.trim(),
            organisationId: organisationId.trim(),
            locale,
            ...(role === "learner" && birthDate ? { birthDate } : {}),
            ...(withSites ? { sites: siteList } : {}),
          },
        }),
      ),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const required: Array<[string, string]> = [
      ["displayName", displayName],
      ["email", email],
      ["organisationId", organisationId],
      ...(role === "learner" ? ([["birthDate", birthDate]] as Array<[string, string]>) : []),
    ];
    const empty = required.filter(([, v]) => !v.trim()).map(([k]) => k);
    setMissing(empty);
    if (empty.length === 0) invite.mutate();
  };
  const errorsOf = (field: string) => [
    ...(missing.includes(field) ? [t("staffreview.invite.required")] : []),
    ...fieldErrors(invite.error, field),
  ];

  if (invite.isSuccess) {
    const { link, expiresAt, account } = invite.data;
    return (
      <section aria-labelledby="invite-title">
        <h1 id="invite-title">{title}</h1>
        <Alert color="success" role="status">
          <h2 className="h5">{t("staffreview.invite.done", { email: account.email })}</h2>
          <p>{t("staffreview.invite.mailed", { email: account.email, expires: fmt(expiresAt) })}</p>
        </Alert>
        <div className="mt-5 mb-4" style={{ maxWidth: "48rem" }}>
          <div className="form-group mb-2">
            <label htmlFor="invite-link" className="active">
              {t("staffreview.invite.link")}
            </label>
            <input
              id="invite-link"
              className="form-control"
              readOnly
              value={link}
              data-testid="invite-link"
            />
          </div>
          <Button
            color="primary"
            size="sm"
            onClick={() =>
              void navigator.clipboard
                ?.writeText(link)
                .then(() => setCopied(true))
                .catch(() => setCopied(false))
            }
          >
            {t("staffreview.invite.copy")}
          </Button>
          <span aria-live="polite" className="ms-3">
            {copied ? t("staffreview.invite.copied") : ""}
          </span>
        </div>
        <p>
          <Button
            color="primary"
            outline
            onClick={() => {
              invite.reset();
              setDisplayName("");
              setEmail("");
              setOrganisationId("");
              setBirthDate("");
              setSites("");
              setCopied(false);
            }}
          >
            {t("staffreview.invite.another")}
          </Button>
        </p>
        <p>
          <Link to="/">{t("staffreview.backHome")}</Link>
        </p>
      </section>
    );
  }

  const text = (
    id: string,
    field: string,
    label: string,
    value: string,
    set: (v: string) => void,
    type = "text",
    help?: string,
  ) => {
    const errors = errorsOf(field);
    return (
      <div className="form-group">
        <label htmlFor={id} className="active">
          {label}
        </label>
        <input
          id={id}
          name={field}
          type={type}
          className="form-control"
          value={value}
          onChange={(e) => set(e.target.value)}
          {...(type === "email" ? { autoComplete: "off" } : {})}
          {...describedBy(`${id}-error`, errors.length > 0, help ? `${id}-help` : undefined)}
        />
        {help && (
          <small id={`${id}-help`} className="form-text">
            {help}
          </small>
        )}
        {errors.length > 0 && (
          <div id={`${id}-error`} className="text-danger">
            {errors.join(" ")}
          </div>
        )}
      </div>
    );
  };

  return (
    <section aria-labelledby="invite-title">
      <h1 id="invite-title">{title}</h1>
      <p className="lead">{intro}</p>
      <form onSubmit={submit} noValidate style={{ maxWidth: "40rem" }}>
        <fieldset className="mb-4">
          <legend className="h6">{t("staffreview.invite.role")}</legend>
          {roles.map((r) => (
            <div className="form-check" key={r}>
              <input
                className="form-check-input"
                type="radio"
                name="role"
                id={`invite-role-${r}`}
                value={r}
                checked={role === r}
                onChange={() => setRole(r)}
              />
              <label className="form-check-label" htmlFor={`invite-role-${r}`}>
                {roleLabel(r)}
              </label>
            </div>
          ))}
        </fieldset>
        {text("invite-name", "displayName", t("staffreview.invite.name"), displayName, setDisplayName)}
        {text("invite-email", "email", t("staffreview.invite.email"), email, setEmail, "email")}
        {text(
          "invite-organisation",
          "organisationId",
          organisationLabel(role),
          organisationId,
          setOrganisationId,
          "text",
          t("staffreview.invite.organisationHelp"),
        )}
        {role === "learner" &&
          text(
            "invite-birth-date",
            "birthDate",
            t("staffreview.invite.birthDate"),
            birthDate,
            setBirthDate,
            "date",
            t("staffreview.invite.birthDateHelp"),
          )}
        {withSites &&
          text("invite-sites", "sites", props.sites!.label, sites, setSites, "text", props.sites!.help)}
        <div className="select-wrapper mb-4">
          <label htmlFor="invite-locale">{t("staffreview.invite.locale")}</label>
          <select
            id="invite-locale"
            value={locale}
            onChange={(e) => setLocale(e.target.value as "it" | "en")}
          >
            <option value="it">{t("staffreview.invite.locale.it")}</option>
            <option value="en">{t("staffreview.invite.locale.en")}</option>
          </select>
        </div>
        {invite.isError && <ProblemAlert error={invite.error} />}
        {invite.isPending && <Loading label={t("staffreview.invite.sending")} />}
        <Button type="submit" color="primary" disabled={invite.isPending}>
          {t("staffreview.invite.send")}
        </Button>
      </form>
    </section>
  );
}
