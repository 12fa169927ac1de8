// The public pages in a real browser, served by the real gateway, on the real catalogue and ideas
// services (broker and store of the testkit): courses seeded through the API and the ideas service's demo, read without signing in,
// filtered, paged, in both languages, by keyboard only, with no WCAG 2.1 AA violation axe can find.
import type { TokenClaims } from "@lto/auth";
import { catalogueService } from "@lto/catalogue-service";
import { ideasService } from "@lto/ideas-service";
import { startTestService, type TestService } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  axeViolations,
  buildPortal,
  eventually,
  openBrowser,
  screenshot,
  servePortal,
  signInWithToken,
  signOutLocally,
  type BrowserSession,
  type PortalServer,
} from "./harness.js";

const staff: TokenClaims = {
  sub: "staff-mantova",
  role: "staff",
  org: "provincia-mantova",
  sites: ["lto-mantova"],
};
const learner: TokenClaims = {
  sub: "learner-giulia",
  role: "learner",
  org: "learner-giulia",
  name: "Giulia Rossi",
};

let catalogue: TestService;
let ideas: TestService;
let portal: PortalServer;
let browser: BrowserSession;

const MECHANICS = [
  "Disegno CAD per la meccanica",
  "Robotica collaborativa in officina",
  "Manutenzione predittiva con i sensori",
];
const CULTURE = Array.from({ length: 9 }, (_, i) => `Cittadinanza digitale, modulo ${i + 1}`);

async function publish(titleIt: string, area: string) {
  const client = catalogue.as(staff);
  const draft = await client.post("/v1/courses", {
    titleIt,
    descriptionIt: "Un corso pratico nei laboratori LTO, con esercitazioni sul territorio mantovano.",
    audiences: ["young_people", "adults"],
    areas: [area],
    competences: [{ framework: "digcomp", version: "2.2", competence: "3.4", level: 3 }],
    hours: 12,
    mode: "in_person",
    sites: ["lto-mantova"],
  });
  expect(draft.status, JSON.stringify(draft.body)).toBe(201);
  const published = await client.post(`/v1/courses/${draft.body.id}/publish`);
  expect(published.status, JSON.stringify(published.body)).toBe(200);
}

const courseTitles = (session: BrowserSession) =>
  session.page.getByTestId("course-list").locator("h3").allTextContents();

beforeAll(async () => {
  const [catalogueStarted, ideasStarted, dist] = await Promise.all([
    startTestService(catalogueService),
    // The demo brings published ideas (and others, which a visitor must not see).
    startTestService(ideasService, { env: { SEED_DEMO_WHEN_EMPTY: "true" } }),
    buildPortal(),
  ]);
  catalogue = catalogueStarted;
  ideas = ideasStarted;
  // Oldest first: the list shows newest first, so the culture modules fill the first page.
  for (const title of MECHANICS) await publish(title, "meccanica");
  for (const title of CULTURE) await publish(title, "cultura");
  portal = await servePortal(dist, { catalogue: catalogue.url, ideas: ideas.url });
  browser = await openBrowser(portal.url);
});

afterAll(async () => {
  await browser?.close();
  await portal?.close();
  await catalogue?.close();
  await ideas?.close();
});

