import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { STYLESHEETS } from "../../src/api/http/assets.js";
import {
  acceptPage,
  chooseLang,
  expiredPage,
  signedOutPage,
  signInErrorPage,
  signInPage,
  signOutPage,
} from "../../src/api/http/pages.js";

describe("the sign-in page", () => {
  it("is Italian unless ?lang=en or Accept-Language prefers English", () => {
    expect(chooseLang(undefined, undefined)).toBe("it");
    expect(chooseLang("en", "it")).toBe("en");
    expect(chooseLang(undefined, "en-US,en;q=0.9")).toBe("en");
    expect(chooseLang(undefined, "fr-FR,en;q=0.5,it;q=0.8")).toBe("it");
    expect(chooseLang(["en"], "de")).toBe("it");
  });

  it("labels its fields, ties the error to them and escapes what it shows", () => {
    const html = signInPage("it", {
      action: "/oidc/interaction/u/login",
      email: '"><script>',
      error: "Errore",
      selfHref: "?lang=en",
    });
    expect(html).toContain('<html lang="it">');
    expect(html).toMatch(/<label for="email"[ >]/);
    expect(html).toMatch(/<label for="password"[ >]/);
    expect(html).toContain('aria-describedby="signin-error"');
    expect(html).not.toContain("<script>");
  });

  it("is styled by the design system's stylesheets only: no inline style, no script", () => {
    const pages = [
      signInPage("it", { action: "/a", selfHref: "?lang=en" }),
      acceptPage("en", { action: "/a", error: "x", selfHref: "?lang=it" }),
      acceptPage("it", { action: "/a", done: true, selfHref: "?lang=en" }),
      expiredPage("it"),
      signOutPage('<form id="op.logoutForm" method="post" action="/oidc/session/end/confirm"></form>'),
      signedOutPage(),
      signInErrorPage("invalid_request", "x"),
    ];
    // The portal's version of the design system.
    const portal = JSON.parse(
      readFileSync(new URL("../../../portal/package.json", import.meta.url), "utf8"),
    ) as { dependencies: Record<string, string> };
    expect(STYLESHEETS[0]).toBe(
      `/signin-assets/bootstrap-italia-${portal.dependencies["bootstrap-italia"]}/css/bootstrap-italia.min.css`,
    );
    for (const html of pages) {
      for (const href of STYLESHEETS) expect(html).toContain(`<link rel="stylesheet" href="${href}">`);
      expect(html).not.toMatch(/<style|style=|<script/);
    }
  });
});

describe("the provider's pages", () => {
  it("put the provider's sign-out form before the buttons that name it", () => {
    const html = signOutPage(
      '<form id="op.logoutForm" method="post" action="/oidc/session/end/confirm"></form>',
    );
    expect(html.indexOf('id="op.logoutForm"')).toBeLessThan(html.indexOf('form="op.logoutForm"'));
    expect(html).toContain('name="logout"');
  });

  it("escape the error the provider reports", () => {
    const html = signInErrorPage("invalid_request", '<img src=x onerror="alert(1)">');
    expect(html).not.toContain("<img");
    expect(html).toContain('role="alert"');
  });
});
