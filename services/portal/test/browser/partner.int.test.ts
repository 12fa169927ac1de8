// A partner body's course from draft to the public catalogue, in a real browser on the real catalogue
// behind the real gateway (the testkit's broker and store): the demo partner account signs in at the
// gateway, creates a course by keyboard only (refused first, each message next to its field), and
// submits it; staff of the site return it with a reason (refused first without one); the partner reads
// the reason, edits (the service's refusal of an English text without its title shown by that field)
// and submits again; staff publish it; its session's seats and waiting line show on the
// partner's home; anyone reads it in the public catalogue without signing in. The catalogue's API says
// what it holds after each step; axe on every page. Screenshot partner-home.png (and partner-*.png).
import type { TokenClaims } from "@lto/auth";
import { catalogueService } from "@lto/catalogue-service";
import { freePort, testAuth, uniqueId, type TestAuth } from "@lto/testkit";
import { startTestService, type TestService } from "@lto/testkit/service";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { courseBody, sessionBody } from "../../../catalogue/test/int/support.js";
import {
  axeViolations,
  buildPortal,
  DEMO_PASSWORD,
  eventually,
  openBrowser,
  screenshot,
  servePortal,
  signInWithToken,
  signOutLocally,
  type BrowserSession,
  type PortalServer,
} from "./harness.js";
import { tabTo } from "./learner-support.js";

// The gateway's demo partner account (services/gateway/src/seed).
const partner: TokenClaims = {
  sub: "cfp-formazione",
  role: "partner",
  org: "partner-cfp-for-ma",
  name: "CFP For.Ma Mantova",
};
const staff: TokenClaims = {
  sub: "staff-partner-review",
  role: "staff",
  org: "provincia-mantova",
  sites: ["lto-mantova"],
  name: "Marta Bertoli",
};
const TITLE = `Comunicare sui social per le botteghe`;
const EDITED = `Comunicare sui social per le botteghe artigiane`;
const REASON = "Indicate il livello atteso per la competenza 2.2 e le ore di laboratorio.";

let auth: TestAuth;
let catalogue: TestService;
let portal: PortalServer;
let browser: BrowserSession;
let partnerSession: string;
let courseId: string;

async function ok(client: ReturnType<TestService["as"]>, method: string, path: string, body?: unknown) {
  const res = await client.request(method, path, body === undefined ? {} : { body });
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
  return res.body;
}
const course = async () => ok(catalogue.as(partner), "GET", `/v1/courses/${courseId}`);

async function signInAs(page: Page, who: "partner" | "staff") {
  await page.goto("/");
  await signOutLocally(page);
  if (who === "partner")
    await page.evaluate((value) => sessionStorage.setItem("lto.session", value), partnerSession);
  else await signInWithToken(page, await auth.token(staff));
  await page.goto("/");
  await eventually(() => page.locator("[data-role-home]").getAttribute("data-role-home")).toBe(who);
}

