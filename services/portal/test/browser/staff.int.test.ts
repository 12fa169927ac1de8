// Site staff in a real browser on the real self-employment service (broker and store of the testkit)
// behind the real gateway: the home with the site's calendar, booking a service for a young person by
// keyboard only (refused first with the service's own words: the path's order), then recording its
// delivery; what the service then holds is read through its API. axe on every page.
import { romeDate } from "@lto/civil-time";
import type { TestService } from "@lto/testkit/service";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations, eventually, screenshot, type BrowserSession } from "./harness.js";
import {
  mantovaStaff as staff,
  personWithPath,
  startSelfEmploymentJourney,
  weekdayOperator,
  type SelfEmploymentJourney,
} from "./selfemp-support.js";

let journey: SelfEmploymentJourney;
let se: TestService;
let browser: BrowserSession;
let personId: string;
let pathId: string;

beforeAll(async () => {
  // The staff home also shows the site's course meetings: without the catalogue it would show an alert.
  journey = await startSelfEmploymentJourney({
    signedIn: staff,
    catalogue: true,
    setup: async ({ se }) => {
      const client = se.as(staff);
      await weekdayOperator(client, "Laura Bianchi");
      ({ personId, pathId } = await personWithPath(
        se,
        client,
        { givenName: "Chiara", familyName: "Neri" },
        "NRECHR",
      ));
    },
  });
  ({ se, browser } = journey);
}, 120_000);

afterAll(async () => {
  await journey?.close();
});

const focused = (page: Page) => page.locator(":focus");

/** Tab (or Shift+Tab) until the focused element matches `selector`; fails after `max` presses. */
async function tabTo(page: Page, selector: string, max = 40, key = "Tab") {
  for (let i = 0; i < max; i++) {
    if (await page.locator(`${selector}:focus`).count()) return;
    await page.keyboard.press(key);
  }
  throw new Error(`${selector} not reached with ${max} ${key} presses`);
}

