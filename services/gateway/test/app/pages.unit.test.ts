import { describe, expect, it } from "vitest";
import { chooseLang, signInPage } from "../../src/api/http/pages.js";

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
    expect(html).toContain('<label for="email">');
    expect(html).toContain('<label for="password">');
    expect(html).toContain('aria-describedby="signin-error"');
    expect(html).not.toContain("<script>");
  });
});
