// The company's journey in a real browser, on the real ideas and adoption services: a school's idea
// published through the APIs; the company browses and filters the published ideas, holds one and
// offers with commitments in the portal; the school accepts through the API; the company logs its
// deliveries in the portal and the school confirms each through the API until every promise is
// confirmed, which completes the adoption. Axe on every page; a screenshot of the company's home.
import type { TokenClaims } from "@lto/auth";
import { uniqueId } from "@lto/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ideaReachedAdoption,
  ideaText,
  openCall,
  publishAndOpenAdoption,
  startPlatform,
  verifiedCompany,
  daysFromNow,
  type Platform,
} from "./company-support.js";
import { axeViolations, eventually, screenshot, signInWithToken } from "./harness.js";
import { romeDay } from "./support.js";

let p: Platform;
const school: TokenClaims = { sub: "referent-virgilio", role: "school", org: uniqueId("school-virgilio") };
const TITLE = `Tracciabilità del latte con i sensori ${Date.now() % 100_000}`;

async function schoolIdea(callId: string): Promise<string> {
  const client = p.ideas.as(school);
  const team = await client.post(
    "/v1/teams",
    {
      name: "Filiera Digitale",
      schoolName: "IIS Virgilio Mantova",
      className: "5B",
      schoolYear: "2026/27",
      referentTeacher: "Prof. Rossi",
      members: [
        { pseudonym: "Gufo Rosso", minor: true, parentalConsentOn: romeDay(daysFromNow(-60)) },
        { pseudonym: "Lince", minor: false },
      ],
    },
    { headers: { "Idempotency-Key": uniqueId("team") } },
  );
  expect(team.status, JSON.stringify(team.body)).toBe(201);
  const idea = await client.post(
    "/v1/ideas",
    {
      callId,
      teamId: team.body.id,
      title: TITLE,
      ...ideaText,
      summary:
        "Sensori e un registro condiviso per seguire il latte dalla stalla al caseificio nel Suzzarese.",
      area: "agroalimentare",
      district: "suzzara",
      technologies: ["iot", "blockchain"],
      needs: ["mentoring", "funding"],
    },
    { headers: { "Idempotency-Key": uniqueId("idea") } },
  );
  expect(idea.status, JSON.stringify(idea.body)).toBe(201);
  const submitted = await client.post(`/v1/ideas/${idea.body.id}/submit`);
  expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
  return idea.body.id as string;
}

beforeAll(async () => {
  p = await startPlatform();
});

afterAll(async () => {
  await p?.close();
});

