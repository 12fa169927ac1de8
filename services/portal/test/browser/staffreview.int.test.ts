// Site staff in a real browser on the real ideas and adoption services behind the real gateway: an idea
// reviewed with the rubric (refused first in the service's words: nobody scored it) and published; a
// registered company verified; a school referent invited by one-time link (a minor refused first), who
// opens the link, sets a password, signs in at the gateway and lands on the school's home. What the
// services then hold is read through their APIs; axe on every page.
import type { TokenClaims } from "@lto/auth";
import { adoptionService } from "@lto/adoption-service";
import { ideasService } from "@lto/ideas-service";
import { freePort, testAuth, uniqueId, type TestAuth } from "@lto/testkit";
import { startTestService, TestClock, type TestService } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { daysFromNow, ideaText, NOW } from "./company-support.js";
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
import { registeredCompany, romeDay, siteStaff } from "./support.js";

const staff = siteStaff("staff-marta-bertoli", "lto-mantova", "Marta Bertoli");
const school: TokenClaims = { sub: "referent-fermi", role: "school", org: uniqueId("school-fermi") };
const TITLE = `Orti urbani con sensori di umidità ${Date.now() % 100_000}`;
const COMPANY = "Officine Meccaniche Padane S.r.l.";

let auth: TestAuth;
let ideas: TestService;
let adoption: TestService;
let clock: TestClock;
let portal: PortalServer;
let browser: BrowserSession;
let ideaId: string;
let companyId: string;

beforeAll(async () => {
  // Everyone trusts the gateway's keys (its own tokens: the invited referent signs in for real); the
  // gateway also publishes the test key (DEV_TOKEN_JWKS, as `npm run token` under `npm start`), so the
  // tests' tokens, issued in the gateway's name, are accepted by every service and by the gateway.
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const trustGateway = { JWKS_URL: `${origin}/oidc/jwks`, JWT_ISSUER: `${origin}/oidc`, JWT_AUDIENCE: "lto" };
  auth = await testAuth({ issuer: `${origin}/oidc` });
  const devJwks = await (await fetch(auth.jwksUrl)).text();
  clock = new TestClock();
  clock.set(daysFromNow(-45));
  const adoptionGrpc = await freePort();
  const [startedIdeas, dist] = await Promise.all([
    startTestService(ideasService, {
      clock,
      auth,
      env: { ADOPTION_GRPC_ADDRESS: `127.0.0.1:${adoptionGrpc}`, LOG_LEVEL: "error", ...trustGateway },
    }),
    buildPortal(),
  ]);
  ideas = startedIdeas;
  adoption = await startTestService(adoptionService, {
    clock,
    auth,
    grpcPort: adoptionGrpc,
    env: { IDEAS_GRPC_ADDRESS: ideas.grpcAddress, LOG_LEVEL: "error", ...trustGateway },
  });
  portal = await servePortal(
    dist,
    { ideas: ideas.url, adoption: adoption.url },
    { port, env: { ...trustGateway, DEV_TOKEN_JWKS: devJwks } },
  );
  browser = await openBrowser(portal.url);

  ideaId = await submittedIdea(await openCall());
  companyId = await companyToVerify();
  // The review happens in the call's evaluation phase.
  clock.set(daysFromNow(-20));
  await browser.page.goto("/");
  await signInWithToken(browser.page, await auth.token(staff));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await portal?.close();
  await adoption?.close();
  await ideas?.close();
  await auth?.close();
});

