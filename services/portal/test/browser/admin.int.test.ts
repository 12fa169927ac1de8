// The platform administrator in a real browser on the real gateway (its sign-in, its accounts): signs
// in for real, sees the accounts that need attention on the home, invites a staff member, finds a young
// person's account by search, disables it with the keyboard only (after a confirmation) so that the
// person can no longer sign in through the gateway's sign-in, enables it again so that they can, and
// ends their sessions so that they must sign in again. What the gateway then holds is read through its
// API; axe on every page.
import { freePort, uniqueId } from "@lto/testkit";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  axeViolations,
  buildPortal,
  DEMO_PASSWORD,
  eventually,
  openBrowser,
  screenshot,
  servePortal,
  signOutLocally,
  type BrowserSession,
  type PortalServer,
} from "./harness.js";

const LEARNER = {
  email: "giovane@demo.lto.local",
  subject: "demo-learner-giulia-rossi",
  name: "Giulia Rossi",
};

let portal: PortalServer;
let browser: BrowserSession;
/** The young person's own browser (another context: their own cookies and storage). */
let person: Page;

beforeAll(async () => {
  // The gateway's own API trusts the gateway's keys: the administrator's token is a real sign-in's.
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  portal = await servePortal(
    await buildPortal(),
    {},
    { port, env: { JWKS_URL: `${origin}/oidc/jwks`, JWT_ISSUER: `${origin}/oidc`, JWT_AUDIENCE: "lto" } },
  );
  browser = await openBrowser(portal.url);
  person = await (await browser.browser.newContext({ baseURL: portal.url, locale: "it-IT" })).newPage();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await portal?.close();
});

/** Signs `page` in through the portal's button and the gateway's own sign-in form. */
async function signInForm(page: Page, email: string): Promise<void> {
  await page.goto("/");
  await page.getByRole("button", { name: "Accedi" }).click();
  await eventually(() => page.locator("h1").textContent()).toBe("Accedi a LTO Mantova");
  await page.getByLabel("Indirizzo e-mail").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Accedi" }).click();
}

/** The signed-in administrator's own access token, for reading the gateway's API as they do. */
async function adminToken(): Promise<string> {
  const raw = await browser.page.evaluate(() => sessionStorage.getItem("lto.session"));
  return (JSON.parse(raw ?? "{}") as { accessToken: string }).accessToken;
}