describe("a company's journey from browse to completed adoption", () => {
  it("browses, filters, holds, offers, logs its deliveries and sees the adoption complete", async () => {
    const { page } = p.browser;
    const callId = await openCall(p, "Bando LTO filiere agroalimentari");
    const ideaId = await schoolIdea(callId);
    await publishAndOpenAdoption(p, ideaId);
    const company = await verifiedCompany(p, "Latterie Mantovane S.p.A.");
    await ideaReachedAdoption(p, ideaId, company);

    await page.goto("/");
    await signInWithToken(page, await p.ideas.auth.token(company));
    await page.reload();
    await eventually(() => page.locator("h1").textContent()).toBe("La tua pagina (azienda)");
    await eventually(() =>
      page.getByText("Latterie Mantovane S.p.A.: azienda verificata dal laboratorio.").isVisible(),
    ).toBe(true);
    await eventually(() => page.getByText("Nessuna adozione ancora.").isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);

    // Browse and filter: area, technology and district land in the address and reach the service.
    await page.getByRole("link", { name: "Sfoglia le idee pubblicate" }).click();
    await page.getByRole("heading", { level: 1, name: "Sfoglia le idee pubblicate" }).waitFor();
    await page.getByLabel("Area economica").selectOption("agroalimentare");
    await page.getByLabel("Tecnologia").selectOption("blockchain");
    await page.getByLabel("Distretto").selectOption("suzzara");
    await page.getByRole("button", { name: "Applica i filtri" }).click();
    const list = page.getByTestId("browse-list");
    await eventually(() => list.locator("h3").allTextContents()).toContain(TITLE);
    const search = new URL(page.url()).searchParams;
    expect([search.get("area"), search.get("technology"), search.get("district")]).toEqual([
      "agroalimentare",
      "blockchain",
      "suzzara",
    ]);
    // Every idea listed matches the filters, as the service answers them.
    const filtered = await p.adoption
      .as(company)
      .get("/v1/ideas?area=agroalimentare&technology=blockchain&district=suzzara&limit=10");
    expect(await list.locator("h3").allTextContents()).toEqual(
      (filtered.body.items as Array<{ title: string }>).map((i) => i.title),
    );
    expect(await axeViolations(page)).toEqual([]);

    await screenshot(page, "company-browse");

    // Hold it.
    await page.getByRole("button", { name: `Prenota «${TITLE}»` }).click();
    await eventually(() => list.getByText(/^Prenotata fino al \d{2}\/\d{2}\/\d{4}/).isVisible()).toBe(true);
    const holds = await p.adoption.as(company).get(`/v1/holds?ideaId=${ideaId}`);
    expect(holds.body.items).toEqual([
      expect.objectContaining({ ideaId, companyId: company.org, status: "active" }),
    ]);

    // Offer with commitments: mentoring hours and funding.
    await page.getByRole("link", { name: `Fai un'offerta per «${TITLE}»` }).click();
    await eventually(() => page.getByText(`Per l'idea «${TITLE}»`).isVisible()).toBe(true);
    await page.getByLabel("Ore di mentoring").fill("3");
    await page.getByLabel("Finanziamento (euro)").fill("abc");
    await page
      .getByLabel("Messaggio alla scuola")
      .fill("Seguiamo il team con tre ore di mentoring e un contributo.");
    await page.getByRole("button", { name: "Invia l'offerta" }).click();
    // A bad amount is named next to the field, and nothing is sent.
    await eventually(() => page.getByText("Scrivi un importo in euro").isVisible()).toBe(true);
    expect(await page.getByLabel("Finanziamento (euro)").getAttribute("aria-invalid")).toBe("true");
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel("Finanziamento (euro)").fill("250,50");
    await page.getByRole("button", { name: "Invia l'offerta" }).click();
    await eventually(() => page.locator("h1").textContent()).toBe("La tua pagina (azienda)");
    const offers = page.getByTestId("company-offers");
    await eventually(() => offers.textContent()).toContain("in attesa della scuola");
    expect(await offers.textContent()).toContain("3 ore di mentoring");
    const sent = await p.adoption.as(company).get(`/v1/offers?ideaId=${ideaId}`);
    expect(sent.body.items).toEqual([
      expect.objectContaining({
        status: "open",
        commitments: expect.objectContaining({ mentoringHours: 3, fundingCents: 25_050, internships: [] }),
      }),
    ]);

    // The school accepts through the API.
    const accepted = await p.adoption.as(school).post(`/v1/offers/${sent.body.items[0].id}/accept`);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
    const adoptionId = accepted.body.id as string;
    await page.reload();
    await eventually(() => page.getByTestId("company-adoptions").textContent()).toContain(TITLE);
    expect(await page.getByTestId("company-adoptions").textContent()).toContain("3 ore di mentoring");
    await page.getByRole("link", { name: TITLE }).click();
    await eventually(() => page.getByTestId("left-to-deliver").textContent()).toContain(
      "l'avvio del progetto",
    );
    expect(await axeViolations(page)).toEqual([]);

    const confirmLast = async () => {
      const a = await p.adoption.as(school).get(`/v1/adoptions/${adoptionId}`);
      const record = (a.body.records as Array<{ id: string; status: string }>).findLast(
        (r) => r.status === "logged",
      );
      expect(record, JSON.stringify(a.body.records)).toBeDefined();
      const confirmed = await p.adoption
        .as(school)
        .post(`/v1/adoptions/${adoptionId}/records/${record!.id}/confirm`, undefined, {
          headers: { "If-Match": `"${a.body.version}"` },
        });
      expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
      return confirmed.body;
    };
    const records = page.getByTestId("records");

    // Kick-off (the form proposes it first, dated today).
    await page.getByRole("button", { name: "Registra", exact: true }).click();
    await eventually(() => records.textContent()).toContain("Avvio del progetto");
    await confirmLast();

    // A mentoring session of 3 hours with both students.
    await page.reload();
    await eventually(() => page.getByLabel("Che cosa").inputValue()).toBe("mentoring");
    await page.getByLabel("Ore").fill("3");
    await page.locator('label[for="log-student-0"]').click();
    await page.locator('label[for="log-student-1"]').click();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Registra", exact: true }).click();
    await eventually(() => records.textContent()).toContain("Mentoring di 3 ore");
    await confirmLast();

    // The funding.
    await page.reload();
    await page.getByLabel("Che cosa").selectOption("funding");
    await page.getByLabel("Importo (euro)").fill("250,50");
    await page.getByRole("button", { name: "Registra", exact: true }).click();
    await eventually(() => records.textContent()).toContain("Finanziamento di 250,50");
    await eventually(() =>
      page.getByText("Tutto consegnato: si attende la conferma della scuola.").isVisible(),
    ).toBe(true);
    const last = await confirmLast();
    expect(last.status).toBe("completed");

    await page.reload();
    await eventually(() =>
      page.getByText("Adozione completata: la scuola ha confermato tutte le consegne.").isVisible(),
    ).toBe(true);
    expect(await page.getByRole("button", { name: "Registra", exact: true }).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "company-adoption");
    const done = await p.adoption.as(company).get(`/v1/adoptions/${adoptionId}`);
    expect(done.body).toMatchObject({ status: "completed", progress: { complete: true, percent: 100 } });
    const pcto = await p.adoption.as(school).get(`/v1/adoptions/${adoptionId}/pcto`);
    expect(pcto.body.students).toEqual([
      { pseudonym: "Gufo Rosso", mentoringHours: 3, internshipHours: 0, totalHours: 3 },
      { pseudonym: "Lince", mentoringHours: 3, internshipHours: 0, totalHours: 3 },
    ]);

    await page.getByRole("link", { name: "Home" }).click();
    await eventually(() => page.getByTestId("company-adoptions").textContent()).toContain("completata");
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "company-home");
  }, 180_000); // a whole journey through two services and a browser
});
