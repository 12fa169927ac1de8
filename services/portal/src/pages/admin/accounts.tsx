// The administrators' accounts: the list (search by the start of a name or e-mail, role, status; paged
// with the gateway's cursor), filters kept in the address so a list can be linked (the home's counts do).
import { Link, useNavigate } from "@tanstack/react-router";
import { Button } from "design-react-kit";
import { useEffect, useState, type FormEvent } from "react";
import { api, data } from "../../api/client.js";
import { ROLES, type Role } from "../../auth/session.js";
import { PagedList, usePagedQuery } from "../../components/paged-list.js";
import { useRomeTime } from "../../components/rome-time.js";
import { useT } from "../../i18n/index.js";

export const ACCOUNT_STATUSES = ["invited", "active", "disabled"] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

export interface AccountFilters {
  q?: string;
  role?: Role;
  status?: AccountStatus;
}

export const accountFilters = (search: Record<string, unknown>): AccountFilters => ({
  ...(typeof search.q === "string" && search.q.trim() ? { q: search.q.trim().slice(0, 100) } : {}),
  ...(ROLES.includes(search.role as Role) ? { role: search.role as Role } : {}),
  ...(ACCOUNT_STATUSES.includes(search.status as AccountStatus)
    ? { status: search.status as AccountStatus }
    : {}),
});

export function AdminAccountsPage({ filters }: { filters: AccountFilters }) {
  const t = useT();
  const date = useRomeTime();
  const navigate = useNavigate();
  const [q, setQ] = useState(filters.q ?? "");
  useEffect(() => setQ(filters.q ?? ""), [filters.q]);
  const paged = usePagedQuery(["gateway", "accounts", filters], (cursor) =>
    data(api.gateway.GET("/v1/accounts", { params: { query: { ...filters, limit: 20, cursor } } })),
  );
  const go = (next: AccountFilters) => void navigate({ to: "/admin/accounts", search: next });
  const search = (e: FormEvent) => {
    e.preventDefault();
    const { q: _q, ...rest } = filters;
    go({ ...rest, ...(q.trim() ? { q: q.trim() } : {}) });
  };
  return (
    <section aria-labelledby="accounts-title">
      <h1 id="accounts-title">{t("admin.accounts.title")}</h1>
      <p className="lead">{t("admin.accounts.intro")}</p>
      <p>
        <Link to="/admin/invite" className="btn btn-outline-primary btn-sm">
          {t("admin.accounts.invite")}
        </Link>
      </p>
      <form onSubmit={search} role="search" aria-labelledby="accounts-filters" className="mt-4 mb-3">
        <h2 id="accounts-filters" className="visually-hidden">
          {t("admin.accounts.filters")}
        </h2>
        <div className="row g-3 align-items-start">
          <div className="col-md-5">
            <div className="form-group mb-0">
              <label htmlFor="accounts-q" className="active">
                {t("admin.accounts.search")}
              </label>
              <input
                id="accounts-q"
                type="search"
                className="form-control"
                value={q}
                maxLength={100}
                onChange={(e) => setQ(e.target.value)}
                aria-describedby="accounts-q-help"
              />
              <small id="accounts-q-help" className="form-text">
                {t("admin.accounts.searchHelp")}
              </small>
            </div>
          </div>
          <div className="col-md-3">
            <div className="select-wrapper">
              <label htmlFor="accounts-role">{t("admin.accounts.role")}</label>
              <select
                id="accounts-role"
                value={filters.role ?? ""}
                onChange={(e) => {
                  const { role: _r, ...rest } = filters;
                  go({ ...rest, ...(e.target.value ? { role: e.target.value as Role } : {}) });
                }}
              >
                <option value="">{t("admin.accounts.any")}</option>
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {t(`role.${r}`)}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div className="col-md-2">
            <div className="select-wrapper">
              <label htmlFor="accounts-status">{t("admin.accounts.status")}</label>
              <select
                id="accounts-status"
                value={filters.status ?? ""}
                onChange={(e) => {
                  const { status: _s, ...rest } = filters;
                  go({ ...rest, ...(e.target.value ? { status: e.target.value as AccountStatus } : {}) });
                }}
              >
                <option value="">{t("admin.accounts.any")}</option>
                {ACCOUNT_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {t(`admin.status.${s}`)}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div className="col-md-2 pt-md-4">
            <Button type="submit" color="primary">
              {t("admin.accounts.apply")}
            </Button>
          </div>
        </div>
      </form>
      <PagedList
        paged={paged}
        empty={t("admin.accounts.empty")}
        loadingLabel={t("admin.accounts.loading")}
        pagerAlways
      >
        {(accounts) => (
          <div className="table-responsive">
            <table className="table" data-testid="accounts-table">
              <caption>{t("admin.accounts.caption", { page: paged.pages.page })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("admin.accounts.col.name")}</th>
                  <th scope="col">{t("admin.accounts.col.email")}</th>
                  <th scope="col">{t("admin.accounts.col.role")}</th>
                  <th scope="col">{t("admin.accounts.col.organisation")}</th>
                  <th scope="col">{t("admin.accounts.col.status")}</th>
                  <th scope="col">{t("admin.accounts.col.created")}</th>
                </tr>
              </thead>
              <tbody>
                {accounts.map((a) => (
                  <tr key={a.subject}>
                    <th scope="row">
                      <Link to="/admin/accounts/$subject" params={{ subject: a.subject }}>
                        {a.displayName}
                      </Link>
                    </th>
                    <td>{a.email}</td>
                    <td>{t(`role.${a.role}`)}</td>
                    <td>{a.organisationId}</td>
                    <td data-status={a.status}>{t(`admin.status.${a.status}`)}</td>
                    <td>{date(a.createdAt, "day")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </PagedList>
      <p className="mt-3">
        <Link to="/">{t("admin.backHome")}</Link>
      </p>
    </section>
  );
}
