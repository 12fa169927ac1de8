// A young person's own page in a real browser on the real self-employment and catalogue services (the
// testkit's broker and store, behind the real gateway): their bookings listed by start with Europe/Rome
// times in Italian format, paged ten at a time (eleven booked by staff through the API); their
// credential's attestato downloaded as a real PDF, and its shared verify link opening the public /verify
// page, which says it is valid. The services' APIs say what the page should show. axe on every page.
import { readFile } from "node:fs/promises";
import type { TokenClaims } from "@lto/auth";
import { uniqueId } from "@lto/testkit";
import type { TestService } from "@lto/testkit/service";
import type { Locator } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueCredential } from "../../../self-employment/test/int/credential-support.js";
import { axeViolations, eventually, screenshot, type BrowserSession } from "./harness.js";
import {
  bookThroughApi,
  freeSlots,
  mantovaStaff as staff,
  personWithPath,
  startSelfEmploymentJourney,
  weekdayOperator,
  type SelfEmploymentJourney,
} from "./selfemp-support.js";

const sub = uniqueId("learner-sara");
const sara: TokenClaims = { sub, role: "learner", org: sub, name: "Sara Villa" };

let journey: SelfEmploymentJourney;
let se: TestService;
let catalogue: TestService;
let browser: BrowserSession;
let personId: string;
let credentialId: string;

/** Eleven bookings: reception, then job placement sessions staff booked out of the path's order. */
const BOOKINGS = 11;

beforeAll(async () => {
  journey = await startSelfEmploymentJourney({
    signedIn: sara,
    catalogue: true,
    setup: async ({ se, catalogue }) => {
      const client = se.as(staff);
      await weekdayOperator(client, "Paolo Riva", ["orientatore", "tutor_lavoro"]);
      ({ personId } = await personWithPath(se, client, { givenName: "Sara", familyName: "Villa" }, "VLLSRA", {
        learnerSubject: sub,
      }));
      for (let i = 0; i < BOOKINGS; i++) {
        const service = i === 0 ? "accoglienza" : "inserimento_lavoro";
        const [slot] = await freeSlots(se, client, service, 20);
        const res = await bookThroughApi(
          client,
          personId,
          service,
          slot!,
          i === 0 ? {} : { overrideReason: "Percorso definito con il centro per l'impiego" },
        );
        expect(res.status, JSON.stringify(res.body)).toBe(201);
      }
      credentialId = await issueCredential(catalogue!, sub);
    },
  });
  ({ se, browser } = journey);
  catalogue = journey.catalogue!;
}, 180_000);

afterAll(async () => {
  await journey?.close();
});

/** Rome's wall clock as the page writes it in Italian: "7 dic 2026, 09:00". */
const romeItalian = (instant: string) =>
  new Intl.DateTimeFormat("it-IT", {
    timeZone: "Europe/Rome",
    dateStyle: "medium",
    timeStyle: "short",
  }).format(new Date(instant));

const section = (name: string): Locator => browser.page.getByRole("region", { name });

describe("a young person's own page", () => {
  it("lists my bookings by start, in Rome's time and Italian format, ten a page", async () => {
    const { page } = browser;
    const all = (await se.as(staff).get(`/v1/bookings?site=lto-mantova&person=${personId}&limit=100`)).body
      .items as Array<{
      start: string;
      serviceCode: string;
    }>;
    expect(all).toHaveLength(BOOKINGS);

    await page.goto("/");
    await eventually(() => page.locator("h1").textContent()).toBe("Ciao Sara Villa");
    const bookings = section("Le mie prenotazioni");
    // The bookings list (the pager is a list of its own).
    const items = bookings.locator(".list-group").getByRole("listitem");
    await eventually(() => items.count()).toBe(10);
    // The first is reception, at its start in Rome (not the UTC hour), confirmed.
    const first = await items.first().textContent();
    expect(first).toContain("Accoglienza");
    expect(first).toContain(romeItalian(all[0]!.start));
    expect(first).toContain("confermata");
    const utcHour = new Date(all[0]!.start).toISOString().slice(11, 16);
    expect(romeItalian(all[0]!.start)).not.toContain(utcHour);
    expect(await items.nth(9).textContent()).toContain(romeItalian(all[9]!.start));
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "selfemp-learner-bookings");

    // The eleventh on the next page, then back.
    await bookings.getByRole("button", { name: "Pagina successiva" }).click();
    await eventually(() => items.count()).toBe(1);
    expect(await items.first().textContent()).toContain(romeItalian(all[10]!.start));
    expect(await bookings.getByText("Pagina 2").count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await bookings.getByRole("button", { name: "Pagina precedente" }).click();
    await eventually(() => items.count()).toBe(10);
  });

  it("downloads the attestato as a real PDF and opens its verify link: valid", async () => {
    const { page } = browser;
    const held = await catalogue.as(sara).get(`/v1/credentials/${credentialId}`);
    expect(held.status).toBe(200);

    await page.goto("/");
    const credentials = section("Le mie credenziali");
    await eventually(() => credentials.getByRole("listitem").count()).toBe(1);
    expect(await credentials.textContent()).toContain(held.body.courseTitle as string);

    const [download, response] = await Promise.all([
      page.waitForEvent("download"),
      page.waitForResponse((r) => r.url().includes(`/credentials/${credentialId}/attestato.pdf`)),
      credentials.getByRole("button", { name: "Scarica l'attestato (PDF)" }).click(),
    ]);
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toMatch(/^application\/pdf/);
    const bytes = await readFile((await download.path())!);
    expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(bytes.length).toBeGreaterThan(1000);
    expect(download.suggestedFilename()).toMatch(/\.pdf$/);

    await credentials.getByRole("button", { name: "Condividi il link di verifica" }).click();
    const link = credentials.getByLabel("Link di verifica (copiato negli appunti)");
    await eventually(() => link.inputValue()).toMatch(/\/verify#/);
    expect(await axeViolations(page)).toEqual([]);
    const href = await link.inputValue();
    expect(new URL(href).origin).toBe(new URL(journey.portal.url).origin);

    // The link opens the public page for anyone: a fresh context, nobody signed in.
    const visitor = await browser.browser.newContext({ baseURL: journey.portal.url, locale: "it-IT" });
    try {
      const verify = await visitor.newPage();
      await verify.goto(href);
      await eventually(() => verify.locator("h1").textContent()).toBe("Verifica di una credenziale");
      await eventually(() => verify.getByText("La credenziale è autentica e valida.").isVisible()).toBe(true);
      expect(await axeViolations(verify)).toEqual([]);
      await screenshot(verify, "selfemp-credential-verified");
    } finally {
      await visitor.close();
    }
  });
});