describe("site staff", () => {
  it("sees the home with the site's calendar", async () => {
    const { page } = browser;
    await page.reload();
    await eventually(() => page.locator("h1").textContent()).toBe(
      "La tua pagina (personale del laboratorio)",
    );
    await eventually(() => page.getByText("Nessuna prenotazione in questa settimana.").isVisible()).toBe(
      true,
    );
    // The site by its name, from the service's reference data.
    const site = await se.as().get("/v1/sites/lto-mantova");
    await eventually(() => page.locator("#calendar-title").textContent()).toBe(
      `Calendario della sede ${site.body.name as string}`,
    );
    expect(await axeViolations(page)).toEqual([]);
  });

  it("books a service for a young person by keyboard only, refused first in the service's words", async () => {
    const { page } = browser;
    await page.goto("/");
    await eventually(() => page.locator("h1").textContent()).toBe(
      "La tua pagina (personale del laboratorio)",
    );
    await page.locator("body").focus();
    await tabTo(page, 'a[href^="/staff/book"]');
    await page.keyboard.press("Enter");
    await eventually(() => page.locator("h1").textContent()).toBe("Prenota un servizio");

    // The person: search by name, then the radio.
    await tabTo(page, "#person-search");
    await page.keyboard.type("Neri");
    await eventually(() => page.getByTestId("person-list").getByRole("radio").count()).toBe(1);
    await page.keyboard.press("Tab");
    expect(await focused(page).getAttribute("name")).toBe("person");
    await page.keyboard.press("Space");
    expect(await page.getByLabel(/Chiara Neri/).isChecked()).toBe(true);

    // The service: the path's order wants reception first, so the specialist interview is refused.
    await tabTo(page, "#service-type");
    await page.keyboard.press("ArrowDown"); // accoglienza
    await page.keyboard.press("ArrowDown"); // colloquio_specialistico
    expect(await page.locator("#service-type").inputValue()).toBe("colloquio_specialistico");
    await eventually(() => page.getByTestId("slot-days").getByRole("radio").count()).toBeGreaterThan(0);
    expect(await axeViolations(page)).toEqual([]);
    await tabTo(page, '[data-testid="slot-days"] input[type="radio"]');
    await page.keyboard.press("Space");
    const refusedSlot = await focused(page).getAttribute("id");
    expect(await page.locator(`#${refusedSlot}`).isChecked()).toBe(true);
    await tabTo(page, 'button[type="submit"]', 80);
    await page.keyboard.press("Enter");
    const alert = page.getByRole("alert");
    await alert.waitFor();

    // The same request straight to the service: its own words are what the page shows.
    const firstDay = (
      await se
        .as(staff)
        .get(
          `/v1/availability?service=colloquio_specialistico&site=lto-mantova&from=${romeDate(se.clock.now())}&to=${romeDate(new Date(se.clock.now().getTime() + 6 * 86_400_000))}`,
        )
    ).body as { days: Array<{ slots: Array<{ start: string; operators: Array<{ id: string }> }> }> };
    const slot = firstDay.days.flatMap((d) => d.slots)[0]!;
    const refused = await se.as(staff).post(
      "/v1/bookings",
      {
        person: personId,
        serviceType: "colloquio_specialistico",
        site: "lto-mantova",
        start: slot.start,
        operatorId: slot.operators[0]!.id,
        mode: "in_person",
      },
      { headers: { "idempotency-key": crypto.randomUUID() } },
    );
    expect(refused.status).toBe(409);
    await eventually(() => alert.textContent()).toContain(refused.body.detail as string);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "staff-booking-refused");

    // Reception instead: back to the service, one up, a slot, confirm.
    await tabTo(page, "#service-type", 80, "Shift+Tab");
    await page.keyboard.press("ArrowUp");
    expect(await page.locator("#service-type").inputValue()).toBe("accoglienza");
    await eventually(() => page.getByRole("alert").count()).toBe(0);
    await eventually(() => page.getByTestId("slot-days").getByRole("radio").count()).toBeGreaterThan(0);
    await tabTo(page, '[data-testid="slot-days"] input[type="radio"]');
    await page.keyboard.press("Space");
    await tabTo(page, 'button[type="submit"]', 80);
    await page.keyboard.press("Enter");
    await eventually(() => page.getByText("Prenotazione confermata").isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "staff-booking-confirmed");

    // The service holds the booking, and only that one.
    const listed = await se.as(staff).get(`/v1/bookings?site=lto-mantova&person=${personId}`);
    expect(listed.status).toBe(200);
    const items = listed.body.items as Array<{ serviceCode: string; status: string; pathId: string }>;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ serviceCode: "accoglienza", status: "confirmed", pathId });
  });

  it("records the delivery of the booking, and the path holds it", async () => {
    const { page } = browser;
    const booking = (
      (await se.as(staff).get(`/v1/bookings?site=lto-mantova&person=${personId}`)).body.items as Array<{
        id: string;
        start: string;
        end: string;
      }>
    )[0]!;
    // The service's clock moves past the booking: a delivery is recorded once it has happened.
    se.clock.set(new Date(new Date(booking.end).getTime() + 3_600_000));

    // The booking on the home's calendar, its week (the next one when it falls after Sunday).
    const calendar = page.getByTestId("staff-calendar");
    const record = calendar.getByRole("link", { name: /Registra l'erogazione/ });
    await homeAtBookingWeek(page, record);
    await eventually(() => record.count()).toBe(1);
    expect(await calendar.textContent()).toContain("confermata");
    await eventually(() => calendar.textContent()).toContain("Chiara Neri");
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "staff-home");

    await record.click();
    await eventually(() => page.locator("h1").textContent()).toBe("Registra l'erogazione");
    await eventually(() => page.getByLabel("Inizio effettivo").inputValue()).not.toBe("");
    expect(await axeViolations(page)).toEqual([]);

    // Without an outcome the form says what is missing, next to the field.
    await page.getByRole("button", { name: "Registra l'erogazione" }).click();
    await eventually(() => page.getByText("Scegli l'esito del servizio.").isVisible()).toBe(true);
    expect(await page.getByLabel("Esito").getAttribute("aria-describedby")).toBe("delivery-outcome-error");

    await page.getByLabel("Esito").selectOption("servizio_svolto");
    await page.getByLabel("Note").fill("Primo colloquio svolto, interessata alla ristorazione.");
    await page.getByRole("button", { name: "Registra l'erogazione" }).click();
    await eventually(() => page.getByText("Erogazione registrata").isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "staff-delivery-recorded");

    const path = await se.as(staff).get(`/v1/persons/${personId}/path`);
    expect(path.status).toBe(200);
    const deliveries = path.body.deliveries as Array<Record<string, unknown>>;
    expect(deliveries).toHaveLength(1);
    expect(JSON.stringify(deliveries[0])).toContain(booking.id);
    expect(JSON.stringify(deliveries[0])).toContain("servizio_svolto");
    expect(JSON.stringify(deliveries[0])).toContain("interessata alla ristorazione");

    // The booking itself is delivered now, and the home's calendar says so (nothing left to record).
    const stored = await se.as(staff).get(`/v1/bookings/${booking.id}`);
    expect(stored.body).toMatchObject({ status: "delivered" });
    const deliveredBadge = calendar.getByText("erogata", { exact: true });
    await homeAtBookingWeek(page, deliveredBadge);
    await eventually(() => deliveredBadge.count()).toBe(1);
    expect(await record.count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
  });
});

/**
 * The home, moved by its one week navigator to the week where `target` shows (this week, or the next
 * when the booking falls after Sunday).
 */
async function homeAtBookingWeek(page: Page, target: ReturnType<Page["getByText"]>) {
  await page.goto("/");
  for (let week = 0; week < 3 && !(await target.count()); week++) {
    await eventually(() =>
      page
        .getByText(/Nessuna prenotazione|Accoglienza/)
        .first()
        .isVisible(),
    ).toBe(true);
    if (await target.count()) break;
    await page.getByRole("button", { name: "Settimana successiva" }).click();
  }
}
