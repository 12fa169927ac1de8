// The gateway's own pages, rendered on the server: sign-in and accepting an invitation. Italian first,
// English with ?lang=en or an Accept-Language that prefers it. Accessible: a lang attribute, a label
// for every field, errors tied to their field (aria-describedby) and announced (role=alert). Styled by
// the design system (bootstrap-italia, see assets.ts) with the portal's header; no script.
import { STYLESHEETS } from "./assets.js";

export type Lang = "it" | "en";

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** ?lang= wins; else the first of it/en in Accept-Language; else Italian. */
export function chooseLang(query: unknown, acceptLanguage: string | undefined): Lang {
  if (query === "en" || query === "it") return query;
  const ranked = (acceptLanguage ?? "")
    .split(",")
    .map((part) => {
      const [tag = "", ...params] = part.trim().toLowerCase().split(";");
      const q = Number(params.find((p) => p.trim().startsWith("q="))?.split("=")[1] ?? 1);
      return { lang: tag.split("-")[0], q: Number.isFinite(q) ? q : 0 };
    })
    .filter((e) => e.lang === "it" || e.lang === "en")
    .sort((a, b) => b.q - a.q);
  return (ranked[0]?.lang as Lang | undefined) ?? "it";
}

const TEXT = {
  it: {
    signInTitle: "Accedi a LTO Mantova",
    email: "Indirizzo e-mail",
    password: "Password",
    signIn: "Accedi",
    invalid: "E-mail o password non corretti. Controlla e riprova.",
    disabled: "Questo account è disabilitato. Rivolgiti allo staff LTO.",
    limited: (s: number) => `Troppi tentativi di accesso. Riprova tra ${Math.ceil(s / 60)} minuti.`,
    missing: "Inserisci e-mail e password.",
    invalidInput: "L'e-mail o la password contengono caratteri non validi. Riscrivile e riprova.",
    other: "English",
    owner: "Provincia di Mantova",
    tagline: "Laboratori Territoriali per l'Occupabilità",
    acceptTitle: "Attiva il tuo account LTO Mantova",
    acceptIntro: "Scegli una password di almeno 12 caratteri per attivare il tuo account.",
    newPassword: "Nuova password",
    activate: "Attiva l'account",
    activated: "Account attivato. Ora puoi accedere al portale.",
    openPortal: "Apri il portale",
    skip: "Vai al contenuto",
    expiredTitle: "Accesso scaduto",
    expired: "Questa pagina di accesso è scaduta o non è valida. Torna al portale e accedi di nuovo.",
    linkUsed: "Questo link di invito è già stato usato. Accedi al portale, oppure chiedi un nuovo invito.",
    linkExpired: "Questo link di invito è scaduto. Chiedi allo staff LTO un nuovo invito.",
    linkUnknown: "Questo link di invito non è valido. Controlla di averlo copiato per intero.",
    passwordRule: "La password deve avere da 12 a 256 caratteri: una breve frase è facile da ricordare.",
  },
  en: {
    signInTitle: "Sign in to LTO Mantova",
    email: "E-mail address",
    password: "Password",
    signIn: "Sign in",
    invalid: "Wrong e-mail or password. Check them and try again.",
    disabled: "This account is disabled. Ask the LTO staff.",
    limited: (s: number) => `Too many sign-in attempts. Try again in ${Math.ceil(s / 60)} minutes.`,
    missing: "Enter your e-mail and password.",
    invalidInput: "The e-mail or the password holds characters that are not allowed. Type them again.",
    other: "Italiano",
    owner: "Province of Mantua",
    tagline: "Local Labs for Employability",
    acceptTitle: "Activate your LTO Mantova account",
    acceptIntro: "Choose a password of at least 12 characters to activate your account.",
    newPassword: "New password",
    activate: "Activate the account",
    activated: "Account activated. You can now sign in to the portal.",
    openPortal: "Open the portal",
    skip: "Skip to content",
    expiredTitle: "Sign-in expired",
    expired: "This sign-in page has expired or is not valid. Go back to the portal and sign in again.",
    linkUsed: "This invitation link was already used. Sign in to the portal, or ask for a new invitation.",
    linkExpired: "This invitation link has expired. Ask the LTO staff for a new invitation.",
    linkUnknown: "This invitation link is not valid. Check that you copied all of it.",
    passwordRule: "The password must be 12 to 256 characters long: a short sentence is easy to remember.",
  },
} as const;

export const text = (lang: Lang) => TEXT[lang];

