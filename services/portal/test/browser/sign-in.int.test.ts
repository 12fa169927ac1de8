// Signing in for real: the portal served by the gateway, its sign-in page (server-rendered by the
// gateway's OpenID Connect provider), a demo account, back on the role's home with the name shown, the
// gateway's token accepted by a real catalogue service through /api, and signing out at the gateway.
import { catalogueService } from "@lto/catalogue-service";
import { freePort } from "@lto/testkit";
import { startTestService, type TestService } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  axeViolations,
  buildPortal,
  DEMO_PASSWORD,
  eventually,
  openBrowser,
  screenshot,
  servePortal,
  type BrowserSession,
  type PortalServer,
} from "./harness.js";

let catalogue: TestService;
let portal: PortalServer;
let browser: BrowserSession;

beforeAll(async () => {
  // The catalogue trusts the gateway's keys and issuer, as every service does under `npm start`.
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const [started, dist] = await Promise.all([
    startTestService(catalogueService, {
      env: { JWKS_URL: `${origin}/oidc/jwks`, JWT_ISSUER: `${origin}/oidc`, JWT_AUDIENCE: "lto" },
    }),
    buildPortal(),
  ]);
  catalogue = started;
  portal = await servePortal(dist, { catalogue: catalogue.url }, { port });
  browser = await openBrowser(portal.url);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await portal?.close();
  await catalogue?.close();
});

describe("signing in through the gateway", () => {
  it("refuses a wrong password with the gateway's own words, tied to the fields", async () => {
    const { page } = browser;
    await page.goto("/");
    await page.getByRole("button", { name: "Accedi" }).click();
    await page.waitForURL(/\/oidc\/|\/interaction\//);
    await eventually(() => page.locator("h1").textContent()).toBe("Accedi a LTO Mantova");
    expect(await page.locator("html").getAttribute("lang")).toBe("it");
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "sign-in-page");

    await page.getByLabel("Indirizzo e-mail").fill("giovane@demo.lto.local");
    await page.getByLabel("Password").fill("not-the-password-at-all");
    await page.getByRole("button", { name: "Accedi" }).click();
    await eventually(() => page.getByRole("alert").textContent()).toContain("E-mail o password non corretti");
    expect(await axeViolations(page)).toEqual([]);
  });

  it("signs a demo account in, lands on its role's home with its name, and calls a service with the token", async () => {
    const { page } = browser;
    await page.goto("/");
    await page.getByRole("button", { name: "Accedi" }).click();
    await eventually(() => page.locator("h1").textContent()).toBe("Accedi a LTO Mantova");
    await page.getByLabel("Indirizzo e-mail").fill("giovane@demo.lto.local");
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Accedi" }).click();

    await eventually(() => new URL(page.url()).pathname).toBe("/");
    await eventually(() =>
      page.getByText("Accesso eseguito come Giulia Rossi (partecipante)").isVisible(),
    ).toBe(true);
    expect(await page.locator("[data-role-home]").getAttribute("data-role-home")).toBe("learner");
    expect(await axeViolations(page)).toEqual([]);

    // The gateway's ES256 token goes with the portal's calls and the catalogue accepts it.
    const sent = page.waitForRequest((r) => r.url().includes("/api/catalogue/v1/courses"));
    const answered = page.waitForResponse((r) => r.url().includes("/api/catalogue/v1/courses"));
    await page.getByRole("link", { name: "Corsi" }).click();
    const token = (await sent).headers().authorization?.replace(/^Bearer /, "") ?? "";
    const claims = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as {
      iss?: string;
      sub?: string;
      role?: string;
    };
    expect(claims).toMatchObject({
      iss: `${portal.url}/oidc`,
      sub: "demo-learner-giulia-rossi",
      role: "learner",
    });
    expect((await answered).status()).toBe(200);
    const direct = await fetch(`${catalogue.url}/v1/courses`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(direct.status).toBe(200);

    // Signing out: the gateway asks to confirm, ends the session, and sends the browser back to /.
    await page.getByRole("button", { name: "Esci" }).click();
    await eventually(() => page.locator("h1").textContent()).toBe("Vuoi uscire da LTO Mantova?");
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "sign-out-page");
    await page.getByRole("button", { name: "Sì, esci" }).click();
    await eventually(() => new URL(page.url()).pathname).toBe("/");
    await eventually(() => page.getByRole("button", { name: "Accedi" }).isVisible()).toBe(true);
    expect(await page.evaluate(() => sessionStorage.getItem("lto.session"))).toBeNull();

    // The session at the gateway is gone too: signing in again asks for the password.
    await page.getByRole("button", { name: "Accedi" }).click();
    await eventually(() => page.locator("h1").textContent()).toBe("Accedi a LTO Mantova");
  });
});
