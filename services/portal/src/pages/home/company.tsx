// The company's home: whether the company is verified (only then may it hold and offer), the ideas it
// holds and until when, its offers and their state, and its adoptions with what is left to deliver.
import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { Alert, Badge } from "design-react-kit";
import { api, data } from "../../api/client.js";
import { ProblemError } from "../../api/problem.js";
import { useSession } from "../../auth/context.js";
import { CommitmentList, type Commitments } from "../../components/commitments.js";
import { Loading, ProblemAlert } from "../../components/feedback.js";
import { PagedList, usePagedQuery } from "../../components/paged-list.js";
import { useRomeTime } from "../../components/rome-time.js";
import { useT } from "../../i18n/index.js";
import { useLeftToDeliver } from "../company/adoption.js";
import type { AdoptionView } from "../school/adoptions.js";

function IdeaTitle({ ideaId }: { ideaId: string }) {
  const idea = useQuery({
    queryKey: ["adoption", "idea", ideaId],
    queryFn: () => data(api.adoption.GET("/v1/ideas/{ideaId}", { params: { path: { ideaId } } })),
    staleTime: 60_000,
  });
  return <>{idea.data?.title ?? ideaId}</>;
}

function CompanyStatus({ companyId }: { companyId: string }) {
  const t = useT();
  const query = useQuery({
    queryKey: ["company", "self", companyId],
    queryFn: () => data(api.adoption.GET("/v1/companies/{id}", { params: { path: { id: companyId } } })),
    retry: false,
  });
  if (query.isPending) return <Loading />;
  if (query.isError) {
    if (query.error instanceof ProblemError && query.error.status === 404)
      return <Alert color="warning">{t("company.status.unknown")}</Alert>;
    return <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />;
  }
  return query.data.status === "verified" ? (
    <p>{t("company.status.verified", { name: query.data.legalName })}</p>
  ) : (
    <Alert color="warning">{t("company.status.registered", { name: query.data.legalName })}</Alert>
  );
}

function Holds() {
  const t = useT();
  const day = useRomeTime();
  const paged = usePagedQuery(["company", "holds"], (cursor) =>
    data(
      api.adoption.GET("/v1/holds", {
        params: { query: { active: "true", limit: 10, cursor } as never },
      }),
    ),
  );
  return (
    <section aria-labelledby="company-holds" className="mt-4">
      <h2 id="company-holds" className="h3">
        {t("company.holds.title")}
      </h2>
      <PagedList paged={paged} empty={t("company.holds.empty")}>
        {(holds) => (
          <ul data-testid="hold-list">
            {holds.map((h) => (
              <li key={h.id} className="mb-2">
                <IdeaTitle ideaId={h.ideaId} /> —{" "}
                {t("company.holds.until", { until: day(h.expiresAt, "dayTime") })}{" "}
                <Link to="/company/ideas/$ideaId/offer" params={{ ideaId: h.ideaId }}>
                  {t("company.holds.offer")}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </PagedList>
    </section>
  );
}

function Offers() {
  const t = useT();
  const paged = usePagedQuery(["company", "offers"], (cursor) =>
    data(api.adoption.GET("/v1/offers", { params: { query: { limit: 10, cursor } } })),
  );
  return (
    <section aria-labelledby="company-offers" className="mt-5">
      <h2 id="company-offers" className="h3">
        {t("company.offers.title")}
      </h2>
      <PagedList paged={paged} empty={t("company.offers.empty")}>
        {(offers) => (
          <ul className="list-unstyled" data-testid="company-offers">
            {offers.map((o) => (
              <li key={o.id} className="border rounded p-3 mb-2" data-offer-id={o.id}>
                <h3 className="h5">
                  <IdeaTitle ideaId={o.ideaId} />{" "}
                  <Badge color="primary">{t(`company.offerStatus.${o.status}`)}</Badge>
                </h3>
                <CommitmentList commitments={o.commitments as Commitments} />
              </li>
            ))}
          </ul>
        )}
      </PagedList>
    </section>
  );
}

function Adoptions({ companyId }: { companyId: string }) {
  const t = useT();
  const left = useLeftToDeliver();
  const paged = usePagedQuery(["company", "adoptions", companyId], (cursor) =>
    data(api.adoption.GET("/v1/adoptions", { params: { query: { companyId, limit: 10, cursor } } })),
  );
  return (
    <section aria-labelledby="company-adoptions" className="mt-5">
      <h2 id="company-adoptions" className="h3">
        {t("company.adoptions.title")}
      </h2>
      <PagedList paged={paged} empty={t("company.adoptions.empty")}>
        {(items) => (
          <ul className="list-unstyled" data-testid="company-adoptions">
            {(items as unknown as AdoptionView[]).map((a) => {
              const remaining = left(a);
              return (
                <li key={a.id} className="border rounded p-3 mb-3">
                  <h3 className="h5">
                    <Link to="/company/adoptions/$adoptionId" params={{ adoptionId: a.id }}>
                      {a.ideaTitle ?? a.ideaId}
                    </Link>{" "}
                    <Badge color={a.status === "completed" ? "success" : "primary"}>
                      {t(`school.adoptions.status.${a.status}`)}
                    </Badge>
                  </h3>
                  <p className="small mb-1">
                    {t("school.adoptions.progress", { percent: a.progress.percent })}
                  </p>
                  {a.status === "active" &&
                    (remaining.length ? (
                      <ul className="small">
                        {remaining.map((l) => (
                          <li key={l}>{l}</li>
                        ))}
                      </ul>
                    ) : (
                      <p className="small">{t("company.left.awaiting")}</p>
                    ))}
                </li>
              );
            })}
          </ul>
        )}
      </PagedList>
    </section>
  );
}

export function CompanyHome() {
  const t = useT();
  const session = useSession();
  const companyId = session?.claims.org ?? "";
  return (
    <section aria-labelledby="home-title" data-role-home="company">
      <h1 id="home-title">{t("company.home.title")}</h1>
      <p className="lead">{t("company.home.intro")}</p>
      <CompanyStatus companyId={companyId} />
      <Link to="/company/ideas" className="btn btn-primary btn-sm">
        {t("company.browse.title")}
      </Link>
      <Holds />
      <Offers />
      <Adoptions companyId={companyId} />
    </section>
  );
}
