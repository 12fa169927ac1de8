// The sign-in callback, the accessibility statement and the page for unknown addresses.
import { Link, useNavigate } from "@tanstack/react-router";
import { Button } from "design-react-kit";
import { useEffect, useRef, useState } from "react";
import { completeSignIn, signIn } from "../auth/oidc.js";
import { Loading, ProblemAlert } from "../components/feedback.js";
import { useT } from "../i18n/index.js";

export function CallbackPage() {
  const t = useT();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>();
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return; // the code is single use: never trade it twice (StrictMode)
    started.current = true;
    completeSignIn(new URL(location.href))
      .then(({ returnTo }) => navigate({ to: returnTo, replace: true }))
      .catch((err: unknown) => setError(err));
  }, [navigate]);
  if (error === undefined) return <Loading label={t("auth.signingIn")} />;
  return (
    <section>
      <h1>{t("auth.signIn")}</h1>
      <ProblemAlert error={error} />
      <Button color="primary" onClick={() => void signIn("/").catch(setError)}>
        {t("auth.retry")}
      </Button>
    </section>
  );
}

export function AccessibilityPage() {
  const t = useT();
  return (
    <section aria-labelledby="a11y-title">
      <h1 id="a11y-title">{t("a11y.title")}</h1>
      <p>{t("a11y.body")}</p>
      <p>{t("a11y.feedback")}</p>
      <p>
        <a href="https://form.agid.gov.it/" rel="noopener noreferrer">
          {t("a11y.agid")}
        </a>
      </p>
    </section>
  );
}

export function NotFoundPage() {
  const t = useT();
  return (
    <section>
      <h1>{t("notFound.title")}</h1>
      <p>
        <Link to="/">{t("notFound.body")}</Link>
      </p>
    </section>
  );
}
