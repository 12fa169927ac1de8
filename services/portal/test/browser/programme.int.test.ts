// The programme office reading a chart and exporting its CSV, in a real browser on the real catalogue
// and insights services (the testkit's broker and store): enrolments made through the catalogue's API
// reach the insights read model through the broker; the programme office's home charts them, tables
// every row, filters by site and downloads the service's CSV, whose rows are the table's. Axe on each
// state of the page; a screenshot of the programme's home filtered to the journey's site.
import type { TokenClaims } from "@lto/auth";
import { catalogueService } from "@lto/catalogue-service";
import { insightsService } from "@lto/insights-service";
import { testAuth, uniqueId, type TestAuth } from "@lto/testkit";
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
  type BrowserSession,
  type PortalServer,
} from "./harness.js";
import { downloadedText } from "./learner-support.js";
import { ok, publishedSession, romeDayIn, siteStaff } from "./support.js";

const staff = siteStaff("staff-suzzara", "lto-suzzara");
const office: TokenClaims = {
  sub: "programme-office",
  role: "programme",
  org: "provincia-mantova",
  name: "Ufficio di programma",
};

let auth: TestAuth;
let catalogue: TestService;
let insights: TestService;
let portal: PortalServer;
let browser: BrowserSession;

/** The table's rows as the CSV writes them: each cell's raw value (data-value). */
const tableRows = (session: BrowserSession) =>
  session.page
    .getByTestId("figure-table")
    .locator("tbody tr")
    .evaluateAll((rows) =>
      rows.map((row) => [...row.querySelectorAll("td")].map((td) => td.getAttribute("data-value") ?? "")),
    );

/** RFC 4180 enough for the service's CSV: no cell of these figures holds a comma or a quote. */
const csvRows = (text: string) =>
  text
    .split("\r\n")
    .filter((line) => line !== "")
    .map((line) => line.split(","));

beforeAll(async () => {
  auth = await testAuth();
  // The insights service builds its model from the topics' beginning on its first start (its way):
  // the shared broker's other tests are in the figures too, so the journey reads one site's rows.
  const [dist, started] = await Promise.all([
    buildPortal(),
    Promise.all([startTestService(catalogueService, { auth }), startTestService(insightsService, { auth })]),
  ]);
  [catalogue, insights] = started;
  // A published course with a session at Suzzara (a site few other tests use), three learners enrolled through the API.
  const asStaff = catalogue.as(staff);
  const session = await publishedSession(
    asStaff,
    "lto-suzzara",
    {
      titleIt: "Fogli di calcolo per la contabilità",
      descriptionIt: "Formule, tabelle pivot e grafici per tenere i conti di una piccola impresa.",
      audiences: ["young_people", "adults"],
      areas: ["servizi_commerciali"],
      competences: [{ framework: "digcomp", version: "2.2", competence: "1.3", level: 3 }],
      hours: 12,
    },
    {
      meeting: { date: romeDayIn(14), start: "09:00", end: "13:00", room: "Aula 1", trainer: "Sara Bini" },
      capacity: 10,
      enrolment: { opensOn: romeDayIn(0), closesOn: romeDayIn(10) },
    },
  );
  for (let i = 0; i < 3; i++) {
    const sub = uniqueId("learner-figures");
    await ok(
      catalogue.as({ sub, role: "learner", org: sub }),
      "POST",
      `/v1/sessions/${session.id as string}/enrolments`,
      {},
    );
  }
  portal = await servePortal(dist, { insights: insights.url });
  browser = await openBrowser(portal.url);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await portal?.close();
  await Promise.all([catalogue?.close(), insights?.close()]);
});

describe("the programme office's figures", () => {
  it("reads the enrolments chart and its table, filters by site, and exports the CSV the table shows", async () => {
    // The enrolments reached the read model through the broker.
    const suzzara = () =>
      insights
        .as(office)
        .get("/v1/figures/learning?site=lto-suzzara")
        .then((r) => r.body);
    await eventually(async () => {
      const rows = (await suzzara()).rows as Array<{ enrolments: number }>;
      return rows.reduce((sum, r) => sum + r.enrolments, 0);
    }).toBeGreaterThanOrEqual(3);

    const { page } = browser;
    await page.goto("/");
    await signInWithToken(page, await auth.token(office));
    await page.reload();
    await eventually(() => page.locator("h1").textContent()).toBe("Indicatori del programma");
    const chart = page.getByTestId("figure-chart");
    await eventually(() => chart.locator("svg").count()).toBe(1);
    expect(await chart.getAttribute("aria-label")).toBe(
      "Grafico a barre: Iscrizioni, completamenti e credenziali per Livello. I valori sono nella tabella che segue.",
    );
    // The chart plots the service's categories (levels) and measures.
    const all = (await insights.as(office).get("/v1/figures/learning")).body;
    for (const level of all.chart.categories as string[])
      expect(await chart.textContent()).toContain(level === "none" ? "senza livello" : level);
    expect(await chart.textContent()).toContain("Iscrizioni");
    // Other test files share the broker: the read model may grow meanwhile, never shrink.
    await eventually(async () => (await tableRows(browser)).length).toBeGreaterThanOrEqual(
      (all.rows as unknown[]).length,
    );
    expect(await axeViolations(page)).toEqual([]);

    // Only Suzzara, by keyboard from the site filter: the table is the service's rows for it.
    await page.getByLabel("Laboratorio", { exact: true }).selectOption("lto-suzzara");
    await page.getByLabel("Laboratorio", { exact: true }).press("Enter");
    const expected = await suzzara();
    const columns = expected.columns as string[];
    const expectedRows = (expected.rows as Array<Record<string, unknown>>).map((r) =>
      columns.map((c) => (r[c] === null ? "" : String(r[c]))),
    );
    await eventually(() => tableRows(browser)).toEqual(expectedRows);
    expect(await page.getByTestId("figure-table").locator("caption").textContent()).toContain(
      `${expectedRows.length} rig`,
    );

    // The CSV downloaded is the service's, and its rows are the table's.
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "Esporta in CSV" }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe("lto-learning.csv");
    const [header, ...rows] = csvRows(await downloadedText(file));
    expect(header).toEqual(columns);
    expect(rows).toEqual(await tableRows(browser));
    await eventually(() => page.getByText("Scaricato: lto-learning.csv").isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    // One site's figures: the whole shared broker's rows (other test files' years) make a poor picture.
    await screenshot(page, "programme-home");
  });

  it("says so when the filters leave no data, with an empty table and no chart", async () => {
    const { page } = browser;
    await page.goto("/");
    await eventually(() => page.locator("h1").textContent()).toBe("Indicatori del programma");
    await page.getByLabel("Indicatore", { exact: true }).selectOption("services");
    await page.getByLabel("Laboratorio", { exact: true }).selectOption("lto-viadana");
    await page.getByLabel("Anno scolastico", { exact: true }).selectOption({ index: 4 });
    const year = await page.getByLabel("Anno scolastico", { exact: true }).inputValue();
    await page.getByRole("button", { name: "Mostra" }).click();
    const answer = (
      await insights
        .as(office)
        .get(`/v1/figures/services?site=lto-viadana&schoolYear=${encodeURIComponent(year)}`)
    ).body;
    expect(answer.rows).toEqual([]);
    await eventually(() => page.getByText("Nessun dato per i filtri scelti.").isVisible()).toBe(true);
    expect(await page.getByTestId("figure-chart").count()).toBe(0);
    expect(await tableRows(browser)).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
  });
});
