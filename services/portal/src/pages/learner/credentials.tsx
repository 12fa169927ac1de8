// A learner's credentials: each one's course, hours and competences, the attestato PDF to download and
// a verify link to share (the portal's public /verify page with the signed credential after the #, so
// the credential never reaches a server log; the page asks the catalogue service whether it holds).
import { useMutation } from "@tanstack/react-query";
import { Alert, Badge, Button } from "design-react-kit";
import { useEffect, useState } from "react";
import { api, data } from "../../api/client.js";
import { ProblemError } from "../../api/problem.js";
import { currentSession } from "../../auth/session.js";
import { Loading, ProblemAlert } from "../../components/feedback.js";
import { PagedList, usePagedQuery } from "../../components/paged-list.js";
import { saveResponse } from "../../components/requests.js";
import { useRomeTime } from "../../components/rome-time.js";
import { useT } from "../../i18n/index.js";

/** A credential endpoint that answers a file or a JWT: openapi-fetch parses JSON, so fetch it as is. */
async function raw(path: string, accept: string): Promise<Response> {
  const session = currentSession();
  let response: Response;
  try {
    response = await fetch(`/api/catalogue${path}`, {
      headers: { accept, ...(session ? { authorization: `Bearer ${session.accessToken}` } : {}) },
    });
  } catch (err) {
    throw ProblemError.network(err);
  }
  if (!response.ok)
    throw ProblemError.from(response.status, await response.json().catch(() => undefined), response.headers);
  return response;
}

function CredentialActions({ id }: { id: string }) {
  const t = useT();
  const download = useMutation({
    mutationFn: async () =>
      saveResponse(
        await raw(`/v1/credentials/${encodeURIComponent(id)}/attestato.pdf`, "application/pdf"),
        `attestato-${id}.pdf`,
      ),
  });
  const share = useMutation({
    mutationFn: async () => {
      const jwt = (
        await (await raw(`/v1/credentials/${encodeURIComponent(id)}`, "application/vc+jwt")).text()
      ).trim();
      const link = `${location.origin}/verify#${jwt}`;
      await navigator.clipboard?.writeText(link).catch(() => undefined);
      return link;
    },
  });
  return (
    <div>
      <div className="d-flex flex-wrap gap-2">
        <Button
          color="primary"
          size="sm"
          outline
          disabled={download.isPending}
          onClick={() => download.mutate()}
        >
          {t("learner.credentials.download")}
        </Button>
        <Button color="primary" size="sm" outline disabled={share.isPending} onClick={() => share.mutate()}>
          {t("learner.credentials.share")}
        </Button>
      </div>
      <div aria-live="polite">
        {(download.isPending || share.isPending) && <Loading />}
        {download.isError && <ProblemAlert error={download.error} />}
        {share.isError && <ProblemAlert error={share.error} />}
        {share.data && (
          <div className="form-group mt-3 mb-0">
            <label htmlFor={`verify-${id}`} className="active">
              {t("learner.credentials.link")}
            </label>
            <input
              id={`verify-${id}`}
              className="form-control"
              readOnly
              value={share.data}
              onFocus={(e) => e.target.select()}
            />
          </div>
        )}
      </div>
    </div>
  );
}

export function MyCredentials() {
  const t = useT();
  const when = useRomeTime();
  const paged = usePagedQuery(["catalogue", "credentials", "mine"], (cursor) =>
    data(api.catalogue.GET("/v1/credentials/mine", { params: { query: { limit: 10, cursor } } })),
  );
  return (
    <PagedList paged={paged} empty={t("learner.credentials.none")}>
      {(credentials) => (
        <ul className="list-group">
          {credentials.map((c) => (
            <li key={c.id} className="list-group-item">
              <h3 className="h6 mb-1">
                {c.courseTitle}{" "}
                {c.revoked && <Badge color="danger">{t("learner.credentials.revoked")}</Badge>}
              </h3>
              <p className="small mb-2">
                {t("learner.credentials.issued", { when: when(c.issuedAt, "date") })} ·{" "}
                {t("catalogue.hours", { hours: c.hours })} · {t(`enum.site.${c.site}`)}
              </p>
              {!c.revoked && <CredentialActions id={c.id} />}
            </li>
          ))}
        </ul>
      )}
    </PagedList>
  );
}

/** The public page a shared link opens: the credential after the # checked by the catalogue service. */
export function VerifyPage() {
  const t = useT();
  const [credential] = useState(() => decodeURIComponent(location.hash.slice(1)));
  const verify = useMutation({
    mutationFn: () => data(api.catalogue.POST("/v1/credentials/verify", { body: { credential } })),
  });
  const { mutate } = verify;
  useEffect(() => {
    if (credential) mutate();
  }, [credential, mutate]);
  const verdict = verify.data?.verdict as string | undefined;
  return (
    <section aria-labelledby="verify-title">
      <h1 id="verify-title">{t("learner.verify.title")}</h1>
      {!credential && <p>{t("learner.verify.missing")}</p>}
      <div aria-live="polite">
        {verify.isPending && <Loading />}
        {verify.isError && <ProblemAlert error={verify.error} />}
        {verdict && (
          <Alert color={verdict === "valid" ? "success" : "danger"}>
            <p className="mb-0 fw-semibold">
              {verdict === "valid" ? t("learner.verify.valid") : t("learner.verify.invalid", { verdict })}
            </p>
          </Alert>
        )}
      </div>
    </section>
  );
}
