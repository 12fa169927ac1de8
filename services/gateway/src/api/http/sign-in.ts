// The provider's interaction (sign-in) pages, the invitation page and the provider itself under /oidc,
// with the JWKS the services trust; the pages' stylesheets and fonts under /signin-assets.
import { isAppError } from "@lto/errors";
import express, { type Express, type Request, type Response } from "express";
import type Provider from "oidc-provider";
import type { JWK } from "jose";
import type { GatewayApp } from "../../app/index.js";
import { mountAssets } from "./assets.js";
import { clientAddress } from "./client-address.js";
import { acceptPage, chooseLang, expiredPage, signInPage, text, type Lang } from "./pages.js";

export interface SignInOptions {
  provider: Provider;
  app: GatewayApp;
  /** Published at /oidc/jwks: the provider's public key, plus the development token key outside production. */
  jwks: { keys: JWK[] };
  /** See TRUSTED_PROXY_HOPS. */
  trustedProxyHops: number;
}

const typedText = (value: string) => !/\p{Cc}|\p{Cs}/u.test(value);

const form = express.urlencoded({ extended: false, limit: "8kb", parameterLimit: 10 });

const langOf = (req: Request): Lang =>
  chooseLang(
    (req.body as { lang?: unknown } | undefined)?.lang ?? req.query.lang,
    req.get("accept-language"),
  );

const html = (res: Response, status: number, body: string, headers: Record<string, string> = {}) => {
  res.status(status).set({
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    // Never framed (clickjacking a password form), never a Referer carrying an invitation's token.
    "content-security-policy": "frame-ancestors 'none'",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    ...headers,
  });
  res.send(body);
};

const field = (body: unknown, name: string): string => {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === "string" ? value : "";
};

/** A sign-in that expired or never was (an old tab, a forged link): a page saying to start again. */
function interactionFailed(req: Request, res: Response, next: (err: unknown) => void, err: unknown): void {
  const status = (err as { status?: unknown } | undefined)?.status;
  if (typeof status !== "number" || status < 400 || status >= 500) return next(err);
  html(res, status, expiredPage(langOf(req)));
}

type Details = Awaited<ReturnType<Provider["interactionDetails"]>>;

/** A grant of everything the portal asked for, for the signed-in account. */
async function grantAll(provider: Provider, details: Details): Promise<string> {
  const grant =
    (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ??
    new provider.Grant({ accountId: details.session!.accountId, clientId: String(details.params.client_id) });
  const missing = details.prompt.details as {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
    missingResourceScopes?: Record<string, string[]>;
  };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(" "));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(" "));
  }
  return grant.save();
}

export function mountSignIn(server: Express, opts: SignInOptions): void {
  const { provider, app } = opts;
  mountAssets(server);
  server.get("/oidc/jwks", (_req, res) => {
    res
      .set({ "content-type": "application/jwk-set+json", "cache-control": "max-age=60" })
      .send(JSON.stringify(opts.jwks));
  });

  server.get("/oidc/interaction/:uid", async (req, res, next) => {
    try {
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name === "consent") {
        // Asked for explicitly (prompt=consent): the portal is the platform's own, signing in is consenting.
        await provider.interactionFinished(
          req,
          res,
          { consent: { grantId: await grantAll(provider, details) } },
          {
            mergeWithLastSubmission: true,
          },
        );
        return;
      }
      const lang = langOf(req);
      html(
        res,
        200,
        signInPage(lang, {
          action: `/oidc/interaction/${details.uid}/login`,
          selfHref: `?lang=${lang === "it" ? "en" : "it"}`,
        }),
      );
    } catch (err) {
      interactionFailed(req, res, next, err);
    }
  });

  server.post("/oidc/interaction/:uid/login", form, async (req, res, next) => {
    try {
      const details = await provider.interactionDetails(req, res);
      const lang = langOf(req);
      const t = text(lang);
      const email = field(req.body, "email");
      const password = field(req.body, "password");
      const again = (status: number, error: string, headers: Record<string, string> = {}) =>
        html(
          res,
          status,
          signInPage(lang, {
            action: `/oidc/interaction/${details.uid}/login`,
            email,
            error,
            selfHref: `?lang=${lang === "it" ? "en" : "it"}`,
          }),
          headers,
        );
      if (!email || !password) return again(400, t.missing);
      // Control characters or broken Unicode are never part of an e-mail or a password typed in a form.
      if (![email, password].every(typedText) || email.length > 254 || password.length > 1024) {
        return again(400, t.invalidInput);
      }
      const result = await app.signIn(email, password, clientAddress(req, opts.trustedProxyHops));
      switch (result.outcome) {
        case "ok":
          await provider.interactionFinished(
            req,
            res,
            { login: { accountId: result.account.id } },
            { mergeWithLastSubmission: false },
          );
          return;
        case "invalid":
          return again(401, t.invalid);
        case "disabled":
          return again(403, t.disabled);
        case "limited":
          return again(429, t.limited(result.retryAfterSeconds), {
            "retry-after": String(result.retryAfterSeconds),
          });
      }
    } catch (err) {
      interactionFailed(req, res, next, err);
    }
  });

  // The link of an invitation mail: the page to choose a password, and its form.
  server.get("/invitations/:token", (req, res) => {
    const lang = langOf(req);
    html(res, 200, acceptPage(lang, { action: req.path, selfHref: `?lang=${lang === "it" ? "en" : "it"}` }));
  });
  server.post("/invitations/:token", form, async (req, res, next) => {
    const lang = langOf(req);
    const selfHref = `?lang=${lang === "it" ? "en" : "it"}`;
    try {
      await app.acceptInvitation(String(req.params.token), field(req.body, "password"));
      html(res, 200, acceptPage(lang, { action: req.path, done: true, selfHref }));
    } catch (err) {
      if (!isAppError(err)) return next(err);
      const t = text(lang);
      const reason = (err.details as { reason?: string } | undefined)?.reason;
      const [status, message] =
        err.kind === "invalid"
          ? [400, t.passwordRule]
          : err.kind === "not_found"
            ? [404, t.linkUnknown]
            : [409, reason === "expired" ? t.linkExpired : reason === "used" ? t.linkUsed : err.message];
      html(res, status, acceptPage(lang, { action: req.path, error: message, selfHref }));
    }
  });

  server.use("/oidc", provider.callback());
}
