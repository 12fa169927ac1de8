// An offer to adopt one idea: what the company commits to (mentoring hours, internship places with
// their period, funding in euro) and a message to the school. The adoption service checks the rules
// (something promised, internships starting from today, the call in its adoption phase) and names
// every field it refuses.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { Button } from "design-react-kit";
import { useState, type FormEvent } from "react";
import { api, data } from "../../api/client.js";
import { Loading, ProblemAlert } from "../../components/feedback.js";
import { useT } from "../../i18n/index.js";

interface InternshipDraft {
  places: string;
  startsOn: string;
  endsOn: string;
}

/** "1.234,50" or "1234.5" euro as cents; undefined when it is not an amount. */
export function euroToCents(value: string): number | undefined {
  const v = value.trim().replace(/\s|€/g, "");
  if (!v) return 0;
  const normal = v.includes(",") ? v.replace(/\./g, "").replace(",", ".") : v;
  if (!/^\d+(\.\d{1,2})?$/.test(normal)) return undefined;
  return Math.round(Number(normal) * 100);
}

export function OfferPage({ ideaId }: { ideaId: string }) {
  const t = useT();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const idea = useQuery({
    queryKey: ["adoption", "idea", ideaId],
    queryFn: () => data(api.adoption.GET("/v1/ideas/{ideaId}", { params: { path: { ideaId } } })),
  });
  const [mentoringHours, setMentoringHours] = useState("0");
  const [funding, setFunding] = useState("");
  const [internships, setInternships] = useState<InternshipDraft[]>([]);
  const [message, setMessage] = useState("");
  const [fundingError, setFundingError] = useState(false);
  const offer = useMutation({
    mutationFn: (fundingCents: number) =>
      data(
        api.adoption.POST("/v1/ideas/{ideaId}/offers", {
          params: { path: { ideaId }, header: { "Idempotency-Key": crypto.randomUUID() } },
          body: {
            commitments: {
              mentoringHours: Number(mentoringHours || 0),
              fundingCents,
              internships: internships.map((i) => ({
                places: Number(i.places),
                startsOn: i.startsOn,
                endsOn: i.endsOn,
              })),
              equipment: [],
            },
            message,
          },
        }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["company"] });
      await navigate({ to: "/" });
    },
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const cents = euroToCents(funding);
    setFundingError(cents === undefined);
    if (cents !== undefined) offer.mutate(cents);
  };
  const setInternship = (i: number, change: Partial<InternshipDraft>) =>
    setInternships((list) => list.map((x, n) => (n === i ? { ...x, ...change } : x)));
  return (
    <section aria-labelledby="offer-title">
      <h1 id="offer-title">{t("company.offer.title")}</h1>
      {idea.isPending && <Loading />}
      {idea.isError && <ProblemAlert error={idea.error} onRetry={() => void idea.refetch()} />}
      {idea.data && (
        <>
          <p className="lead">{t("company.offer.for", { title: idea.data.title })}</p>
          <p>{idea.data.summary}</p>
        </>
      )}
      <form onSubmit={onSubmit}>
        <div className="row gy-4 mt-2">
          <div className="col-md-6 form-group">
            <label htmlFor="offer-mentoring" className="active">
              {t("company.offer.mentoring")}
            </label>
            <input
              id="offer-mentoring"
              type="number"
              min={0}
              max={2000}
              step={1}
              className="form-control"
              value={mentoringHours}
              onChange={(e) => setMentoringHours(e.target.value)}
            />
          </div>
          <div className="col-md-6 form-group">
            <label htmlFor="offer-funding" className="active">
              {t("company.offer.funding")}
            </label>
            <input
              id="offer-funding"
              inputMode="decimal"
              className={`form-control${fundingError ? " is-invalid" : ""}`}
              aria-invalid={fundingError}
              aria-describedby={fundingError ? "offer-funding-error" : undefined}
              value={funding}
              onChange={(e) => setFunding(e.target.value)}
            />
            {fundingError && (
              <div id="offer-funding-error" className="invalid-feedback d-block">
                {t("company.offer.fundingInvalid")}
              </div>
            )}
          </div>
        </div>
        <fieldset className="mt-4">
          <legend className="h5">{t("company.offer.internships")}</legend>
          {internships.map((i, n) => (
            <div key={n} className="row gy-3 align-items-end mb-3">
              <div className="col-md-3 form-group">
                <label htmlFor={`intern-${n}-places`} className="active">
                  {t("company.offer.places")}
                </label>
                <input
                  id={`intern-${n}-places`}
                  type="number"
                  min={1}
                  max={50}
                  className="form-control"
                  value={i.places}
                  onChange={(e) => setInternship(n, { places: e.target.value })}
                />
              </div>
              <div className="col-md-4 form-group">
                <label htmlFor={`intern-${n}-start`} className="active">
                  {t("company.offer.startsOn")}
                </label>
                <input
                  id={`intern-${n}-start`}
                  type="date"
                  className="form-control"
                  value={i.startsOn}
                  onChange={(e) => setInternship(n, { startsOn: e.target.value })}
                />
              </div>
              <div className="col-md-4 form-group">
                <label htmlFor={`intern-${n}-end`} className="active">
                  {t("company.offer.endsOn")}
                </label>
                <input
                  id={`intern-${n}-end`}
                  type="date"
                  className="form-control"
                  value={i.endsOn}
                  onChange={(e) => setInternship(n, { endsOn: e.target.value })}
                />
              </div>
              <div className="col-md-1">
                <Button
                  color="secondary"
                  outline
                  size="xs"
                  onClick={() => setInternships((list) => list.filter((_, x) => x !== n))}
                  aria-label={t("company.offer.removeInternship", { n: n + 1 })}
                >
                  ✕
                </Button>
              </div>
            </div>
          ))}
          <Button
            color="primary"
            outline
            size="sm"
            onClick={() => setInternships((list) => [...list, { places: "1", startsOn: "", endsOn: "" }])}
          >
            {t("company.offer.addInternship")}
          </Button>
        </fieldset>
        <div className="form-group mt-4">
          <label htmlFor="offer-message" className="active">
            {t("company.offer.message")}
          </label>
          <textarea
            id="offer-message"
            className="form-control"
            rows={4}
            required
            minLength={10}
            maxLength={4000}
            value={message}
            onChange={(e) => setMessage(e.target.value)}
          />
        </div>
        <div aria-live="polite">
          {offer.isPending && <Loading label={t("company.offer.sending")} />}
          {offer.isError && <ProblemAlert error={offer.error} />}
        </div>
        <Button color="primary" type="submit" className="mt-3" disabled={offer.isPending}>
          {t("company.offer.send")}
        </Button>
      </form>
    </section>
  );
}
