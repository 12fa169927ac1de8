// The frame of every page: skip links, the slim header (owner, language, sign-in), the centre header
// with the LTO name, the main navigation, <main> and the footer with the accessibility statement
// (L. 4/2004). Built from the design system's components and classes.
import { Link, Outlet } from "@tanstack/react-router";
import { Button, Container, Header, HeaderContent, HeaderRightZone, Headers } from "design-react-kit";
import { useState } from "react";
import { useSession } from "../auth/context.js";
import { signIn, signOut } from "../auth/oidc.js";
import { ProblemError } from "../api/problem.js";
import { ProblemAlert } from "../components/feedback.js";
import { NoticesLink } from "../components/notices-link.js";
import { LOCALES, useLocale, useT } from "../i18n/index.js";

function LanguageSwitch() {
  const t = useT();
  const { locale, setLocale } = useLocale();
  return (
    <div className="d-flex align-items-center gap-1 me-3" role="group" aria-label={t("lang.label")}>
      {LOCALES.map((l) => (
        <button
          key={l}
          type="button"
          lang={l}
          className={`btn btn-sm btn-on-dark${l === locale ? " selected" : ""}`}
          aria-pressed={l === locale}
          onClick={() => setLocale(l)}
        >
          {t(l === "it" ? "lang.it" : "lang.en")}
        </button>
      ))}
    </div>
  );
}

function Account() {
  const t = useT();
  const session = useSession();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  if (session) {
    const role = t(`role.${session.claims.role}`);
    return (
      <div className="d-flex align-items-center gap-2">
        <span className="text-white small d-none d-md-inline">
          {t("auth.signedInAs", { name: session.claims.name ?? session.claims.sub, role })}
        </span>
        <Button size="sm" className="btn-on-dark selected" onClick={() => void signOut()}>
          {t("auth.signOut")}
        </Button>
      </div>
    );
  }
  return (
    <div className="d-flex align-items-center gap-2">
      <Button
        size="sm"
        className="btn-on-dark selected"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          setError(undefined);
          signIn().catch((err: unknown) => {
            // Only reaching the sign-in server can fail here (its discovery document).
            setBusy(false);
            setError(ProblemError.network(err));
          });
        }}
      >
        {busy ? t("auth.signingIn") : t("auth.signIn")}
      </Button>
      {error !== undefined && (
        <div className="position-absolute top-100 end-0 mt-2" style={{ zIndex: 10, maxWidth: "28rem" }}>
          <ProblemAlert error={error} />
        </div>
      )}
    </div>
  );
}

export function Layout() {
  const t = useT();
  return (
    <>
      {/* design-react-kit's Skiplink puts bare links in a <ul> (axe: list): the design system's markup instead */}
      <div className="skiplinks">
        <a className="visually-hidden-focusable" href="#main">
          {t("skip.main")}
        </a>
        <a className="visually-hidden-focusable" href="#footer">
          {t("skip.footer")}
        </a>
      </div>
      <Headers>
        <Header type="slim" theme="">
          <HeaderContent>
            <span className="text-white small fw-semibold">{t("app.owner")}</span>
            <HeaderRightZone>
              <div className="position-relative d-flex align-items-center">
                <LanguageSwitch />
                <NoticesLink />
                <Account />
              </div>
            </HeaderRightZone>
          </HeaderContent>
        </Header>
        <div className="it-nav-wrapper">
          <Header type="center" theme="">
            <HeaderContent>
              <div className="it-brand-wrapper">
                <Link to="/" className="text-decoration-none">
                  <div className="it-brand-text">
                    <div className="it-brand-title">{t("app.name")}</div>
                    <div className="it-brand-tagline d-none d-md-block">{t("app.tagline")}</div>
                  </div>
                </Link>
              </div>
            </HeaderContent>
          </Header>
          <nav className="bg-primary-dark-ish border-top border-light" aria-label={t("nav.label")}>
            <Container>
              <ul className="nav portal-nav">
                <li className="nav-item">
                  <Link to="/" className="nav-link" activeOptions={{ exact: true }}>
                    {t("nav.home")}
                  </Link>
                </li>
                <li className="nav-item">
                  <Link to="/courses" className="nav-link">
                    {t("nav.courses")}
                  </Link>
                </li>
                <li className="nav-item">
                  <Link to="/ideas" className="nav-link">
                    {t("nav.ideas")}
                  </Link>
                </li>
              </ul>
            </Container>
          </nav>
        </div>
      </Headers>
      <main id="main" tabIndex={-1} className="container my-5">
        <Outlet />
      </main>
      <footer id="footer" className="it-footer">
        <div className="it-footer-main py-4">
          <Container>
            <p className="mb-2 text-white">{t("footer.legal")}</p>
            <Link to="/accessibility" className="text-white">
              {t("footer.accessibility")}
            </Link>
          </Container>
        </div>
      </footer>
    </>
  );
}
