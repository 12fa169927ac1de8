// Companies registered and waiting for the staff's verification (paged), verified one by one: only a
// verified company can adopt ideas or have users invited. The adoption service's refusal shows in its
// own words next to the company it concerns.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { Button } from "design-react-kit";
import { useState } from "react";
import { api, data } from "../../api/client.js";
import { ProblemAlert } from "../../components/feedback.js";
import { PagedList, usePagedQuery } from "../../components/paged-list.js";
import { useT } from "../../i18n/index.js";

interface Company {
  id: string;
  legalName: string;
  vatNumber: string;
  atecoCode: string;
  district: string;
  contact: { name: string; email: string };
  version: number;
}

export function StaffCompaniesPage() {
  const t = useT();
  const [verified, setVerified] = useState<string[]>([]);
  const paged = usePagedQuery(["adoption", "companies", "registered"], (cursor) =>
    data(
      api.adoption.GET("/v1/companies", { params: { query: { status: "registered", limit: 20, cursor } } }),
    ),
  );
  return (
    <section aria-labelledby="companies-title">
      <h1 id="companies-title">{t("staffreview.companies.title")}</h1>
      <p className="lead">{t("staffreview.companies.intro")}</p>
      <div aria-live="polite" data-testid="verified-now">
        {verified.map((name) => (
          <p key={name} className="text-success fw-semibold mb-1">
            {t("staffreview.companies.verified", { name })}
          </p>
        ))}
      </div>
      <PagedList paged={paged} empty={t("staffreview.companies.empty")} pagerAlways>
        {(companies) => (
          <ul className="list-unstyled" data-testid="company-list">
            {(companies as Company[]).map((c) => (
              <CompanyRow key={c.id} company={c} onVerified={() => setVerified((v) => [...v, c.legalName])} />
            ))}
          </ul>
        )}
      </PagedList>
      <p className="mt-3">
        <Link to="/">{t("staffreview.backHome")}</Link>
      </p>
    </section>
  );
}

function CompanyRow({ company, onVerified }: { company: Company; onVerified(): void }) {
  const t = useT();
  const client = useQueryClient();
  const verify = useMutation({
    mutationFn: () =>
      data(
        api.adoption.POST("/v1/companies/{id}/verification", {
          params: { path: { id: company.id }, header: { "If-Match": `"${company.version}"` } },
        }),
      ),
    onSuccess: () => {
      onVerified();
      void client.invalidateQueries({ queryKey: ["adoption", "companies"] });
    },
  });
  const titleId = `company-${company.id}`;
  return (
    <li className="border-bottom py-3" aria-labelledby={titleId}>
      <h2 id={titleId} className="h5 mb-1">
        {company.legalName}
      </h2>
      <dl className="row small mb-2">
        <dt className="col-sm-2">{t("staffreview.companies.vat")}</dt>
        <dd className="col-sm-4">{company.vatNumber}</dd>
        <dt className="col-sm-2">{t("staffreview.companies.ateco")}</dt>
        <dd className="col-sm-4">{company.atecoCode}</dd>
        <dt className="col-sm-2">{t("staffreview.companies.district")}</dt>
        <dd className="col-sm-4">{t(`enum.district.${company.district}` as never)}</dd>
        <dt className="col-sm-2">{t("staffreview.companies.contact")}</dt>
        <dd className="col-sm-4">
          {company.contact.name} ({company.contact.email})
        </dd>
      </dl>
      {verify.isError && <ProblemAlert error={verify.error} />}
      <Button color="primary" size="sm" onClick={() => verify.mutate()} disabled={verify.isPending}>
        {verify.isPending ? (
          t("staffreview.companies.verifying")
        ) : (
          <>
            {t("staffreview.companies.verify")}
            <span className="visually-hidden"> {company.legalName}</span>
          </>
        )}
      </Button>
    </li>
  );
}