async function openCall(): Promise<string> {
  const y = NOW.getUTCMonth() >= 8 ? NOW.getUTCFullYear() : NOW.getUTCFullYear() - 1;
  const res = await ideas.as(staff).post(
    "/v1/calls",
    {
      title: "Bando LTO città sostenibili",
      description: "Idee delle scuole per quartieri più verdi",
      model: "open",
      schoolYear: `${y}/${String((y + 1) % 100).padStart(2, "0")}`,
      phaseStarts: {
        submission: romeDay(daysFromNow(-50)),
        evaluation: romeDay(daysFromNow(-30)),
        adoption: romeDay(daysFromNow(-3)),
        closed: romeDay(daysFromNow(40)),
      },
      panel: [{ subject: staff.sub, organisationId: staff.org, kind: "staff", name: "Marta Bertoli" }],
    },
    { headers: { "Idempotency-Key": uniqueId("call") } },
  );
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

async function submittedIdea(callId: string): Promise<string> {
  const client = ideas.as(school);
  const team = await client.post(
    "/v1/teams",
    {
      name: "Verde Fermi",
      schoolName: "ITIS Enrico Fermi Mantova",
      className: "4A",
      schoolYear: "2026/27",
      referentTeacher: "Prof.ssa Gialli",
      members: [{ pseudonym: "Airone", minor: false }],
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
      area: "agroalimentare",
      district: "mantova",
      technologies: ["iot"],
      needs: ["mentoring"],
    },
    { headers: { "Idempotency-Key": uniqueId("idea") } },
  );
  expect(idea.status, JSON.stringify(idea.body)).toBe(201);
  const submitted = await client.post(`/v1/ideas/${idea.body.id}/submit`);
  expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
  return idea.body.id as string;
}

async function companyToVerify(): Promise<string> {
  const user = await registeredCompany(adoption, {
    legalName: COMPANY,
    area: "meccanica",
    district: "suzzara",
    contact: { name: "Anna Neri", email: "anna.neri@example.it" },
  });
  return user.org;
}

describe("site staff reviewing, verifying and inviting", () => {
  it("reviews an idea with the rubric and publishes it, refused first in the service's words", async () => {
    const { page } = browser;
    await page.reload();
    await eventually(() => page.locator("h1").textContent()).toBe(
      "La tua pagina (personale del laboratorio)",
    );
    await page.getByRole("link", { name: "Idee da valutare e pubblicare" }).click();
    await eventually(() => page.locator("h1").textContent()).toBe("Idee da valutare");
    const list = page.getByTestId("review-list");
    await eventually(() => list.getByRole("link", { name: TITLE }).isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "staffreview-ideas");

    await list.getByRole("link", { name: TITLE }).click();
    await eventually(() => page.locator("h1").textContent()).toBe(`Valutazione: ${TITLE}`);
    await eventually(() => page.getByText("ITIS Enrico Fermi Mantova – Verde Fermi (4A)").isVisible()).toBe(
      true,
    );
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Prendi in carico la valutazione" }).click();
    await eventually(() => page.getByTestId("idea-state").textContent()).toBe("Stato: in valutazione");
    await page.getByRole("button", { name: "Assegnami come valutatore" }).click();
    await eventually(() => page.getByTestId("evaluators").textContent()).toBe(
      "Marta Bertoli: non ha ancora dato i punteggi",
    );

    // Publishing before anyone scored: the service refuses, and the page shows its own words.
    await page.getByLabel("Risposta alla scuola").fill("Idea solida e ben documentata: la pubblichiamo.");
    await page.getByRole("button", { name: "Pubblica l'idea" }).click();
    const refusal = page.locator('section[aria-labelledby="decision-title"] [role="alert"]');
    await refusal.waitFor();
    const direct = await ideas.as(staff).post(`/v1/ideas/${ideaId}/publish`, { answer: "Da pubblicare" });
    expect(direct.status).toBe(409);
    await eventually(() => refusal.textContent()).toContain(direct.body.detail as string);
    expect(await axeViolations(page)).toEqual([]);

    // The rubric: a score from 1 to 5 per criterion of the call, private notes.
    const call = await ideas
      .as(staff)
      .get(`/v1/calls/${(await ideas.as(staff).get(`/v1/ideas/${ideaId}`)).body.callId as string}`);
    const rubric = call.body.rubric as Array<{ key: string; label: string; weight: number }>;
    const scores = Object.fromEntries(rubric.map((c, i) => [c.key, 5 - (i % 3)]));
    for (const c of rubric) {
      const group = page.getByRole("group", { name: `${c.label} (peso ${c.weight})` });
      await group.locator(`label[for="score-${c.key}-${scores[c.key]}"]`).click();
      expect(await group.getByLabel(String(scores[c.key]), { exact: true }).isChecked()).toBe(true);
    }
    await page.getByLabel("Note riservate").fill("Buon prototipo; chiedere un preventivo dei sensori.");
    await page.getByRole("button", { name: "Salva i punteggi" }).click();
    await eventually(() => page.getByText("Punteggi salvati.").isVisible()).toBe(true);
    await eventually(() => page.getByTestId("evaluators").textContent()).toMatch(
      /^Marta Bertoli: punteggio ponderato \d/,
    );
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "staffreview-review");

    await page.getByRole("button", { name: "Pubblica l'idea" }).click();
    await eventually(() => page.getByTestId("decision-done").textContent()).toContain(
      "Idea pubblicata: ora le aziende possono vederla.",
    );
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "staffreview-published");

    const held = await ideas.as(staff).get(`/v1/ideas/${ideaId}`);
    expect(held.status).toBe(200);
    expect(held.body).toMatchObject({
      state: "published",
      answer: "Idea solida e ben documentata: la pubblichiamo.",
      evaluators: [
        {
          subject: staff.sub,
          scores,
          notes: "Buon prototipo; chiedere un preventivo dei sensori.",
        },
      ],
    });
    expect(held.body.overallScore).toBeGreaterThan(0);
  });

  it("verifies a registered company", async () => {
    const { page } = browser;
    await page.goto("/");
    await page.getByRole("link", { name: "Aziende da verificare" }).click();
    await eventually(() => page.locator("h1").textContent()).toBe("Aziende da verificare");
    const list = page.getByTestId("company-list");
    await eventually(() => list.getByRole("heading", { name: COMPANY }).isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "staffreview-companies");

    await list.getByRole("button", { name: `Verifica ${COMPANY}` }).click();
    await eventually(() => page.getByTestId("verified-now").textContent()).toBe(`${COMPANY} è verificata.`);
    await eventually(() => page.getByText("Nessuna azienda in attesa di verifica.").isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);

    const company = await adoption.as(staff).get(`/v1/companies/${companyId}`);
    expect(company.status).toBe(200);
    expect(company.body.status).toBe("verified");
  });

  it("invites a school referent, who opens the link, sets a password and signs in to the school's home", async () => {
    const { page } = browser;
    const email = `${uniqueId("referente")}@scuola.example.it`;
    const referentSchool = uniqueId("school-mantegna");
    await page.goto("/");
    await page.getByRole("link", { name: "Invita una persona" }).click();
    await eventually(() => page.locator("h1").textContent()).toBe("Invita una persona");
    expect(await axeViolations(page)).toEqual([]);

    // A minor never gets an account: the gateway's own words, nothing stored.
    await page.locator('label[for="invite-role-learner"]').click();
    await page.getByLabel("Nome e cognome").fill("Luca Bassi");
    await page.getByLabel("Indirizzo e-mail").fill(`${uniqueId("minore")}@example.it`);
    await page.getByLabel("Codice dell'ente di riferimento").fill("provincia-mantova");
    await page.getByLabel("Data di nascita").fill(romeDay(daysFromNow(-15 * 365)));
    await page.getByRole("button", { name: "Invia l'invito" }).click();
    const refusal = page.getByRole("alert");
    await refusal.waitFor();
    const staffToken = await auth.token(staff);
    const direct = await fetch(`${portal.url}/v1/invitations`, {
      method: "POST",
      headers: { authorization: `Bearer ${staffToken}`, "content-type": "application/json" },
      body: JSON.stringify({
        role: "learner",
        email: `${uniqueId("minore")}@example.it`,
        organisationId: "provincia-mantova",
        displayName: "Luca Bassi",
        birthDate: romeDay(daysFromNow(-15 * 365)),
      }),
    });
    expect(direct.status).toBe(422);
    const problem = (await direct.json()) as { detail: string };
    await eventually(() => refusal.textContent()).toContain(problem.detail);
    expect(await axeViolations(page)).toEqual([]);

    // The school referent.
    await page.locator('label[for="invite-role-school"]').click();
    expect(await page.getByLabel("Referente di una scuola").isChecked()).toBe(true);
    await page.getByLabel("Nome e cognome").fill("Paola Verdi");
    await page.getByLabel("Indirizzo e-mail").fill(email);
    await page.getByLabel("Codice della scuola").fill(referentSchool);
    await page.getByRole("button", { name: "Invia l'invito" }).click();
    await eventually(() => page.getByText(`Invito inviato a ${email}`).isVisible()).toBe(true);
    await eventually(() =>
      page.getByText(`Abbiamo mandato il link per e-mail a ${email}.`, { exact: false }).isVisible(),
    ).toBe(true);
    const link = await page.getByTestId("invite-link").inputValue();
    expect(link).toMatch(new RegExp(`^${portal.url}/invitations/[A-Za-z0-9_-]+$`));
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "staffreview-invited");

    // The referent, in the same browser once the staff member is gone: link, password, sign-in.
    await signOutLocally(page);
    await page.goto(link);
    await eventually(() => page.locator("h1").textContent()).toBe("Attiva il tuo account LTO Mantova");
    expect(await axeViolations(page)).toEqual([]);
    const password = "una frase lunga per la scuola";
    await page.getByLabel("Nuova password").fill(password);
    await page.getByRole("button", { name: "Attiva l'account" }).click();
    await eventually(() => page.getByRole("status").textContent()).toBe(
      "Account attivato. Ora puoi accedere al portale.",
    );
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole("link", { name: "Apri il portale" }).click();
    await page.getByRole("button", { name: "Accedi" }).click();
    await eventually(() => page.locator("h1").textContent()).toBe("Accedi a LTO Mantova");
    await page.getByLabel("Indirizzo e-mail").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Accedi" }).click();
    await eventually(() => new URL(page.url()).pathname).toBe("/");
    await eventually(() => page.locator("[data-role-home]").getAttribute("data-role-home")).toBe("school");
    await eventually(() => page.locator("h1").textContent()).toBe("La tua pagina (referente scolastico)");
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "staffreview-referent-home");

    // The gateway holds the account active, for the school the staff member named.
    const session = JSON.parse(
      (await page.evaluate(() => sessionStorage.getItem("lto.session"))) ?? "{}",
    ) as {
      claims?: { sub?: string; org?: string; role?: string };
    };
    expect(session.claims).toMatchObject({ role: "school", org: referentSchool });
    const account = await fetch(`${portal.url}/v1/accounts/${session.claims!.sub!}`, {
      headers: { authorization: `Bearer ${staffToken}` },
    });
    expect(account.status).toBe(200);
    expect(await account.json()).toMatchObject({ status: "active", email, organisationId: referentSchool });
  });
});