/** A page with the portal's header; `otherLangHref` adds the language link (absent where none can be). */
function page(lang: Lang, title: string, body: string, otherLangHref?: string): string {
  const t = text(lang);
  // The portal's header (slim header with the owner and the language, centre header with the brand).
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
${STYLESHEETS.map((href) => `<link rel="stylesheet" href="${href}">`).join("\n")}
</head>
<body>
<div class="skiplinks"><a class="visually-hidden-focusable" href="#main">${t.skip}</a></div>
<header class="it-header-wrapper">
<div class="it-header-slim-wrapper">
<div class="container-xxl"><div class="row"><div class="col">
<div class="it-header-slim-wrapper-content">
<span class="text-white small fw-semibold">${t.owner}</span>
${
  otherLangHref === undefined
    ? ""
    : `<div class="it-header-slim-right-zone">
<a class="fw-semibold" href="${escapeHtml(otherLangHref)}" lang="${lang === "it" ? "en" : "it"}">${t.other}</a>
</div>`
}
</div>
</div></div></div>
</div>
<div class="it-nav-wrapper">
<div class="it-header-center-wrapper">
<div class="container-xxl"><div class="row"><div class="col">
<div class="it-header-center-content-wrapper">
<div class="it-brand-wrapper"><a href="/"><div class="it-brand-text">
<div class="it-brand-title">LTO Mantova</div>
<div class="it-brand-tagline d-none d-md-block">${t.tagline}</div>
</div></a></div>
</div>
</div></div></div>
</div>
</div>
</header>
<main id="main" class="container my-5">
<h1 class="mb-4">${escapeHtml(title)}</h1>
<div class="row"><div class="col-12 col-md-8 col-lg-6">
${body}
</div></div>
</main>
</body>
</html>`;
}

export function signInPage(
  lang: Lang,
  opts: { action: string; email?: string; error?: string; selfHref: string },
): string {
  const t = text(lang);
  const err = opts.error
    ? `<div id="signin-error" class="alert alert-danger" role="alert">${escapeHtml(opts.error)}</div>`
    : "";
  const control = opts.error ? "form-control is-invalid" : "form-control";
  const invalid = opts.error ? ' aria-invalid="true" aria-describedby="signin-error"' : "";
  // The design system's labels sit over an empty field until a script marks them active: always active.
  return page(
    lang,
    t.signInTitle,
    `${err}<form method="post" action="${escapeHtml(opts.action)}" novalidate class="mt-5">
<input type="hidden" name="lang" value="${lang}">
<div class="form-group">
<label for="email" class="active">${t.email}</label>
<input id="email" name="email" type="email" class="${control}" autocomplete="username" required value="${escapeHtml(opts.email ?? "")}"${invalid}>
</div>
<div class="form-group">
<label for="password" class="active">${t.password}</label>
<input id="password" name="password" type="password" class="${control}" autocomplete="current-password" required${invalid}>
</div>
<button type="submit" class="btn btn-primary">${t.signIn}</button>
</form>`,
    opts.selfHref,
  );
}

export function acceptPage(
  lang: Lang,
  opts: { action: string; error?: string; done?: boolean; selfHref: string },
): string {
  const t = text(lang);
  if (opts.done)
    return page(
      lang,
      t.acceptTitle,
      `<div class="alert alert-success" role="status">${t.activated}</div><p><a href="/">${t.openPortal}</a></p>`,
      opts.selfHref,
    );
  const err = opts.error
    ? `<div id="password-error" class="alert alert-danger" role="alert">${escapeHtml(opts.error)}</div>`
    : "";
  const control = opts.error ? "form-control is-invalid" : "form-control";
  const invalid = opts.error
    ? ' aria-invalid="true" aria-describedby="password-error password-help"'
    : ' aria-describedby="password-help"';
  return page(
    lang,
    t.acceptTitle,
    `${err}<form method="post" action="${escapeHtml(opts.action)}" novalidate>
<input type="hidden" name="lang" value="${lang}">
<p id="password-help" class="mb-5">${t.acceptIntro}</p>
<div class="form-group">
<label for="password" class="active">${t.newPassword}</label>
<input id="password" name="password" type="password" class="${control}" autocomplete="new-password" minlength="12" required${invalid}>
</div>
<button type="submit" class="btn btn-primary">${t.activate}</button>
</form>`,
    opts.selfHref,
  );
}

export function expiredPage(lang: Lang): string {
  const t = text(lang);
  return page(
    lang,
    t.expiredTitle,
    `<div class="alert alert-danger" role="alert">${t.expired}</div><p><a href="/">${t.openPortal}</a></p>`,
    `?lang=${lang === "it" ? "en" : "it"}`,
  );
}

export function portalMissingPage(dist: string): string {
  return `<!doctype html>
<html lang="it"><head><meta charset="utf-8"><title>Portale non ancora compilato</title></head>
<body><main><h1>Il portale non è ancora stato compilato</h1>
<p>Non trovo <code>${escapeHtml(dist)}/index.html</code>. Compila il portale con
<code>npm run build -w @lto/portal</code> (oppure imposta PORTAL_DIST) e ricarica la pagina.</p>
<p lang="en">The portal has not been built: run <code>npm run build -w @lto/portal</code> (or set PORTAL_DIST) and reload.</p>
<p>Le API rispondono comunque su <a href="/api/openapi">/api/openapi</a>.</p></main></body></html>`;
}

// The provider's own pages (sign-out, signed out, a refused request). The provider gives them no
// language choice: Italian, with an English line.

/** Confirming the sign-out; `form` is the provider's hidden form the buttons submit. */
export function signOutPage(form: string): string {
  return page(
    "it",
    "Vuoi uscire da LTO Mantova?",
    `${form}
<p lang="en">Sign out of LTO Mantova? Choose "Sì, esci" to sign out.</p>
<button autofocus class="btn btn-primary me-2" type="submit" form="op.logoutForm" value="yes" name="logout">Sì, esci</button>
<button class="btn btn-outline-primary" type="submit" form="op.logoutForm">No, resta collegato</button>`,
  );
}

export function signedOutPage(): string {
  return page(
    "it",
    "Sei uscito da LTO Mantova",
    `<p role="status">Per accedere di nuovo torna al portale. <span lang="en">You have signed out.</span></p>
<p><a class="btn btn-primary" href="/">Torna al portale</a></p>`,
  );
}

/** A request the provider refused: its error code and description, escaped. */
export function signInErrorPage(error: string, description: string): string {
  return page(
    "it",
    "Non è stato possibile completare l'accesso",
    `<div class="alert alert-danger" role="alert">${escapeHtml(error)}: ${escapeHtml(description)}</div>
<p>Torna al portale e accedi di nuovo. <span lang="en">Go back to the portal and sign in again.</span></p>
<p><a class="btn btn-primary" href="/">Torna al portale</a></p>`,
  );
}
