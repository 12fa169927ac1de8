// The school's journey in a real browser, on the real ideas and adoption services: a team created and
// its consents recorded, an idea drafted and submitted in the portal; staff publish it and a company offers
// through the APIs; the school accepts the offer in the portal, and the adoption service then holds
// the adoption. Axe on every page the school sees; a screenshot of the school's home.
import type { TokenClaims } from "@lto/auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  daysFromNow,
  ideaReachedAdoption,
  ideaText,
  openCall,
  publishAndOpenAdoption,
  startPlatform,
  verifiedCompany,
  type Platform,
} from "./company-support.js";
import { axeViolations, eventually, screenshot, signInWithToken } from "./harness.js";
import { romeDay } from "./support.js";

let p: Platform;
const school: TokenClaims = {
  sub: "referent-fermi",
  role: "school",
  org: `school-fermi-${Date.now()}`,
  name: "Prof.ssa Bonfanti",
};
const CALL = "Bando LTO 2026 idee per il territorio";
const TITLE = "Serra idroponica connessa";

beforeAll(async () => {
  p = await startPlatform();
});

afterAll(async () => {
  await p?.close();
});

describe("a school's journey from team to accepted offer", () => {
  it("creates a team with consent, submits an idea and accepts a company's offer", async () => {
    const { page } = p.browser;
    const callId = await openCall(p, CALL);
    await page.goto("/");
    await signInWithToken(page, await p.ideas.auth.token(school));
    await page.reload();
    await eventually(() => page.locator("h1").textContent()).toBe("La tua pagina (referente scolastico)");
    await eventually(() => page.getByText("Nessun team ancora").isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);

    // A team: a minor with the parents' consent and an adult.
    await page.getByRole("link", { name: "Nuovo team" }).click();
    await page.getByLabel("Nome del team").fill("I Rinnovabili");
    await page.getByLabel("Scuola").fill("IIS E. Fermi Mantova");
    await page.getByLabel("Classe").fill("4A");
    await page.getByLabel("Docente referente").fill("Prof.ssa Bonfanti");
    await page.getByLabel("Pseudonimo").fill("Volpe Blu");
    await page.getByLabel("Data del consenso dei genitori").fill(romeDay(daysFromNow(-60)));
    await page.getByRole("button", { name: "Aggiungi uno studente" }).click();
    await page.locator("#member-1-pseudonym").fill("Airone");
    expect(await page.locator("#member-1-minor").isChecked()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Crea il team" }).click();
    const teamList = page.getByTestId("team-list");
    await eventually(() => teamList.textContent()).toContain("Manca il consenso dei genitori per: Airone.");

    // The consent recorded from the home. The services' clock is in the call's submission phase, weeks
    // before the browser's today, so today is "in the future" for them: their own words say so.
    await page.getByRole("button", { name: "Registra il consenso" }).click();
    await eventually(() => teamList.getByRole("alert").textContent()).toContain("cannot be in the future");
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel("Data del consenso dei genitori di Airone").fill(romeDay(daysFromNow(-50)));
    await page.getByRole("button", { name: "Registra il consenso" }).click();
    await eventually(() => teamList.textContent()).toContain("Consensi completi.");
    const teams = await p.ideas.as(school).get("/v1/teams");
    expect(teams.status).toBe(200);
    expect(teams.body.items).toHaveLength(1);
    const team = teams.body.items[0];
    expect(team.members).toEqual([
      expect.objectContaining({
        pseudonym: "Volpe Blu",
        minor: true,
        parentalConsentOn: romeDay(daysFromNow(-60)),
      }),
      expect.objectContaining({
        pseudonym: "Airone",
        minor: true,
        parentalConsentOn: romeDay(daysFromNow(-50)),
      }),
    ]);

    // An idea: drafted, then submitted from the home, which said it was complete.
    await page.getByRole("link", { name: "Nuova idea" }).click();
    await page.getByLabel("Bando").selectOption(callId);
    await page.getByLabel("Team", { exact: true }).selectOption(team.id);
    await page.getByLabel("Titolo").fill(TITLE);
    await page.getByLabel("Sintesi").fill(ideaText.summary);
    await page.getByLabel("Problema").fill(ideaText.problem);
    await page.getByLabel("Soluzione").fill(ideaText.solution);
    await page.getByLabel("Area economica").selectOption("agroalimentare");
    await page.getByLabel("Distretto").selectOption("viadana");
    await page.locator('label[for="tech-iot"]').click();
    await page.locator('label[for="need-mentoring"]').click();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Salva la bozza" }).click();
    await eventually(() => page.getByTestId("ideas-draft").textContent()).toContain(
      "Completa: puoi inviarla.",
    );
    await page.getByRole("button", { name: `Invia «${TITLE}»` }).click();
    await eventually(() => page.getByTestId("ideas-submitted").textContent()).toContain(TITLE);
    const ideas = await p.ideas.as(school).get(`/v1/ideas?teamId=${team.id}`);
    expect(ideas.body.items).toEqual([expect.objectContaining({ title: TITLE, state: "submitted" })]);
    const ideaId = ideas.body.items[0].id as string;

    // Staff publish it; a verified company offers through the adoption service.
    await publishAndOpenAdoption(p, ideaId);
    const company = await verifiedCompany(p, "Officine Agricole Padane S.r.l.");
    await ideaReachedAdoption(p, ideaId, company);
    const offered = await p.adoption.as(company).post(`/v1/ideas/${ideaId}/offers`, {
      commitments: { mentoringHours: 10, fundingCents: 50_000 },
      message: "Vi seguiamo con dieci ore di mentoring e un contributo per i sensori.",
    });
    expect(offered.status, JSON.stringify(offered.body)).toBe(201);

    // The school sees it on its home and accepts it.
    await page.reload();
    const offers = page.getByTestId("offer-list");
    await eventually(() => offers.textContent()).toContain(`Officine Agricole Padane S.r.l. per «${TITLE}»`);
    expect(await offers.textContent()).toContain("10 ore di mentoring");
    expect(await offers.textContent()).toContain("500,00");
    await eventually(() => page.getByTestId("ideas-published").textContent()).toContain(TITLE);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "school-offer");
    await page.getByRole("button", { name: "Accetta l'offerta di Officine Agricole Padane S.r.l." }).click();
    await eventually(() => page.getByText("Nessuna offerta in attesa.").isVisible()).toBe(true);
    await eventually(() => page.getByTestId("school-adoptions").textContent()).toContain(TITLE);

    const offer = await p.adoption.as(school).get(`/v1/offers/${offered.body.id}`);
    expect(offer.body.status).toBe("accepted");
    const adoptions = await p.adoption.as(school).get(`/v1/adoptions?ideaId=${ideaId}`);
    expect(adoptions.body.items).toEqual([
      expect.objectContaining({ ideaId, companyId: company.org, schoolId: school.org, status: "active" }),
    ]);
    // The ideas service learns of the adoption from the adoption service's event; the home then shows it.
    await expect
      .poll(async () => (await p.ideas.as(school).get(`/v1/ideas/${ideaId}`)).body.state, { timeout: 30_000 })
      .toBe("adopted");
    await page.reload();
    await eventually(() => page.getByTestId("ideas-adopted").textContent()).toContain(TITLE);
    await eventually(() => page.getByTestId("school-adoptions").textContent()).toContain(
      "Nessuna ora confermata ancora.",
    );
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "school-home");
  }, 180_000); // a whole journey through two services and a browser
});