describe("the public catalogue", () => {
  it("shows the published courses to a visitor, ten a page, and pages forward and back", async () => {
    const { page } = browser;
    await page.goto("/courses");
    await eventually(() => courseTitles(browser)).toHaveLength(10);
    expect(await page.locator("h1").textContent()).toBe("Catalogo dei corsi");
    expect(await courseTitles(browser)).toEqual(
      CULTURE.toReversed().concat(MECHANICS.toReversed()).slice(0, 10),
    );
    await screenshot(page, "catalogue-visitor");

    await page.getByRole("button", { name: "Pagina successiva" }).click();
    await eventually(() => courseTitles(browser)).toEqual(MECHANICS.toReversed().slice(1));
    await eventually(() => page.getByText("Pagina 2", { exact: true }).isVisible()).toBe(true);
    expect(await page.getByRole("button", { name: "Pagina successiva" }).isDisabled()).toBe(true);

    await page.getByRole("button", { name: "Pagina precedente" }).click();
    await eventually(() => courseTitles(browser)).toHaveLength(10);
    expect(await page.getByRole("button", { name: "Pagina precedente" }).isDisabled()).toBe(true);
  });

  it("filters by area through the form and keeps the filter in the address", async () => {
    const { page } = browser;
    await page.goto("/courses");
    await page.getByLabel("Area economica").selectOption("meccanica");
    await page.getByRole("button", { name: "Applica i filtri" }).click();
    await eventually(() => courseTitles(browser)).toEqual(MECHANICS.toReversed());
    expect(new URL(page.url()).searchParams.get("area")).toBe("meccanica");
    expect(await page.getByRole("button", { name: "Pagina successiva" }).isDisabled()).toBe(true);
    await screenshot(page, "catalogue-filtered");

    // A filter nothing matches says so.
    await page.goto("/courses?area=turismo");
    await expect
      .poll(() => page.getByText("Nessun corso corrisponde ai filtri scelti.").isVisible())
      .toBe(true);
  });

  it("passes axe at WCAG 2.1 AA, with results and with the empty answer", async () => {
    const { page } = browser;
    await page.goto("/courses");
    await eventually(() => courseTitles(browser)).toHaveLength(10);
    expect(await axeViolations(page)).toEqual([]);
    await page.goto("/");
    await page.getByRole("heading", { level: 1 }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "home-visitor");

    // The sign-in provider not answering (its requests dropped): the page says the service does not
    // answer and stays usable. (Signing in through the gateway: sign-in.int.test.ts.)
    await page.route("**/oidc/**", (route) => route.abort("connectionrefused"));
    try {
      await page.getByRole("button", { name: "Accedi" }).click();
      await eventually(() => page.getByRole("alert").textContent()).toContain("Il servizio non risponde");
      expect(await page.getByRole("button", { name: "Accedi" }).isEnabled()).toBe(true);
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await page.unroute("**/oidc/**");
    }
  });

  it("works by keyboard only: skip link first, Tab to a filter, type, Enter", async () => {
    const { page } = browser;
    await page.goto("/courses");
    await eventually(() => courseTitles(browser)).toHaveLength(10);
    await page.locator("body").focus();

    await page.keyboard.press("Tab");
    const focused = page.locator(":focus");
    expect(await focused.textContent()).toBe("Vai al contenuto principale");

    let tabs = 0;
    while ((await focused.getAttribute("id")) !== "area") {
      expect(++tabs, "Tab presses to reach the area filter").toBeLessThan(30);
      await page.keyboard.press("Tab");
    }
    // The focused control shows where it is.
    // The focused control shows where it is (the test's program has no DOM types: `el` is the element).
    const indicator = await focused.evaluate((el) => {
      const style = el.ownerDocument.defaultView.getComputedStyle(el);
      return { boxShadow: style.boxShadow, outline: style.outlineStyle };
    });
    expect(indicator).not.toEqual({ boxShadow: "none", outline: "none" });

    await page.keyboard.type("Mecc");
    await page.keyboard.press("Enter");
    await eventually(() => courseTitles(browser)).toEqual(MECHANICS.toReversed());
    expect(new URL(page.url()).searchParams.get("area")).toBe("meccanica");
  });

  it("speaks English when asked, and remembers it", async () => {
    const { page } = browser;
    await page.goto("/courses");
    await eventually(() => courseTitles(browser)).toHaveLength(10);
    await page.getByRole("button", { name: "English" }).click();
    try {
      await eventually(() => page.locator("h1").textContent()).toBe("Course catalogue");
      expect(await page.locator("html").getAttribute("lang")).toBe("en");
      await eventually(() => page.getByText("12 hours").count()).toBe(10);
      await page.reload();
      await eventually(() => page.locator("h1").textContent()).toBe("Course catalogue");
      await eventually(() => courseTitles(browser)).toHaveLength(10);
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, "catalogue-english");
    } finally {
      await page.evaluate(() => localStorage.setItem("lto.locale", "it"));
    }
    await page.reload();
    await eventually(() => page.locator("h1").textContent()).toBe("Catalogo dei corsi");
  });

  it("a signed-in learner gets the learner's home and the catalogue with the bearer token", async () => {
    const { page } = browser;
    await page.goto("/");
    await signInWithToken(page, await catalogue.auth.token(learner));
    await page.reload();
    // The learner's own home (test/browser/learner.int.test.ts walks through it).
    await eventually(() => page.locator("h1").textContent()).toBe("Ciao Giulia Rossi");
    await eventually(() =>
      page.getByText("Accesso eseguito come Giulia Rossi (partecipante)").isVisible(),
    ).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "home-learner");

    // The token goes with the portal's calls and the service accepts it.
    const sent = page.waitForRequest((r) => r.url().includes("/api/catalogue/v1/courses"));
    const answered = page.waitForResponse((r) => r.url().includes("/api/catalogue/v1/courses"));
    await page.getByRole("link", { name: "Corsi" }).click();
    expect((await sent).headers().authorization).toMatch(/^Bearer ey/);
    expect((await answered).status()).toBe(200);
    await eventually(() => courseTitles(browser)).toHaveLength(10);
    await signOutLocally(page);
  });
});