beforeAll(async () => {
  // The catalogue trusts the gateway's keys (the demo partner signs in for real) and, through the
  // gateway's DEV_TOKEN_JWKS, the test key staff tokens are signed with, as under `npm start`.
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const trustGateway = { JWKS_URL: `${origin}/oidc/jwks`, JWT_ISSUER: `${origin}/oidc`, JWT_AUDIENCE: "lto" };
  auth = await testAuth({ issuer: `${origin}/oidc` });
  const devJwks = await (await fetch(auth.jwksUrl)).text();
  const [started, dist] = await Promise.all([
    startTestService(catalogueService, {
      auth,
      env: { SEED_DEMO_WHEN_EMPTY: "false", LOG_LEVEL: "error", ...trustGateway },
    }),
    buildPortal(),
  ]);
  catalogue = started;
  portal = await servePortal(
    dist,
    { catalogue: catalogue.url },
    { port, env: { ...trustGateway, DEV_TOKEN_JWKS: devJwks } },
  );
  browser = await openBrowser(portal.url);
  // The body's other work, so its home shows every state: a draft, one under review, one returned.
  const asPartner = catalogue.as(partner);
  const asStaff = catalogue.as(staff);
  await ok(asPartner, "POST", "/v1/courses", courseBody({ titleIt: `Fatturazione elettronica` }));
  const review = await ok(asPartner, "POST", "/v1/courses", courseBody({ titleIt: `Sicurezza online` }));
  await ok(asPartner, "POST", `/v1/courses/${review.id as string}/submit`);
  const back = await ok(asPartner, "POST", "/v1/courses", courseBody({ titleIt: `Foto di prodotto` }));
  await ok(asPartner, "POST", `/v1/courses/${back.id as string}/submit`);
  await ok(asStaff, "POST", `/v1/courses/${back.id as string}/return`, {
    reason: "Mancano i destinatari adulti: aggiungeteli o spiegate perché no.",
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await portal?.close();
  await catalogue?.close();
});

describe("a partner body's course from draft to the public catalogue", () => {
  it("signs the demo partner in at the gateway and shows its courses by state", async () => {
    const { page } = browser;
    await page.goto("/");
    await page.getByRole("button", { name: "Accedi" }).click();
    await eventually(() => page.locator("h1").textContent()).toBe("Accedi a LTO Mantova");
    await page.getByLabel("Indirizzo e-mail").fill("partner@demo.lto.local");
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Accedi" }).click();
    await eventually(() => page.locator("[data-role-home]").getAttribute("data-role-home")).toBe("partner");
    partnerSession = (await page.evaluate(() => sessionStorage.getItem("lto.session")))!;
    expect(JSON.parse(partnerSession).claims).toMatchObject({ role: "partner", org: "partner-cfp-for-ma" });

    await eventually(() =>
      page.getByTestId("partner-returned").getByTestId("return-reason").textContent(),
    ).toContain("Mancano i destinatari adulti");
    await eventually(() => page.getByTestId("partner-submitted").getByText(`Sicurezza online`).count()).toBe(
      1,
    );
    await eventually(() =>
      page.getByTestId("partner-draft").getByText(`Fatturazione elettronica`).count(),
    ).toBe(1);
    await eventually(() => page.getByTestId("partner-sessions").textContent()).toContain(
      "Nessun corso pubblicato",
    );
    expect(await axeViolations(page)).toEqual([]);
  });

  it("creates a course by keyboard only: refused first with each message by its field, then saved as a draft", async () => {
    const { page } = browser;
    await page.locator("body").focus();
    await tabTo(page, page.getByRole("link", { name: "Nuovo corso" }), 40);
    await page.keyboard.press("Enter");
    await eventually(() => page.locator("h1").textContent()).toBe("Nuovo corso");
    // The DigComp framework comes from the catalogue: its areas and competences.
    await eventually(() => page.getByText("2. Comunicazione e collaborazione").count()).toBe(1);

    const save = page.getByRole("button", { name: "Salva la bozza" });
    await tabTo(page, save, 80);
    await page.keyboard.press("Enter");
    await eventually(() => page.getByRole("alert").first().textContent()).toContain(
      "Correggi i campi indicati",
    );
    const title = page.locator("#course-titleIt");
    expect(await title.getAttribute("aria-invalid")).toBe("true");
    expect(await title.getAttribute("aria-describedby")).toContain("course-titleIt-error");
    expect(await page.locator("#course-titleIt-error").textContent()).toBe(
      "Scrivi un titolo di almeno 3 caratteri.",
    );
    expect(await page.locator("#course-competences").getAttribute("aria-describedby")).toContain(
      "course-competences-error",
    );
    expect(await page.locator("#course-competences-error").textContent()).toBe(
      "Scegli almeno una competenza DigComp.",
    );
    expect(await page.locator("#course-hours-error").textContent()).toContain("Indica le ore");
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "partner-form-refused");

    // The focus is on the summary: Tab forward through the form, typing, Space on boxes, arrows on radios.
    await tabTo(page, title, 5);
    await page.keyboard.type(TITLE);
    await tabTo(page, page.locator("#course-descriptionIt"), 5);
    await page.keyboard.type(
      "Pagine social, foto e messaggi per far conoscere una bottega e i suoi prodotti.",
    );
    for (const box of [
      "#course-audiences-adults",
      "#course-areas-servizi_commerciali",
      "#course-sites-lto-mantova",
    ]) {
      await tabTo(page, page.locator(box), 20);
      await page.keyboard.press("Space");
      expect(await page.locator(box).isChecked()).toBe(true);
    }
    await tabTo(page, page.locator("#course-hours"), 10);
    await page.keyboard.type("12,5");
    await tabTo(page, page.locator("#course-mode-in_person"), 5);
    await page.keyboard.press("ArrowRight");
    expect(await page.locator("#course-mode-online").isChecked()).toBe(true);
    await page.keyboard.press("ArrowRight");
    expect(await page.locator("#course-mode-blended").isChecked()).toBe(true);
    await tabTo(page, page.locator("#course-competence-2-2"), 20);
    await page.keyboard.press("Space");
    const level = page.locator("#course-level-2-2");
    await tabTo(page, level, 2);
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    expect(await level.inputValue()).toBe("3");
    expect(await page.locator("#course-titleIt-error").count()).toBe(1); // until saved again
    expect(await axeViolations(page)).toEqual([]);
    await tabTo(page, save, 60);
    await page.keyboard.press("Enter");

    await eventually(() => page.locator("[data-role-home]").getAttribute("data-role-home")).toBe("partner");
    const draft = page.getByTestId("partner-draft").locator("li", { hasText: TITLE });
    await eventually(() => draft.count()).toBe(1);
    courseId = (await draft.getAttribute("data-course-id"))!;
    expect(await course()).toMatchObject({
      titleIt: TITLE,
      providerId: "partner-cfp-for-ma",
      state: "draft",
      audiences: ["adults"],
      areas: ["servizi_commerciali"],
      sites: ["lto-mantova"],
      hours: 12.5,
      mode: "blended",
      competences: [{ framework: "digcomp", version: "2.2", competence: "2.2", level: 3 }],
    });

    await draft.getByRole("button", { name: `Invia in revisione «${TITLE}»` }).click();
    const submitted = page.getByTestId("partner-submitted").locator("li", { hasText: TITLE });
    await eventually(() => submitted.count()).toBe(1);
    expect((await course()).state).toBe("submitted");
    expect(await axeViolations(page)).toEqual([]);
  });

  it("staff return it with a reason (refused first without one)", async () => {
    const { page } = browser;
    await signInAs(page, "staff");
    await page.getByRole("link", { name: "Corsi degli enti partner da valutare" }).click();
    await eventually(() => page.locator("h1").textContent()).toBe("Corsi degli enti partner da valutare");
    const item = page.locator(`li[data-course-id="${courseId}"]`);
    await eventually(() => item.count()).toBe(1);
    expect(await item.textContent()).toContain("Ente: partner-cfp-for-ma");
    await eventually(() => item.textContent()).toContain(
      "2.2 Condividere informazioni attraverso le tecnologie digitali: livello 3",
    );
    expect(await axeViolations(page)).toEqual([]);

    await item.getByRole("button", { name: `Rimanda all'ente «${TITLE}»` }).click();
    const reason = item.getByLabel(`Motivo per rimandare «${TITLE}» all'ente`);
    await eventually(() => reason.getAttribute("aria-invalid")).toBe("true");
    expect(await reason.getAttribute("aria-describedby")).toContain(`reason-${courseId}-error`);
    expect(await item.locator(`#reason-${courseId}-error`).textContent()).toContain("Scrivi il motivo");
    expect((await course()).state).toBe("submitted");
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "partner-review");

    await reason.fill(REASON);
    await item.getByRole("button", { name: `Rimanda all'ente «${TITLE}»` }).click();
    await eventually(() => page.getByTestId("partner-review-outcome").textContent()).toContain(
      "è stato rimandato all'ente",
    );
    await eventually(() => item.count()).toBe(0);
    expect(await course()).toMatchObject({ state: "returned", returnReason: REASON });
    expect(await axeViolations(page)).toEqual([]);
  });

  it("the partner reads the reason, edits the course and submits it again", async () => {
    const { page } = browser;
    await signInAs(page, "partner");
    const returned = page.getByTestId("partner-returned").locator(`li[data-course-id="${courseId}"]`);
    await eventually(() => returned.getByTestId("return-reason").textContent()).toContain(REASON);
    await returned.getByRole("link", { name: `Modifica «${TITLE}»` }).click();
    await eventually(() => page.locator("h1").textContent()).toBe(`Modifica del corso «${TITLE}»`);
    const title = page.locator("#course-titleIt");
    expect(await title.inputValue()).toBe(TITLE);
    expect(await page.locator("#course-level-2-2").inputValue()).toBe("3");
    expect(await axeViolations(page)).toEqual([]);
    await title.fill(EDITED);
    await page.locator("#course-level-2-2").selectOption("4");
    await page.locator("#course-hours").fill("16");
    // An English description without its title: the service refuses it, in its words, by that field.
    await page.locator("#course-descriptionEn").fill("Social pages, photos and posts for a craft shop.");
    await page.getByRole("button", { name: "Salva le modifiche" }).click();
    const titleEn = page.locator("#course-titleEn");
    await eventually(() => titleEn.getAttribute("aria-invalid")).toBe("true");
    const said = (await page.locator("#course-titleEn-error").textContent()) ?? "";
    expect(said.length).toBeGreaterThan(3);
    expect(await page.getByRole("alert").first().textContent()).toContain(said);
    expect(await titleEn.getAttribute("aria-describedby")).toContain("course-titleEn-error");
    expect(await course()).toMatchObject({ state: "returned", titleIt: TITLE });
    expect(await axeViolations(page)).toEqual([]);
    await page.locator("#course-descriptionEn").fill("");
    await page.getByRole("button", { name: "Salva le modifiche" }).click();

    const again = page.getByTestId("partner-returned").locator(`li[data-course-id="${courseId}"]`);
    await eventually(() => again.textContent()).toContain(EDITED);
    expect(await course()).toMatchObject({
      state: "returned",
      titleIt: EDITED,
      hours: 16,
      competences: [{ competence: "2.2", level: 4 }],
    });
    await again.getByRole("button", { name: `Invia di nuovo «${EDITED}»` }).click();
    await eventually(() =>
      page.getByTestId("partner-submitted").locator(`li[data-course-id="${courseId}"]`).count(),
    ).toBe(1);
    expect((await course()).state).toBe("submitted");
  });

  it("staff publish it; its session's seats and waiting line show on the partner's home", async () => {
    const { page } = browser;
    await signInAs(page, "staff");
    await page.goto("/partner/review");
    const item = page.locator(`li[data-course-id="${courseId}"]`);
    await eventually(() => item.count()).toBe(1);
    await item.getByRole("button", { name: `Pubblica «${EDITED}»` }).click();
    await eventually(() => page.getByTestId("partner-review-outcome").textContent()).toContain(
      "è pubblicato nel catalogo",
    );
    expect((await course()).state).toBe("published");
    await eventually(() => item.count()).toBe(0);
    // The other partner course under review is still there.
    expect(await page.getByRole("heading", { name: `Sicurezza online` }).count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);

    // Staff schedule a session of two seats; three adults enrol, the third waits.
    const session = await ok(
      catalogue.as(staff),
      "POST",
      "/v1/sessions",
      sessionBody(courseId, { capacity: 2 }),
    );
    for (const n of [1, 2, 3]) {
      const who = uniqueId(`adult-${n}`);
      await ok(
        catalogue.as({ sub: who, role: "learner", org: who }),
        "POST",
        `/v1/sessions/${session.id as string}/enrolments`,
        {},
      );
    }
    expect(
      await ok(catalogue.as(partner), "GET", `/v1/sessions/${session.id as string}/counts`),
    ).toMatchObject({
      capacity: 2,
      seatsTaken: 2,
      waiting: 1,
    });

    await signInAs(page, "partner");
    const row = page.getByTestId("partner-sessions").locator(`tr[data-session-id="${session.id as string}"]`);
    await eventually(() => row.getByTestId("seats").textContent()).toBe("2 su 2");
    expect(await row.getByTestId("waiting").textContent()).toBe("1");
    expect(await row.textContent()).toContain("LTO Mantova");
    await eventually(() =>
      page.getByTestId("partner-published").locator(`li[data-course-id="${courseId}"]`).count(),
    ).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "partner-home");
  });

  it("pages a state's courses five at a time", async () => {
    const { page } = browser;
    for (let n = 1; n <= 5; n++)
      await ok(catalogue.as(partner), "POST", "/v1/courses", courseBody({ titleIt: `Bozza numero ${n}` }));
    await signInAs(page, "partner");
    const drafts = page.getByTestId("partner-draft");
    await eventually(() => drafts.locator("li[data-course-id]").count()).toBe(5);
    expect(await drafts.textContent()).toContain(`Bozza numero 5`);
    await drafts.getByRole("button", { name: "Pagina successiva" }).click();
    await eventually(() => drafts.textContent()).toContain(`Fatturazione elettronica`);
    expect(await drafts.locator("li[data-course-id]").count()).toBe(1);
    expect(await drafts.getByRole("button", { name: "Pagina successiva" }).isDisabled()).toBe(true);
    await drafts.getByRole("button", { name: "Pagina precedente" }).click();
    await eventually(() => drafts.textContent()).toContain(`Bozza numero 5`);
  });

  it("anyone reads the published course in the public catalogue without signing in", async () => {
    const { page } = browser;
    await page.goto("/");
    await signOutLocally(page);
    await page.goto("/courses");
    await eventually(() => page.getByText(EDITED).count()).toBeGreaterThan(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(`/courses/${courseId}`);
    await eventually(() => page.locator("h1").textContent()).toBe(EDITED);
    expect(await axeViolations(page)).toEqual([]);
    const anonymous = await ok(catalogue.as(), "GET", "/v1/courses");
    expect(anonymous.items.map((c: { id: string }) => c.id)).toContain(courseId);
  });
});
