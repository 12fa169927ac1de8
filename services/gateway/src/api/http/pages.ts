// The gateway's own pages, rendered on the server: sign-in and accepting an invitation. Italian first,
// English with ?lang=en or an Accept-Language that prefers it. Accessible: a lang attribute, a label
// for every field, errors tied to their field (aria-describedby) and announced (role=alert).
import { escapeHtml } from "../../infra/oidc.js";

export type Lang = "it" | "en";

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

function page(lang: Lang, title: string, body: string, otherLangHref: string): string {
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:"Titillium Web",system-ui,sans-serif;margin:0;background:#f5f5f0;color:#17324d}
header{background:#0066cc;color:#fff;padding:1rem 1.5rem}header a{color:#fff}
main{max-width:28rem;margin:2rem auto;background:#fff;padding:2rem;border-radius:4px}
label{display:block;font-weight:600;margin-top:1rem}input{width:100%;padding:.6rem;font-size:1rem;border:1px solid #5c6f82;box-sizing:border-box}
input[aria-invalid=true]{border:2px solid #cc334d}button{margin-top:1.5rem;background:#0066cc;color:#fff;border:0;padding:.75rem 1.5rem;font-size:1rem;cursor:pointer}
button:focus,input:focus,a:focus{outline:3px solid #ff9900;outline-offset:2px}.error{color:#a61c33;font-weight:600}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;color:#0066cc;padding:.5rem}
</style>
</head>
<body>
<a class="skip" href="#main">${text(lang).skip}</a>
<header><strong>LTO Mantova</strong> · <a href="${escapeHtml(otherLangHref)}" lang="${lang === "it" ? "en" : "it"}">${text(lang).other}</a></header>
<main id="main">
<h1>${escapeHtml(title)}</h1>
${body}
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
    ? `<p id="signin-error" class="error" role="alert">${escapeHtml(opts.error)}</p>`
    : "";
  const invalid = opts.error ? ' aria-invalid="true" aria-describedby="signin-error"' : "";
  return page(
    lang,
    t.signInTitle,
    `${err}<form method="post" action="${escapeHtml(opts.action)}" novalidate>
<input type="hidden" name="lang" value="${lang}">
<label for="email">${t.email}</label>
<input id="email" name="email" type="email" autocomplete="username" required value="${escapeHtml(opts.email ?? "")}"${invalid}>
<label for="password">${t.password}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${invalid}>
<button type="submit">${t.signIn}</button>
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
      `<p role="status">${t.activated}</p><p><a href="/">${t.openPortal}</a></p>`,
      opts.selfHref,
    );
  const err = opts.error
    ? `<p id="password-error" class="error" role="alert">${escapeHtml(opts.error)}</p>`
    : "";
  const invalid = opts.error
    ? ' aria-invalid="true" aria-describedby="password-error password-help"'
    : ' aria-describedby="password-help"';
  return page(
    lang,
    t.acceptTitle,
    `${err}<form method="post" action="${escapeHtml(opts.action)}" novalidate>
<input type="hidden" name="lang" value="${lang}">
<p id="password-help">${t.acceptIntro}</p>
<label for="password">${t.newPassword}</label>
<input id="password" name="password" type="password" autocomplete="new-password" minlength="12" required${invalid}>
<button type="submit">${t.activate}</button>
</form>`,
    opts.selfHref,
  );
}

export function expiredPage(lang: Lang): string {
  const t = text(lang);
  return page(
    lang,
    t.expiredTitle,
    `<p role="alert">${t.expired}</p><p><a href="/">${t.openPortal}</a></p>`,
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