describe("the published ideas", () => {
  const ideaTitles = () => browser.page.getByTestId("idea-list").locator("h3").allTextContents();

  it("shows a visitor the published ideas only, filters them, and passes axe", async () => {
    const { page } = browser;
    const published = await ideas.as().get("/v1/ideas?state=published&limit=100");
    expect(published.status).toBe(200);
    const expected = (published.body.items as Array<{ title: string }>).map((i) => i.title);
    expect(expected.length).toBeGreaterThan(1);

    await page.goto("/ideas");
    await eventually(() => ideaTitles()).toEqual(expected);
    expect(await page.getByText("Manutenzione predittiva delle pompe irrigue").count()).toBe(0); // under review
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "ideas-visitor");

    await page.getByLabel("Area economica").selectOption("meccanica");
    await page.getByRole("button", { name: "Applica i filtri" }).click();
    await eventually(() => ideaTitles()).toEqual(["Cobot per la saldatura di piccoli lotti"]);
  });

  it("searches by keyword from the keyboard, and shows the service's own words when it refuses", async () => {
    const { page } = browser;
    await page.goto("/ideas");
    await eventually(() => ideaTitles()).not.toHaveLength(0);
    await page.getByLabel("Parole chiave").focus();
    await page.keyboard.type("serra");
    await page.keyboard.press("Enter");
    await eventually(() => ideaTitles()).toEqual(["Serra idroponica connessa"]);

    // One letter is too short for the service: its problem+json, not a generic error, reaches the user.
    await page.getByLabel("Parole chiave").fill("x");
    await page.keyboard.press("Enter");
    const alert = page.getByRole("alert");
    await alert.waitFor();
    const refused = await ideas.as().get("/v1/ideas?state=published&q=x&limit=10");
    expect(refused.status).toBe(400);
    expect(await alert.textContent()).toContain(refused.body.detail as string);
    // First what kind of refusal it is, in Italian, naming the field; then the service's own words.
    expect(await alert.getByTestId("problem-sentence").textContent()).toBe(
      "I dati inviati non sono validi: controlla q.",
    );
    expect(await alert.getByTestId("problem-detail").textContent()).toBe(
      `Risposta del servizio: ${refused.body.detail as string}`,
    );
    expect(await alert.getByRole("listitem").first().textContent()).toContain("q");
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "ideas-problem");
  });
});
