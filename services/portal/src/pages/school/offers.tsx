// Offers waiting for the school: each with the company, the idea and what it promises, accepted or
// declined here (a decline asks why). The adoption service checks the idea is still adoptable at accept.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button } from "design-react-kit";
import { useId, useState, type FormEvent } from "react";
import { api, data } from "../../api/client.js";
import { CommitmentList, type Commitments } from "../../components/commitments.js";
import { Loading, ProblemAlert } from "../../components/feedback.js";
import { PagedList, usePagedQuery } from "../../components/paged-list.js";
import { useT } from "../../i18n/index.js";

interface Offer {
  id: string;
  ideaId: string;
  companyId: string;
  commitments: Commitments;
  message: string;
}

function useIdeaTitle(ideaId: string) {
  return useQuery({
    queryKey: ["adoption", "idea", ideaId],
    queryFn: () => data(api.adoption.GET("/v1/ideas/{ideaId}", { params: { path: { ideaId } } })),
    staleTime: 60_000,
  }).data?.title;
}

function useCompanyName(id: string) {
  return useQuery({
    queryKey: ["adoption", "company", id],
    queryFn: () => data(api.adoption.GET("/v1/companies/{id}", { params: { path: { id } } })),
    staleTime: 60_000,
  }).data?.legalName;
}

function OfferItem({ offer }: { offer: Offer }) {
  const t = useT();
  const queryClient = useQueryClient();
  const reasonId = useId();
  const title = useIdeaTitle(offer.ideaId) ?? offer.ideaId;
  const company = useCompanyName(offer.companyId) ?? offer.companyId;
  const [declining, setDeclining] = useState(false);
  const [reason, setReason] = useState("");
  const done = () => queryClient.invalidateQueries({ queryKey: ["school"] });
  const accept = useMutation({
    mutationFn: () =>
      data(api.adoption.POST("/v1/offers/{id}/accept", { params: { path: { id: offer.id } } })),
    onSuccess: done,
  });
  const decline = useMutation({
    mutationFn: () =>
      data(
        api.adoption.POST("/v1/offers/{id}/decline", {
          params: { path: { id: offer.id } },
          body: { reason },
        }),
      ),
    onSuccess: done,
  });
  const onDecline = (e: FormEvent) => {
    e.preventDefault();
    decline.mutate();
  };
  const busy = accept.isPending || decline.isPending;
  return (
    <li className="border rounded p-3 mb-3" data-offer-id={offer.id}>
      <h3 className="h5">{t("school.offers.item", { company, title })}</h3>
      <CommitmentList commitments={offer.commitments} />
      <blockquote className="small">{offer.message}</blockquote>
      {(accept.isError || decline.isError) && <ProblemAlert error={accept.error ?? decline.error} />}
      {busy && <Loading label={t("school.offers.working")} />}
      {!declining ? (
        <div className="d-flex gap-2">
          <Button color="primary" size="sm" disabled={busy} onClick={() => accept.mutate()}>
            {t("school.offers.accept", { company })}
          </Button>
          <Button color="secondary" outline size="sm" disabled={busy} onClick={() => setDeclining(true)}>
            {t("school.offers.decline", { company })}
          </Button>
        </div>
      ) : (
        <form onSubmit={onDecline}>
          <div className="form-group">
            <label htmlFor={reasonId} className="active">
              {t("school.offers.reason")}
            </label>
            <input
              id={reasonId}
              className="form-control"
              required
              maxLength={2000}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
          </div>
          <Button color="primary" size="sm" type="submit" disabled={busy}>
            {t("school.offers.confirmDecline")}
          </Button>
        </form>
      )}
    </li>
  );
}

export function SchoolOffers() {
  const t = useT();
  const paged = usePagedQuery(["school", "offers"], (cursor) =>
    data(api.adoption.GET("/v1/offers", { params: { query: { status: "open", limit: 10, cursor } } })),
  );
  return (
    <section aria-labelledby="school-offers" className="mt-4">
      <h2 id="school-offers" className="h3">
        {t("school.offers.title")}
      </h2>
      <PagedList paged={paged} empty={t("school.offers.empty")}>
        {(offers) => (
          <ul className="list-unstyled" data-testid="offer-list">
            {(offers as unknown as Offer[]).map((offer) => (
              <OfferItem key={offer.id} offer={offer} />
            ))}
          </ul>
        )}
      </PagedList>
    </section>
  );
}