async function gatewayGet(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${portal.url}${path}`, {
    headers: { authorization: `Bearer ${await adminToken()}` },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Tab (never the mouse) until the focused element's text is `text`; at most 40 presses. */
async function tabTo(page: Page, text: string): Promise<void> {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press("Tab");
    const focused = await page.evaluate<string>('document.activeElement?.textContent?.trim() ?? ""');
    if (focused === text) return;
  }
  throw new Error(`"${text}" was not reached with Tab`);
}

describe("the administrator managing accounts", () => {
  it("signs in and sees the accounts that need attention, as the gateway counts them", async () => {
    const { page } = browser;
    await signInForm(page, "admin@demo.lto.local");
    await eventually(() => page.locator("[data-role-home]").getAttribute("data-role-home")).toBe("admin");
    await eventually(() => page.locator("h1").textContent()).toBe("La tua pagina (amministrazione)");
    await page.getByTestId("count-invited").waitFor();
    const counts = (await gatewayGet("/v1/accounts:count")).body;
    expect(await page.getByTestId("count-invited").textContent()).toBe(String(counts.invited));
    expect(await page.getByTestId("count-disabled").textContent()).toBe(String(counts.disabled));
    expect(await axeViolations(page)).toEqual([]);
  });

  it("invites a staff member with their site, with the invitation form the staff use", async () => {
    const { page } = browser;
    const email = `${uniqueId("operatore")}@provincia.example.it`;
    await page.getByRole("link", { name: "Invita una persona" }).click();
    await eventually(() => page.locator("h1").textContent()).toBe("Invita una persona");
    await page.locator('label[for="invite-role-staff"]').click();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel("Nome e cognome").fill("Sara Ferrari");
    await page.getByLabel("Indirizzo e-mail").fill(email);
    await page.getByLabel("Codice dell'ente (per esempio provincia-mantova)").fill("provincia-mantova");
    await page.getByLabel("Sedi in cui lavora").fill("lto-mantova, lto-suzzara");
    await page.getByRole("button", { name: "Invia l'invito" }).click();
    await eventually(() => page.getByText(`Invito inviato a ${email}`).isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);

    const found = (await gatewayGet(`/v1/accounts?q=${encodeURIComponent(email)}`)).body as {
      items: Array<Record<string, unknown>>;
    };
    expect(found.items).toHaveLength(1);
    expect(found.items[0]).toMatchObject({
      role: "staff",
      status: "invited",
      organisationId: "provincia-mantova",
      sites: ["lto-mantova", "lto-suzzara"],
      displayName: "Sara Ferrari",
    });
  });

  it("finds a young person by search, disables the account by keyboard only, and they cannot sign in", async () => {
    const { page } = browser;
    // Before: the person signs in through the gateway.
    await signInForm(person, LEARNER.email);
    await eventually(() => person.locator("[data-role-home]").getAttribute("data-role-home")).toBe("learner");

    await page.goto("/");
    await page.getByRole("link", { name: "Cerca e gestisci gli account" }).click();
    await eventually(() => page.locator("h1").textContent()).toBe("Account della piattaforma");
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel("Cerca per nome o e-mail").fill("ROSS");
    await page.getByRole("button", { name: "Cerca", exact: true }).click();
    await eventually(() => new URL(page.url()).searchParams.get("q")).toBe("ROSS");
    const table = page.getByTestId("accounts-table");
    await eventually(() => table.locator("tbody tr").count()).toBe(1);
    expect(await table.locator("tbody tr").textContent()).toContain(LEARNER.email);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole("link", { name: LEARNER.name }).click();
    await eventually(() => page.locator("h1").textContent()).toBe(`Account di ${LEARNER.name}`);
    await eventually(() => page.getByTestId("account-status").textContent()).toBe("attivo");
    expect(await axeViolations(page)).toEqual([]);

    // Keyboard only: Tab to the action, Enter; the confirmation takes the focus; Tab to the reason.
    await tabTo(page, "Disabilita l'account");
    await page.keyboard.press("Enter");
    await page.getByTestId("disable-confirm").waitFor();
    expect(await page.evaluate<string>("document.activeElement?.id")).toBe("disable-title");
    expect(await axeViolations(page)).toEqual([]);
    // Confirming without a reason is refused on the field itself.
    await tabTo(page, "Conferma la disabilitazione");
    await page.keyboard.press("Enter");
    await eventually(() => page.locator("#disable-reason-error").textContent()).toBe(
      "Scrivi il motivo della disabilitazione.",
    );
    expect(await page.getByLabel("Motivo").getAttribute("aria-describedby")).toContain(
      "disable-reason-error",
    );
    await page.getByLabel("Motivo").focus(); // back up the form: Shift+Tab would do the same
    await page.keyboard.type("Segnalazione di uso improprio");
    await tabTo(page, "Conferma la disabilitazione");
    await page.keyboard.press("Enter");
    await eventually(() => page.getByTestId("account-outcome").textContent()).toBe(
      `Account disabilitato: ${LEARNER.name} non può più accedere.`,
    );
    await eventually(() => page.getByTestId("account-status").textContent()).toBe("disabilitato");
    expect(await page.getByTestId("account-details").textContent()).toContain(
      "Segnalazione di uso improprio",
    );
    expect(await axeViolations(page)).toEqual([]);
    expect((await gatewayGet(`/v1/accounts/${LEARNER.subject}`)).body).toMatchObject({
      status: "disabled",
      disabledReason: "Segnalazione di uso improprio",
    });

    // The person, signed out, cannot sign in again: the gateway's own words.
    await signOutLocally(person);
    await signInForm(person, LEARNER.email);
    await eventually(() => person.getByRole("alert").textContent()).toContain(
      "Questo account è disabilitato",
    );
    expect(new URL(person.url()).pathname).toMatch(/^\/oidc\//);
  });

  it("enables the account again, and the person signs in", async () => {
    const { page } = browser;
    await page.getByRole("button", { name: "Riabilita l'account" }).click();
    await eventually(() => page.getByTestId("account-outcome").textContent()).toBe(
      `Account riabilitato: ${LEARNER.name} può accedere di nuovo.`,
    );
    await eventually(() => page.getByTestId("account-status").textContent()).toBe("attivo");
    expect(await axeViolations(page)).toEqual([]);
    expect((await gatewayGet(`/v1/accounts/${LEARNER.subject}`)).body).toMatchObject({ status: "active" });

    await signInForm(person, LEARNER.email);
    await eventually(() => person.locator("[data-role-home]").getAttribute("data-role-home")).toBe("learner");
  });

  it("ends the person's sessions: they must sign in with the form again", async () => {
    const { page } = browser;
    // Still signed in at the gateway: signing in again needs no form.
    await signOutLocally(person);
    await person.goto("/");
    await person.getByRole("button", { name: "Accedi" }).click();
    await eventually(() => person.locator("[data-role-home]").getAttribute("data-role-home")).toBe("learner");

    await page.getByRole("button", { name: "Chiudi tutte le sessioni" }).click();
    await eventually(() => page.getByTestId("account-outcome").textContent()).toMatch(
      /^Chius[ae] \d+ session[ei]\.$/,
    );
    expect(await axeViolations(page)).toEqual([]);

    await signOutLocally(person);
    await person.goto("/");
    await person.getByRole("button", { name: "Accedi" }).click();
    await eventually(() => person.locator("h1").textContent()).toBe("Accedi a LTO Mantova");
  });

  it("shows the home with the counts and links to each list", async () => {
    const { page } = browser;
    await page.goto("/");
    await page.getByTestId("count-invited").waitFor();
    const counts = (await gatewayGet("/v1/accounts:count")).body;
    expect(Number(counts.invited)).toBeGreaterThan(0);
    expect(await page.getByTestId("count-invited").textContent()).toBe(String(counts.invited));
    expect(await page.getByTestId("count-disabled").textContent()).toBe(String(counts.disabled));
    await screenshot(page, "admin-home");
    await page.getByRole("link", { name: "Vedi gli inviti in attesa" }).click();
    await eventually(() => page.locator("h1").textContent()).toBe("Account della piattaforma");
    expect(await page.getByLabel("Stato").inputValue()).toBe("invited");
    await eventually(() => page.getByTestId("accounts-table").textContent()).toContain("Sara Ferrari");
    expect(await axeViolations(page)).toEqual([]);
  });
});
